// The one place numbers, scores and ages are worded, so that every view in
// the portal reads the same: scores and shares as percent, changes of a
// score in percentage points, ages as "3 d ago".
import {
  EvidenceFact,
  FactValue,
  KNOWN_FACTS,
  formatAge as ageOf,
  inferFactType,
} from '@internal/plugin-conductor-common';

/** Rounds to four decimals: scores and their changes are stored that way. */
export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

const missing = (x: number | null | undefined): x is null | undefined =>
  x === null || x === undefined || Number.isNaN(x);

/** A fraction in [0, 1] as a percent, "83.4 %"; "n/a" when there is none. */
export function formatPercent(
  fraction: number | null | undefined,
  digits = 1,
): string {
  if (missing(fraction)) return 'n/a';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A score (compliance, readiness, a threshold) in [0, 1]: always a percent. */
export function formatScore(score: number | null | undefined): string {
  return formatPercent(score);
}

/** A change of a score, in percentage points: "+2.5 pts", "-10.0 pts", "±0 pts". */
export function formatPoints(delta: number | null | undefined): string {
  if (missing(delta)) return '';
  const points = round4(delta) * 100;
  if (Math.abs(points) < 0.05) return '±0 pts';
  return `${points > 0 ? '+' : '-'}${Math.abs(points).toFixed(1)} pts`;
}

/** The change from `previous` to `score` in points; "" when either is unknown. */
export function formatDelta(
  score: number | null,
  previous: number | null,
): string {
  if (score === null || previous === null) return '';
  return formatPoints(score - previous);
}

/** How old something is, "3 h" or "12 d"; "just now" under a minute. */
export function formatAge(at: string, now?: Date): string {
  return ageOf(at, now);
}

/** When something happened, relative to now: "3 d ago", or "just now". */
export function formatAgo(at: string, now?: Date): string {
  const age = ageOf(at, now);
  return age === 'just now' ? age : `${age} ago`;
}

/** Whether a numeric fact is a share in [0, 1], shown as a percent. */
export function isShare(name: string): boolean {
  return KNOWN_FACTS[name]?.max === 1;
}

/** A fact value as a person reads it. */
export function formatFactValue(
  fact: Pick<EvidenceFact, 'name' | 'type' | 'value'>,
): string {
  const v = fact.value;
  if (fact.type === 'number' && typeof v === 'number') {
    return isShare(fact.name) ? formatPercent(v) : String(v);
  }
  if (fact.type === 'boolean') return v ? 'yes' : 'no';
  if (fact.type === 'timestamp')
    return `${String(v).slice(0, 10)} (${formatAgo(String(v))})`;
  if (fact.type === 'string-list')
    return (v as string[]).join(', ') || '(none)';
  if (fact.type === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${x ?? 'missing'}`)
      .join(', ');
  }
  return String(v);
}

/** A value as the fact catalog types it, or inferred from the value. */
export function formatValueOf(name: string, value: FactValue): string {
  const type = KNOWN_FACTS[name]?.type ?? inferFactType(value) ?? 'string';
  return formatFactValue({ name, type, value });
}

/** A value on one side of a change; "—" where the fact did not exist. */
export function formatChangedValue(
  name: string,
  value: FactValue | null,
): string {
  if (value === null) return '—';
  return formatValueOf(name, value);
}

/** "2026-11-24" of an ISO time. */
export function formatDay(at: string): string {
  return at.slice(0, 10);
}

/** A team by its name in the default namespace ("payments"); "unowned" for none. */
export function shortTeam(ref: string | null | undefined): string {
  return ref ? ref.replace(/^group:default\//, '') : 'unowned';
}

/** A duration in hours: "10.0 h", "3.5 d" from two days on; "n/a" for none. */
export function formatHours(h: number | null): string {
  if (h === null) return 'n/a';
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
}
