// Database helpers every capability's store uses.

/** Splits rows into batches small enough for one statement on every database. */
export function chunks<T>(items: T[], size = 200): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/** The id from `insert(...).returning('id')`: an object on PostgreSQL, a number on SQLite. */
export function insertedId(row: unknown): number {
  return Number(
    typeof row === 'object' && row !== null ? (row as { id: unknown }).id : row,
  );
}

/** Converts what the driver returns for a timestamp column to ISO-8601. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') {
    // SQLite may hand back a number as text.
    return /^\d+$/.test(value)
      ? new Date(Number(value)).toISOString()
      : new Date(value).toISOString();
  }
  throw new Error(`Unexpected timestamp value ${String(value)}`);
}

/**
 * Reads a stored score. Scores are kept to 4 decimals, but PostgreSQL stores
 * a `float` column as float4 (0.8123 reads back as 0.81230002...), so the
 * value is rounded back to the precision it was written with.
 */
export function toScore(value: unknown): number {
  return Math.round(Number(value) * 1e4) / 1e4;
}
