// Error-budget and burn-rate arithmetic (SRE Workbook ch. 5, as Sloth
// generates it). Pure: no I/O, every function unit-tested.
import { BurnAlertId, BurnAlertWindow } from './types';

/** Window lengths in seconds for the durations the rules use. */
const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

/** `5m`, `1h`, `30d` → seconds. @public */
export function durationSeconds(window: string): number {
  const m = /^(\d+)([smhdw])$/.exec(window);
  if (!m) throw new Error(`not a duration: ${window}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]];
}

/**
 * Sloth's alert windows: which share of the period's budget each
 * condition spends before it fires (SRE Workbook table 5-8).
 */
const ALERT_WINDOWS: Array<{
  id: BurnAlertId;
  severity: 'page' | 'ticket';
  longWindow: string;
  shortWindow: string;
  budgetShare: number;
}> = [
  {
    id: 'page-fast',
    severity: 'page',
    longWindow: '1h',
    shortWindow: '5m',
    budgetShare: 0.02,
  },
  {
    id: 'page-slow',
    severity: 'page',
    longWindow: '6h',
    shortWindow: '30m',
    budgetShare: 0.05,
  },
  {
    id: 'ticket-fast',
    severity: 'ticket',
    longWindow: '1d',
    shortWindow: '2h',
    budgetShare: 0.1,
  },
  {
    id: 'ticket-slow',
    severity: 'ticket',
    longWindow: '3d',
    shortWindow: '6h',
    budgetShare: 0.1,
  },
];

/**
 * The four alert conditions for a window of `windowDays`, factor = budget
 * share × period / long window: 14.4, 6, 3, 1 for 30 days; 13.44, 5.6,
 * 2.8, 0.933 for 28.
 *
 * @public
 */
export function burnAlertWindows(windowDays: number): BurnAlertWindow[] {
  const period = windowDays * 86400;
  return ALERT_WINDOWS.map(w => ({
    id: w.id,
    severity: w.severity,
    longWindow: w.longWindow,
    shortWindow: w.shortWindow,
    // Rounded so that 28 d prints 0.9333 rather than 0.93333333333.
    factor:
      Math.round(
        ((w.budgetShare * period) / durationSeconds(w.longWindow)) * 1e4,
      ) / 1e4,
  }));
}

/** Every window the rules and the board measure, shortest first. @public */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

/** The error budget as a ratio: 1 − objective. 99.9 % → 0.001. @public */
export function errorBudget(objectivePercent: number): number {
  // Rounded so that 99.9 gives 0.001 rather than 0.0010000000000000009.
  return Math.round((1 - objectivePercent / 100) * 1e12) / 1e12;
}

/** A number, or null when there is no data (no traffic gives NaN: 0/0). @public */
export type Measured = number | null;

/** null for NaN, ±Infinity, undefined: a ratio without traffic is no data, never 0. @public */
export function measured(value: number | undefined | null): Measured {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** How many times faster than sustainable the budget is spent. @public */
export function burnRate(
  errorRatio: Measured,
  objectivePercent: number,
): Measured {
  if (errorRatio === null) return null;
  return errorRatio / errorBudget(objectivePercent);
}

/**
 * Share of the window's error budget left: 1 − error ratio / budget. Below 0
 * when the budget is overspent (kept, so the board can say by how much).
 *
 * @public
 */
export function budgetRemaining(
  windowErrorRatio: Measured,
  objectivePercent: number,
): Measured {
  if (windowErrorRatio === null) return null;
  return 1 - windowErrorRatio / errorBudget(objectivePercent);
}

/** The SLI (availability, or share of fast requests) from the error ratio. @public */
export function sliFromErrorRatio(errorRatio: Measured): Measured {
  return errorRatio === null ? null : 1 - errorRatio;
}

/**
 * Whether an alert condition fires: both windows' error ratios exceed
 * factor × (1 − objective). No data in either window never fires (the rule
 * in Prometheus behaves the same: NaN > x is false), and is reported as
 * `null` so the board does not call it quiet.
 *
 * @public
 */
export function wouldFire(
  longErrorRatio: Measured,
  shortErrorRatio: Measured,
  factor: number,
  objectivePercent: number,
): boolean | null {
  if (longErrorRatio === null || shortErrorRatio === null) return null;
  const threshold = factor * errorBudget(objectivePercent);
  return longErrorRatio > threshold && shortErrorRatio > threshold;
}

/** Cost per 1,000 requests from a cost rate and a request rate over the same window. @public */
export function costPerThousand(
  costRate: Measured,
  requestRate: Measured,
): Measured {
  if (costRate === null || requestRate === null || requestRate <= 0)
    return null;
  return (costRate / requestRate) * 1000;
}
