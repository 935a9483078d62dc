import { firstEvidence, policyCoverage, rootFields } from './evidence';
import { renderFiles, skeletonFiles } from './render';
import { validateValues } from './values';

describe('first evidence of a fresh scaffold', () => {
  it('reads root fields, not documentation or other types', () => {
    expect(
      rootFields(`"""type Query { nope: Int }"""
type Query {
  "a field"
  health: Health!
  item(id: ID!): Item
}
type Item { id: ID! }
type Mutation { createItem(name: String!): Item! }`),
    ).toEqual(['health', 'item', 'createItem']);
  });

  it('counts the root fields the policy names', () => {
    const files = [
      { path: 'src/schema.graphql', content: 'type Query { a: Int\n b: Int }' },
      {
        path: 'policy/authz.rego',
        content: 'operations := {"query": {"a": ""}}',
      },
      { path: 'policy/authz_test.rego', content: '"b": 1' },
    ];
    expect(policyCoverage(files)).toBe(0.5);
    expect(policyCoverage(files.slice(0, 1))).toBeUndefined();
  });

  it('a rendered service covers every operation; a worker reports nothing', () => {
    const checked = validateValues('create-ig-service', {
      name: 'a',
      owner: 'payments',
      system: 's',
    });
    if (!checked.ok) throw new Error('values');
    const service = renderFiles(
      skeletonFiles('create-ig-service'),
      checked.values,
    );
    const worker = renderFiles(
      skeletonFiles('create-ig-worker'),
      checked.values,
    );
    if (!service.ok || !worker.ok) throw new Error('render');
    expect(firstEvidence(service.files)).toEqual([
      { name: 'policy.coverage', value: 1 },
    ]);
    expect(firstEvidence(worker.files)).toEqual([]);
  });
});
