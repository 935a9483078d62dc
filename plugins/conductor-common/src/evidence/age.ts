/**
 * Human wording of how old an observation is, e.g. "3 h" or "12 d".
 *
 * @public
 */
export function formatAge(observedAt: string, now: Date = new Date()): string {
  const ms = Math.max(0, now.getTime() - Date.parse(observedAt));
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** Age in days, fractional. @public */
export function ageInDays(observedAt: string, now: Date = new Date()): number {
  return Math.max(0, now.getTime() - Date.parse(observedAt)) / 86_400_000;
}

/**
 * Parses a relative age such as `-3d`, `-12h` or `-30m` (used by seed
 * files so that demo evidence is always recent) into an absolute time.
 */
export function resolveRelativeTime(
  value: string,
  now: Date = new Date(),
): string {
  const m = /^-(\d+(?:\.\d+)?)([mhd])$/.exec(value.trim());
  if (!m) return value;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'm' | 'h' | 'd'
  ];
  return new Date(now.getTime() - Number(m[1]) * unit).toISOString();
}
