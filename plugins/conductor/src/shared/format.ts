// The one place numbers, scores and ages are worded, so that every view in
// the portal reads the same.
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

/** A fraction in [0, 1] as a percent, "83.4 %"; "n/a" when there is none. */
export function formatPercent(
  fraction: number | null | undefined,
  digits = 1,
): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) {
    return 'n/a';
  }
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** "+0.12" / "-0.05" / "±0" for a score change; "" when either side is unknown. */
export function formatDelta(
  score: number | null,
  previous: number | null,
): string {
  if (score === null || previous === null) return '';
  const d = round4(score - previous);
  if (d === 0) return '±0';
  return d > 0 ? `+${d}` : String(d);
}

/** How old something is, "3 h" or "12 d"; "just now" under a minute. */
export function formatAge(at: string, now?: Date): string {
  return ageOf(at, now);
}

/** A fact value as a person reads it. */
export function formatFactValue(
  fact: Pick<EvidenceFact, 'name' | 'type' | 'value'>,
): string {
  const v = fact.value;
  if (fact.type === 'number' && typeof v === 'number') {
    const known = KNOWN_FACTS[fact.name];
    return known?.max === 1 ? formatPercent(v) : String(v);
  }
  if (fact.type === 'boolean') return v ? 'yes' : 'no';
  if (fact.type === 'timestamp')
    return `${String(v).slice(0, 10)} (${formatAge(String(v))} ago)`;
  if (fact.type === 'string-list')
    return (v as string[]).join(', ') || '(none)';
  if (fact.type === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${x ?? 'missing'}`)
      .join(', ');
  }
  return String(v);
}

/** A value on one side of a change; "—" where the fact did not exist. */
export function formatChangedValue(
  name: string,
  value: FactValue | null,
): string {
  if (value === null) return '—';
  const type = KNOWN_FACTS[name]?.type ?? inferFactType(value) ?? 'string';
  return formatFactValue({ name, type, value });
}
