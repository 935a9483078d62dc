import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { applyDatabaseMigrations } from '../shared/migrations';
import {
  assertDisjoint,
  backfillParts,
  createItems,
  itemsDefinition,
  itemsReport,
  waitFor,
} from './__testUtils__/fixtures';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const ROWS = 20_000;

/** Starts a runner process on the run; resolves once it is up. */
function startRunner(env: object): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__', 'runnerProcess.ts'),
    ],
    {
      env: { ...process.env, BACKFILL_CHILD: JSON.stringify(env) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', code => reject(new Error(`runner exited with ${code}`)));
  });
}

/**
 * Starts a runner process, lets it commit at least `rows` more rows, then
 * kills it with SIGKILL (no clean stop: the batch in flight is cut).
 */
async function killMidRun(
  db: Knex,
  runId: number,
  env: object,
  rows: number,
): Promise<number> {
  const before = await rowsDone(db, runId);
  const child = await startRunner(env);
  await waitFor(
    async () => (await rowsDone(db, runId)) >= before + rows,
    60_000,
    'the runner process to make progress',
  );
  child.kill('SIGKILL');
  await new Promise(r => child.once('exit', r));
  return rowsDone(db, runId);
}

async function rowsDone(db: Knex, runId: number) {
  const row = await db('conductor_backfill_runs').where({ id: runId }).first();
  return Number(row.rows_done);
}

async function killAndResume(
  db: Knex,
  plugin: Knex.Config,
  connections: object,
  connection: string,
) {
  await applyDatabaseMigrations({ getClient: async () => db });
  await createItems(db, ROWS);
  const parts = backfillParts(db, connections);
  // Small, slow-ish batches at a capped rate, so the kills land mid-run.
  await parts.service.register(
    itemsDefinition({ connection, batchSize: 200, rps: 20_000 }).replace(
      'max_batch_size: 5000',
      'max_batch_size: 400',
    ),
    'ci:pipeline',
  );
  const run = await parts.service.start('items-cents', 'user:default/alice');
  const env = { plugin, connections, runId: run.id, leaseTtlMs: 1000 };
  const seen: number[] = [];
  for (const rows of [3000, 3000, 3000]) {
    seen.push(await killMidRun(db, run.id, env, rows));
  }
  expect(seen[2]).toBeLessThan(ROWS);
  // The killed holder's lease expires; this runner takes the run over.
  await new Promise(r => setTimeout(r, 1100));
  await parts.runner.work(run.id);
  const done = await parts.service.detail(run.id);
  expect(done.state).toBe('succeeded');
  expect(done.rowsDone).toBeGreaterThanOrEqual(ROWS);
  // Every row right, and changed exactly once across four runners.
  expect(await itemsReport(db)).toEqual({ wrong: 0, notOnce: 0, n: ROWS });
  const ranges = await parts.store.batchRanges(run.id);
  assertDisjoint(ranges);
  expect(new Set(ranges.map(r => r.runner)).size).toBe(4);
}

describe('a runner killed with SIGKILL mid-run', () => {
  it('on SQLite (cursor in the batch transaction): resumes, every row changed exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-backfill-'));
    const plugin = {
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'plugin.sqlite') },
      useNullAsDefault: true,
    };
    const db = knexFactory(plugin);
    await db.raw('PRAGMA journal_mode = WAL');
    try {
      await killAndResume(
        db,
        plugin,
        { main: { usePluginDatabase: true } },
        'main',
      );
    } finally {
      await db.destroy();
    }
  });

  const onPostgres = databases.eachSupportedId();
  (onPostgres.length
    ? it.each(onPostgres)
    : it.skip.each<[TestDatabaseId]>([['POSTGRES_15']]))(
    'on %p (a separate connection: cursor right after the batch): resumes, every row changed exactly once',
    async id => {
      const db = await databases.init(id);
      const plugin = {
        client: 'pg',
        connection: db.client.config.connection,
      };
      await killAndResume(
        db,
        plugin,
        { orders: { client: 'pg', connection: db.client.config.connection } },
        'orders',
      );
    },
  );
});
