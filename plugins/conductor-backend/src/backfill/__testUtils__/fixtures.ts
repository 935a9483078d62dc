import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { BackfillRunner, BackfillRunnerOptions } from '../BackfillRunner';
import { BackfillService } from '../BackfillService';
import { BackfillStore } from '../BackfillStore';
import { BackfillTargets } from '../targets';

/** A table of `n` items whose `amount_cents` the test backfill fills in. */
export async function createItems(db: Knex, n: number, table = 'bf_items') {
  await db.schema.dropTableIfExists(table);
  await db.schema.createTable(table, t => {
    t.integer('id').primary();
    t.integer('amount').notNullable();
    t.bigInteger('amount_cents').nullable();
    // How many times a row was changed: the proof of "exactly once in effect".
    t.integer('touches').notNullable().defaultTo(0);
  });
  await db.raw(
    `INSERT INTO ${table} (id, amount, touches)
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})
     SELECT i, i % 1000, 0 FROM n`,
  );
}

/** The step and verify of the test backfill (idempotent: only rows still NULL). */
export function itemsDefinition(
  options: {
    id?: string;
    connection?: string;
    table?: string;
    batchSize?: number;
    rps?: number;
    checkpoints?: string;
    verify?: string;
    extra?: string;
  } = {},
) {
  const table = options.table ?? 'bf_items';
  return `id: ${options.id ?? 'items-cents'}
owner: component:default/orders-api
connection: ${options.connection ?? 'main'}
table: ${table}
key: id
step: >
  UPDATE ${table} SET amount_cents = amount * 100, touches = touches + 1
  WHERE id BETWEEN :from AND :to AND amount_cents IS NULL
verify: >
  ${
    options.verify ??
    `SELECT count(*) FROM ${table} WHERE id BETWEEN :from AND :to
  AND (amount_cents IS NULL OR amount_cents <> amount * 100)`
  }
backfill:
  batch_size: ${options.batchSize ?? 100}
  min_batch_size: 10
  max_batch_size: 5000
  target_batch_ms: 50
  rps: ${options.rps ?? 1000000}
  checkpoints: [${options.checkpoints ?? '"10%", "50%", "100%"'}]
${options.extra ?? ''}`;
}

/** What was recorded as evidence, for assertions. */
export function evidenceRecorder() {
  const facts: Array<{ entityRef: string; name: string; value: any }> = [];
  return {
    facts,
    evidence: {
      async recordObserved(_id: string, f: typeof facts) {
        facts.push(...f);
      },
    },
  };
}

/** A store, targets, runner and service over one database. */
export function backfillParts(
  db: Knex,
  connections: object,
  runner: Partial<BackfillRunnerOptions> = {},
) {
  const store = new BackfillStore(db);
  const targets = new BackfillTargets(new ConfigReader(connections), db);
  const rec = evidenceRecorder();
  const logger = mockServices.logger.mock();
  const unitCost = { perMillionRows: 0, perDbSecond: 0 };
  const make = (o: Partial<BackfillRunnerOptions> = {}) =>
    new BackfillRunner({
      store,
      targets,
      evidence: rec.evidence,
      logger,
      unitCost,
      leaseTtlMs: 5000,
      healthIntervalMs: 20,
      ...runner,
      ...o,
    });
  const main = make();
  const service = new BackfillService({
    store,
    targets,
    runner: main,
    logger,
    unitCost: runner.unitCost ?? unitCost,
    files: [],
    jsSteps: new Set(),
    sloInstalled: Boolean(runner.slo),
  });
  return {
    store,
    targets,
    runner: main,
    make,
    service,
    facts: rec.facts,
    logger,
  };
}

/** Items whose backfill is not right, and how many were changed more than once. */
export async function itemsReport(db: Knex, table = 'bf_items') {
  const [row] = (await db(table).select(
    db.raw(
      'sum(CASE WHEN amount_cents IS NULL OR amount_cents <> amount * 100 THEN 1 ELSE 0 END) AS wrong',
    ),
    db.raw('sum(CASE WHEN touches <> 1 THEN 1 ELSE 0 END) AS not_once'),
    db.raw('count(*) AS n'),
  )) as any[];
  return {
    wrong: Number(row.wrong),
    notOnce: Number(row.not_once),
    n: Number(row.n),
  };
}

/** Polls until `check` returns a value, or fails after `ms`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  ms = 20_000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

/** Whether the committed batches cover the keys once each, in order. */
export function assertDisjoint(
  ranges: Array<{ from: unknown[]; to: unknown[] }>,
): void {
  let last = 0;
  for (const r of ranges) {
    const from = Number(r.from[0]);
    const to = Number(r.to[0]);
    if (!(from > last && to >= from))
      throw new Error(
        `batch ${from}..${to} overlaps or goes back (previous ended at ${last})`,
      );
    last = to;
  }
}
