import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { definitionStarts, parseByDefinition } from './sdlChunks';
import { loadSchema } from './sdl';

const LINEAGE = path.resolve(__dirname, '../../../../examples/lineage');

const examples = ['schemas', 'changes'].flatMap(dir =>
  fs
    .readdirSync(path.join(LINEAGE, dir))
    .filter(f => f.endsWith('.graphql'))
    .map(f => fs.readFileSync(path.join(LINEAGE, dir, f), 'utf8')),
);

// what a split in the wrong place would break
const TRICKY = [
  `"""
A description whose lines start like definitions:
type NotAType {
union NotAUnion
"""
type Query {
  "a field"
  a(x: String = "type B"): String
}
"A one-line description"
type B { b: Int }
# type Commented { c: Int }
union U =
  | Query
  | B
scalar Date @specifiedBy(url: "https://example.com/\\"date")
directive @tag(name: String!) repeatable on
  | FIELD_DEFINITION
  | OBJECT
enum E { ONE TWO }
input I { e: E = ONE, list: [Int] = [1, 2] }
extend type B { d: Date }
schema { query: Query }
`,
  `# a comment first
type Query { a: Int }
"""escaped \\""" quote"""
type T implements
  & I
{ t: Int }
interface I { t: Int }
`,
  'type Query { a: Int } type B { b: Int }',
  '\ufefftype Query { a: Int }\r\ntype B { b: Int }\r\n',
];

describe('parseByDefinition', () => {
  it('gives the same document as parsing the whole text', () => {
    for (const sdl of [...examples, ...TRICKY]) {
      const pieces = parseByDefinition(sdl);
      expect(pieces?.document).toEqual(parse(sdl, { noLocation: true }));
    }
    // each definition is a piece of its own
    for (const sdl of TRICKY.slice(0, 2))
      expect(definitionStarts(sdl).length).toBe(
        parse(sdl, { noLocation: true }).definitions.length,
      );
  });

  it('takes the unchanged definitions of the base and parses the rest', () => {
    const base = TRICKY[0];
    const head = base
      .replace('type B { b: Int }', 'type B { b: String }')
      .replace('enum E { ONE TWO }', 'enum E { ONE }');
    const before = parseByDefinition(base)!;
    const after = parseByDefinition(head, before.byText)!;
    expect(after.document).toEqual(parse(head, { noLocation: true }));
    const names = (d: typeof after.document) =>
      d.definitions.map(x => ('name' in x ? x.name?.value : x.kind));
    const shared = after.document.definitions.filter(d =>
      before.document.definitions.includes(d),
    );
    expect(shared.length).toBe(after.document.definitions.length - 2);
    expect(names(after.document)).toEqual(names(before.document));
  });

  it('parses a text found twice in one document twice', () => {
    const sdl =
      'type Query { a: Int }\nextend type Query { b: Int }\nextend type Query { b: Int }\n';
    const { document } = parseByDefinition(sdl)!;
    expect(document.definitions[1]).toEqual(document.definitions[2]);
    expect(document.definitions[1]).not.toBe(document.definitions[2]);
    // so the duplicate-member pass still drops only the first
    expect(loadSchema(sdl, 's.graphql').warnings).toHaveLength(1);
  });

  it('leaves text that does not parse to the whole-text parser', () => {
    expect(parseByDefinition('type Query { a: Int }\ntype B {')).toBe(
      undefined,
    );
    expect(() =>
      loadSchema('type Query { a: Int }\ntype B {', 'bad.graphql'),
    ).toThrow(/^bad\.graphql:2:9: Syntax Error/);
  });

  it('loads a head like its base with the same schema as alone', () => {
    for (const sdl of examples) {
      const base = loadSchema(sdl, 'base.graphql');
      const head = sdl.replace(/\n {2}\w+: String\n/, '\n');
      const alone = loadSchema(head, 'head.graphql');
      const like = loadSchema(head, 'head.graphql', { like: base });
      expect(like.document).toEqual(alone.document);
      expect(like.warnings).toEqual(alone.warnings);
    }
  });
});
