/** How long to wait before retrying a failed message. */
export interface BackoffPolicy {
  /** Delay cap for the first retry, in ms. */
  baseMs: number;
  /** Largest delay, in ms, however many attempts failed. */
  maxMs: number;
  /** Attempts in all (first try included) before the message is dead-lettered. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 200,
  maxMs: 60_000,
  maxAttempts: 5,
};

/**
 * Exponential backoff with full jitter: a uniform delay in
 * [0, min(maxMs, baseMs * 2^(attempt - 1))]. Jitter spreads the retries of
 * messages that failed together, so a recovering dependency is not hit by
 * all of them at the same instant.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(
      `attempt: must be a whole number >= 1, got ${attempt}`,
    );
  }
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}
