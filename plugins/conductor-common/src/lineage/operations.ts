import {
  ASTNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  TypeInfo,
  getNamedType,
  parse,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { parse as parseYaml } from 'yaml';
import {
  LINEAGE_MAX_SDL_CHARS,
  LineageInputError,
  describeGraphQLError,
} from './sdl';
import { addFootprintKeys } from './validityFootprint';

/** Most operations one blast radius reads. @public */
export const LINEAGE_MAX_OPERATIONS = 20_000;

/** An operation document as it arrives: from a file, the store or CI. @public */
export interface LineageOperationSource {
  /** Where it came from: a path relative to the operations directory, or the stored id. */
  file: string;
  text: string;
  /** The client sending it (a catalog component or another client name). */
  client?: string;
  /** The catalog component that sends it, when known (`component:default/checkout-web`). */
  service?: string;
  tenants?: string[];
}

/** One operation, ready to validate. @public */
export interface LineageOperation {
  /** `file` for a single-operation document, `file#Name` when a document holds several. */
  key: string;
  file: string;
  operationName: string;
  /** The operation with the fragments of its document. */
  document: DocumentNode;
  client?: string;
  service?: string;
  tenants: string[];
}

/** The operations of one document, each with the document's fragments; or why it holds none. */
type SplitDocument = Array<{ name: string; document: DocumentNode }> | string;

// Parsed documents by text: the same operations are parsed once, and the
// same document objects let validation results be kept (blastRadius.ts).
// Bounded by the characters kept (an AST is some 20 times its text).
const parsedTexts = new Map<string, SplitDocument>();
const MAX_CACHED_CHARS = 2_000_000;
const MAX_CACHED_TEXT = 50_000;
let cachedChars = 0;

function splitDocument(text: string): SplitDocument {
  const hit = parsedTexts.get(text);
  if (hit) return hit;
  const document = parse(text);
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  const other = document.definitions.find(
    d =>
      d.kind !== Kind.OPERATION_DEFINITION &&
      d.kind !== Kind.FRAGMENT_DEFINITION,
  );
  let split: SplitDocument;
  if (other)
    split = `holds a ${other.kind}; an operation document holds operations and fragments only`;
  else if (!ops.length) split = 'no operation (only fragments)';
  else
    split = ops.map(op => ({
      name: op.name?.value ?? '(anonymous)',
      document: { kind: Kind.DOCUMENT, definitions: [op, ...fragments] },
    }));
  if (text.length <= MAX_CACHED_TEXT) {
    // the oldest go first
    for (const old of parsedTexts.keys()) {
      if (cachedChars + text.length <= MAX_CACHED_CHARS) break;
      parsedTexts.delete(old);
      cachedChars -= old.length;
    }
    parsedTexts.set(text, split);
    cachedChars += text.length;
  }
  return split;
}

/**
 * Parses operation documents; a document holding several operations gives
 * one operation each (with the document's fragments), so each is judged on
 * its own. Every document that does not parse is named with its
 * `file:line:column`, and then nothing is returned.
 *
 * @public
 */
export function parseOperations(
  sources: LineageOperationSource[],
): LineageOperation[] {
  if (sources.length > LINEAGE_MAX_OPERATIONS)
    throw new LineageInputError(
      `${sources.length} operation documents is more than the ${LINEAGE_MAX_OPERATIONS} one blast radius reads`,
    );
  const errors: string[] = [];
  const operations: LineageOperation[] = [];
  for (const source of sources) {
    if (source.text.length > LINEAGE_MAX_SDL_CHARS) {
      errors.push(
        `${source.file}: too large (${source.text.length} characters)`,
      );
      continue;
    }
    let split: SplitDocument;
    try {
      split = splitDocument(source.text);
    } catch (e) {
      if (e instanceof GraphQLError) {
        errors.push(describeGraphQLError(source.file, e));
        continue;
      }
      throw e;
    }
    if (typeof split === 'string') {
      errors.push(`${source.file}: ${split}`);
      continue;
    }
    for (const { name, document } of split) {
      operations.push({
        key: split.length === 1 ? source.file : `${source.file}#${name}`,
        file: source.file,
        operationName: name,
        document,
        client: source.client,
        service: source.service,
        tenants: [...new Set(source.tenants ?? [])].sort(),
      });
    }
  }
  if (errors.length) throw new LineageInputError(errors.join('\n'));
  return operations;
}

/**
 * Schema coordinates an operation uses, read against a schema: `Type`,
 * `Type.field`, `Type.field.argument`, `Input.field` and `Enum.VALUE` (enum
 * values written as literals; a value sent in a variable is unknown until
 * run time). With each AST node, the coordinates enclosing it, innermost
 * last, so that a validation error can be traced to what it is about.
 *
 * @public
 */
export interface OperationCoordinates {
  used: Set<string>;
  chainOf: Map<ASTNode, string[]>;
  /** What `validate` reads of the schema for this operation (validityFootprint.ts). */
  footprint: Set<string>;
}

/** @public */
export function operationCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
): OperationCoordinates {
  const typeInfo = new TypeInfo(schema);
  const used = new Set<string>();
  const chainOf = new Map<ASTNode, string[]>();
  const footprint = new Set<string>();
  const stack: Array<string | undefined> = [];
  const chain = () => stack.filter((c): c is string => c !== undefined);

  const own = (node: ASTNode): string | undefined => {
    switch (node.kind) {
      case Kind.FIELD: {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return undefined;
        const type = typeInfo.getType();
        if (type) used.add(getNamedType(type).name);
        return `${parent.name}.${node.name.value}`;
      }
      case Kind.ARGUMENT: {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        // directive arguments carry no field
        if (!field || !parent || typeInfo.getDirective()) return undefined;
        return `${parent.name}.${field.name}.${node.name.value}`;
      }
      case Kind.OBJECT_FIELD: {
        const input = typeInfo.getParentInputType();
        return input
          ? `${getNamedType(input).name}.${node.name.value}`
          : undefined;
      }
      case Kind.ENUM: {
        const input = typeInfo.getInputType();
        return input ? `${getNamedType(input).name}.${node.value}` : undefined;
      }
      case Kind.NAMED_TYPE:
        return node.name.value;
      default:
        return undefined;
    }
  };

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        const coordinate = own(node);
        if (coordinate) used.add(coordinate);
        addFootprintKeys(footprint, typeInfo, node);
        stack.push(coordinate);
        chainOf.set(node, chain());
      },
      leave() {
        stack.pop();
      },
    }),
  );
  return { used, chainOf, footprint };
}

/** One entry of an operations directory's `clients.yaml`. @public */
export interface LineageClientEntry {
  component?: string;
  tenants?: string[];
}

/**
 * Reads the `clients.yaml` of an operations directory: client name (the
 * first folder under the directory) to the catalog component that sends its
 * operations and the tenants it serves. Errors name the file and the key.
 *
 * @public
 */
export function parseClientsManifest(
  text: string,
  file = 'clients.yaml',
): Record<string, LineageClientEntry> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    const pos = (e as { linePos?: Array<{ line: number; col: number }> })
      .linePos?.[0];
    throw new LineageInputError(
      `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${
        (e as Error).message.split('\n')[0]
      }`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new LineageInputError(
      `${file}: must map client names to { component, tenants }`,
    );
  const out: Record<string, LineageClientEntry> = {};
  for (const [client, raw] of Object.entries(data as Record<string, unknown>)) {
    const entry = (raw ?? {}) as Record<string, unknown>;
    if (typeof entry !== 'object' || Array.isArray(entry))
      throw new LineageInputError(
        `${file}: ${client}: must be { component, tenants }`,
      );
    if (entry.component !== undefined && typeof entry.component !== 'string')
      throw new LineageInputError(
        `${file}: ${client}.component: must be an entity ref`,
      );
    if (
      entry.tenants !== undefined &&
      !(
        Array.isArray(entry.tenants) &&
        entry.tenants.every(t => typeof t === 'string')
      )
    )
      throw new LineageInputError(
        `${file}: ${client}.tenants: must be a list of tenant names`,
      );
    out[client] = {
      ...(entry.component ? { component: entry.component as string } : {}),
      ...(entry.tenants ? { tenants: entry.tenants as string[] } : {}),
    };
  }
  return out;
}

const TENANTS_HEADER = /^\s*#\s*tenants:\s*(.*)$/m;

/**
 * Operation sources from the files of an operations directory: each
 * `.graphql` file one document, identified by its path relative to the
 * directory; its client is the first folder (`checkout-web/OrderDetails.graphql`),
 * with the component and tenants `clients.yaml` gives that client; a
 * `# tenants: a, b` comment in the file's leading comments narrows the tenants.
 *
 * @public
 */
export function operationSourcesFromFiles(
  files: Array<{ path: string; text: string }>,
  clients: Record<string, LineageClientEntry> = {},
): LineageOperationSource[] {
  return files
    .filter(f => /\.(graphql|gql)$/.test(f.path))
    .sort((a, b) => a.path.localeCompare(b.path))
    .map(f => {
      const path = f.path.replace(/\\/g, '/');
      const slash = path.indexOf('/');
      const client = slash > 0 ? path.slice(0, slash) : undefined;
      const entry = client ? clients[client] : undefined;
      const lines = f.text.split('\n');
      const firstCode = lines.findIndex(l => !/^\s*(#|$)/.test(l));
      const leading = lines.slice(0, firstCode < 0 ? lines.length : firstCode);
      const header = TENANTS_HEADER.exec(leading.join('\n'));
      const tenants = header
        ? header[1]
            .split(',')
            .map(t => t.trim())
            .filter(Boolean)
        : entry?.tenants ?? [];
      return {
        file: path,
        text: f.text,
        ...(client ? { client } : {}),
        ...(entry?.component ? { service: entry.component } : {}),
        tenants,
      };
    });
}
