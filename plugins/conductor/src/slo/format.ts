// How SLO numbers read on the boards: "no data" is never a number, a burn
// rate reads "14.4×", a budget overspent reads below 0 %.
import {
  SloAlertState,
  SloDataState,
  SloStatus,
} from '@internal/plugin-conductor-common';
import { formatPercent } from '../shared/format';

/** What a state without numbers says. */
export const STATE_TEXT: Record<SloDataState, string> = {
  ok: 'ok',
  'no-data': 'no data',
  absent: 'metric absent',
  unavailable: 'data unavailable',
  error: 'query error',
  'not-configured': 'no Prometheus configured',
};

/**
 * A cell without a number. When Prometheus is not configured or cannot be
 * reached, the board says so once above the table; each cell repeating it
 * only pushed the columns off the card. A state of one SLO (no data, metric
 * absent, query error) is said in its cells.
 */
export function stateCell(state: SloDataState): string {
  return state === 'not-configured' || state === 'unavailable'
    ? '—'
    : STATE_TEXT[state];
}

/** An SLI (availability, share of fast requests) with the precision SLOs need: "99.95 %". */
export function formatSli(s: SloStatus): string {
  return s.state === 'ok' ? formatPercent(s.sli, 3) : stateCell(s.state);
}

/** Budget remaining: "42.6 %", "-120.0 %" when overspent. */
export function formatBudget(s: SloStatus): string {
  return s.state === 'ok'
    ? formatPercent(s.budgetRemaining)
    : stateCell(s.state);
}

/** A burn rate: "14.4×"; "no data" without traffic in the window. */
export function formatBurn(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate))
    return 'no data';
  return `${rate < 10 ? rate.toFixed(2) : rate.toFixed(1)}×`;
}

/** Latency against its threshold: "p95 339 ms (≤ 350 ms)". */
export function formatLatency(s: SloStatus): string {
  if (!s.latency) return '';
  const value =
    s.state === 'ok' && s.latency.valueMs !== null
      ? `${Math.round(s.latency.valueMs)} ms`
      : stateCell(s.state === 'ok' ? 'no-data' : s.state);
  return `p${s.latency.percentile} ${value} (≤ ${s.latency.thresholdMs} ms)`;
}

/** Alert state words. */
export const ALERT_TEXT: Record<SloAlertState, string> = {
  page: 'PAGE firing',
  ticket: 'ticket firing',
  ok: 'quiet',
  'no-data': 'no data',
};

/** Sort weight of an alert state: firing first when sorted descending. */
export const ALERT_RANK: Record<SloAlertState, number> = {
  page: 3,
  ticket: 2,
  ok: 1,
  'no-data': 0,
};
