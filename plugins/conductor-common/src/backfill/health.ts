import { BackfillHealthSignals } from './types';

/**
 * What the runner read of each health signal. A reading that could not be
 * taken carries `error` instead of a value and counts red: a runner that
 * cannot see the system does not write to it.
 *
 * @public
 */
export interface BackfillHealthReadings {
  burnRates?: Array<{ service: string; value: number | null; error?: string }>;
  lockWaits?: { value?: number; error?: string };
  replicationLagSeconds?: { value?: number; error?: string };
  prometheus?: { value?: number; error?: string };
}

/**
 * Red or green, with every reason it is red.
 *
 * @public
 */
export function backfillHealthVerdict(
  signals: BackfillHealthSignals,
  r: BackfillHealthReadings,
): { red: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const maxBurn = signals.maxBurnRate ?? 2;
  for (const b of r.burnRates ?? []) {
    if (b.error) reasons.push(`SLO burn rate of ${b.service}: ${b.error}`);
    else if (b.value !== null && b.value > maxBurn)
      reasons.push(
        `SLO burn rate of ${b.service} is ${round(b.value)} (over ${maxBurn})`,
      );
  }
  const check = (
    reading: { value?: number; error?: string } | undefined,
    max: number | undefined,
    what: string,
  ) => {
    if (!reading || max === undefined) return;
    if (reading.error) reasons.push(`${what}: ${reading.error}`);
    else if (reading.value !== undefined && reading.value > max)
      reasons.push(`${what} is ${round(reading.value)} (over ${max})`);
  };
  check(r.lockWaits, signals.maxLockWaits, 'sessions waiting on a lock');
  check(
    r.replicationLagSeconds,
    signals.maxReplicationLagSeconds,
    'replication lag (s)',
  );
  check(
    r.prometheus,
    signals.prometheus?.max,
    `Prometheus ${signals.prometheus?.query}`,
  );
  return { red: reasons.length > 0, reasons };
}

function round(n: number) {
  return Math.round(n * 100) / 100;
}
