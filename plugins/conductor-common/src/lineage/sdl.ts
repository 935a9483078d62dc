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
  validateSchema,
} from 'graphql';
import { validateSDL } from 'graphql/validation/validate';
import { sdlPassesValidation } from './sdlFastCheck';
import { parseByDefinition } from './sdlChunks';

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
  /** The file named in messages, and the SDL, to locate a problem found later. */
  file?: string;
  sdl?: string;
  /** Its definitions by their text, for loading the next version of the schema (`loadSchema`'s `like`). */
  definitionsByText?: Map<string, readonly DefinitionNode[]>;
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
 * a {@link LineageInputError} naming `file:line:column`. With `like` (the
 * schema before the change), the definitions whose text did not change are
 * taken from it instead of parsed again.
 *
 * @public
 */
export function loadSchema(
  sdl: string,
  file: string,
  options: { like?: LoadedSchema } = {},
): LoadedSchema {
  if (sdl.length > LINEAGE_MAX_SDL_CHARS)
    throw new LineageInputError(
      `${file}: ${sdl.length} characters is more than the ${LINEAGE_MAX_SDL_CHARS} a schema may have`,
    );
  // First without locations: they keep every token of the document alive
  // (~250,000 for 1 MB of SDL), a third of the time of loading it. Only
  // what needs a position (a duplicate member's warning, an error) loads
  // again with them.
  return (
    buildSchemaFrom(sdl, file, { locations: false, like: options.like }) ??
    buildSchemaFrom(sdl, file, { locations: true })!
  );
}

function parseSdl(sdl: string, file: string, locations: boolean): DocumentNode {
  try {
    return parse(sdl, { noLocation: !locations });
  } catch (e) {
    // syntax errors carry their position either way
    if (e instanceof GraphQLError)
      throw new LineageInputError(describeGraphQLError(file, e));
    throw e;
  }
}

/** The loaded schema; without locations, undefined when something needs them. */
function buildSchemaFrom(
  sdl: string,
  file: string,
  { locations, like }: { locations: boolean; like?: LoadedSchema },
): LoadedSchema | undefined {
  // without locations piece by piece, reusing `like`'s unchanged pieces
  const pieces = locations
    ? undefined
    : parseByDefinition(sdl, like?.definitionsByText);
  const parsed = pieces?.document ?? parseSdl(sdl, file, locations);
  // The usual case, checked first: a schema that passes the SDL rules has
  // no extensions, no duplicate type or member and no operation (the fast
  // check answers false for each), so there is nothing to drop or locate.
  if (sdlPassesValidation(parsed))
    return built(parsed, [], file, sdl, locations, pieces?.byText);
  const warnings: string[] = [];
  const document = dropDuplicateMembers(parsed, file, warnings);
  if (!locations && warnings.length) return undefined;
  const executable = document.definitions.find(
    d =>
      d.kind === Kind.OPERATION_DEFINITION ||
      d.kind === Kind.FRAGMENT_DEFINITION,
  );
  if (executable) {
    if (!locations) return undefined;
    throw new LineageInputError(
      `${file}:${position(
        executable,
      )}: an operation or fragment in a schema file; a schema holds type definitions only`,
    );
  }
  // Validated here rather than in buildASTSchema, which throws the messages
  // without their locations; the fast check answers for a valid schema
  // (it already said no to the document as parsed).
  const errors =
    document !== parsed && sdlPassesValidation(document)
      ? []
      : validateSDL(document);
  if (errors.length) {
    if (!locations) return undefined;
    throw new LineageInputError(
      errors
        .slice(0, 5)
        .map(e => describeGraphQLError(file, e))
        .join('\n'),
    );
  }
  return built(document, warnings, file, sdl, locations, pieces?.byText);
}

/** The schema of a document that passed the SDL rules. */
function built(
  document: DocumentNode,
  warnings: string[],
  file: string,
  sdl: string,
  locations: boolean,
  definitionsByText?: Map<string, readonly DefinitionNode[]>,
): LoadedSchema | undefined {
  try {
    const schema = buildASTSchema(document, { assumeValidSDL: true });
    return {
      schema,
      document,
      warnings,
      file,
      sdl,
      ...(definitionsByText ? { definitionsByText } : {}),
    };
  } catch (e) {
    if (!locations) return undefined;
    if (e instanceof GraphQLError)
      throw new LineageInputError(describeGraphQLError(file, e));
    throw new LineageInputError(`${file}: ${(e as Error).message}`);
  }
}

/**
 * Throws a {@link LineageInputError} naming `file:line:column` when the
 * schema breaks a type-system rule graphql-js checks before validating an
 * operation against it (an object type without fields, an interface field
 * an implementation lacks...). The SDL rules were checked when it loaded.
 *
 * @public
 */
export function assertSchemaValidates(loaded: LoadedSchema): void {
  if (!validateSchema(loaded.schema).length) return;
  // locate the problems: the schema loaded without locations
  const located =
    loaded.sdl !== undefined && loaded.file !== undefined
      ? buildSchemaFrom(loaded.sdl, loaded.file, { locations: true })
      : undefined;
  const errors = validateSchema(located?.schema ?? loaded.schema);
  throw new LineageInputError(
    errors
      .slice(0, 5)
      .map(e => describeGraphQLError(loaded.file ?? 'schema', e))
      .join('\n'),
  );
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
