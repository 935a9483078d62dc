import { Environment } from '@marcbachmann/cel-js';
import { KNOWN_FACTS } from '../evidence/knownFacts';
import { EvidenceFact, FactValueType } from '../evidence/types';

const DAY = 86_400_000;

/**
 * How one known fact is seen from CEL: as `<namespace>.<field>` and as
 * `evidence.<namespace>_<field>` (the seed's spelling). A timestamp fact is
 * seen as its age in days, `<field>_age_days`, so checks read
 * `k6.last_run_age_days <= 30.0`.
 */
interface FactBinding {
  fact: string;
  namespace: string;
  field: string;
  celType: string;
  toCel(value: unknown, now: Date): unknown;
}

const CEL_TYPES: Record<FactValueType, string> = {
  number: 'double',
  boolean: 'bool',
  string: 'string',
  timestamp: 'double',
  'string-list': 'list<string>',
  object: 'map',
};

function bindings(): FactBinding[] {
  return Object.entries(KNOWN_FACTS)
    .filter(([name]) => name !== 'resources.retention')
    .map(([name, known]) => {
      const [namespace, ...rest] = name.split('.');
      const base = rest.join('_').replace(/-/g, '_');
      const field = known.type === 'timestamp' ? `${base}_age_days` : base;
      return {
        fact: name,
        namespace,
        field,
        celType: CEL_TYPES[known.type],
        toCel: (value: unknown, now: Date) =>
          known.type === 'timestamp'
            ? (now.getTime() - Date.parse(String(value))) / DAY
            : value,
      };
    });
}

const BINDINGS = bindings();
const NAMESPACES = [...new Set(BINDINGS.map(b => b.namespace))];
const typeName = (ns: string) => `Facts_${ns.replace(/[^a-zA-Z0-9]/g, '_')}`;

let shared: Environment | undefined;
let untyped: Environment | undefined;

/**
 * The same variables as plain maps, for evaluation only: checks are
 * type-checked in {@link controlsEnvironment} at load, and evaluating
 * without per-call conversion into typed wrappers is several times faster.
 *
 * @public
 */
export function controlsEvaluationEnvironment(): Environment {
  if (untyped) return untyped;
  const env = new Environment({ homogeneousAggregateLiterals: false });
  for (const ns of NAMESPACES) env.registerVariable(ns, 'map');
  env.registerVariable('evidence', 'map');
  env.registerVariable('resources', 'list');
  untyped = env;
  return env;
}

/**
 * The CEL environment checks are type-checked and evaluated in. Variables:
 * one per fact namespace (`sbom`, `test`, `policy`, `catalog`, ...),
 * `evidence` with every fact flattened (`evidence.sbom_coverage`), and
 * `resources`, the resources the entity depends on with their `retention`
 * ("" when untagged).
 *
 * @public
 */
export function controlsEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment();
  for (const ns of NAMESPACES) {
    const fields = Object.fromEntries(
      BINDINGS.filter(b => b.namespace === ns).map(b => [b.field, b.celType]),
    );
    env.registerType(typeName(ns), { fields });
    env.registerVariable(ns, typeName(ns));
  }
  env.registerType('Evidence', {
    fields: Object.fromEntries(
      BINDINGS.map(b => [`${b.namespace}_${b.field}`, b.celType]),
    ),
  });
  env.registerVariable('evidence', 'Evidence');
  env.registerType('Resource', {
    fields: { ref: 'string', retention: 'string' },
  });
  env.registerVariable('resources', 'list<Resource>');
  shared = env;
  return env;
}

/**
 * The facts a check reads, found from how it names them. A check that reads
 * a fact the entity has no evidence for fails with "no evidence for ...".
 *
 * @public
 */
export function factsReadBy(check: string): string[] {
  const read = new Set<string>();
  for (const b of BINDINGS) {
    const direct = new RegExp(`(^|[^\\w.])${b.namespace}\\.${b.field}\\b`);
    const flat = new RegExp(`\\bevidence\\.${b.namespace}_${b.field}\\b`);
    if (direct.test(check) || flat.test(check)) read.add(b.fact);
  }
  if (/(^|[^\w.])resources\b(?!\.retention\b)/.test(check))
    read.add('resources.retention');
  return [...read].sort();
}

/** Builds the CEL variables from an entity's latest facts. */
export function celContext(
  facts: Map<string, EvidenceFact>,
  now: Date,
): Record<string, unknown> {
  const ctx: Record<string, Record<string, unknown>> = {};
  const evidence: Record<string, unknown> = {};
  for (const b of BINDINGS) {
    const f = facts.get(b.fact);
    if (!f) continue;
    const v = b.toCel(f.value, now);
    (ctx[b.namespace] ??= {})[b.field] = v;
    evidence[`${b.namespace}_${b.field}`] = v;
  }
  for (const ns of NAMESPACES) ctx[ns] ??= {};
  const retention = facts.get('resources.retention')?.value as
    | Record<string, string | null>
    | undefined;
  return {
    ...ctx,
    evidence,
    resources: Object.entries(retention ?? {}).map(([ref, r]) => ({
      ref,
      retention: r ?? '',
    })),
  };
}
