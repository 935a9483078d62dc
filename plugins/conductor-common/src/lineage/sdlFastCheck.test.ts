import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { validateSDL } from 'graphql/validation/validate';
import { sdlPassesValidation } from './sdlFastCheck';

const LINEAGE = path.resolve(__dirname, '../../../../examples/lineage');

/** A schema using every construct the SDL rules look at. */
const RICH = `
schema @meta(tags: ["a"]) { query: Query mutation: Mutation }
directive @meta(tags: [String!], by: MetaInput) repeatable on SCHEMA | OBJECT | FIELD_DEFINITION
directive @auth(role: Role!, scope: String = "read") on FIELD_DEFINITION | OBJECT | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE | ENUM | UNION | SCALAR | INTERFACE | INPUT_OBJECT
scalar DateTime @specifiedBy(url: "https://example.com") @auth(role: ADMIN)
interface Node @auth(role: READER) { id: ID! }
type Query @meta(tags: ["q"]) @meta(tags: ["again"]) {
  node(id: ID! @auth(role: ADMIN)): Node
  assets(filter: Filter = { name: "x", nested: { name: "y" } }): [Asset!]! @deprecated(reason: "use search")
  search(kinds: [Kind!] = [TABLE, VIEW]): SearchResult
}
type Mutation { rename(id: ID!, name: String!): Asset @auth(role: ADMIN, scope: "write") }
type Asset implements Node { id: ID! name: String at: DateTime kind: Kind }
union SearchResult @auth(role: READER) = Asset
enum Kind @auth(role: READER) { TABLE VIEW @deprecated STREAM @auth(role: ADMIN) }
enum Role { ADMIN READER }
input Filter @oneOf @auth(role: READER) { name: String @auth(role: READER) nested: Filter }
input MetaInput { who: String }
`;

/** Each breaks exactly one SDL rule (or uses what the fast check leaves to validateSDL). */
const BROKEN: Array<[string, string]> = [
  ['second schema definition', `${RICH}\nschema { query: Query }`],
  ['operation type twice', RICH.replace('mutation: Mutation', 'query: Asset')],
  ['type defined twice', `${RICH}\ntype Asset { id: ID }`],
  [
    'enum value twice',
    RICH.replace('enum Role { ADMIN', 'enum Role { ADMIN ADMIN'),
  ],
  ['field twice', RICH.replace('name: String at', 'name: String name: Int at')],
  [
    'input field twice',
    RICH.replace(
      'input MetaInput { who: String',
      'input MetaInput { who: String who: Int',
    ),
  ],
  [
    'argument defined twice',
    RICH.replace('rename(id: ID!,', 'rename(id: ID!, id: ID,'),
  ],
  [
    'directive argument defined twice',
    RICH.replace('@meta(tags: [String!],', '@meta(tags: [String!], tags: Int,'),
  ],
  ['directive defined twice', `${RICH}\ndirective @meta on FIELD_DEFINITION`],
  ['unknown field type', RICH.replace('at: DateTime', 'at: Timestamp')],
  [
    'unknown argument type',
    RICH.replace('rename(id: ID!', 'rename(id: Ident!'),
  ],
  [
    'unknown interface',
    RICH.replace('implements Node {', 'implements Node & Named {'),
  ],
  ['unknown union member', RICH.replace('= Asset', '= Asset | Folder')],
  [
    'unknown root type',
    RICH.replace('mutation: Mutation', 'mutation: Mutations'),
  ],
  ['unknown input field type', RICH.replace('who: String', 'who: Person')],
  [
    'unknown directive argument type',
    RICH.replace('by: MetaInput', 'by: MetaIn'),
  ],
  [
    'unknown directive',
    RICH.replace('name: String at', 'name: String @internal at'),
  ],
  [
    'directive at a wrong location',
    RICH.replace(
      '@meta(tags: ["q"])',
      '@meta(tags: ["q"]) @specifiedBy(url: "x")',
    ),
  ],
  [
    'directive on enum value location it lacks',
    RICH.replace('STREAM @auth(role: ADMIN)', 'STREAM @meta'),
  ],
  [
    'non-repeatable directive repeated',
    RICH.replace(
      '@auth(role: ADMIN, scope: "write")',
      '@auth(role: ADMIN) @auth(role: READER)',
    ),
  ],
  [
    'non-repeatable directive repeated on a type',
    RICH.replace(
      'enum Kind @auth(role: READER)',
      'enum Kind @auth(role: READER) @auth(role: ADMIN)',
    ),
  ],
  [
    'unknown directive argument',
    RICH.replace(
      '@auth(role: ADMIN, scope: "write")',
      '@auth(role: ADMIN, scopes: "write")',
    ),
  ],
  [
    'directive argument given twice',
    RICH.replace(
      '@auth(role: ADMIN, scope: "write")',
      '@auth(role: ADMIN, role: READER)',
    ),
  ],
  [
    'required directive argument missing',
    RICH.replace(
      'interface Node @auth(role: READER)',
      'interface Node @auth(scope: "x")',
    ),
  ],
  [
    'specified directive argument missing',
    RICH.replace('@specifiedBy(url: "https://example.com")', '@specifiedBy'),
  ],
  [
    'input field given twice in a default',
    RICH.replace('{ name: "x", nested', '{ name: "x", name: "z", nested'),
  ],
  [
    'input field given twice in a nested default',
    RICH.replace('nested: { name: "y" }', 'nested: { name: "y", name: "w" }'),
  ],
  [
    'input field given twice in a directive argument',
    RICH.replace(
      '@auth(role: ADMIN, scope: "write")',
      '@auth(role: ADMIN, scope: "write") @meta(by: { who: "a", who: "b" })',
    ),
  ],
  [
    'type extension of a missing type',
    `${RICH}\nextend type Folder { id: ID }`,
  ],
  ['type extension of another kind', `${RICH}\nextend input Asset { id: ID }`],
];

/** Accepted by validateSDL, yet left to it by the fast check. */
const LEFT_TO_VALIDATE_SDL: Array<[string, string]> = [
  ['a type extension', `${RICH}\nextend type Asset { size: Int }`],
  ['a schema extension', `${RICH}\nextend schema @meta`],
];

describe('the SDL fast check', () => {
  it('passes the demo schemas, the demo changes and a rich schema, as validateSDL does', () => {
    const files = [
      ...fs
        .readdirSync(path.join(LINEAGE, 'schemas'))
        .map(f => path.join(LINEAGE, 'schemas', f)),
      ...fs
        .readdirSync(path.join(LINEAGE, 'changes'))
        .map(f => path.join(LINEAGE, 'changes', f)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const sdl of [RICH, ...files.map(f => fs.readFileSync(f, 'utf8'))]) {
      const doc = parse(sdl);
      expect(validateSDL(doc)).toEqual([]);
      expect(sdlPassesValidation(doc)).toBe(true);
    }
  });

  it.each(BROKEN)('fails as validateSDL does: %s', (_, sdl) => {
    const doc = parse(sdl);
    expect(validateSDL(doc).length).toBeGreaterThan(0);
    expect(sdlPassesValidation(doc)).toBe(false);
  });

  it.each(LEFT_TO_VALIDATE_SDL)(
    'leaves to validateSDL what it does not handle: %s',
    (_, sdl) => {
      const doc = parse(sdl);
      expect(validateSDL(doc)).toEqual([]);
      expect(sdlPassesValidation(doc)).toBe(false);
    },
  );
});
