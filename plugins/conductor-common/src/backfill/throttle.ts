/**
 * A token bucket of rows: `rate` rows a second, at most `rate` saved up (one
 * second of burst). Taking more than is there runs a debt that the caller
 * waits out, so a batch larger than the bucket still goes through at the
 * average rate. Time is passed in, so it is testable without clocks.
 *
 * @public
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private rate: number, now: number) {
    this.tokens = rate;
    this.last = now;
  }

  /** Changes the rate (a retune); saved tokens are capped at the new rate. */
  setRate(rate: number, now: number): void {
    this.refill(now);
    this.rate = rate;
    this.tokens = Math.min(this.tokens, rate);
  }

  /** Takes `n` tokens; returns how many ms to wait before using them. */
  take(n: number, now: number): number {
    this.refill(now);
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }

  private refill(now: number) {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.rate, this.tokens + elapsed * this.rate);
  }
}

/** Settings of the adaptive batch size. @public */
export interface BatchSizing {
  targetBatchMs: number;
  minBatchSize: number;
  maxBatchSize: number;
}

/** The sizer's memory: recent batch efficiencies, newest last. @public */
export interface BatchSizerState {
  batchSize: number;
  efficiencies: number[];
}

/** GitLab's batched migrations keep efficiency in this band. */
const EFFICIENCY_LOW = 0.9;
const EFFICIENCY_HIGH = 0.95;
const EMA_ALPHA = 0.4;
const EMA_WINDOW = 20;
const MAX_GROWTH = 1.2;

/** Exponential moving average, newest weighted `alpha`. @public */
export function ema(values: number[], alpha = EMA_ALPHA): number {
  let avg = values[0];
  for (let i = 1; i < values.length; i++)
    avg = alpha * values[i] + (1 - alpha) * avg;
  return avg;
}

/**
 * The next batch size after a batch took `durationMs` (GitLab's approach):
 * efficiency is duration over the target; its moving average over the last
 * 20 batches below 0.9 grows the batch (at most ×1.2), above 0.95 shrinks it
 * in proportion; always within the bounds. A failed or timed-out batch
 * halves it.
 *
 * @public
 */
export function nextBatchSize(
  state: BatchSizerState,
  batch: { durationMs: number; failed?: boolean },
  sizing: BatchSizing,
): BatchSizerState {
  const clamp = (n: number) =>
    Math.max(sizing.minBatchSize, Math.min(sizing.maxBatchSize, Math.round(n)));
  if (batch.failed) {
    return { batchSize: clamp(state.batchSize / 2), efficiencies: [] };
  }
  const efficiencies = [
    ...state.efficiencies,
    batch.durationMs / sizing.targetBatchMs,
  ].slice(-EMA_WINDOW);
  const e = ema(efficiencies);
  let factor = 1;
  if (e < EFFICIENCY_LOW)
    factor = Math.min(MAX_GROWTH, EFFICIENCY_HIGH / Math.max(e, 1e-6));
  else if (e > EFFICIENCY_HIGH) factor = Math.max(0.5, EFFICIENCY_HIGH / e);
  return { batchSize: clamp(state.batchSize * factor), efficiencies };
}
