import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import path from 'node:path';
import request from 'supertest';
import { componentEntity, startConductor } from '../__testUtils__';
import { waitFor } from './__testUtils__/fixtures';

jest.setTimeout(120_000);

const examples = path.resolve(__dirname, '../../../../examples/backfills');
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const guest = {
  Authorization: mockCredentials.user.header('user:default/guest'),
};

describe('the demo backfill (app-config.yaml)', () => {
  it('seeds its table on the embedded SQLite, loads, and runs to the end when started', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server, stop } = await startConductor({
      entities: [componentEntity('orders-api')],
      knex,
      features: [schedulerServiceFactory],
      conductor: {
        backfill: {
          definitionFiles: [path.join(examples, 'orders-amount-cents.yaml')],
          connections: {
            demo: {
              usePluginDatabase: true,
              seedFiles: [path.join(examples, 'demo-orders.seed.sql')],
            },
          },
          unitCost: { perMillionRows: 0.5, perDbSecond: 0.01 },
          schedule: {
            frequency: { milliseconds: 200 },
            timeout: { minutes: 5 },
            initialDelay: { milliseconds: 100 },
          },
        },
      },
    });
    try {
      const list = await request(server)
        .get('/api/conductor/backfills')
        .set(guest)
        .expect(200);
      expect(list.body).toMatchObject({
        definitions: [{ id: 'orders-amount-cents', table: 'demo_orders' }],
        problems: [],
      });
      const started = await request(server)
        .post('/api/conductor/backfills')
        .set(guest)
        .send({ definitionId: 'orders-amount-cents' })
        .expect(201);
      // The demo paces itself at 2,000 rows/s for people to watch; speed it up.
      await request(server)
        .post(`/api/conductor/backfills/${started.body.id}/retune`)
        .set(guest)
        .send({ rps: 1_000_000 })
        .expect(200);
      const done = await waitFor(async () => {
        const r = await request(server)
          .get(`/api/conductor/backfills/${started.body.id}`)
          .set(guest);
        return ['succeeded', 'failed', 'paused'].includes(r.body.state)
          ? r.body
          : undefined;
      }, 100_000);
      expect(done).toMatchObject({
        state: 'succeeded',
        rowsDone: 100_000,
        rowsChanged: 100_000,
      });
      expect(done.checkpoints.map((c: any) => [c.at, c.passed])).toEqual([
        [0.1, true],
        [0.5, true],
        [0.9, true],
        [1, true],
      ]);
      expect(done.cost.soFar).toBeLessThan(1);
      const [row] = await knex('demo_orders')
        .whereNull('amount_cents')
        .count({ n: '*' });
      expect(Number(row.n)).toBe(0);
    } finally {
      await stop();
    }
  });
});
