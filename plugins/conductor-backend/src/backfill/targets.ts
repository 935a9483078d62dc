import { Config } from '@backstage/config';
import {
  BackfillDefinition,
  keyRangeBindings,
} from '@internal/plugin-conductor-common';
import knexFactory, { Knex } from 'knex';

/** A database a backfill writes to: a named knex connection from config. */
export interface BackfillTarget {
  name: string;
  db: Knex;
  dialect: 'pg' | 'sqlite';
  /** True when the target is the plugin's own database (cursor in the batch's transaction). */
  isPluginDatabase: boolean;
}

function dialectOf(db: Knex): 'pg' | 'sqlite' {
  const client = String(db.client.config.client);
  if (/sqlite/.test(client)) return 'sqlite';
  if (/^(pg|postgres)/.test(client)) return 'pg';
  throw new Error(
    `client ${client} is not supported; use pg (PostgreSQL) or better-sqlite3`,
  );
}

/**
 * The connections under `conductor.backfill.connections`, each either
 * `{ client: pg | better-sqlite3, connection }` or
 * `{ usePluginDatabase: true }`. Opened lazily, closed by `close()`.
 */
export class BackfillTargets {
  private readonly open = new Map<string, BackfillTarget>();

  constructor(
    private readonly config: Config | undefined,
    private readonly pluginDb: Knex,
  ) {}

  names(): string[] {
    return this.config?.keys() ?? [];
  }

  get(name: string): BackfillTarget {
    const existing = this.open.get(name);
    if (existing) return existing;
    const c = this.config?.getOptionalConfig(name);
    if (!c) {
      throw new Error(
        `unknown connection ${name}; configured: ${
          this.names().join(', ') || 'none'
        } (conductor.backfill.connections)`,
      );
    }
    let target: BackfillTarget;
    if (c.getOptionalBoolean('usePluginDatabase')) {
      target = {
        name,
        db: this.pluginDb,
        dialect: dialectOf(this.pluginDb),
        isPluginDatabase: true,
      };
    } else {
      const client = c.getString('client');
      if (!['pg', 'better-sqlite3'].includes(client)) {
        throw new Error(
          `conductor.backfill.connections.${name}.client: ${client} is not supported; use pg or better-sqlite3`,
        );
      }
      const connection = c.get('connection') as Knex.StaticConnectionConfig;
      const db = knexFactory({
        client,
        connection:
          client === 'better-sqlite3' && typeof connection === 'string'
            ? { filename: connection }
            : connection,
        useNullAsDefault: true,
        pool: client === 'pg' ? { min: 0, max: 4 } : undefined,
      });
      target = { name, db, dialect: dialectOf(db), isPluginDatabase: false };
    }
    this.open.set(name, target);
    return target;
  }

  async close(): Promise<void> {
    for (const t of this.open.values())
      if (!t.isPluginDatabase) await t.db.destroy();
    this.open.clear();
  }
}

/** `"a"` or `"s"."t"` quoted for SQL. */
export function quoteIdent(name: string): string {
  return name
    .split('.')
    .map(p => `"${p.replace(/"/g, '""')}"`)
    .join('.');
}

/**
 * The next batch after `cursor` by keyset pagination: the first and last
 * key of at most `limit` rows and how many rows that is. Reads only the key
 * index; never OFFSET.
 */
export async function nextKeyRange(
  db: Knex | Knex.Transaction,
  d: Pick<BackfillDefinition, 'table' | 'key'>,
  cursor: unknown[] | null,
  limit: number,
): Promise<{ from: unknown[]; to: unknown[]; rows: number } | undefined> {
  const cols = d.key.map(quoteIdent);
  const tuple = (xs: string[]) =>
    xs.length === 1 ? xs[0] : `(${xs.join(', ')})`;
  const where = cursor
    ? `WHERE ${tuple(cols)} > ${tuple(cols.map(() => '?'))}`
    : '';
  const inner = `SELECT ${cols.join(', ')} FROM ${quoteIdent(
    d.table,
  )} ${where} ORDER BY ${cols.join(', ')} LIMIT ?`;
  const keys = (cursor ?? []) as Knex.RawBinding[];
  const bindings: Knex.RawBinding[] = [...keys, limit];
  if (d.key.length === 1) {
    const res = await db.raw(
      `SELECT min(${cols[0]}) AS lo, max(${cols[0]}) AS hi, count(*) AS n FROM (${inner}) s`,
      bindings,
    );
    const row = rowsOf(res)[0] as { lo: unknown; hi: unknown; n: unknown };
    if (!row || Number(row.n) === 0) return undefined;
    return { from: [row.lo], to: [row.hi], rows: Number(row.n) };
  }
  // Composite key: the first and the last tuple of the batch.
  const desc = cols.map(c => `${c} DESC`).join(', ');
  const first = rowsOf(
    await db.raw(`${inner.replace(/LIMIT \?$/, 'LIMIT 1')}`, keys),
  )[0] as Record<string, unknown> | undefined;
  if (!first) return undefined;
  const last = rowsOf(
    await db.raw(
      `SELECT * FROM (${inner}) s ORDER BY ${desc} LIMIT 1`,
      bindings,
    ),
  )[0] as Record<string, unknown>;
  const count = rowsOf(
    await db.raw(`SELECT count(*) AS n FROM (${inner}) s`, bindings),
  )[0] as { n: unknown };
  return {
    from: d.key.map(k => first[k]),
    to: d.key.map(k => last[k]),
    rows: Number(count.n),
  };
}

/** Rows of a `knex.raw` result on either database. */
export function rowsOf(res: unknown): unknown[] {
  if (Array.isArray(res)) return res;
  const rows = (res as { rows?: unknown[] })?.rows;
  return Array.isArray(rows) ? rows : [];
}

/** Rows an UPDATE changed, from a `knex.raw` result on either database. */
export function changedRows(res: unknown): number {
  const r = res as { rowCount?: number; changes?: number };
  return Number(r?.rowCount ?? r?.changes ?? 0);
}

/** Runs the definition's step over one key range; returns rows changed. */
export async function applyStep(
  trx: Knex.Transaction,
  d: BackfillDefinition,
  from: unknown[],
  to: unknown[],
): Promise<number> {
  const res = await trx.raw(d.step!, keyRangeBindings(d.key, from, to));
  return changedRows(res);
}

/** Runs the verify query over the done range: rows still wrong. */
export async function runVerify(
  db: Knex,
  d: BackfillDefinition,
  from: unknown[],
  to: unknown[],
): Promise<number> {
  const res = await db.raw(d.verify!, keyRangeBindings(d.key, from, to));
  const row = rowsOf(res)[0] as Record<string, unknown> | undefined;
  const value = row ? Object.values(row)[0] : undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new Error(
      `verify must return one number (rows still wrong), got ${JSON.stringify(
        row ?? null,
      )}`,
    );
  }
  return n;
}

/** Whether an error means the database cannot be reached any more. */
export function isConnectionLost(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  const text = `${err?.code ?? ''} ${err?.message ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|57P01|57P02|57P03|08000|08003|08006|08001|Connection terminated|connection is closed|Timeout acquiring a connection|terminating connection|database is closed|SQLITE_CANTOPEN|The database connection is not open|encountered a connection error|is not queryable/i.test(
    text,
  );
}

/** Whether an error is a statement timeout (the batch took too long). */
export function isTimeout(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '57014' ||
    /statement timeout|canceling statement/i.test(err?.message ?? '')
  );
}
