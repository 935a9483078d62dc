/**
 * Named placeholders (`:name`) in a SQL text, outside string literals,
 * quoted identifiers, comments and PostgreSQL `::type` casts.
 *
 * @public
 */
export function sqlPlaceholders(sql: string): string[] {
  const found = new Set<string>();
  for (const m of stripSqlLiterals(sql).matchAll(
    /(^|[^:\w]):([A-Za-z_][A-Za-z0-9_]*)/g,
  )) {
    found.add(m[2]);
  }
  return [...found];
}

/** The SQL with literals, quoted identifiers and comments blanked out. */
export function stripSqlLiterals(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
}

/**
 * The placeholder names of the key range for these key columns: `from` and
 * `to` for one column, `from_<col>` and `to_<col>` for each of several.
 *
 * @public
 */
export function keyRangePlaceholders(key: string[]): {
  from: string[];
  to: string[];
} {
  if (key.length === 1) return { from: ['from'], to: ['to'] };
  return {
    from: key.map(k => `from_${k}`),
    to: key.map(k => `to_${k}`),
  };
}

/**
 * The bindings of a key range (both bounds inclusive) for the step or the
 * verify query.
 *
 * @public
 */
export function keyRangeBindings(
  key: string[],
  from: unknown[],
  to: unknown[],
): Record<string, unknown> {
  const names = keyRangePlaceholders(key);
  const out: Record<string, unknown> = {};
  names.from.forEach((n, i) => (out[n] = from[i]));
  names.to.forEach((n, i) => (out[n] = to[i]));
  return out;
}

/** A plain or schema-qualified SQL identifier. @public */
export const SQL_IDENTIFIER =
  /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * What is wrong with a step's SQL, without a database: it must be one
 * UPDATE of the definition's table with a WHERE clause that uses every
 * key-range placeholder and no other. Whether it parses is checked against
 * the target database at load (EXPLAIN on a dry range).
 *
 * @public
 */
export function checkStepSql(
  sql: string,
  table: string,
  key: string[],
): string | undefined {
  const bare = stripSqlLiterals(sql).trim().replace(/;\s*$/, '');
  if (bare.includes(';')) return 'must be a single statement';
  const m = /^update\s+("?)([\w.]+)\1\s/i.exec(bare);
  if (!m) return 'must start with UPDATE <table>';
  if (m[2].toLowerCase() !== table.toLowerCase())
    return `updates ${m[2]}, but the definition's table is ${table}`;
  if (!/\swhere\s/i.test(bare))
    return 'needs WHERE <key range> AND <row still needs it>';
  return checkPlaceholders(sql, key, true);
}

/**
 * What is wrong with a verify query, without a database: one SELECT (or
 * WITH) using only the key-range placeholders.
 *
 * @public
 */
export function checkVerifySql(sql: string, key: string[]): string | undefined {
  const bare = stripSqlLiterals(sql).trim().replace(/;\s*$/, '');
  if (bare.includes(';')) return 'must be a single statement';
  if (!/^(select|with)\s/i.test(bare)) return 'must be a SELECT';
  return checkPlaceholders(sql, key, false);
}

function checkPlaceholders(
  sql: string,
  key: string[],
  needsAll: boolean,
): string | undefined {
  const names = keyRangePlaceholders(key);
  const known = [...names.from, ...names.to];
  const used = sqlPlaceholders(sql);
  const unknown = used.filter(u => !known.includes(u));
  if (unknown.length)
    return `unknown placeholder(s) ${unknown
      .map(u => `:${u}`)
      .join(', ')}; the key range is ${known.map(k => `:${k}`).join(', ')}`;
  const missing = known.filter(k => !used.includes(k));
  if (needsAll && missing.length)
    return `touches no key range: use ${missing
      .map(k => `:${k}`)
      .join(', ')} in the WHERE clause`;
  return undefined;
}
