import { EvidenceFact } from '../evidence/types';
import { CompiledControl } from './catalog';
import { celContext, factsReadBy } from './celEnvironment';
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
export function controlApplies(scope: ControlScope | undefined, s: ControlSubject): boolean {
  if (!scope) return true;
  const one = (allowed: string[] | undefined, value?: string) =>
    !allowed || (value !== undefined && allowed.map(lower).includes(lower(value)));
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
  const byName = new Map(facts.map(f => [f.name, f]));
  let context: Record<string, unknown> | undefined;
  return controls.map(control => {
    const base = { controlId: control.id, entityRef: subject.entityRef, severity: control.severity, remediation: control.remediation };
    if (!controlApplies(control.appliesTo, subject)) {
      return { ...base, status: 'not-applicable', message: 'out of the control\'s scope', values: {} };
    }
    const exemption = options.exemptions?.find(
      e => e.controlId === control.id && e.entityRef === subject.entityRef && Date.parse(e.expiresAt) > now.getTime(),
    );
    if (exemption) {
      return {
        ...base, status: 'exempt', values: {},
        message: `exempt until ${exemption.expiresAt}, approved by ${exemption.approver}: ${exemption.reason}`,
      };
    }
    const read = factsReadBy(control.check);
    const values = Object.fromEntries(read.filter(n => byName.has(n)).map(n => [n, byName.get(n)!.value]));
    const missing = read.filter(n => !byName.has(n));
    if (missing.length) {
      return { ...base, status: 'fail', values, message: `no evidence for ${missing.join(', ')}` };
    }
    const shown = Object.entries(values).map(([k, v]) => `${k} = ${show(v)}`).join(', ');
    try {
      context ??= celContext(byName, now);
      const outcome = control.evaluate(context);
      if (typeof outcome !== 'boolean') {
        return { ...base, status: 'error', values, message: `check returned ${show(outcome)}, not true or false` };
      }
      return {
        ...base, status: outcome ? 'pass' : 'fail', values,
        message: `${shown || 'no facts read'}; ${outcome ? 'meets' : 'fails'}: ${control.check}`,
      };
    } catch (e) {
      return { ...base, status: 'error', values, message: `check failed to run: ${(e as Error).message.split('\n')[0]}` };
    }
  });
}

/** How much each severity counts in a score. @public */
export const SEVERITY_WEIGHTS = { critical: 4, high: 3, medium: 2, low: 1 } as const;

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
