// Automated canary analysis: is the canary's metric worse than the baseline's?
// A one-sided Mann-Whitney U test (no assumption about the distribution,
// robust to latency's long tail), as Kayenta's judge uses, plus a tolerance so
// a statistically significant but tiny shift does not block a release.

/** Which way is worse for this metric. @public */
export type CanaryDirection = 'increase' | 'decrease';

/** @public */
export interface CanaryAnalysisOptions {
  /** `increase` when higher is worse (latency, errors), `decrease` when lower is worse (throughput). */
  direction: CanaryDirection;
  /** Significance level, e.g. 0.05. */
  alpha: number;
  /** Relative shift of the median allowed even when significant, e.g. 0.1 for 10 %. */
  tolerance: number;
  /** Fewer usable samples on either side than this is "not enough data", a failure. */
  minSamples: number;
}

/** The verdict with the numbers behind it. @public */
export interface CanaryAnalysis {
  pass: boolean;
  reason: string;
  canary: { samples: number; dropped: number; median: number | null };
  baseline: { samples: number; dropped: number; median: number | null };
  /** U of the canary sample. */
  u: number | null;
  z: number | null;
  /** One-sided p-value that the canary is worse. */
  pValue: number | null;
  /** (canary median − baseline median) / baseline median. */
  relativeShift: number | null;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). @public */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) *
      t +
      0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * U of the first sample and the tie-corrected normal approximation of its
 * distribution under "no difference".
 *
 * @public
 */
export function mannWhitneyU(a: number[], b: number[]) {
  const all = [
    ...a.map(v => ({ v, first: true })),
    ...b.map(v => ({ v, first: false })),
  ].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const rank = (i + j + 2) / 2; // average of ranks i+1..j+1
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k].first) rankSumA += rank;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const n = n1 + n2;
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  return { u, mean, sigma };
}

/**
 * Compares canary and baseline samples of one metric. NaN and infinite
 * samples (no traffic in that interval) are dropped and counted, never read
 * as healthy.
 *
 * @public
 */
export function analyzeCanary(
  canaryRaw: number[],
  baselineRaw: number[],
  options: CanaryAnalysisOptions,
): CanaryAnalysis {
  const canary = canaryRaw.filter(Number.isFinite);
  const baseline = baselineRaw.filter(Number.isFinite);
  const result: CanaryAnalysis = {
    pass: false,
    reason: '',
    canary: {
      samples: canary.length,
      dropped: canaryRaw.length - canary.length,
      median: canary.length ? median(canary) : null,
    },
    baseline: {
      samples: baseline.length,
      dropped: baselineRaw.length - baseline.length,
      median: baseline.length ? median(baseline) : null,
    },
    u: null,
    z: null,
    pValue: null,
    relativeShift: null,
  };
  if (
    canary.length < options.minSamples ||
    baseline.length < options.minSamples
  ) {
    result.reason = `not enough data: canary ${canary.length}, baseline ${baseline.length} samples, need ${options.minSamples} each`;
    return result;
  }
  const { u, mean, sigma } = mannWhitneyU(canary, baseline);
  result.u = u;
  const bm = result.baseline.median!;
  const cm = result.canary.median!;
  if (bm !== 0) result.relativeShift = (cm - bm) / Math.abs(bm);
  else result.relativeShift = cm === 0 ? 0 : Infinity;
  if (sigma === 0) {
    // Every sample has the same value: no difference to find.
    result.z = 0;
    result.pValue = 1;
  } else {
    // Continuity correction towards the mean.
    const z =
      options.direction === 'increase'
        ? (u - mean - 0.5) / sigma
        : (u - mean + 0.5) / sigma;
    result.z = z;
    result.pValue =
      options.direction === 'increase' ? 1 - normalCdf(z) : normalCdf(z);
  }
  const worseShift =
    options.direction === 'increase'
      ? result.relativeShift
      : -result.relativeShift;
  const significant = result.pValue < options.alpha;
  const beyondTolerance = worseShift > options.tolerance;
  result.pass = !(significant && beyondTolerance);
  const numbers = `median canary ${round(cm)} vs baseline ${round(
    bm,
  )} (${formatShift(result.relativeShift)}), U=${round(u)}, p=${round(
    result.pValue,
    4,
  )}, alpha ${options.alpha}, tolerance ${formatShift(options.tolerance)}`;
  if (!result.pass)
    result.reason = `canary significantly worse (${options.direction}): ${numbers}`;
  else if (significant) result.reason = `canary within tolerance: ${numbers}`;
  else result.reason = `no significant ${options.direction}: ${numbers}`;
  return result;
}

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function formatShift(v: number): string {
  if (!Number.isFinite(v)) return 'from zero';
  return `${v >= 0 ? '+' : ''}${round(v * 100, 1)}%`;
}
