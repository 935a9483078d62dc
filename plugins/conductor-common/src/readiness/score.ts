import { KNOWN_FACTS } from '../evidence/knownFacts';
import { EvidenceFact } from '../evidence/types';
import {
  READINESS_COMPONENTS,
  ReadinessAdvice,
  ReadinessComponentId,
  ReadinessComponentScore,
  ReadinessFactUse,
  ReadinessPolicy,
  ReadinessScore,
} from './types';

const DAY = 86_400_000;
/**
 * How far in the future a timestamp may lie and still count as "now": clocks
 * of CI runners drift. Anything later is refused on push and, should one be
 * stored anyway, never raises a recency.
 *
 * @public
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;
const round = (x: number, places = 4) =>
  Math.round(x * 10 ** places) / 10 ** places;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const pct = (x: number) => `${round(x * 100, 1)} %`;

/**
 * Recency of an event `ageDays` old: 1 when it just happened, halving every
 * `halfLifeDays`, and 0 past `maxAgeDays`.
 *
 * @public
 */
export function recency(
  ageDays: number,
  halfLifeDays: number,
  maxAgeDays: number,
): number {
  // A run in the future is no run at all: it must not buy full recency.
  if (!(ageDays >= 0)) return 0;
  if (ageDays > maxAgeDays) return 0;
  return Math.pow(0.5, ageDays / halfLifeDays);
}

/**
 * Computes the production readiness score of one entity from its latest
 * facts. Pure: same facts, policy and time give the same score.
 *
 * Components, each in [0, 1]:
 * - coverage: `test.coverage` as it is;
 * - slo: `slo.adherence` as it is;
 * - evidence: share of `requiredFacts` present, trusted and younger than
 *   `maxEvidenceAgeDays`;
 * - runbooks: 0.5 for a `runbook.url` plus 0.5 for an on-call
 *   (`catalog.oncall`);
 * - chaos_recency / k6_recency: {@link recency} of `chaos.last_run` /
 *   `k6.last_run`.
 * A component whose fact is absent (or untrusted) is 0 and marked missing;
 * it keeps its weight, so missing data always lowers the score.
 *
 * @public
 */
export function computeReadiness(
  entityRef: string,
  facts: EvidenceFact[],
  policy: ReadinessPolicy,
  now: Date = new Date(),
): ReadinessScore {
  const trusted = new Map<string, EvidenceFact>();
  const untrustedFacts: string[] = [];
  for (const f of facts) {
    if (policy.trustedSources.some(p => f.source.startsWith(p)))
      trusted.set(f.name, f);
    else untrustedFacts.push(`${f.name} (${f.source})`);
  }
  const ageOf = (iso: string) =>
    Math.max(0, (now.getTime() - Date.parse(iso)) / DAY);
  const use = (f: EvidenceFact): ReadinessFactUse => ({
    name: f.name,
    value: f.value,
    source: f.source,
    observedAt: f.observedAt,
    ageDays: round(ageOf(f.observedAt), 2),
  });
  const w = policy.weights;
  const part = (
    id: ReadinessComponentId,
    value: number,
    missing: boolean,
    explanation: string,
    used: EvidenceFact[],
  ): ReadinessComponentScore =>
    w[id] === 0
      ? {
          // Weighted 0 for this type: it does not apply, and says so
          // (nothing is renormalised behind anyone's back).
          id,
          value: 0,
          weight: 0,
          contribution: 0,
          missing: false,
          explanation: `not applicable to ${
            policy.weightsFor ?? 'this component'
          } (weight 0)`,
          facts: [],
        }
      : {
          id,
          value: round(clamp01(value)),
          weight: w[id],
          contribution: round(clamp01(value) * w[id]),
          missing,
          explanation,
          facts: used.map(use),
        };

  const maxAge = policy.maxEvidenceAgeDays;
  /** Stale facts count as missing for their component, and say so. */
  const isStale = (f: EvidenceFact) => ageOf(f.observedAt) > maxAge;
  const staleWhy = (f: EvidenceFact) =>
    `${f.name} is stale: observed ${round(
      ageOf(f.observedAt),
      1,
    )} d ago (max ${maxAge} d)`;

  const numeric = (
    id: ReadinessComponentId,
    name: string,
  ): ReadinessComponentScore => {
    const f = trusted.get(name);
    if (!f || typeof f.value !== 'number')
      return part(id, 0, true, `no trusted evidence for ${name}`, []);
    if (isStale(f)) return part(id, 0, true, staleWhy(f), [f]);
    return part(id, f.value, false, `${name} = ${f.value}`, [f]);
  };

  const recencyPart = (
    id: ReadinessComponentId,
    name: string,
  ): ReadinessComponentScore => {
    const f = trusted.get(name);
    if (!f || typeof f.value !== 'string')
      return part(id, 0, true, `no trusted evidence for ${name}`, []);
    if (isStale(f)) return part(id, 0, true, staleWhy(f), [f]);
    const ahead = Date.parse(f.value) - now.getTime();
    if (ahead > CLOCK_SKEW_TOLERANCE_MS) {
      return part(
        id,
        0,
        true,
        `${name} ${f.value} is in the future: it cannot count as a run`,
        [f],
      );
    }
    const age = Math.max(0, (now.getTime() - Date.parse(f.value)) / DAY);
    const r = recency(
      age,
      policy.recencyHalfLifeDays,
      policy.recencyMaxAgeDays,
    );
    const why =
      age > policy.recencyMaxAgeDays
        ? `${name} is ${round(age, 1)} d old, past the ${
            policy.recencyMaxAgeDays
          } d maximum`
        : `${name} is ${round(age, 1)} d old; half-life ${
            policy.recencyHalfLifeDays
          } d gives ${round(r, 3)}`;
    return part(id, r, false, why, [f]);
  };

  const required = policy.requiredFacts;
  const fresh = required.filter(n => {
    const f = trusted.get(n);
    return f && ageOf(f.observedAt) <= policy.maxEvidenceAgeDays;
  });
  const absent = required.filter(n => !trusted.get(n));
  const stale = required.filter(n => trusted.get(n) && !fresh.includes(n));
  const evidence = part(
    'evidence',
    required.length === 0 ? 1 : fresh.length / required.length,
    fresh.length === 0,
    [
      `${fresh.length} of ${required.length} required facts present and fresh`,
      absent.length ? `; missing: ${absent.join(', ')}` : '',
      stale.length
        ? `; stale (> ${policy.maxEvidenceAgeDays} d): ${stale.join(', ')}`
        : '',
    ].join(''),
    required.map(n => trusted.get(n)).filter((f): f is EvidenceFact => !!f),
  );

  const freshFact = (name: string) => {
    const f = trusted.get(name);
    return f && !isStale(f) ? f : undefined;
  };
  const runbook = freshFact('runbook.url');
  const oncall = freshFact('catalog.oncall');
  const staleRunbookFacts = ['runbook.url', 'catalog.oncall']
    .map(n => trusted.get(n))
    .filter((f): f is EvidenceFact => !!f && isStale(f));
  const runbooks = part(
    'runbooks',
    (runbook ? 0.5 : 0) + (oncall ? 0.5 : 0),
    !runbook && !oncall,
    [
      `${runbook ? 'runbook linked' : 'no runbook link'}, ${
        oncall ? 'on-call set' : 'no on-call'
      }`,
      ...staleRunbookFacts.map(staleWhy),
    ].join('; '),
    [runbook, oncall].filter((f): f is EvidenceFact => !!f),
  );

  const byId: Record<ReadinessComponentId, ReadinessComponentScore> = {
    coverage: numeric('coverage', 'test.coverage'),
    slo: numeric('slo', 'slo.adherence'),
    evidence,
    runbooks,
    chaos_recency: recencyPart('chaos_recency', 'chaos.last_run'),
    k6_recency: recencyPart('k6_recency', 'k6.last_run'),
  };
  const components = READINESS_COMPONENTS.map(id => byId[id]);
  const score = round(components.reduce((s, c) => s + c.contribution, 0));
  // "Is the evidence stale?" is asked of the facts the gate requires: one
  // fresh fact of another name must not vouch for 26-year-old coverage.
  // Collectors refresh their facts every half hour, so they are never stale:
  // the question is put to the required facts CI reports.
  const reported = required.filter(n => !KNOWN_FACTS[n]?.collectedBy);
  const newest = (reported.length ? reported : required)
    .map(n => trusted.get(n))
    .filter((f): f is EvidenceFact => !!f)
    .map(f => ageOf(f.observedAt));

  return {
    entityRef,
    score,
    components,
    next: adviseNext(components, {
      runbook: !!runbook,
      oncall: !!oncall,
      absent,
      stale,
    }),
    untrustedFacts,
    newestEvidenceAgeDays: newest.length
      ? round(Math.min(...newest), 2)
      : undefined,
    computedAt: now.toISOString(),
  };
}

/** The component with the largest possible gain, and what to do about it. */
function adviseNext(
  components: ReadinessComponentScore[],
  ctx: { runbook: boolean; oncall: boolean; absent: string[]; stale: string[] },
): ReadinessAdvice | undefined {
  const best = components
    .map(c => ({ c, gain: round(c.weight * (1 - c.value)) }))
    .filter(x => x.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.c.id.localeCompare(b.c.id))[0];
  if (!best) return undefined;
  const { c, gain } = best;
  const actions: Record<ReadinessComponentId, string> = {
    coverage: c.missing
      ? 'Push test.coverage from CI'
      : `Raise test coverage from ${pct(c.value)}`,
    slo: c.missing
      ? 'Report slo.adherence (from CI or the SLO board)'
      : `Improve SLO adherence from ${pct(c.value)}`,
    evidence: `Provide fresh evidence for ${[...ctx.absent, ...ctx.stale].join(
      ', ',
    )}`,
    runbooks: !ctx.runbook
      ? 'Link a runbook (a catalog link of type "runbook")'
      : 'Declare an on-call rotation (annotation pagerduty.com/service-id or conductor.io/oncall)',
    chaos_recency: c.missing
      ? 'Run a chaos experiment and push chaos.last_run'
      : 'Run a chaos experiment again',
    k6_recency: c.missing
      ? 'Run a k6 load test and push k6.last_run'
      : 'Run a k6 load test again',
  };
  return { component: c.id, action: actions[c.id], gain };
}
