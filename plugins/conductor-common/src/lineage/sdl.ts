import {
  ASTNode,
  DefinitionNode,
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  buildASTSchema,
  getLocation,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
} from 'graphql';
import { validateSDL } from 'graphql/validation/validate';

/** Most characters of SDL or of one operation document the loaders accept. @public */
export const LINEAGE_MAX_SDL_CHARS = 20_000_000;

/**
 * Bad input to lineage: an SDL, operation or contract that does not parse or
 * build. The message names the file and line:column.
 *
 * @public
 */
export class LineageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LineageInputError';
  }
}

/** `file:line:column: message` for a graphql-js error. @public */
export function describeGraphQLError(
  file: string,
  error: GraphQLError,
): string {
  const loc = error.locations?.[0];
  const where = loc ? `${file}:${loc.line}:${loc.column}` : file;
  return `${where}: ${error.message}`;
}

/** A loaded schema and what was tolerated in it. @public */
export interface LoadedSchema {
  schema: GraphQLSchema;
  document: DocumentNode;
  /** E.g. `schema.graphql:12:3: type Asset defines field name twice (first at 9:3); the later definition is used`. */
  warnings: string[];
}

type WithMembers = {
  kind: Kind;
  name: { value: string };
  fields?: ReadonlyArray<{ name: { value: string }; loc?: ASTNode['loc'] }>;
  values?: ReadonlyArray<{ name: { value: string }; loc?: ASTNode['loc'] }>;
};

const MEMBER_HOLDERS = new Set<Kind>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.INPUT_OBJECT_TYPE_DEFINITION,
  Kind.INPUT_OBJECT_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
]);

function position(node: { loc?: ASTNode['loc'] }): string {
  if (!node.loc) return '?';
  const { line, column } = getLocation(node.loc.source, node.loc.start);
  return `${line}:${column}`;
}

/**
 * Drops duplicate definitions of a field, input field or enum value within
 * one type (across its definition and `extend` blocks). The rule: **the later
 * definition wins**, as it would in a merged object; each drop is a warning
 * naming the type, the member and both positions. Strict `buildSchema`
 * rejects such schemas, yet large public APIs publish them.
 */
function dropDuplicateMembers(
  document: DocumentNode,
  file: string,
  warnings: string[],
): DocumentNode {
  // type name -> member name -> the last definition seen
  const last = new Map<string, Map<string, { member: unknown }>>();
  const drop = new Set<unknown>();
  document.definitions.forEach(def => {
    if (!MEMBER_HOLDERS.has(def.kind)) return;
    const holder = def as unknown as WithMembers;
    const members = holder.fields ?? holder.values ?? [];
    let seen = last.get(holder.name.value);
    if (!seen) {
      seen = new Map();
      last.set(holder.name.value, seen);
    }
    for (const member of members) {
      const previous = seen.get(member.name.value);
      if (previous) {
        drop.add(previous.member);
        const what = holder.values ? 'value' : 'field';
        warnings.push(
          `${file}:${position(member)}: type ${
            holder.name.value
          } defines ${what} ${member.name.value} twice (first at ${position(
            previous.member as { loc?: ASTNode['loc'] },
          )}); the later definition is used`,
        );
      }
      seen.set(member.name.value, { member });
    }
  });
  if (!drop.size) return document;
  const definitions = document.definitions.map(def => {
    if (!MEMBER_HOLDERS.has(def.kind)) return def;
    const holder = def as unknown as WithMembers;
    if (holder.fields)
      return {
        ...def,
        fields: holder.fields.filter(f => !drop.has(f)),
      } as unknown as DefinitionNode;
    if (holder.values)
      return {
        ...def,
        values: holder.values.filter(v => !drop.has(v)),
      } as unknown as DefinitionNode;
    return def;
  });
  return { ...document, definitions };
}

/**
 * Parses and builds a schema from SDL, tolerating what real published
 * schemas contain (duplicate members, see above). Anything else wrong throws
 * a {@link LineageInputError} naming `file:line:column`.
 *
 * @public
 */
export function loadSchema(sdl: string, file: string): LoadedSchema {
  if (sdl.length > LINEAGE_MAX_SDL_CHARS)
    throw new LineageInputError(
      `${file}: ${sdl.length} characters is more than the ${LINEAGE_MAX_SDL_CHARS} a schema may have`,
    );
  let parsed: DocumentNode;
  try {
    parsed = parse(sdl);
  } catch (e) {
    if (e instanceof GraphQLError)
      throw new LineageInputError(describeGraphQLError(file, e));
    throw e;
  }
  const warnings: string[] = [];
  const document = dropDuplicateMembers(parsed, file, warnings);
  const executable = document.definitions.find(
    d =>
      d.kind === Kind.OPERATION_DEFINITION ||
      d.kind === Kind.FRAGMENT_DEFINITION,
  );
  if (executable)
    throw new LineageInputError(
      `${file}:${position(
        executable,
      )}: an operation or fragment in a schema file; a schema holds type definitions only`,
    );
  // Validated here rather than in buildASTSchema, which throws the messages
  // without their locations.
  const errors = validateSDL(document);
  if (errors.length)
    throw new LineageInputError(
      errors
        .slice(0, 5)
        .map(e => describeGraphQLError(file, e))
        .join('\n'),
    );
  try {
    const schema = buildASTSchema(document, { assumeValidSDL: true });
    return { schema, document, warnings };
  } catch (e) {
    if (e instanceof GraphQLError)
      throw new LineageInputError(describeGraphQLError(file, e));
    throw new LineageInputError(`${file}: ${(e as Error).message}`);
  }
}

const BUILTIN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/**
 * The named types of a schema (without introspection types and built-in
 * scalars), each with its members: fields of objects, interfaces and input
 * objects, values of enums.
 *
 * @public
 */
export function schemaTypeMembers(
  schema: GraphQLSchema,
): Array<{ name: string; members: string[] }> {
  return Object.values(schema.getTypeMap())
    .filter(t => !t.name.startsWith('__') && !BUILTIN_SCALARS.has(t.name))
    .map(t => {
      let members: string[] = [];
      if (isObjectType(t) || isInterfaceType(t) || isInputObjectType(t))
        members = Object.keys(t.getFields());
      else if (isEnumType(t)) members = t.getValues().map(v => v.name);
      return { name: t.name, members };
    });
}
