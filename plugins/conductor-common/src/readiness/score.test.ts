import { EvidenceFact } from '../evidence/types';
import { validateReadinessWeights } from './config';
import { computeReadiness, recency } from './score';
import { DEFAULT_READINESS_POLICY, DEFAULT_READINESS_WEIGHTS } from './types';

const now = new Date('2026-11-24T00:00:00Z');
const daysAgo = (d: number) =>
  new Date(now.getTime() - d * 86_400_000).toISOString();
const ref = 'component:default/orders-api';
let n = 0;
function fact(
  name: string,
  value: any,
  opts: { source?: string; age?: number } = {},
): EvidenceFact {
  n++;
  let type: EvidenceFact['type'] =
    typeof value === 'number' ? 'number' : 'string';
  if (name.endsWith('last_run')) type = 'timestamp';
  const observedAt = daysAgo(opts.age ?? 1);
  return {
    entityRef: ref,
    name,
    type,
    value,
    source: opts.source ?? 'ci:build',
    observedAt,
    recordedAt: observedAt,
  };
}

const complete = () => [
  fact('test.coverage', 0.78),
  fact('slo.adherence', 0.99),
  fact('sbom.coverage', 0.97),
  fact('policy.coverage', 0.95),
  fact('k6.last_run', daysAgo(0), { age: 0 }),
  fact('chaos.last_run', daysAgo(14), { age: 14 }),
  fact('runbook.url', 'https://runbooks/x', { source: 'collector:catalog' }),
  fact('catalog.owner', 'group:default/payments', {
    source: 'collector:catalog',
  }),
  fact('catalog.oncall', 'P123', { source: 'collector:catalog' }),
];

describe('recency', () => {
  it('is 1 when fresh, halves every half-life and is 0 past the maximum age', () => {
    expect(recency(0, 14, 90)).toBe(1);
    expect(recency(14, 14, 90)).toBeCloseTo(0.5, 10);
    expect(recency(28, 14, 90)).toBeCloseTo(0.25, 10);
    expect(recency(90, 14, 90)).toBeCloseTo(Math.pow(0.5, 90 / 14), 10);
    expect(recency(90.01, 14, 90)).toBe(0);
  });
});

describe('computeReadiness', () => {
  it('worked example: complete, fresh evidence', () => {
    const s = computeReadiness(ref, complete(), DEFAULT_READINESS_POLICY, now);
    // 0.25*0.78 + 0.25*0.99 + 0.2*1 + 0.1*1 + 0.1*0.5 + 0.1*1
    expect(s.score).toBe(0.8925);
    expect(
      s.components.map(c => [c.id, c.value, c.contribution, c.missing]),
    ).toEqual([
      ['coverage', 0.78, 0.195, false],
      ['slo', 0.99, 0.2475, false],
      ['evidence', 1, 0.2, false],
      ['runbooks', 1, 0.1, false],
      ['chaos_recency', 0.5, 0.05, false],
      ['k6_recency', 1, 0.1, false],
    ]);
    expect(s.next).toEqual({
      component: 'coverage',
      action: 'Raise test coverage from 78 %',
      gain: 0.055,
    });
    expect(s.components[0].facts[0]).toMatchObject({
      name: 'test.coverage',
      value: 0.78,
      ageDays: 1,
    });
  });

  it('worked example: missing data counts 0, keeps its weight, and is marked', () => {
    const s = computeReadiness(
      ref,
      [
        fact('test.coverage', 0.9),
        fact('runbook.url', 'https://r', { source: 'collector:catalog' }),
      ],
      DEFAULT_READINESS_POLICY,
      now,
    );
    // 0.25*0.9 + 0 + 0.2*(2/8) + 0.1*0.5 + 0 + 0
    expect(s.score).toBe(0.325);
    const byId = Object.fromEntries(s.components.map(c => [c.id, c]));
    expect(byId.slo).toMatchObject({
      value: 0,
      missing: true,
      explanation: 'no trusted evidence for slo.adherence',
    });
    expect(byId.k6_recency.missing).toBe(true);
    expect(byId.evidence.explanation).toBe(
      '2 of 8 required facts present and fresh; missing: sbom.coverage, policy.coverage, slo.adherence, k6.last_run, chaos.last_run, catalog.owner',
    );
    expect(byId.runbooks).toMatchObject({
      value: 0.5,
      explanation: 'runbook linked, no on-call',
    });
    expect(s.next).toEqual({
      component: 'slo',
      action: 'Report slo.adherence (from CI or the SLO board)',
      gain: 0.25,
    });
  });

  it('worked example: decay, stale evidence and untrusted sources', () => {
    const facts = complete().map(f => {
      if (f.name === 'k6.last_run')
        return fact('k6.last_run', daysAgo(100), { age: 100 });
      if (f.name === 'sbom.coverage')
        return fact('sbom.coverage', 0.97, { age: 40 });
      return f;
    });
    // Someone typed a perfect coverage into an annotation: it must not count.
    facts.push(fact('test.coverage', 1, { source: 'user:default/mallory' }));
    const s = computeReadiness(
      ref,
      facts.filter(
        f => !(f.name === 'test.coverage' && f.source === 'ci:build'),
      ),
      DEFAULT_READINESS_POLICY,
      now,
    );
    const byId = Object.fromEntries(s.components.map(c => [c.id, c]));
    // Observed 100 d ago: stale, so missing for its component (Trust).
    expect(byId.k6_recency).toMatchObject({
      value: 0,
      missing: true,
      explanation: 'k6.last_run is stale: observed 100 d ago (max 30 d)',
    });
    expect(byId.evidence.value).toBe(0.625); // 5 of 8: sbom stale, k6 stale (100 d), test.coverage untrusted
    expect(byId.coverage.missing).toBe(true);
    expect(s.untrustedFacts).toEqual(['test.coverage (user:default/mallory)']);
    // 0 + 0.2475 + 0.2*0.625 + 0.1 + 0.05 + 0
    expect(s.score).toBe(0.5225);
  });

  it('decays a run by its own date, and judges each fact by its own age', () => {
    const facts = complete().map(f => {
      // A fresh push about a run 100 days ago: decayed past the maximum.
      if (f.name === 'k6.last_run')
        return fact('k6.last_run', daysAgo(100), { age: 1 });
      // Coverage observed 31 days ago: stale, so missing for its component.
      if (f.name === 'test.coverage')
        return fact('test.coverage', 0.99, { age: 31 });
      return f;
    });
    const s = computeReadiness(ref, facts, DEFAULT_READINESS_POLICY, now);
    const byId = Object.fromEntries(s.components.map(c => [c.id, c]));
    expect(byId.k6_recency).toMatchObject({
      value: 0,
      missing: false,
      explanation: 'k6.last_run is 100 d old, past the 90 d maximum',
    });
    expect(byId.coverage).toMatchObject({
      value: 0,
      missing: true,
      explanation: 'test.coverage is stale: observed 31 d ago (max 30 d)',
    });
  });

  it('gives no recency for a run dated in the future beyond the clock skew', () => {
    const future = new Date(now.getTime() + 10 * 60_000).toISOString();
    const nearly = new Date(now.getTime() + 60_000).toISOString();
    const score = (value: string) =>
      computeReadiness(
        ref,
        complete().map(f =>
          f.name === 'chaos.last_run' ? fact('chaos.last_run', value) : f,
        ),
        DEFAULT_READINESS_POLICY,
        now,
      ).components.find(c => c.id === 'chaos_recency')!;
    expect(score('2099-01-01T00:00:00.000Z')).toMatchObject({
      value: 0,
      missing: true,
    });
    expect(score(future).value).toBe(0);
    expect(score(nearly).value).toBe(1);
    expect(recency(-1, 14, 90)).toBe(0);
  });

  it('says evidence is as old as its newest required fact, not any fact', () => {
    const old = complete().map(f => fact(f.name, f.value, { age: 9_500 }));
    old.push(fact('mfa.enforced', true, { age: 0 }));
    const s = computeReadiness(ref, old, DEFAULT_READINESS_POLICY, now);
    expect(s.newestEvidenceAgeDays).toBe(9_500);
    expect(s.components.find(c => c.id === 'coverage')!.missing).toBe(true);
  });

  it('scores 0 with everything missing when there is no evidence', () => {
    const s = computeReadiness(ref, [], DEFAULT_READINESS_POLICY, now);
    expect(s.score).toBe(0);
    expect(s.components.every(c => c.missing)).toBe(true);
    expect(s.newestEvidenceAgeDays).toBeUndefined();
  });
});

describe('validateReadinessWeights', () => {
  it('accepts weights summing to 1 and defaults to the seed weights', () => {
    expect(validateReadinessWeights(undefined, DEFAULT_READINESS_WEIGHTS)).toBe(
      DEFAULT_READINESS_WEIGHTS,
    );
    expect(
      validateReadinessWeights(
        { coverage: 0.5, slo: 0.5 },
        DEFAULT_READINESS_WEIGHTS,
      ),
    ).toEqual({
      coverage: 0.5,
      slo: 0.5,
      evidence: 0,
      runbooks: 0,
      chaos_recency: 0,
      k6_recency: 0,
    });
  });
  it('refuses unknown, negative and non-summing weights naming the key', () => {
    expect(() =>
      validateReadinessWeights(
        { coverage: 0.5, speed: 0.5 },
        DEFAULT_READINESS_WEIGHTS,
      ),
    ).toThrow(
      'conductor.readiness.weights.speed: unknown PRS component; known: coverage, slo, evidence, runbooks, chaos_recency, k6_recency',
    );
    expect(() =>
      validateReadinessWeights(
        { coverage: 1.2, slo: -0.2 },
        DEFAULT_READINESS_WEIGHTS,
      ),
    ).toThrow(
      'conductor.readiness.weights.slo: must be a number >= 0, got -0.2',
    );
    expect(() =>
      validateReadinessWeights(
        { coverage: 0.5, slo: 0.4 },
        DEFAULT_READINESS_WEIGHTS,
      ),
    ).toThrow(
      'conductor.readiness.weights: weights must sum to 1, they sum to 0.9',
    );
  });
});

describe('readiness weights per component type', () => {
  it('marks a part weighted 0 as not applicable, keeps the stated weights and advises nothing about it', () => {
    const website = {
      ...DEFAULT_READINESS_POLICY,
      weightsFor: 'website',
      weights: {
        coverage: 0.4,
        slo: 0,
        evidence: 0.3,
        runbooks: 0.3,
        chaos_recency: 0,
        k6_recency: 0,
      },
    };
    const s = computeReadiness(
      'component:default/web',
      [],
      website,
      new Date('2026-11-24T12:00:00Z'),
    );
    const chaos = s.components.find(c => c.id === 'chaos_recency')!;
    expect(chaos).toMatchObject({
      weight: 0,
      contribution: 0,
      missing: false,
      explanation: 'not applicable to website (weight 0)',
    });
    expect(s.components.map(c => c.weight)).toEqual([0.4, 0, 0.3, 0.3, 0, 0]);
    expect(s.next?.component).toBe('coverage');
  });
});
