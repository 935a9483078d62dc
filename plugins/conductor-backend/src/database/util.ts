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
