import {
  Change,
  ChangeType,
  CriticalityLevel,
  diff,
} from '@graphql-inspector/core';
import {
  ASTVisitor,
  DefinitionNode,
  DocumentNode,
  GraphQLError,
  GraphQLSchema,
  Kind,
  KnownTypeNamesRule,
  SelectionSetNode,
  ValidationContext,
  specifiedRules,
  validate,
} from 'graphql';
import { NoUnusedFragmentsRule } from 'graphql/validation/rules/NoUnusedFragmentsRule';
import {
  LineageOperation,
  OperationCoordinates,
  operationCoordinates,
} from './operations';
import { LoadedSchema, assertSchemaValidates } from './sdl';
import { FootprintComparer } from './validityFootprint';

/** @public */
export type ChangeCriticality = 'breaking' | 'dangerous' | 'safe';

/** The seed's runbook "Blast Radius High", one kind per step. @public */
export type MitigationKind = 'waves' | 'shim' | 'deprecation-window';

/** @public */
export interface BlastRadiusChange {
  /** Inspector's change type, e.g. `FIELD_REMOVED`. */
  type: string;
  /** Schema coordinate, e.g. `Order.items` or `Query.order.id`. */
  path: string;
  message: string;
  criticality: ChangeCriticality;
  /** Why Inspector graded it so. */
  reason?: string;
  /**
   * `impacting` when an operation valid before is invalid after because of
   * it; `used` when operations use the changed coordinate yet all stay
   * valid; `unused` when none uses it ("breaking, unused").
   */
  usage: 'impacting' | 'used' | 'unused';
  /** Keys of the operations it breaks. */
  impactedOperations: string[];
  /** Keys of the operations that use the changed coordinate, broken or not. */
  selectedBy: string[];
  services: string[];
  tenants: string[];
  mitigation: Array<{ kind: MitigationKind; step: string }>;
  /** The recorded mitigation, when CI passed one for this path. */
  mitigated?: string;
}

/** @public */
export interface ImpactedOperation {
  key: string;
  /** Path relative to the operations directory, or the stored operation's id. */
  file: string;
  operationName: string;
  client?: string;
  services: string[];
  tenants: string[];
  /** Paths of the changes that break it. */
  changes: string[];
  /** graphql-js validation errors against the new schema, `line:column: message`. */
  errors: string[];
}

/** @public */
export interface BlastRadiusReport {
  summary: {
    breaking: number;
    dangerous: number;
    safe: number;
    breakingUnused: number;
    impactedOperations: number;
    operationsChecked: number;
    services: number;
    tenants: number;
  };
  changes: BlastRadiusChange[];
  impactedOperations: ImpactedOperation[];
  services: string[];
  tenants: string[];
  /** True when the graph walk stopped at a limit; the lists may be short. */
  partial: boolean;
  partialReason?: string;
  /** Operations already invalid against the old schema: not judged. */
  skippedOperations: Array<{
    file: string;
    operationName: string;
    reason: string;
  }>;
  /** Tolerated input (duplicate fields...), naming file and line:column. */
  warnings: string[];
  /** The seed's alert "blast radius > N services without mitigation". */
  gate: { maxServices: number; failed: boolean; reasons: string[] };
}

/** @public */
export interface BlastRadiusInput {
  base: LoadedSchema;
  head: LoadedSchema;
  operations: LineageOperation[];
  /** Recorded mitigations by change path, e.g. `{ "Order.items": "itemsV2 shim, wave 1 done" }`. */
  mitigations?: Record<string, string>;
  /** A breaking change may reach at most this many services without a recorded mitigation (default 0). */
  maxServices?: number;
  /** Validate every operation against the new schema, even those the change cannot reach (the baseline; same results). */
  validateAll?: boolean;
}

const CRITICALITY: Record<CriticalityLevel, ChangeCriticality> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/**
 * graphql-js's KnownTypeNamesRule lists every type name of the schema on
 * each validation (for "did you mean" suggestions): 2,000 types made it the
 * costliest rule. The same check, without suggestions.
 */
function KnownTypeNamesWithoutSuggestionsRule(
  context: ValidationContext,
): ASTVisitor {
  const schema = context.getSchema();
  return {
    NamedType(node) {
      if (!schema?.getType(node.name.value))
        context.reportError(
          new GraphQLError(`Unknown type "${node.name.value}".`, {
            nodes: node,
          }),
        );
    },
  };
}

// Every operation is judged alone (with the fragments of its document), so a
// fragment only a sibling operation spreads is not an error.
const RULES = specifiedRules
  .filter(r => r !== NoUnusedFragmentsRule)
  .map(r =>
    r === KnownTypeNamesRule ? KnownTypeNamesWithoutSuggestionsRule : r,
  );

const REMOVALS = new Set<string>([
  ChangeType.FieldRemoved,
  ChangeType.TypeRemoved,
  ChangeType.EnumValueRemoved,
  ChangeType.UnionMemberRemoved,
  ChangeType.FieldArgumentRemoved,
  ChangeType.InputFieldRemoved,
  ChangeType.ObjectTypeInterfaceRemoved,
  ChangeType.DirectiveRemoved,
  ChangeType.DirectiveArgumentRemoved,
  ChangeType.DirectiveLocationRemoved,
]);
const TYPE_CHANGES = new Set<string>([
  ChangeType.FieldTypeChanged,
  ChangeType.FieldArgumentTypeChanged,
  ChangeType.InputFieldTypeChanged,
  ChangeType.TypeKindChanged,
  ChangeType.DirectiveArgumentTypeChanged,
  ChangeType.SchemaQueryTypeChanged,
  ChangeType.SchemaMutationTypeChanged,
  ChangeType.SchemaSubscriptionTypeChanged,
]);
const ADDITIONS = new Set<string>([
  ChangeType.FieldArgumentAdded,
  ChangeType.InputFieldAdded,
  ChangeType.DirectiveArgumentAdded,
]);
const DEPRECATIONS = new Set<string>([
  ChangeType.FieldDeprecationAdded,
  ChangeType.EnumValueDeprecationReasonAdded,
]);

/** `Query.order.@deprecated` → `Query.order`: the coordinate a change is about. */
function anchorOf(change: Change): string {
  return (change.path ?? '').replace(/\.@.*$/, '');
}

function parentOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}

function namedTypeName(wrapped: unknown): string | undefined {
  return typeof wrapped === 'string'
    ? wrapped.replace(/[[\]!]/g, '')
    : undefined;
}

/**
 * Whether a change explains a validation error whose node sits inside the
 * coordinates `chain` (innermost last).
 */
function explains(change: Change, chain: string[]): boolean {
  if (!chain.length) return false;
  const path = anchorOf(change);
  const own = chain[chain.length - 1];
  if (path === own) return true;
  // A required argument or input field added: the error is on the field or object using it.
  if (ADDITIONS.has(change.type) && parentOf(path) === own) return true;
  // A field whose type became another type breaks selections made beneath it.
  if (change.type === ChangeType.FieldTypeChanged && chain.includes(path)) {
    const meta = change.meta as {
      oldFieldType?: string;
      newFieldType?: string;
    };
    return (
      namedTypeName(meta.oldFieldType) !== namedTypeName(meta.newFieldType)
    );
  }
  return false;
}

function uses(change: Change, coordinates: Set<string>): boolean {
  const path = anchorOf(change);
  if (coordinates.has(path)) return true;
  return ADDITIONS.has(change.type) && coordinates.has(parentOf(path));
}

function quoteList(items: string[], max = 5): string {
  if (!items.length) return 'none';
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * The runbook's steps ("break change into waves; add shims; extend
 * deprecation window") that fit the kind of change, naming who is reached.
 */
export function mitigationFor(
  change: Pick<BlastRadiusChange, 'type' | 'path' | 'criticality'>,
  clients: string[],
  selectedBy: string[],
): Array<{ kind: MitigationKind; step: string }> {
  const who = quoteList(clients);
  const path = `\`${change.path}\``;
  if (change.criticality === 'safe') {
    if (DEPRECATIONS.has(change.type) && selectedBy.length)
      return [
        {
          kind: 'deprecation-window',
          step: `Keep the deprecation window open until the operations still using ${path} (${quoteList(
            selectedBy,
          )}) have moved off it; remove it only when none use it`,
        },
      ];
    return [];
  }
  if (REMOVALS.has(change.type))
    return [
      {
        kind: 'deprecation-window',
        step: `Extend the deprecation window: keep ${path} with @deprecated(reason: …) until ${who} no longer use it`,
      },
      {
        kind: 'waves',
        step: `Break the change into waves: migrate ${who} first, then remove ${path} in a later release`,
      },
    ];
  if (TYPE_CHANGES.has(change.type))
    return [
      {
        kind: 'shim',
        step: `Add a shim: keep ${path} with its old type and serve the new shape under a new name, resolved from the same data`,
      },
      {
        kind: 'waves',
        step: `Break the change into waves: move ${who} to the new field, then deprecate ${path} and remove it later`,
      },
    ];
  if (ADDITIONS.has(change.type))
    return [
      {
        kind: 'shim',
        step: `Add a shim: make ${path} optional with a default so operations that do not pass it keep working`,
      },
      {
        kind: 'waves',
        step: `Break the change into waves: ${who} start passing ${path}, then make it required`,
      },
    ];
  return [
    {
      kind: 'waves',
      step: `Break the change into waves: release ${path} to ${who} one at a time and watch their errors`,
    },
  ];
}

function usageOf(broken: number, selected: number): BlastRadiusChange['usage'] {
  if (broken) return 'impacting';
  return selected ? 'used' : 'unused';
}

function errorLine(error: GraphQLError): string {
  const loc = error.locations?.[0];
  return loc ? `${loc.line}:${loc.column}: ${error.message}` : error.message;
}

/** One operation valid against the old schema, with its errors against the new. @public */
export interface JudgedOperation {
  op: LineageOperation;
  coords: OperationCoordinates;
  errors: readonly GraphQLError[];
}

// validate() and the coordinates of a document against a schema, kept while
// both live: the backend keeps loaded schemas and parsed operations, so a
// check against the same catalog definition does not validate again.
const validated = new WeakMap<
  GraphQLSchema,
  WeakMap<DocumentNode, readonly GraphQLError[]>
>();
const coordinatesOf = new WeakMap<
  GraphQLSchema,
  WeakMap<DocumentNode, OperationCoordinates>
>();

function memo<T>(
  cache: WeakMap<GraphQLSchema, WeakMap<DocumentNode, T>>,
  schema: GraphQLSchema,
  document: DocumentNode,
  compute: () => T,
): T {
  let bySchema = cache.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    cache.set(schema, bySchema);
  }
  let value = bySchema.get(document);
  if (value === undefined) {
    value = compute();
    bySchema.set(document, value);
  }
  return value;
}

function validateOperation(schema: GraphQLSchema, document: DocumentNode) {
  return memo(validated, schema, document, () =>
    validate(schema, document, RULES),
  );
}

function spreadsIn(
  node: { selectionSet?: SelectionSetNode },
  into: Set<string>,
): void {
  for (const s of node.selectionSet?.selections ?? []) {
    if (s.kind === Kind.FRAGMENT_SPREAD) into.add(s.name.value);
    else spreadsIn(s, into);
  }
}

const BATCH = 64;

/**
 * Most operations are valid, and `validate` costs ~0.2 ms a call before it
 * reads a node (each call sets up every rule for every kind of node). So
 * the operations are validated in batches, one document holding the
 * operations and fragments of several files, and a batch without errors
 * proves each of its operations valid on its own: every rule judges a node,
 * an operation or a fragment by itself (with the fragments it spreads),
 * except the uniqueness of operation and fragment names and the lone
 * anonymous operation, which can only add errors in a batch. What could hide
 * an error is a spread naming another file's fragment (unknown on its own):
 * a batch takes only files whose spreads all name their own fragments. It
 * also keeps names unique across it and leaves anonymous operations out, so
 * that it does not fail for nothing. A batch with an error is validated
 * operation by operation, for the exact errors.
 * Marks the operations it proves valid in the validation memo.
 */
function validateInBatches(
  schema: GraphQLSchema,
  operations: LineageOperation[],
): void {
  // the operations of one file share their fragment definitions
  const files = new Map<string, LineageOperation[]>();
  for (const op of operations)
    files.set(op.file, [...(files.get(op.file) ?? []), op]);
  const batches: LineageOperation[][] = [];
  let batch: LineageOperation[] = [];
  const names = new Set<string>();
  for (const ops of files.values()) {
    const fragments = ops[0].document.definitions.slice(1);
    const fragmentNames = new Set<string>();
    const spreads = new Set<string>();
    let eligible = true;
    for (const f of fragments) {
      if (f.kind !== Kind.FRAGMENT_DEFINITION) eligible = false;
      else {
        if (fragmentNames.has(`fragment ${f.name.value}`)) eligible = false;
        fragmentNames.add(`fragment ${f.name.value}`);
        spreadsIn(f, spreads);
      }
    }
    const opNames = new Set<string>();
    for (const op of ops) {
      const [def, ...rest] = op.document.definitions;
      if (
        def.kind !== Kind.OPERATION_DEFINITION ||
        !def.name ||
        opNames.has(`operation ${def.name.value}`) ||
        rest.length !== fragments.length ||
        rest.some((r, i) => r !== fragments[i])
      )
        eligible = false;
      else {
        opNames.add(`operation ${def.name.value}`);
        spreadsIn(def, spreads);
      }
    }
    if (
      !eligible ||
      [...spreads].some(n => !fragmentNames.has(`fragment ${n}`))
    )
      continue; // validated one by one
    const own = [...fragmentNames, ...opNames];
    if (batch.length + ops.length > BATCH || own.some(n => names.has(n))) {
      if (batch.length) batches.push(batch);
      batch = [];
      names.clear();
    }
    batch.push(...ops);
    own.forEach(n => names.add(n));
  }
  if (batch.length) batches.push(batch);

  let bySchema = validated.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    validated.set(schema, bySchema);
  }
  for (const b of batches) {
    const todo = b.filter(op => !bySchema!.has(op.document));
    if (todo.length < 2) continue;
    const definitions = new Set<DefinitionNode>();
    for (const op of todo)
      op.document.definitions.forEach(d => definitions.add(d));
    const errors = validate(
      schema,
      { kind: Kind.DOCUMENT, definitions: [...definitions] },
      RULES,
    );
    if (!errors.length) for (const op of todo) bySchema.set(op.document, []);
  }
}

/**
 * Judges each operation: skipped when invalid against the old schema, else
 * its errors against the new one. An operation whose validation footprint
 * reads nothing the change touched is valid against the new schema without
 * running `validate` (the reasoning is in validityFootprint.ts);
 * `validateAll` validates every one, the baseline both paths are tested
 * and benchmarked against.
 *
 * @public
 */
export function judgeOperations(
  base: LoadedSchema,
  head: LoadedSchema,
  operations: LineageOperation[],
  options: { validateAll?: boolean } = {},
): {
  judged: JudgedOperation[];
  skipped: BlastRadiusReport['skippedOperations'];
  /** How many operations `validate` ran on against the new schema. */
  validatedAgainstNew: number;
} {
  const comparer = new FootprintComparer(base.schema, head.schema);
  const skipped: BlastRadiusReport['skippedOperations'] = [];
  const judged: JudgedOperation[] = [];
  let validatedAgainstNew = 0;
  // the baseline validates each operation alone, keeping nothing
  const check = options.validateAll
    ? (schema: GraphQLSchema, document: DocumentNode) =>
        validate(schema, document, RULES)
    : validateOperation;
  if (!options.validateAll) validateInBatches(base.schema, operations);
  for (const op of operations) {
    const before = check(base.schema, op.document);
    if (before.length) {
      skipped.push({
        file: op.file,
        operationName: op.operationName,
        reason: `invalid against the old schema: ${errorLine(before[0])}`,
      });
      continue;
    }
    const coords = memo(coordinatesOf, base.schema, op.document, () =>
      operationCoordinates(base.schema, op.document),
    );
    let errors: readonly GraphQLError[] = [];
    if (options.validateAll || !comparer.unchanged(coords.footprint)) {
      errors = check(head.schema, op.document);
      validatedAgainstNew++;
    }
    judged.push({ op, coords, errors });
  }
  return { judged, skipped, validatedAgainstNew };
}

/**
 * The blast radius of a schema change against operations: every change
 * graded by Inspector, then each operation judged by graphql-js `validate` —
 * impacted exactly when valid against the old schema and invalid against
 * the new — and each impact traced to the changes that cause it.
 *
 * @public
 */
export async function computeBlastRadius(
  input: BlastRadiusInput,
): Promise<BlastRadiusReport> {
  const { base, head, operations } = input;
  const mitigations = input.mitigations ?? {};
  const maxServices = input.maxServices ?? 0;
  // validate() would throw on such a schema; say which file and where
  assertSchemaValidates(base);
  assertSchemaValidates(head);
  const all = await diff(base.schema, head.schema);
  // Inspector reports a deprecation twice (the deprecation and the directive
  // usage); the directive-usage twin adds nothing.
  const changes = all.filter(
    c =>
      !(
        String(c.type).startsWith('DIRECTIVE_USAGE_') &&
        /\.@deprecated/.test(c.path ?? '')
      ),
  );

  const { judged, skipped } = judgeOperations(base, head, operations, {
    validateAll: input.validateAll,
  });

  // The component sending the operation, else its client's name.
  const servicesOf = (op: LineageOperation) => {
    const who = op.service ?? op.client;
    return who ? [who] : [];
  };

  const impacted: ImpactedOperation[] = [];
  const breaksByChange = new Map<Change, LineageOperation[]>();
  for (const { op, coords, errors } of judged) {
    if (!errors.length) continue;
    let culprits = changes.filter(c =>
      errors.some(e =>
        (e.nodes ?? []).some(n => explains(c, coords.chainOf.get(n) ?? [])),
      ),
    );
    // An error no change explains directly: blame what the operation uses.
    if (!culprits.length)
      culprits = changes.filter(
        c =>
          c.criticality.level !== CriticalityLevel.NonBreaking &&
          uses(c, coords.used),
      );
    for (const c of culprits)
      breaksByChange.set(c, [...(breaksByChange.get(c) ?? []), op]);
    impacted.push({
      key: op.key,
      file: op.file,
      operationName: op.operationName,
      ...(op.client ? { client: op.client } : {}),
      services: servicesOf(op),
      tenants: op.tenants,
      changes: [...new Set(culprits.map(anchorOf))],
      errors: errors.map(errorLine),
    });
  }

  const reported: BlastRadiusChange[] = changes.map(c => {
    const broken = breaksByChange.get(c) ?? [];
    const selectedBy = judged
      .filter(j => uses(c, j.coords.used))
      .map(j => j.op.key);
    const services = [...new Set(broken.flatMap(servicesOf))].sort();
    const tenants = [...new Set(broken.flatMap(o => o.tenants))].sort();
    const criticality = CRITICALITY[c.criticality.level];
    const path = anchorOf(c);
    const clients = [
      ...new Set(
        (broken.length
          ? broken
          : judged.filter(j => selectedBy.includes(j.op.key)).map(j => j.op)
        ).map(o => o.client ?? o.service ?? o.file),
      ),
    ].sort();
    return {
      type: String(c.type),
      path,
      message: c.message,
      criticality,
      ...(c.criticality.reason ? { reason: c.criticality.reason } : {}),
      usage: usageOf(broken.length, selectedBy.length),
      impactedOperations: broken.map(o => o.key),
      selectedBy,
      services,
      tenants,
      mitigation: mitigationFor(
        { type: String(c.type), path, criticality },
        clients,
        selectedBy,
      ),
      ...(mitigations[path] ? { mitigated: mitigations[path] } : {}),
    };
  });

  const reasons = reported
    .filter(
      c =>
        c.criticality === 'breaking' &&
        c.services.length > maxServices &&
        !c.mitigated,
    )
    .map(
      c =>
        `${c.path}: ${c.type} reaches ${
          c.services.length
        } service(s) (${quoteList(
          c.services,
        )}), more than ${maxServices}, without a recorded mitigation`,
    );

  const services = [...new Set(impacted.flatMap(o => o.services))].sort();
  const tenants = [...new Set(impacted.flatMap(o => o.tenants))].sort();
  const count = (k: ChangeCriticality) =>
    reported.filter(c => c.criticality === k).length;
  return {
    summary: {
      breaking: count('breaking'),
      dangerous: count('dangerous'),
      safe: count('safe'),
      breakingUnused: reported.filter(
        c => c.criticality === 'breaking' && c.usage === 'unused',
      ).length,
      impactedOperations: impacted.length,
      operationsChecked: judged.length,
      services: services.length,
      tenants: tenants.length,
    },
    changes: reported,
    impactedOperations: impacted,
    services,
    tenants,
    partial: false,
    skippedOperations: skipped,
    warnings: [...base.warnings, ...head.warnings],
    gate: { maxServices, failed: reasons.length > 0, reasons },
  };
}
