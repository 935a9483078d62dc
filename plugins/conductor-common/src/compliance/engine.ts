import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EvidenceFact } from '../evidence/types';
import { CompiledControl } from './catalog';
import { celContext } from './celEnvironment';
import { ControlResult, ControlScope } from './types';

/** What a control's scope is matched against. @public */
export interface ControlSubject {
  entityRef: string;
  kind: string;
  type?: string;
  lifecycle?: string;
  tags?: string[];
  owner?: string;
}

/** An exemption of one entity from one control, until it expires. @public */
export interface ControlExemption {
  entityRef: string;
  controlId: string;
  reason: string;
  approver: string;
  expiresAt: string;
}

const lower = (s?: string) => s?.toLocaleLowerCase('en-US');

/** Whether a control's scope covers the subject. @public */
export function controlApplies(
  scope: ControlScope | undefined,
  s: ControlSubject,
): boolean {
  if (!scope) return true;
  const one = (allowed: string[] | undefined, value?: string) =>
    !allowed ||
    (value !== undefined && allowed.map(lower).includes(lower(value)));
  return (
    one(scope.kind, s.kind) &&
    one(scope.type, s.type) &&
    one(scope.lifecycle, s.lifecycle) &&
    one(scope.owner, s.owner) &&
    (!scope.tags || scope.tags.some(t => (s.tags ?? []).includes(t)))
  );
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Evaluates every control on one entity's latest facts. Pure. Missing
 * evidence for a fact a check reads is `fail`, never `pass`; an unexpired
 * exemption makes it `exempt`; a check that throws is `error` for this
 * entity and control only.
 *
 * @public
 */
export function evaluateControls(
  controls: CompiledControl[],
  subject: ControlSubject,
  facts: EvidenceFact[],
  options: { exemptions?: ControlExemption[]; now?: Date } = {},
): ControlResult[] {
  const now = options.now ?? new Date();
  const byName = new Map<string, EvidenceFact>();
  for (const f of facts) byName.set(f.name, f);
  const exemptions = options.exemptions?.filter(
    e =>
      e.entityRef === subject.entityRef &&
      Date.parse(e.expiresAt) > now.getTime(),
  );
  let context: Record<string, unknown> | undefined;
  const out: ControlResult[] = new Array(controls.length);
  for (let i = 0; i < controls.length; i++) {
    const control = controls[i];
    const result: ControlResult = {
      controlId: control.id,
      entityRef: subject.entityRef,
      status: 'pass',
      severity: control.severity,
      message: '',
      values: {},
      remediation: control.remediation,
    };
    out[i] = result;
    if (!controlApplies(control.appliesTo, subject)) {
      result.status = 'not-applicable';
      result.message = "out of the control's scope";
      continue;
    }
    const exemption = exemptions?.find(e => e.controlId === control.id);
    if (exemption) {
      result.status = 'exempt';
      result.message = `exempt until ${exemption.expiresAt}, approved by ${exemption.approver}: ${exemption.reason}`;
      continue;
    }
    let missing: string | undefined;
    let shown = '';
    for (const name of control.reads) {
      const f = byName.get(name);
      if (!f) {
        missing = missing ? `${missing}, ${name}` : name;
        continue;
      }
      result.values[name] = f.value;
      shown = shown
        ? `${shown}, ${name} = ${show(f.value)}`
        : `${name} = ${show(f.value)}`;
    }
    if (missing) {
      result.status = 'fail';
      result.message = `no evidence for ${missing}`;
      continue;
    }
    try {
      context ??= celContext(byName, now);
      const outcome = control.evaluate(context);
      if (typeof outcome !== 'boolean') {
        result.status = 'error';
        result.message = `check returned ${show(outcome)}, not true or false`;
      } else {
        result.status = outcome ? 'pass' : 'fail';
        result.message = `${shown || 'no facts read'}; ${
          outcome ? 'meets' : 'fails'
        }: ${control.check}`;
      }
    } catch (e) {
      result.status = 'error';
      result.message = `check failed to run: ${
        (e as Error).message.split('\n')[0]
      }`;
    }
  }
  return out;
}

/** How much each severity counts in a score. @public */
export const SEVERITY_WEIGHTS = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
} as const;

/**
 * Severity-weighted compliance score of a set of results: the weight of
 * passing and exempt controls over the weight of all applicable ones. Null
 * when no control applies.
 *
 * @public
 */
export function complianceScore(results: ControlResult[]): number | null {
  let total = 0;
  let good = 0;
  for (const r of results) {
    if (r.status === 'not-applicable') continue;
    const w = SEVERITY_WEIGHTS[r.severity];
    total += w;
    if (r.status === 'pass' || r.status === 'exempt') good += w;
  }
  return total === 0 ? null : Math.round((good / total) * 10_000) / 10_000;
}

/**
 * What controls are matched against, read from a catalog entity: the owner
 * and system from its relations when the catalog has stitched them, else
 * from its spec (an entity read straight from catalog-info.yaml).
 *
 * @public
 */
export function controlSubjectOf(
  entity: Entity,
): ControlSubject & { system?: string } {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const related = (type: string, kind: string) =>
    entity.relations?.find(
      r => r.type === type && r.targetRef.startsWith(`${kind}:`),
    )?.targetRef;
  const fromSpec = (v: unknown, kind: string) => {
    const s = str(v);
    if (!s) return undefined;
    return stringifyEntityRef(
      parseEntityRef(s, {
        defaultKind: kind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  };
  return {
    entityRef: stringifyEntityRef(entity),
    kind: entity.kind,
    type: str(spec.type),
    lifecycle: str(spec.lifecycle),
    tags: entity.metadata.tags,
    owner:
      related('ownedBy', 'group') ??
      related('ownedBy', 'user') ??
      fromSpec(spec.owner, 'group'),
    system: related('partOf', 'system') ?? fromSpec(spec.system, 'system'),
  };
}
