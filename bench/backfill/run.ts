/*
 * Benchmark of the backfill runner on PostgreSQL: a generated table of
 * BENCH_ROWS rows (10,000,000 by default) whose amount_cents is filled in
 * from amount, four ways in the same run, each on a freshly generated copy:
 *
 *   1. set-based: one `UPDATE ... WHERE amount_cents IS NULL` of the whole
 *      table (the physical floor, the baseline);
 *   2. the runner unthrottled (rps ceiling far above what it reaches),
 *      checkpointed at 10/50/90/100 % with verify;
 *   3. the runner throttled at half the rate it reached unthrottled,
 *      checkpointed;
 *   4. kill and resume: runner processes killed with SIGKILL three times at
 *      random moments, a fresh one resuming each time, then the final table
 *      compared with the expected one and every row's change count checked.
 *
 * During 1-3 a concurrent reader does primary-key lookups of random rows,
 * one after another, and its p99 is compared with the same reader on the
 * idle table. Peak memory is the bench process's RSS (the runner runs in it).
 *
 * Usage: bash bench/run.sh backfill   (BENCH_ROWS=1000000 for a short run;
 * BENCH_POSTGRES_URL to use a running PostgreSQL)
 */
import { ConfigReader } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BackfillRunner } from '../../plugins/conductor-backend/src/backfill/BackfillRunner';
import { BackfillService } from '../../plugins/conductor-backend/src/backfill/BackfillService';
import { BackfillStore } from '../../plugins/conductor-backend/src/backfill/BackfillStore';
import { BackfillTargets } from '../../plugins/conductor-backend/src/backfill/targets';
import { applyDatabaseMigrations } from '../../plugins/conductor-backend/src/shared/migrations';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const BASE =
  process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:55432';
const DB = 'conductor_bench_backfill';
const TABLE = 'bench_orders';

const logger: LoggerService = {
  info: () => {},
  debug: () => {},
  warn: m => console.warn(`  warn: ${m}`),
  error: m => console.error(`  error: ${m}`),
  child: () => logger,
};

const definition = (rps: number) => `id: bench-orders-cents
owner: component:default/orders-api
connection: target
table: ${TABLE}
key: id
step: >
  UPDATE ${TABLE} SET amount_cents = (amount * 100)::bigint, touches = touches + 1
  WHERE id BETWEEN :from AND :to AND amount_cents IS NULL
verify: >
  SELECT count(*) FROM ${TABLE} WHERE id BETWEEN :from AND :to
  AND (amount_cents IS NULL OR amount_cents <> (amount * 100)::bigint)
backfill:
  batch_size: 5000
  min_batch_size: 1000
  max_batch_size: 100000
  target_batch_ms: 500
  rps: ${rps}
  checkpoints: ["10%", "50%", "90%", "100%"]
`;

async function generate(db: Knex) {
  const t0 = Date.now();
  await db.raw(`DROP TABLE IF EXISTS ${TABLE}`);
  await db.raw(`CREATE TABLE ${TABLE} (
    id bigint NOT NULL, amount numeric(12,2) NOT NULL,
    amount_cents bigint, touches int NOT NULL DEFAULT 0)`);
  await db.raw(
    `INSERT INTO ${TABLE} (id, amount)
     SELECT i, ((i * 7919) % 100000) / 100.0 FROM generate_series(1::bigint, ?::bigint) AS i`,
    [ROWS],
  );
  await db.raw(`ALTER TABLE ${TABLE} ADD PRIMARY KEY (id)`);
  await db.raw(`VACUUM ANALYZE ${TABLE}`);
  await db('conductor_backfill_runs').delete();
  return (Date.now() - t0) / 1000;
}

/** Random primary-key reads one after another until stopped; latencies in ms. */
function reader(url: string) {
  const db = knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 1, max: 1 },
  });
  const latencies: number[] = [];
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const id = 1 + Math.floor(Math.random() * ROWS);
      const t = performance.now();
      await db.raw(`SELECT amount, amount_cents FROM ${TABLE} WHERE id = ?`, [
        id,
      ]);
      latencies.push(performance.now() - t);
      await new Promise(r => setTimeout(r, 2));
    }
  })();
  return {
    async stop() {
      stop = true;
      await done;
      await db.destroy();
      return latencies;
    },
  };
}

function p(xs: number[], q: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Runs `work` with the concurrent reader and an RSS sampler. */
async function measure(url: string, work: () => Promise<void>) {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const r = reader(url);
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const lat = await r.stop();
  clearInterval(sampler);
  return {
    seconds,
    rowsPerSecond: ROWS / seconds,
    p50: p(lat, 0.5),
    p99: p(lat, 0.99),
    reads: lat.length,
    peakRssMb: peak / 2 ** 20,
  };
}

async function check(db: Knex) {
  const [row] = (
    await db.raw(`SELECT
      count(*) FILTER (WHERE amount_cents IS DISTINCT FROM (amount * 100)::bigint) AS wrong,
      count(*) FILTER (WHERE touches <> 1) AS not_once,
      count(*) AS n FROM ${TABLE}`)
  ).rows;
  return {
    wrong: Number(row.wrong),
    notOnce: Number(row.not_once),
    n: Number(row.n),
  };
}

async function main() {
  const admin = knexFactory({ client: 'pg', connection: `${BASE}/postgres` });
  await admin.raw(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.raw(`CREATE DATABASE ${DB}`);
  await admin.destroy();
  const url = `${BASE}/${DB}`;
  const db = knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 1, max: 4 },
  });
  await applyDatabaseMigrations({ getClient: async () => db });
  const connections = { target: { client: 'pg', connection: url } };
  const store = new BackfillStore(db);
  const targets = new BackfillTargets(new ConfigReader(connections), db);
  const unitCost = { perMillionRows: 0, perDbSecond: 0 };
  const runner = new BackfillRunner({
    store,
    targets,
    evidence: { recordObserved: async () => {} },
    logger,
    unitCost,
    maxRunMs: 24 * 3_600_000,
    healthIntervalMs: 5000,
    batchTimeoutMs: 30_000,
    leaseTtlMs: 60_000,
  });
  const service = new BackfillService({
    store,
    targets,
    runner,
    logger,
    unitCost,
    files: [],
    jsSteps: new Set(),
    sloInstalled: false,
  });
  const runOnce = async (rps: number) => {
    await service.register(definition(rps), 'bench');
    const run = await service.start('bench-orders-cents', 'bench');
    await runner.work(run.id);
    return service.detail(run.id);
  };

  console.log(
    `backfill bench: ${ROWS.toLocaleString()} rows on PostgreSQL (${BASE})`,
  );
  const results: Record<string, any> = {};

  let gen = await generate(db);
  console.log(`generated in ${gen.toFixed(1)} s`);
  // 15 s: enough reads for a stable p99 on a shared machine.
  results.idle = await measure(
    url,
    () => new Promise(r => setTimeout(r, 15_000)),
  );

  results.setBased = await measure(url, async () => {
    await db.raw(
      `UPDATE ${TABLE} SET amount_cents = (amount * 100)::bigint, touches = touches + 1 WHERE amount_cents IS NULL`,
    );
  });
  results.setBased.check = await check(db);

  gen = await generate(db);
  let detail: any;
  results.unthrottled = await measure(url, async () => {
    detail = await runOnce(10_000_000);
  });
  results.unthrottled.check = await check(db);
  results.unthrottled.state = detail.state;
  results.unthrottled.checkpoints = detail.checkpoints
    .map((c: any) => `${c.at * 100}%:${c.passed ? 'ok' : 'FAIL'}`)
    .join(' ');
  results.unthrottled.batches = detail.batches.length;
  results.unthrottled.maxBatch = Math.max(
    ...detail.batches.map((b: any) => b.batchSize),
  );

  const throttledRps = Math.max(
    1000,
    Math.round(results.unthrottled.rowsPerSecond / 2 / 1000) * 1000,
  );
  gen = await generate(db);
  results.throttled = await measure(url, async () => {
    detail = await runOnce(throttledRps);
  });
  results.throttled.check = await check(db);
  results.throttled.state = detail.state;
  results.throttled.rps = throttledRps;
  results.throttled.checkpoints = detail.checkpoints
    .map((c: any) => `${c.at * 100}%:${c.passed ? 'ok' : 'FAIL'}`)
    .join(' ');

  // Kill and resume: runner processes killed with SIGKILL three times.
  gen = await generate(db);
  await service.register(definition(10_000_000), 'bench');
  const run = await service.start('bench-orders-cents', 'bench');
  const expectedSeconds = ROWS / results.unthrottled.rowsPerSecond;
  const child = () =>
    spawn(
      process.execPath,
      [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.resolve(
          __dirname,
          '../../plugins/conductor-backend/src/backfill/__testUtils__/runnerProcess.ts',
        ),
      ],
      {
        env: {
          ...process.env,
          BACKFILL_CHILD: JSON.stringify({
            plugin: { client: 'pg', connection: url },
            connections,
            runId: run.id,
            leaseTtlMs: 2000,
          }),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  const kills: string[] = [];
  const tKill = performance.now();
  for (let i = 0; i < 3; i++) {
    const before = (await store.run(run.id))!.rowsDone;
    const c = child();
    // Kill at a random moment once this process has committed something.
    while ((await store.run(run.id))!.rowsDone === before)
      await new Promise(r => setTimeout(r, 50));
    const after = (0.05 + Math.random() * 0.2) * expectedSeconds * 1000;
    await new Promise(r => setTimeout(r, after));
    c.kill('SIGKILL');
    await new Promise(r => c.once('exit', r));
    const r = (await store.run(run.id))!;
    kills.push(`at ${r.rowsDone.toLocaleString()} rows`);
    await new Promise(r2 => setTimeout(r2, 2100)); // the killed lease expires
  }
  const last = child();
  await new Promise(r => last.once('exit', r));
  const killSeconds = (performance.now() - tKill) / 1000;
  const final = (await service.detail(run.id))!;
  const killCheck = await check(db);
  const ranges = await store.batchRanges(run.id);
  let overlaps = 0;
  for (let i = 1; i < ranges.length; i++)
    if (Number(ranges[i].from[0]) <= Number(ranges[i - 1].to[0])) overlaps++;

  const f = (n: number, d = 0) =>
    n.toLocaleString('en-US', {
      maximumFractionDigits: d,
      minimumFractionDigits: d,
    });
  console.log('');
  console.log(
    '| way | seconds | rows/s | vs set-based | read p50 ms | read p99 ms | p99 vs idle | peak RSS MB | result |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  const idle = results.idle;
  console.log(
    `| idle (reader only) | ${f(idle.seconds, 1)} | | | ${f(idle.p50, 2)} | ${f(
      idle.p99,
      2,
    )} | 1.0x | ${f(idle.peakRssMb)} | ${idle.reads} reads |`,
  );
  for (const [name, r] of [
    ['set-based UPDATE (baseline)', results.setBased],
    ['runner unthrottled, checkpointed', results.unthrottled],
    [
      `runner throttled at ${f(throttledRps)} rows/s, checkpointed`,
      results.throttled,
    ],
  ] as const) {
    console.log(
      `| ${name} | ${f(r.seconds, 1)} | ${f(r.rowsPerSecond)} | ${f(
        r.rowsPerSecond / results.setBased.rowsPerSecond,
        2,
      )} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.p99 / idle.p99, 1)}x | ${f(
        r.peakRssMb,
      )} | ${r.state ?? 'done'}, wrong ${r.check.wrong}, changed≠1 ${
        r.check.notOnce
      }${r.checkpoints ? `, checkpoints ${r.checkpoints}` : ''} |`,
    );
  }
  console.log('');
  console.log(
    `unthrottled: ${results.unthrottled.batches} batches, largest ${f(
      results.unthrottled.maxBatch,
    )} rows`,
  );
  console.log(
    `kill -9 ×3 (${kills.join(', ')}), resumed each time: ${final.state} in ${f(
      killSeconds,
      1,
    )} s; final table: ${killCheck.wrong} rows differ from expected, ${
      killCheck.notOnce
    } rows changed other than exactly once, ${overlaps} overlapping batches of ${
      ranges.length
    }`,
  );
  console.log(
    `ratio runner unthrottled / set-based: ${f(
      results.unthrottled.rowsPerSecond / results.setBased.rowsPerSecond,
      2,
    )} (target ≥ 0.5); read p99 during runner unthrottled ${f(
      results.unthrottled.p99 / idle.p99,
      1,
    )}x idle, throttled ${f(
      results.throttled.p99 / idle.p99,
      1,
    )}x, set-based ${f(results.setBased.p99 / idle.p99, 1)}x (target ≤ 2x)`,
  );
  await targets.close();
  await db.destroy();
  const admin2 = knexFactory({ client: 'pg', connection: `${BASE}/postgres` });
  await admin2.raw(`DROP DATABASE IF EXISTS ${DB}`);
  await admin2.destroy();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
