import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import net from 'node:net';
import { applyDatabaseMigrations } from '../shared/migrations';
import {
  backfillParts,
  createItems,
  itemsDefinition,
  itemsReport,
  waitFor,
} from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const onPostgres = databases.eachSupportedId();
const describeOnPostgres = onPostgres.length
  ? describe.each(onPostgres)
  : describe.skip.each<[TestDatabaseId]>([['POSTGRES_15']]);

/** A TCP proxy to PostgreSQL that the test can cut, like a network failure. */
async function proxyTo(port: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  const open = (listenPort = 0) =>
    new Promise<number>(resolve => {
      server = net.createServer(client => {
        const upstream = net.connect(port, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => {});
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(listenPort, '127.0.0.1', () =>
        resolve((server.address() as net.AddressInfo).port),
      );
    });
  const proxyPort = await open();
  return {
    port: proxyPort,
    cut: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    reopen: () => open(proxyPort),
  };
}

describeOnPostgres('backfill runner on %p only', id => {
  it('pauses on lock waits on the target and goes on when they clear', async () => {
    const db = await databases.init(id);
    await applyDatabaseMigrations({ getClient: async () => db });
    await createItems(db, 2000);
    await db.schema.createTable('bf_hot', t => {
      t.integer('id').primary();
    });
    await db('bf_hot').insert({ id: 1 });
    let batches = 0;
    let holder: Promise<unknown> | undefined;
    let release: () => void = () => {};
    const parts = backfillParts(
      db,
      { main: { usePluginDatabase: true } },
      {
        onBatch: () => {
          if (++batches !== 3) return;
          // Another transaction holds a row lock and a third waits on it.
          holder = db.transaction(async trx => {
            await trx('bf_hot').where({ id: 1 }).forUpdate();
            await new Promise<void>(r => {
              release = r;
            });
          });
          setTimeout(() => {
            db('bf_hot')
              .where({ id: 1 })
              .update({ id: 1 })
              .catch(() => {});
          }, 10);
        },
      },
    );
    await parts.service.register(
      itemsDefinition({
        batchSize: 50,
        extra: 'health:\n  max_lock_waits: 0\n',
      }),
      'ci:pipeline',
    );
    const run = await parts.service.start('items-cents', 'user:default/alice');
    const working = parts.runner.work(run.id);
    const throttled = await waitFor(async () => {
      const r = await parts.store.run(run.id);
      return r?.state === 'throttled' ? r : undefined;
    });
    expect(throttled.reason).toBe('sessions waiting on a lock is 1 (over 0)');
    release();
    await holder;
    await working;
    const done = await parts.service.detail(run.id);
    expect(done.state).toBe('succeeded');
    expect(done.pauses).toEqual([
      expect.objectContaining({
        kind: 'health',
        reason: 'sessions waiting on a lock is 1 (over 0)',
        resumedAt: expect.any(String),
      }),
    ]);
    expect(await itemsReport(db)).toEqual({ wrong: 0, notOnce: 0, n: 2000 });
  });

  it('fails with the reason and the last committed cursor when the connection is lost, and resumes from there', async () => {
    const db = await databases.init(id);
    await applyDatabaseMigrations({ getClient: async () => db });
    await createItems(db, 2000);
    const conn = db.client.config.connection as { port: number | string };
    const proxy = await proxyTo(Number(conn.port));
    const parts = backfillParts(db, {
      orders: {
        client: 'pg',
        connection: { ...conn, host: '127.0.0.1', port: proxy.port },
      },
    });
    await parts.service.register(
      itemsDefinition({ connection: 'orders', batchSize: 50, rps: 2000 }),
      'ci:pipeline',
    );
    const run = await parts.service.start('items-cents', 'user:default/alice');
    const working = parts.runner.work(run.id);
    await waitFor(async () => (await parts.store.run(run.id))!.rowsDone >= 300);
    await proxy.cut();
    await working;
    const failed = await parts.service.detail(run.id);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(
      /^lost the connection to orders: .+; the cursor stays at the last committed batch \(\[\d+\]\)$/,
    );
    expect(failed.reason).toContain(JSON.stringify(failed.cursor));
    // Exactly the committed batches are done: the cursor is where the rows stop.
    const doneRows = await db('bf_items')
      .whereNotNull('amount_cents')
      .count({ n: '*' });
    expect(Number(doneRows[0].n)).toBe(Number(failed.cursor![0]));
    await proxy.reopen();
    await parts.service.control(run.id, 'resume', 'user:default/alice');
    await parts.runner.work(run.id);
    expect((await parts.service.detail(run.id)).state).toBe('succeeded');
    expect(await itemsReport(db)).toEqual({ wrong: 0, notOnce: 0, n: 2000 });
    await parts.targets.close();
    await proxy.cut();
  });
});
