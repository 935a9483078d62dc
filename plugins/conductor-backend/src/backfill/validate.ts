import {
  BackfillDefinition,
  keyRangeBindings,
} from '@internal/plugin-conductor-common';
import { BackfillTarget, BackfillTargets, quoteIdent, rowsOf } from './targets';

/** A problem found checking a definition against its database. */
export interface DatabaseProblem {
  field: string;
  message: string;
}

/**
 * Checks a parsed definition against its target database before anything
 * runs: the connection is configured and answers, the table exists, the key
 * columns lead an index (else every batch would scan the table), and the
 * step and verify parse and plan on a dry range (`EXPLAIN`, which runs
 * nothing).
 */
export async function checkDefinitionAgainstDatabase(
  d: BackfillDefinition,
  targets: BackfillTargets,
  jsSteps: ReadonlySet<string>,
): Promise<DatabaseProblem[]> {
  let target: BackfillTarget;
  try {
    target = targets.get(d.connection);
  } catch (e) {
    return [{ field: 'connection', message: (e as Error).message }];
  }
  const problems: DatabaseProblem[] = [];
  if (d.jsStep && !jsSteps.has(d.jsStep)) {
    problems.push({
      field: 'js_step',
      message: `no step ${d.jsStep} is registered; registered: ${
        [...jsSteps].join(', ') || 'none'
      }`,
    });
  }
  let columns: string[];
  try {
    columns = await tableColumns(target, d.table);
  } catch (e) {
    return [
      {
        field: 'connection',
        message: `cannot reach ${d.connection}: ${(e as Error).message}`,
      },
    ];
  }
  if (columns.length === 0) {
    return [
      ...problems,
      { field: 'table', message: `no table ${d.table} on ${d.connection}` },
    ];
  }
  const missing = d.key.filter(k => !columns.includes(k));
  if (missing.length) {
    return [
      ...problems,
      {
        field: 'key',
        message: `no column ${missing.join(', ')} in ${d.table}`,
      },
    ];
  }
  const indexes = await indexedColumnLists(target, d.table);
  if (!indexes.some(cols => d.key.every((k, i) => cols[i] === k))) {
    problems.push({
      field: 'key',
      message: `no index on ${d.table} starts with (${d.key.join(
        ', ',
      )}): every batch would scan the table; add one first`,
    });
  }
  // A dry range of one existing key (or none on an empty table).
  const first = rowsOf(
    await target.db.raw(
      `SELECT ${d.key.map(quoteIdent).join(', ')} FROM ${quoteIdent(
        d.table,
      )} ORDER BY ${d.key.map(quoteIdent).join(', ')} LIMIT 1`,
    ),
  )[0] as Record<string, unknown> | undefined;
  const bound = d.key.map(k => (first ? first[k] : null));
  const explain = target.dialect === 'pg' ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN';
  for (const [field, sql] of [
    ['step', d.step],
    ['verify', d.verify],
  ] as const) {
    if (!sql) continue;
    try {
      await target.db.raw(
        `${explain} ${sql}`,
        keyRangeBindings(d.key, bound, bound),
      );
    } catch (e) {
      problems.push({
        field,
        message: `does not parse on ${d.connection}: ${firstLine(
          (e as Error).message,
        )}`,
      });
    }
  }
  return problems;
}

function firstLine(s: string) {
  // knex prefixes the SQL; keep the database's own words.
  const line = s.split('\n')[0];
  const dash = line.lastIndexOf(' - ');
  return dash >= 0 ? line.slice(dash + 3) : line;
}

async function tableColumns(t: BackfillTarget, table: string) {
  if (t.dialect === 'sqlite') {
    const rows = rowsOf(
      await t.db.raw(`PRAGMA table_info(${quoteIdent(table)})`),
    ) as Array<{ name: string }>;
    return rows.map(r => r.name);
  }
  const [schema, name] = table.includes('.')
    ? table.split('.')
    : [undefined, table];
  const rows = rowsOf(
    await t.db.raw(
      `SELECT column_name FROM information_schema.columns
       WHERE table_name = ? AND table_schema = coalesce(?, current_schema())`,
      [name, schema ?? null],
    ),
  ) as Array<{ column_name: string }>;
  return rows.map(r => r.column_name);
}

/** The column lists of every index of a table, in index order. */
async function indexedColumnLists(
  t: BackfillTarget,
  table: string,
): Promise<string[][]> {
  if (t.dialect === 'sqlite') {
    const out: string[][] = [];
    const info = rowsOf(
      await t.db.raw(`PRAGMA table_info(${quoteIdent(table)})`),
    ) as Array<{ name: string; type: string; pk: number }>;
    // INTEGER PRIMARY KEY is the rowid itself: the table is its index.
    const pk = info.filter(c => c.pk > 0);
    if (pk.length === 1 && /^integer$/i.test(pk[0].type))
      out.push([pk[0].name]);
    const list = rowsOf(
      await t.db.raw(`PRAGMA index_list(${quoteIdent(table)})`),
    ) as Array<{ name: string }>;
    for (const idx of list) {
      const cols = rowsOf(
        await t.db.raw(`PRAGMA index_info(${quoteIdent(idx.name)})`),
      ) as Array<{ seqno: number; name: string }>;
      out.push(cols.sort((a, b) => a.seqno - b.seqno).map(c => c.name));
    }
    return out;
  }
  const rows = rowsOf(
    await t.db.raw(
      `SELECT array_to_json(array(
         SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS u(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.attnum
         ORDER BY u.ord)) AS cols
       FROM pg_index i WHERE i.indrelid = ?::regclass`,
      [table],
    ),
  ) as Array<{ cols: string[] | string }>;
  return rows.map(r =>
    typeof r.cols === 'string' ? JSON.parse(r.cols) : r.cols,
  );
}
