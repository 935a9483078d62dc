import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
// The CLI has no library entry point (its index runs it): the tests drive its program directly.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import { componentEntity, startConductor } from '../__testUtils__';
import {
  createItems,
  itemsDefinition,
  itemsReport,
  waitFor,
} from './__testUtils__/fixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

describe.each(databases.eachSupportedId())(
  'backfills through the plugin on %p',
  id => {
    async function start(options: { deny?: boolean } = {}) {
      const knex = await databases.init(id);
      await createItems(knex, 1500);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-bf-'));
      const file = path.join(dir, 'items.yaml');
      fs.writeFileSync(file, itemsDefinition({ batchSize: 100 }));
      const bad = path.join(dir, 'bad.yaml');
      fs.writeFileSync(bad, itemsDefinition({ id: 'bad', connection: 'x' }));
      const backend = await startConductor({
        entities: [componentEntity('orders-api')],
        knex,
        conductor: {
          backfill: {
            definitionFiles: [file, bad],
            connections: { main: { usePluginDatabase: true } },
            schedule: {
              frequency: { milliseconds: 200 },
              timeout: { minutes: 1 },
              initialDelay: { milliseconds: 100 },
            },
          },
        },
        // The real scheduler: the runner is driven by it, as in production.
        features: [
          schedulerServiceFactory,
          ...(options.deny
            ? [
                mockServices.permissions.factory({
                  result: AuthorizeResult.DENY,
                }),
              ]
            : []),
        ],
      });
      return { ...backend, knex };
    }

    it('starts a loaded definition, the scheduler runs it to the end, and the API shows it', async () => {
      const { server, knex, stop } = await start();
      try {
        const list = await request(server)
          .get('/api/conductor/backfills')
          .set(alice)
          .expect(200);
        expect(list.body.definitions.map((d: any) => d.id)).toEqual([
          'items-cents',
        ]);
        // The bad file was refused at load, with the reason.
        expect(list.body.problems).toEqual([
          expect.stringMatching(
            /bad\.yaml connection: unknown connection x; configured: main/,
          ),
        ]);
        const started = await request(server)
          .post('/api/conductor/backfills')
          .set(alice)
          .send({ definitionId: 'items-cents' })
          .expect(201);
        expect(started.body).toMatchObject({
          state: 'enqueued',
          createdBy: 'user:default/alice',
        });
        const runId = started.body.id;
        const done = await waitFor(async () => {
          const r = await request(server)
            .get(`/api/conductor/backfills/${runId}`)
            .set(alice);
          return r.body.state === 'succeeded' ? r.body : undefined;
        });
        expect(done).toMatchObject({
          progress: 1,
          rowsDone: 1500,
          rowsChanged: 1500,
        });
        expect(done.checkpoints).toHaveLength(3);
        expect(done.batches.length).toBeGreaterThan(3);
        expect(await itemsReport(knex)).toEqual({
          wrong: 0,
          notOnce: 0,
          n: 1500,
        });
        // The checkpoints and the run are evidence on the owning component.
        const evidence = await request(server)
          .get('/api/conductor/evidence/component/default/orders-api')
          .set(alice)
          .expect(200);
        const names = JSON.stringify(evidence.body);
        expect(names).toContain('backfill.items-cents.checkpoint');
        expect(names).toContain('backfill.items-cents.run');
      } finally {
        await stop();
      }
    });

    it('lets CI register a definition, refuses a bad one naming the field, and refuses people registering', async () => {
      const { server, stop } = await start();
      try {
        const bad = await request(server)
          .post('/api/conductor/backfills')
          .set(ci)
          .send({
            definition: itemsDefinition({ id: 'other' }).replace(
              'rps: 1000000',
              'rps: lots',
            ),
          })
          .expect(400);
        expect(bad.body.error.message).toBe(
          'definition:17:8 backfill.rps: must be an integer from 1 to 10000000',
        );
        await request(server)
          .post('/api/conductor/backfills')
          .set(alice)
          .send({ definition: itemsDefinition({ id: 'other' }) })
          .expect(400);
        const ok = await request(server)
          .post('/api/conductor/backfills')
          .set(ci)
          .send({ definition: itemsDefinition({ id: 'other' }) })
          .expect(201);
        expect(ok.body.definition.id).toBe('other');
        // A file's definition cannot be replaced through the API.
        await request(server)
          .post('/api/conductor/backfills')
          .set(ci)
          .send({ definition: itemsDefinition() })
          .expect(409);
      } finally {
        await stop();
      }
    });

    it('pauses, refuses a stale click (409), retunes within bounds and cancels', async () => {
      const { server, stop } = await start();
      try {
        // Slow enough to catch it running.
        await request(server)
          .post('/api/conductor/backfills')
          .set(ci)
          .send({
            definition: itemsDefinition({ id: 'slow', batchSize: 10, rps: 50 }),
          })
          .expect(201);
        const started = await request(server)
          .post('/api/conductor/backfills')
          .set(alice)
          .send({ definitionId: 'slow' })
          .expect(201);
        const runId = started.body.id;
        const running = await waitFor(async () => {
          const r = await request(server)
            .get(`/api/conductor/backfills/${runId}`)
            .set(alice);
          return r.body.state === 'running' ? r.body : undefined;
        });
        await request(server)
          .post(`/api/conductor/backfills/${runId}/pause`)
          .set(alice)
          .send({ version: running.version, reason: 'peak hour' })
          .expect(200);
        const stale = await request(server)
          .post(`/api/conductor/backfills/${runId}/cancel`)
          .set(alice)
          .send({ version: running.version })
          .expect(409);
        expect(stale.body.error.message).toMatch(/changed since you looked/);
        const paused = await waitFor(async () => {
          const r = await request(server)
            .get(`/api/conductor/backfills/${runId}`)
            .set(alice);
          return r.body.state === 'paused' ? r.body : undefined;
        });
        expect(paused.pauses).toEqual([
          expect.objectContaining({ kind: 'user', reason: 'peak hour' }),
        ]);
        const badTune = await request(server)
          .post(`/api/conductor/backfills/${runId}/retune`)
          .set(alice)
          .send({ minBatchSize: 500, maxBatchSize: 100 })
          .expect(400);
        expect(badTune.body.error.message).toBe(
          'minBatchSize 500 is above maxBatchSize 100',
        );
        const tuned = await request(server)
          .post(`/api/conductor/backfills/${runId}/retune`)
          .set(alice)
          .send({ rps: 500, maxBatchSize: 200 })
          .expect(200);
        expect(tuned.body).toMatchObject({ rps: 500, maxBatchSize: 200 });
        await request(server)
          .post(`/api/conductor/backfills/${runId}/cancel`)
          .set(alice)
          .send({})
          .expect(200);
        await request(server)
          .post(`/api/conductor/backfills/${runId}/resume`)
          .set(alice)
          .send({})
          .expect(409);
      } finally {
        await stop();
      }
    });

    it('is driven from the CLI: start, status --wait, pause, retune, with errors exiting 2', async () => {
      const { server, stop } = await start();
      const url = `http://127.0.0.1:${(server.address() as any).port}`;
      const cli = async (...argv: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runConductor(
          ['--url', url, '--token', mockCredentials.service.token(), ...argv],
          { out: l => out.push(l), err: l => err.push(l) },
        );
        return { code, out: out.join('\n'), err: err.join('\n') };
      };
      try {
        const started = await cli('backfill', 'start', 'items-cents');
        expect(started.code).toBe(0);
        const runId = /^#(\d+) items-cents enqueued/.exec(started.out)![1];
        const waited = await cli(
          'backfill',
          'status',
          runId,
          '--wait',
          '--interval',
          '0.1',
        );
        expect(waited.code).toBe(0);
        expect(waited.out).toMatch(
          new RegExp(`#${runId} items-cents succeeded 100.0% 1500/1500 rows`),
        );
        expect(waited.out).toContain(
          'ok   checkpoint 100%: verify found no wrong rows in the done range',
        );
        const again = await cli('backfill', 'pause', runId);
        expect(again).toMatchObject({
          code: 2,
          err: 'conductor: 409 cannot pause a run that is succeeded',
        });
        expect(await cli('backfill', 'retune', runId)).toMatchObject({
          code: 2,
          err: 'conductor: give at least one of --rps, --batch-size, --min-batch, --max-batch',
        });
        const list = await cli('backfill', 'status');
        expect(list.out).toContain(
          'definition items-cents (component:default/orders-api) main.bf_items',
        );
      } finally {
        await stop();
      }
    });

    it('refuses to start or stop without the permission on the owning entity', async () => {
      const { server, stop } = await start({ deny: true });
      try {
        const res = await request(server)
          .post('/api/conductor/backfills')
          .set(alice)
          .send({ definitionId: 'items-cents' })
          .expect(403);
        expect(res.body.error.message).toBe(
          'only the owners of component:default/orders-api and admins may start backfill items-cents',
        );
        const list = await request(server)
          .get('/api/conductor/backfills')
          .set(alice)
          .expect(200);
        expect(list.body.definitions).toEqual([]);
      } finally {
        await stop();
      }
    });
  },
);
