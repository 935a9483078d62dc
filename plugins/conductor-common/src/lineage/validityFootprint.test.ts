import fs from 'node:fs';
import path from 'node:path';
import { DocumentNode, Kind, parse, print } from 'graphql';
import { computeBlastRadius, judgeOperations } from './blastRadius';
import { parseOperations } from './operations';
import {
  LineageInputError,
  LoadedSchema,
  assertSchemaValidates,
  loadSchema,
} from './sdl';

/** A schema with every construct validation reads: interfaces, unions, enums, input objects, @oneOf, directives, three roots. */
const BASE = `
directive @auth(role: Role!) repeatable on FIELD | QUERY | INLINE_FRAGMENT
directive @trace(level: Int = 1) on FIELD
interface Node { id: ID! }
interface Named implements Node { id: ID! name: String }
type Asset implements Node & Named {
  id: ID!
  name: String
  kind: Kind
  tags(first: Int = 5, filter: TagFilter): [String!]
  owner: Owner
  size(unit: Unit = BYTES): Float
}
type Team implements Node & Named { id: ID! name: String members(first: Int! = 10): [Person!]! }
type Person implements Node & Named { id: ID! name: String email: String team: Team }
union Owner = Team | Person
enum Kind { TABLE VIEW STREAM }
enum Unit { BYTES KB MB }
enum Role { ADMIN READER }
input TagFilter { prefix: String kinds: [Kind!] nested: TagFilter limit: Int! = 10 }
input Range { from: Int to: Int }
input AssetRef @oneOf { id: ID name: String }
type Query {
  asset(id: ID!): Asset
  node(id: ID!): Node
  search(filter: TagFilter, kind: Kind = TABLE): [Named]
  owner(id: ID!): Owner
  lookup(by: AssetRef!): Asset
  named(name: String): Named
  between(range: Range): [Asset]
}
type Mutation { rename(id: ID!, name: String!): Asset tag(input: TagFilter!): [Asset] }
type Subscription { assetChanged(id: ID!): Asset }
`;

const OPERATIONS = [
  'query A($id: ID!) { asset(id: $id) { id name kind } }',
  'query B { asset(id: "1") { tags(first: 3, filter: { prefix: "a", kinds: [TABLE] }) size(unit: KB) } }',
  'query C { node(id: "1") { id ... on Asset { kind } ... on Person { email } } }',
  'query D { search(filter: { nested: { prefix: "x" } }) { name ... on Team { members { email } } } }',
  'query E($k: Kind = VIEW) { search(kind: $k) { id } }',
  'query F { owner(id: "1") { __typename ... on Team { name } ... on Person { name team { id } } } }',
  'query G { lookup(by: { id: "1" }) { id } }',
  'query H($by: AssetRef!) { lookup(by: $by) { name } }',
  'mutation I { rename(id: "1", name: "n") { id } }',
  'mutation J($f: TagFilter!) { tag(input: $f) { id } }',
  'subscription K { assetChanged(id: "1") { id } }',
  'query L { asset(id: "1") { ...AssetFields } }\nfragment AssetFields on Asset { id owner { ... on Node { id } } }',
  'query M { named(name: "x") { ... on Asset { id } ... on Node { id } } }',
  'query N { asset(id: "1") @auth(role: ADMIN) { id @trace } }',
  'query O { asset(id: "1") { a: name b: name } }',
  'query P { asset(id: "1") { ... on Named { name } } }',
  'query Q { __schema { queryType { name } } asset(id: "1") { __typename } }',
  'query R { asset(id: "1") { size } }',
  'query S($u: Unit) { asset(id: "1") { size(unit: $u) } }',
  'query T { asset(id: "1") { missing } }',
  'query U { owner(id: "1") { ... on Named { name } } }',
  'query V($limit: Int) { search(filter: { limit: $limit }) { id } }',
  'query W { search(filter: { prefix: null }) { id } }',
  'query X { node(id: "1") { ... on Named { name } } }',
  'query Y($id: ID!) { asset(id: $id) { ... @auth(role: READER) { name } } }',
  'query Z { asset(id: "1") { name } asset(id: "1") { name } }',
  'query AB($f: Int) { node(id: "1") { ... on Team { members(first: $f) { id } } } }',
  'query AC { node(id: "1") { ... on Team { members { id } } } }',
  'query AD { between(range: { from: 1, to: 2 }) { id } }',
  'query AE { asset(id: "1") @auth(role: ADMIN) @auth(role: READER) { id } }',
  'query AF { search(filter: {}) { id } }',
];

const TRICKY: Record<string, string> = {
  'tricky/SameName1.graphql':
    'query Same { asset(id: "1") { ...Parts } }\nfragment Parts on Asset { id name }',
  'tricky/SameName2.graphql':
    'query Same { node(id: "1") { ...Parts } }\nfragment Parts on Node { id }',
  'tricky/ForeignFragment.graphql':
    'query UsesForeign { asset(id: "1") { ...Parts } }',
  'tricky/Anonymous.graphql': '{ asset(id: "1") { kind } }',
  'tricky/Two.graphql':
    'query First { asset(id: "1") { ...Shared } }\nquery Second { search { ...Shared } }\nfragment Shared on Named { name }',
  'tricky/Conflict.graphql':
    'query Conflicting { asset(id: "1") { ...One ...Other } }\nfragment One on Asset { x: name }\nfragment Other on Asset { x: kind }',
};

type Mutable = Record<string, any>;

/**
 * Every small change to BASE: each field, argument, input field, enum value,
 * union member, interface, directive location and type changed or removed
 * one at a time, as the AST allows. Heads that do not load or do not
 * validate as schemas are dropped by the caller.
 */
function mutations(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const base = parse(BASE, { noLocation: true });
  const defs = base.definitions as unknown as Mutable[];
  const variant = (label: string, change: (doc: Mutable[]) => void) => {
    const copy = structuredClone(defs);
    change(copy);
    out.push([
      label,
      print({
        kind: Kind.DOCUMENT,
        definitions: copy,
      } as unknown as DocumentNode),
    ]);
  };
  const named = (name: string) => ({
    kind: Kind.NAMED_TYPE,
    name: { kind: Kind.NAME, value: name },
  });
  const nonNull = (type: Mutable) =>
    type.kind === Kind.NON_NULL_TYPE
      ? type.type
      : { kind: Kind.NON_NULL_TYPE, type };
  defs.forEach((def, d) => {
    const name = def.name.value;
    variant(`type ${name} removed`, doc => doc.splice(d, 1));
    (def.fields ?? []).forEach((field: Mutable, f: number) => {
      const at = `${name}.${field.name.value}`;
      variant(`${at} removed`, doc => doc[d].fields.splice(f, 1));
      variant(`${at} became String`, doc => {
        doc[d].fields[f].type = named('String');
      });
      variant(`${at} nullability flipped`, doc => {
        doc[d].fields[f].type = nonNull(doc[d].fields[f].type);
      });
      variant(`${at} default removed or added`, doc => {
        const target = doc[d].fields[f];
        target.defaultValue = target.defaultValue
          ? undefined
          : { kind: Kind.INT, value: '1' };
      });
      if (def.kind === Kind.OBJECT_TYPE_DEFINITION)
        variant(`${at} gained a required argument`, doc => {
          doc[d].fields[f].arguments = [
            ...(doc[d].fields[f].arguments ?? []),
            {
              kind: Kind.INPUT_VALUE_DEFINITION,
              name: { kind: Kind.NAME, value: 'extra' },
              type: nonNull(named('Int')),
            },
          ];
        });
      (field.arguments ?? []).forEach((arg: Mutable, a: number) => {
        const argAt = `${at}(${arg.name.value})`;
        variant(`${argAt} removed`, doc =>
          doc[d].fields[f].arguments.splice(a, 1),
        );
        variant(`${argAt} nullability flipped`, doc => {
          const target = doc[d].fields[f].arguments[a];
          target.type = nonNull(target.type);
        });
        variant(`${argAt} default removed`, doc => {
          delete doc[d].fields[f].arguments[a].defaultValue;
        });
        variant(`${argAt} became String`, doc => {
          doc[d].fields[f].arguments[a].type = named('String');
        });
      });
    });
    (def.values ?? []).forEach((value: Mutable, v: number) =>
      variant(`${name}.${value.name.value} removed`, doc =>
        doc[d].values.splice(v, 1),
      ),
    );
    (def.types ?? []).forEach((member: Mutable, m: number) =>
      variant(`${member.name.value} left ${name}`, doc =>
        doc[d].types.splice(m, 1),
      ),
    );
    (def.interfaces ?? []).forEach((iface: Mutable, i: number) =>
      variant(`${name} no longer implements ${iface.name.value}`, doc =>
        doc[d].interfaces.splice(i, 1),
      ),
    );
    (def.locations ?? []).forEach((loc: Mutable, l: number) =>
      variant(`@${name} no longer on ${loc.value}`, doc =>
        doc[d].locations.splice(l, 1),
      ),
    );
    if (def.kind === Kind.DIRECTIVE_DEFINITION) {
      variant(`@${name} repeatable flipped`, doc => {
        doc[d].repeatable = !doc[d].repeatable;
      });
      (def.arguments ?? []).forEach((_: Mutable, a: number) =>
        variant(`@${name} argument ${a} became required`, doc => {
          const target = doc[d].arguments[a];
          target.type = nonNull(named('Int'));
          delete target.defaultValue;
        }),
      );
    }
    if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION)
      variant(`${name} @oneOf flipped`, doc => {
        doc[d].directives = doc[d].directives?.length
          ? []
          : [
              {
                kind: Kind.DIRECTIVE,
                name: { kind: Kind.NAME, value: 'oneOf' },
              },
            ];
      });
  });
  // changes that move several things at once
  out.push(
    [
      'no owner implements Named',
      BASE.replace(
        'type Team implements Node & Named',
        'type Team implements Node',
      ).replace(
        'type Person implements Node & Named',
        'type Person implements Node',
      ),
    ],
    ['roots swapped', `${BASE}\nschema { query: Query mutation: Query }`],
    ['a type added', `${BASE}\ntype Folder implements Node { id: ID! }`],
    [
      'descriptions and deprecations only',
      BASE.replace(
        'name: String\n  kind',
        '"The name" name: String @deprecated\n  kind',
      ),
    ],
  );
  return out;
}

function loadHead(sdl: string, label: string): LoadedSchema | undefined {
  try {
    const head = loadSchema(sdl, label);
    // a head graphql-js would refuse to validate against is not a case here
    assertSchemaValidates(head);
    return head;
  } catch (e) {
    if (e instanceof LineageInputError) return undefined;
    throw e;
  }
}

describe('validating only the operations a change can reach', () => {
  const base = loadSchema(BASE, 'base.graphql');
  const operations = parseOperations([
    ...OPERATIONS.map((text, i) => ({
      file: `ops/Op${i}.graphql`,
      text,
      client: i % 2 ? 'web' : 'mobile',
      tenants: [`tenant-${i % 3}`],
    })),
    // what validating in batches must not get wrong: names shared across
    // files, a fragment another file defines, an anonymous operation, two
    // operations sharing their file's fragment
    ...Object.entries(TRICKY).map(([file, text]) => ({ file, text })),
  ]);
  const heads = mutations()
    .map(([label, sdl]) => ({ label, head: loadHead(sdl, `${label}.graphql`) }))
    .filter(
      (h): h is { label: string; head: LoadedSchema } => h.head !== undefined,
    );

  it('builds a corpus of over a hundred changes that load and validate', () => {
    expect(heads.length).toBeGreaterThan(100);
  });

  it('gives every operation the same verdict and errors as validating every operation', () => {
    let fast = 0;
    let full = 0;
    let impacted = 0;
    for (const { label, head } of heads) {
      let all;
      let some;
      try {
        all = judgeOperations(base, head, operations, { validateAll: true });
        // a fresh base: nothing kept from the last head, batches run again
        some = judgeOperations(
          loadSchema(BASE, 'base.graphql'),
          head,
          operations,
        );
      } catch (e) {
        throw new Error(`${label}: ${e}`);
      }
      const verdicts = (r: typeof all) => ({
        skipped: r.skipped,
        judged: r.judged.map(j => [j.op.key, j.errors.map(e => e.message)]),
      });
      expect({ label, ...verdicts(some) }).toEqual({
        label,
        ...verdicts(all),
      });
      fast += some.validatedAgainstNew;
      full += all.validatedAgainstNew;
      impacted += all.judged.filter(j => j.errors.length).length;
    }
    // the corpus breaks operations, and most checks need no validation
    expect(impacted).toBeGreaterThan(100);
    // every operation but T, ForeignFragment and Conflicting is valid before
    expect(full).toBe(heads.length * (operations.length - 3));
    expect(fast).toBeLessThan(full / 2);
  });

  it('validating in batches gives each operation its own verdict', () => {
    const valid = operations.filter(
      o => !/^(tricky\/|ops\/Op19\.)/.test(o.file),
    );
    const tricky = (file: string) =>
      operations.filter(o => o.file === `tricky/${file}.graphql`);
    const cases = [
      // Parts comes first from another file: it must not count for this one
      ['SameName1', 'ForeignFragment'],
      ['SameName1', 'SameName2'],
      ['Anonymous'],
      ['Two'],
      ['Conflict'],
    ];
    for (const files of cases) {
      const ops = [...valid, ...files.flatMap(tricky)];
      const verdicts = (r: ReturnType<typeof judgeOperations>) => ({
        skipped: r.skipped,
        judged: r.judged.map(j => j.op.key),
      });
      const fresh = () => loadSchema(BASE, 'base.graphql');
      const all = judgeOperations(fresh(), fresh(), ops, { validateAll: true });
      expect({
        files,
        ...verdicts(judgeOperations(fresh(), fresh(), ops)),
      }).toEqual({
        files,
        ...verdicts(all),
      });
    }
  });

  it('gives the same blast radius report either way', async () => {
    for (const { label, head } of heads.filter((_, i) => i % 4 === 0)) {
      const input = { base, head, operations, maxServices: 1 };
      expect({ label, report: await computeBlastRadius(input) }).toEqual({
        label,
        report: await computeBlastRadius({ ...input, validateAll: true }),
      });
    }
  });

  it('holds on the demo APIs and their changes', async () => {
    const LINEAGE = path.resolve(__dirname, '../../../../examples/lineage');
    const read = (...p: string[]) =>
      fs.readFileSync(path.join(LINEAGE, ...p), 'utf8');
    const opsOf = (api: string) => {
      const dir = path.join(LINEAGE, 'operations', api);
      const files: Array<{ file: string; text: string }> = [];
      const walk = (rel: string) => {
        for (const e of fs.readdirSync(path.join(dir, rel), {
          withFileTypes: true,
        })) {
          const r = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) walk(r);
          else if (r.endsWith('.graphql'))
            files.push({
              file: r,
              text: fs.readFileSync(path.join(dir, r), 'utf8'),
            });
        }
      };
      walk('');
      return parseOperations(files);
    };
    let checked = 0;
    for (const change of fs.readdirSync(path.join(LINEAGE, 'changes'))) {
      const api = `${change.split('-')[0]}-graphql`;
      const input = {
        base: loadSchema(read('schemas', `${api}.graphql`), `${api}.graphql`),
        head: loadSchema(read('changes', change), change),
        operations: opsOf(api),
      };
      expect(await computeBlastRadius(input)).toEqual(
        await computeBlastRadius({ ...input, validateAll: true }),
      );
      checked++;
    }
    expect(checked).toBe(6);
  });
});
