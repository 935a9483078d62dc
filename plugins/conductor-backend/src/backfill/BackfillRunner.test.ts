import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../shared/migrations';
import {
  assertDisjoint,
  backfillParts,
  createItems,
  itemsDefinition,
  itemsReport,
  waitFor,
} from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function setup(id: TestDatabaseId, rows = 2000) {
  const db = await databases.init(id);
  await applyDatabaseMigrations({ getClient: async () => db });
  await createItems(db, rows);
  return db;
}

/** Connections: `main` is the plugin database itself; on PostgreSQL `separate` is its own pool. */
function connections(db: Knex) {
  const pg = /pg/.test(String(db.client.config.client));
  return {
    main: { usePluginDatabase: true },
    ...(pg
      ? { separate: { client: 'pg', connection: db.client.config.connection } }
      : {}),
  };
}

describe.each(databases.eachSupportedId())('backfill runner on %p', id => {
  it('walks every row once with keyset batches, adapts the batch size, passes its checkpoints and records evidence', async () => {
    const db = await setup(id);
    const parts = backfillParts(db, connections(db));
    const { service, runner, store, facts } = parts;
    const checked = await service.check('items.yaml', itemsDefinition());
    expect(checked).not.toHaveProperty('problems');
    await service.register(itemsDefinition(), 'ci:pipeline');
    const run = await service.start('items-cents', 'user:default/alice');
    expect(run.state).toBe('enqueued');
    await runner.work(run.id);

    const done = await service.detail(run.id);
    expect(done).toMatchObject({
      state: 'succeeded',
      rowsDone: 2000,
      rowsChanged: 2000,
      totalRows: 2000,
      progress: 1,
    });
    expect(await itemsReport(db)).toEqual({ wrong: 0, notOnce: 0, n: 2000 });
    assertDisjoint(await store.batchRanges(run.id));
    // Fast batches grow the batch, ×1.2 at most each time, within the bounds.
    const sizes = done.batches.map(b => b.batchSize);
    expect(sizes[0]).toBe(100);
    for (let i = 1; i < sizes.length; i++) {
      expect(sizes[i]).toBeLessThanOrEqual(Math.round(sizes[i - 1] * 1.2));
      expect(sizes[i]).toBeGreaterThanOrEqual(10);
    }
    expect(Math.max(...sizes)).toBeGreaterThan(100);
    expect(done.checkpoints.map(c => [c.at, c.passed, c.wrongRows])).toEqual([
      [0.1, true, 0],
      [0.5, true, 0],
      [1, true, 0],
    ]);
    expect(facts.map(f => f.name)).toEqual([
      'backfill.items-cents.checkpoint',
      'backfill.items-cents.checkpoint',
      'backfill.items-cents.checkpoint',
      'backfill.items-cents.run',
    ]);
    expect(facts[3]).toMatchObject({
      entityRef: 'component:default/orders-api',
      value: {
        state: 'succeeded',
        rowsTouched: 2000,
        rowsChanged: 2000,
        definitionHash: done.definitionHash,
      },
    });
    // A second application of any batch is a no-op: run the step again over everything.
    await db.raw(
      `UPDATE bf_items SET amount_cents = amount * 100, touches = touches + 1
       WHERE id BETWEEN 1 AND 2000 AND amount_cents IS NULL`,
    );
    expect(await itemsReport(db)).toEqual({ wrong: 0, notOnce: 0, n: 2000 });
  });

  it('never lets two runners share a batch, and takes over a crashed holder once its lease expires', async () => {
    const db = await setup(id, 3000);
    const conn = connections(db);
    const target = 'separate' in conn ? 'separate' : 'main';
    const parts = backfillParts(db, conn);
    await parts.service.register(
      itemsDefinition({ connection: target, batchSize: 50 }),
      'ci:pipeline',
    );
    const run = await parts.service.start('items-cents', 'user:default/alice');
    // A holder that crashed right after claiming: nobody may work until its lease expires.
    expect(await parts.store.claimLease(run.id, 'crashed', 300)).toBe(true);
    // Short ticks: many hand-overs, so both runners get batches even on a
    // busy machine.
    const a = parts.make({ runnerId: 'a', maxRunMs: 30, leaseTtlMs: 2000 });
    const b = parts.make({ runnerId: 'b', maxRunMs: 30, leaseTtlMs: 2000 });
    await a.work(run.id);
    expect((await parts.store.run(run.id))!.rowsDone).toBe(0);
    await new Promise(r => setTimeout(r, 350));
    // Both runners tick over and over at once; each tick works 30 ms, then lets go.
    const loop = async (r: typeof a) => {
      while (
        ['enqueued', 'running'].includes((await parts.store.run(run.id))!.state)
      ) {
        await r.tick();
      }
    };
    await Promise.all([loop(a), loop(b)]);
    expect((await parts.store.run(run.id))!.state).toBe('succeeded');
    const ranges = await parts.store.batchRanges(run.id);
    assertDisjoint(ranges);
    expect(new Set(ranges.map(r => r.runner))).toEqual(new Set(['a', 'b']));
    expect(await itemsReport(db)).toEqual({ wrong: 0, notOnce: 0, n: 3000 });
  });

  it('stops the run clearly at a failing checkpoint, and goes on after a fix', async () => {
    const db = await setup(id);
    const parts = backfillParts(db, connections(db));
    // Rows 150..160 were damaged by something else: verify counts them as wrong.
    await parts.service.register(
      itemsDefinition({
        verify: `SELECT count(*) FROM bf_items WHERE id BETWEEN :from AND :to AND (amount_cents IS NULL OR amount_cents <> amount * 100 OR amount < 0)`,
      }),
      'ci:pipeline',
    );
    await db('bf_items').whereBetween('id', [150, 160]).update({ amount: -1 });
    const run = await parts.service.start('items-cents', 'user:default/alice');
    await parts.runner.work(run.id);
    const failed = await parts.service.detail(run.id);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toBe(
      'checkpoint 10% failed: verify found 11 row(s) still wrong in the done range',
    );
    expect(failed.rowsDone).toBeGreaterThanOrEqual(200);
    expect(failed.rowsDone).toBeLessThan(2000);
    expect(failed.pauses).toEqual([
      expect.objectContaining({ kind: 'checkpoint', reason: failed.reason }),
    ]);
    expect(parts.facts[0]).toMatchObject({
      name: 'backfill.items-cents.checkpoint',
      value: { checkpoint: '10%', passed: false, wrongRows: 11 },
    });
    // The fix, then resume: the checkpoint is verified again first.
    await db('bf_items').where('amount', -1).update({ amount: 5 });
    await db('bf_items')
      .where('amount', 5)
      .whereNotNull('amount_cents')
      .update({ amount_cents: 500 });
    await parts.service.control(run.id, 'resume', 'user:default/alice', {
      version: failed.version,
    });
    await parts.runner.work(run.id);
    const done = await parts.service.detail(run.id);
    expect(done.state).toBe('succeeded');
    expect(done.checkpoints.map(c => [c.at, c.passed])).toEqual([
      [0.1, false],
      [0.1, true],
      [0.5, true],
      [1, true],
    ]);
    expect(done.pauses[0].resumedAt).toBeDefined();
  });

  it('throttles on a red health signal, records why, and resumes on green', async () => {
    const db = await setup(id);
    let burn = 0.5;
    let batches = 0;
    const parts = backfillParts(db, connections(db), {
      slo: { burnRate: async () => burn },
      onBatch: () => {
        batches++;
        if (batches === 3) burn = 20;
      },
    });
    await parts.service.register(
      itemsDefinition({
        batchSize: 50,
        extra:
          'health:\n  services: [component:default/orders-api]\n  max_burn_rate: 2\n',
      }),
      'ci:pipeline',
    );
    const run = await parts.service.start('items-cents', 'user:default/alice');
    const working = parts.runner.work(run.id);
    const throttled = await waitFor(async () => {
      const r = await parts.store.run(run.id);
      return r?.state === 'throttled' ? r : undefined;
    });
    expect(throttled.reason).toBe(
      'SLO burn rate of component:default/orders-api is 20 (over 2)',
    );
    const rowsWhileRed = throttled.rowsDone;
    await new Promise(r => setTimeout(r, 200));
    expect((await parts.store.run(run.id))!.rowsDone).toBe(rowsWhileRed);
    burn = 1;
    await working;
    const done = await parts.service.detail(run.id);
    expect(done.state).toBe('succeeded');
    expect(done.pauses).toEqual([
      expect.objectContaining({
        kind: 'health',
        reason: 'SLO burn rate of component:default/orders-api is 20 (over 2)',
        resumedAt: expect.any(String),
      }),
    ]);
    expect(await itemsReport(db)).toEqual({ wrong: 0, notOnce: 0, n: 2000 });
  });

  it('refuses bad definitions at load with the reason, and runs nothing', async () => {
    const db = await setup(id, 10);
    await db.schema.createTable('bf_noindex', t => {
      t.integer('k');
      t.integer('v');
    });
    const { service } = backfillParts(db, connections(db));
    const problems = async (yaml: string) => {
      const r = await service.check('bad.yaml', yaml);
      return 'problems' in r ? r.problems : [];
    };
    expect(await problems(itemsDefinition({ connection: 'nope' }))).toEqual([
      expect.stringMatching(
        /^bad\.yaml connection: unknown connection nope; configured: main/,
      ),
    ]);
    expect(
      await problems(
        itemsDefinition().replace('amount * 100,', 'amount * * 100,'),
      ),
    ).toEqual([
      expect.stringMatching(/^bad\.yaml step: does not parse on main: /),
    ]);
    expect(
      await problems(
        itemsDefinition({ table: 'bf_noindex' }).replace('key: id', 'key: k'),
      ),
    ).toEqual(
      expect.arrayContaining([
        'bad.yaml key: no index on bf_noindex starts with (k): every batch would scan the table; add one first',
      ]),
    );
    expect(
      await problems(
        itemsDefinition().replace(
          'WHERE id BETWEEN :from AND :to AND amount_cents IS NULL',
          'WHERE amount_cents IS NULL',
        ),
      ),
    ).toEqual([
      'bad.yaml:6:7 step: touches no key range: use :from, :to in the WHERE clause',
    ]);
    expect(
      await problems(
        itemsDefinition({
          extra: 'health:\n  services: [component:default/orders-api]\n',
        }),
      ),
    ).toEqual([
      'bad.yaml health.services: the SLO boards are not installed, so burn rates cannot be read; remove the services or install the SLO capability',
    ]);
    await expect(
      service.register(itemsDefinition({ connection: 'nope' }), 'ci:x'),
    ).rejects.toThrow(/unknown connection nope/);
    expect(await db('conductor_backfill_definitions')).toEqual([]);
    expect(await db('conductor_backfill_runs')).toEqual([]);
  });

  it('pauses through pausing, refuses a stale click, and cancels', async () => {
    const db = await setup(id);
    const parts = backfillParts(db, connections(db));
    await parts.service.register(
      itemsDefinition({ batchSize: 10, rps: 200 }),
      'ci:p',
    );
    const run = await parts.service.start('items-cents', 'user:default/alice');
    const working = parts.runner.work(run.id);
    const running = await waitFor(async () => {
      const r = await parts.store.run(run.id);
      return r?.state === 'running' && r.rowsDone > 0 ? r : undefined;
    });
    const paused = await parts.service.control(
      run.id,
      'pause',
      'user:default/alice',
      {
        version: running.version,
      },
    );
    expect(paused.state).toBe('pausing');
    // The second click saw the old version: refused, nothing changes.
    await expect(
      parts.service.control(run.id, 'cancel', 'user:default/bob', {
        version: running.version,
      }),
    ).rejects.toThrow(/changed since you looked/);
    await working;
    const stopped = await parts.service.detail(run.id);
    expect(stopped.state).toBe('paused');
    expect(stopped.pauses).toEqual([
      expect.objectContaining({ kind: 'user', by: 'user:default/alice' }),
    ]);
    await expect(
      parts.service.start('items-cents', 'user:default/alice'),
    ).rejects.toThrow(/already has run/);
    const cancelled = await parts.service.control(
      run.id,
      'cancel',
      'user:default/bob',
      {
        version: stopped.version,
      },
    );
    expect(cancelled.state).toBe('cancelled');
    expect(parts.facts.pop()).toMatchObject({
      name: 'backfill.items-cents.run',
      value: { state: 'cancelled' },
    });
  });
  it('pauses and alerts the owning team when the projected cost is over budget, once', async () => {
    const db = await setup(id);
    const alerts: Array<{ key: string; alert: any }> = [];
    const parts = backfillParts(db, connections(db), {
      unitCost: { perMillionRows: 1000, perDbSecond: 0 },
      alerts: { enqueue: (key, alert) => alerts.push({ key, alert }) },
      ownerOf: () => 'group:default/payments',
    });
    // 2000 rows at 1000 a million rows cost 2; the budget is 1.
    await parts.service.register(
      itemsDefinition({ extra: 'cost_budget: 1\n' }),
      'ci:pipeline',
    );
    const run = await parts.service.start('items-cents', 'user:default/alice');
    await parts.runner.work(run.id);
    const paused = await parts.service.detail(run.id);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toBe('projected cost 2.00 is over the budget 1');
    expect(paused.cost).toMatchObject({ projected: 2, budget: 1 });
    expect(paused.rowsDone).toBe(100);
    expect(alerts).toEqual([
      {
        key: `conductor.backfill.cost:${run.id}`,
        alert: expect.objectContaining({
          recipients: { type: 'entity', entityRef: 'group:default/payments' },
          payload: expect.objectContaining({
            title: 'Backfill items-cents paused: over its cost budget',
          }),
        }),
      },
    ]);
    // The owner resumes: that acknowledges the budget, the run finishes.
    await parts.service.control(run.id, 'resume', 'user:default/alice');
    await parts.runner.work(run.id);
    const done = await parts.service.detail(run.id);
    expect(done.state).toBe('succeeded');
    expect(done.cost.soFar).toBe(2);
    expect(alerts).toHaveLength(1);
  });
});
