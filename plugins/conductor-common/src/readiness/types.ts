/**
 * The parts of the production readiness score, named as in the seed's PRS
 * weights.
 *
 * @public
 */
export const READINESS_COMPONENTS = [
  'coverage',
  'slo',
  'evidence',
  'runbooks',
  'chaos_recency',
  'k6_recency',
] as const;

/** @public */
export type ReadinessComponentId = (typeof READINESS_COMPONENTS)[number];

/** @public */
export type ReadinessWeights = Record<ReadinessComponentId, number>;

/** The seed's weights. @public */
export const DEFAULT_READINESS_WEIGHTS: ReadinessWeights = {
  coverage: 0.25,
  slo: 0.25,
  evidence: 0.2,
  runbooks: 0.1,
  chaos_recency: 0.1,
  k6_recency: 0.1,
};

/**
 * Everything the score depends on besides the evidence.
 *
 * @public
 */
export interface ReadinessPolicy {
  weights: ReadinessWeights;
  /**
   * The component type these weights are for, when they are a type's own
   * (`conductor.readiness.weightsByType`): a part weighted 0 is then "not
   * applicable to <type>", as the controls say.
   */
  weightsFor?: string;
  /** Days after which a recency (k6, chaos) has lost half its value. */
  recencyHalfLifeDays: number;
  /** Days after which a recency counts 0. */
  recencyMaxAgeDays: number;
  /** Facts whose presence (and freshness) makes evidence complete. */
  requiredFacts: string[];
  /** A fact older than this many days is stale: it does not count as present. */
  maxEvidenceAgeDays: number;
  /** Source prefixes whose facts count; others are ignored (anti-gaming). */
  trustedSources: string[];
}

/** @public */
export const DEFAULT_READINESS_POLICY: ReadinessPolicy = {
  weights: DEFAULT_READINESS_WEIGHTS,
  recencyHalfLifeDays: 14,
  recencyMaxAgeDays: 90,
  requiredFacts: [
    'test.coverage',
    'sbom.coverage',
    'policy.coverage',
    'slo.adherence',
    'k6.last_run',
    'chaos.last_run',
    'runbook.url',
    'catalog.owner',
  ],
  maxEvidenceAgeDays: 30,
  trustedSources: ['ci:', 'collector:'],
};

/** A fact a component was computed from, with its age. @public */
export interface ReadinessFactUse {
  name: string;
  value: unknown;
  source: string;
  observedAt: string;
  ageDays: number;
}

/** @public */
export interface ReadinessComponentScore {
  id: ReadinessComponentId;
  /** In [0, 1]. */
  value: number;
  weight: number;
  /** value × weight: what this part adds to the score. */
  contribution: number;
  /** True when the data it needs is absent: it then counts 0. */
  missing: boolean;
  /** How the value was reached, in words. */
  explanation: string;
  facts: ReadinessFactUse[];
}

/** The single change that would raise the score most. @public */
export interface ReadinessAdvice {
  component: ReadinessComponentId;
  action: string;
  /** How much the score would rise at most. */
  gain: number;
}

/** @public */
export interface ReadinessScore {
  entityRef: string;
  /** Weighted sum of the components, in [0, 1], rounded to 4 places. */
  score: number;
  components: ReadinessComponentScore[];
  next?: ReadinessAdvice;
  /** Facts ignored because their source is not trusted. */
  untrustedFacts: string[];
  /**
   * Age in days of the newest trusted required fact that CI reports (not a
   * collector's, which are always fresh); undefined when there is none.
   */
  newestEvidenceAgeDays?: number;
  computedAt: string;
}
