import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { conductorBackfillStepsExtensionPoint } from '@internal/plugin-conductor-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  componentEntity,
  QUIET_SCHEDULES,
  serveFolder,
  startConductor,
  teamEntities,
  writeControlsFile,
} from '../__testUtils__';

// Each seed alert through the real notifications backend: it reaches the
// members of the owning group (alice, through the catalog), once for one
// condition, with a link to the portal page that explains it.

const ROOT = path.resolve(__dirname, '../../../..');

// payments with alice; bob belongs to no team and must receive nothing.
const team: Entity[] = teamEntities('payments', ['alice'], ['bob']);

const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};
const bob = { Authorization: mockCredentials.user.header('user:default/bob') };

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map(s => s()));
});

// Services with no evidence: the gate blocks each of them, once.
const SENTINELS = 4;
const sentinelServices = Array.from({ length: SENTINELS }, (_, i) =>
  componentEntity(`sentinel-${i}`),
);

async function start(options: {
  conductor?: object;
  entities?: Entity[];
  features?: any[];
  backend?: object;
  urlReader?: boolean;
}) {
  const { server, stop } = await startConductor({
    entities: [
      ...team,
      componentEntity('weak-worker'),
      ...sentinelServices,
      ...(options.entities ?? []),
    ],
    app: { baseUrl: 'http://localhost:3000' },
    conductor: options.conductor,
    backend: options.backend,
    urlReader: options.urlReader,
    features: [notificationsPlugin, ...(options.features ?? [])],
  });
  stops.push(stop);
  return server;
}

async function inbox(server: any, who = alice) {
  const res = await request(server)
    .get('/api/notifications/notifications')
    .set(who)
    .expect(200);
  return res.body.notifications as any[];
}

/** Alice's notifications of a topic, polled until `count` arrived (alerts are sent in the background). */
async function notificationsOf(
  server: any,
  topic: string,
  count: number,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mine = (await inbox(server)).filter(n => n.payload.topic === topic);
    if (mine.length >= count || Date.now() > deadline) return mine;
    await new Promise(r => setTimeout(r, 100));
  }
}

let sentinels = 0;
/**
 * Waits until every alert queued so far has been sent: alerts go out one at
 * a time in queue order, so once a fresh "release blocked" alert (a new
 * environment each time) arrives, anything queued before it was sent too.
 */
async function settle(server: any) {
  const sentinel = `sentinel-${++sentinels % SENTINELS}`;
  await request(server)
    .post('/api/conductor/promotions/check')
    .set(ci)
    .send({
      entityRef: `component:default/${sentinel}`,
      environment: 'production',
      version: '1',
    })
    .expect(200);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const arrived = (await inbox(server)).some(
      n =>
        n.payload.title ===
        `Release of component:default/${sentinel} to production blocked`,
    );
    if (arrived) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(
    `the sentinel alert for ${sentinel} never arrived: ${JSON.stringify(
      (await inbox(server)).map(n => n.payload.title),
    )}`,
  );
}

/** A second send of the same alert re-opens the notification and stamps `updated`. */
function expectSentOnce(notification: any) {
  expect(notification.updated).toBeFalsy();
}

// Whole flows against a backend: slower than a unit test, more so on a busy machine.
jest.setTimeout(120_000);

describe('the seed alerts reach the owning team through the notifications backend', () => {
  it('PRS < threshold on release: tells the owners once per entity and environment, linking the Readiness tab', async () => {
    const server = await start({});
    await request(server)
      .post('/api/conductor/evidence')
      .set(ci)
      .send({
        entityRef: 'component:default/weak-worker',
        facts: [{ name: 'test.coverage', value: 0.5 }],
      })
      .expect(201);
    for (const version of ['1.0.0', '1.0.1']) {
      const res = await request(server)
        .post('/api/conductor/promotions/check')
        .set(ci)
        .send({
          entityRef: 'component:default/weak-worker',
          environment: 'production',
          version,
        })
        .expect(200);
      expect(res.body.allowed).toBe(false);
    }
    await settle(server);
    const [notification, ...more] = (
      await notificationsOf(server, 'conductor.promotion.blocked', 1)
    ).filter(n => n.payload.title.includes('weak-worker'));
    expect(more).toEqual([]);
    expectSentOnce(notification);
    expect(notification.payload).toMatchObject({
      title: 'Release of component:default/weak-worker to production blocked',
      link: '/catalog/default/component/weak-worker/readiness',
      severity: 'high',
    });
    expect(notification.payload.description).toMatch(
      /^readiness 0\.\d+ is below the production threshold 0\.9/,
    );
    expect(await inbox(server, bob)).toEqual([]);
  });

  it('compliance score < target: tells the team when it falls below, not again while it stays, again when it drops further', async () => {
    const file = writeControlsFile(
      [
        'controls:',
        '  - id: SEC-MFA-01',
        '    title: MFA',
        '    severity: critical',
        '    check: mfa.enforced',
        '  - id: SEC-POLICY-01',
        '    title: Policy coverage',
        '    severity: high',
        '    check: policy.coverage >= 0.90',
        '',
      ].join('\n'),
    );
    const server = await start({
      conductor: {
        compliance: { ...QUIET_SCHEDULES.compliance, catalogFiles: [file] },
      },
    });
    const push = (facts: object[]) =>
      request(server)
        .post('/api/conductor/evidence')
        .set(ci)
        .send({ entityRef: 'component:default/weak-worker', facts })
        .expect(201);
    const run = () =>
      request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);

    await push([
      { name: 'mfa.enforced', value: false },
      { name: 'policy.coverage', value: 0.95 },
    ]);
    const first = await run();
    expect(first.body.teamsBelowTarget).toEqual(['group:default/payments']);
    const [notification] = await notificationsOf(
      server,
      'conductor.compliance.below-target',
      1,
    );
    expect(notification.payload).toMatchObject({
      title: expect.stringMatching(
        /^payments: compliance score \d+\.\d % is below the 80 % target$/,
      ),
      description: 'First run.',
      link: '/catalog/default/group/payments/conductor',
    });
    const firstTitle = notification.payload.title;

    // The same condition on the next run: nothing new.
    await run();
    await settle(server);
    const [same] = await notificationsOf(
      server,
      'conductor.compliance.below-target',
      1,
    );
    expectSentOnce(same);
    expect(same.payload.title).toBe(firstTitle);

    // Worse: told again, on the same notification.
    await push([{ name: 'policy.coverage', value: 0.5 }]);
    await run();
    await settle(server);
    const [worse, ...more] = await notificationsOf(
      server,
      'conductor.compliance.below-target',
      1,
    );
    expect(more).toEqual([]);
    expect(worse.updated).toBeTruthy();
    expect(worse.payload.title).toBe(
      'payments: compliance score 0.0 % is below the 80 % target',
    );
    expect(worse.payload.description).toMatch(/^Previous run: \d+\.\d %\.$/);
    expect(await inbox(server, bob)).toEqual([]);
  });

  it('compliance score < target: sends nothing when conductor.alerts.complianceBelowTarget.enabled is false', async () => {
    const file = writeControlsFile(
      'controls:\n  - id: SEC-MFA-01\n    title: MFA\n    severity: critical\n    check: mfa.enforced\n',
    );
    const server = await start({
      conductor: {
        compliance: { ...QUIET_SCHEDULES.compliance, catalogFiles: [file] },
        alerts: { complianceBelowTarget: { enabled: false } },
      },
    });
    await request(server)
      .post('/api/conductor/evidence')
      .set(ci)
      .send({
        entityRef: 'component:default/weak-worker',
        facts: [{ name: 'mfa.enforced', value: false }],
      })
      .expect(201);
    const res = await request(server)
      .post('/api/conductor/compliance/runs')
      .set(ci)
      .expect(200);
    // Still below target, and still reported by the run: only the alert is off.
    expect(res.body.teamsBelowTarget).toEqual(['group:default/payments']);
    // And the settings section says so.
    const settings = await request(server)
      .get('/api/conductor/alerts/settings')
      .set(alice)
      .expect(200);
    expect(settings.body.alerts.map((a: any) => [a.id, a.enabled])).toEqual([
      ['complianceBelowTarget', false],
      ['ciLibraryMismatch', true],
      ['releaseBlocked', true],
      ['backfillCostSpike', true],
      ['blastRadius', true],
      ['sloBurnRate', true],
    ]);
    await settle(server);
    expect(
      (await inbox(server)).filter(
        n => n.payload.topic === 'conductor.compliance.below-target',
      ),
    ).toEqual([]);
  });

  it('CI library mismatch: tells the owners of the repository beyond the allowed drift once, linking the CI library board', async () => {
    const repos = await serveFolder(path.join(ROOT, 'examples/ci-repos'));
    try {
      const component = (name: string) =>
        componentEntity(name, {
          metadata: {
            annotations: {
              'backstage.io/source-location': `url:${repos.base}/${name}/`,
            },
          },
        });
      const server = await start({
        urlReader: true,
        backend: {
          reading: { allow: [{ host: new URL(repos.base).host }] },
        },
        entities: [component('orders-api'), component('refund-worker')],
        conductor: {
          federation: {
            manifest: path.join(ROOT, 'ci/manifest.json'),
            maxVersionsBehind: 1,
            schedule: QUIET_SCHEDULES.compliance.schedule,
          },
        },
      });
      for (let i = 0; i < 2; i++)
        await request(server)
          .post('/api/conductor/federation/scan')
          .set(ci)
          .expect(200);
      await settle(server);
      const [notification, ...more] = await notificationsOf(
        server,
        'conductor.federation.mismatch',
        1,
      );
      expect(more).toEqual([]);
      expectSentOnce(notification);
      expect(notification.payload).toMatchObject({
        title:
          'CI lib mismatch: component:default/refund-worker pins intelgraph/ig-ci@v1.0.0, 2 versions behind v1.2.0',
        link: '/conductor/ci-library',
      });
      expect(await inbox(server, bob)).toEqual([]);
    } finally {
      repos.server.close();
    }
  });

  it('backfill cost spike: pauses the run and tells the owners once, linking the run on the Backfills page', async () => {
    // A step that turns slow from row 20,001: a real spike in database time a row.
    const slowStep = createBackendModule({
      pluginId: 'conductor',
      moduleId: 'test-slow-step',
      register(env) {
        env.registerInit({
          deps: { steps: conductorBackfillStepsExtensionPoint },
          async init({ steps }) {
            steps.addStep({
              id: 'slow-after-20k',
              async run({ trx, from, to }) {
                if (Number(from[0]) > 20_000)
                  await new Promise(r => setTimeout(r, 200));
                const changed = await trx('spike_items')
                  .whereBetween('id', [from[0] as number, to[0] as number])
                  .whereNull('done')
                  .update({ done: 1 });
                return { changed };
              },
            });
          },
        });
      },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-backfill-'));
    fs.writeFileSync(
      path.join(dir, 'seed.sql'),
      `CREATE TABLE IF NOT EXISTS spike_items (id INTEGER PRIMARY KEY, done INTEGER);
INSERT INTO spike_items (id)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24000)
SELECT i FROM n WHERE NOT EXISTS (SELECT 1 FROM spike_items);
`,
    );
    fs.writeFileSync(
      path.join(dir, 'spike.yaml'),
      `id: spike-items
owner: component:default/weak-worker
connection: demo
table: spike_items
key: id
js_step: slow-after-20k
verify: SELECT count(*) FROM spike_items WHERE id BETWEEN :from AND :to AND done IS NULL
backfill:
  batch_size: 1000
  min_batch_size: 1000
  max_batch_size: 1000
  target_batch_ms: 1000
  rps: 1000000
  checkpoints: ['100%']
`,
    );
    const server = await start({
      features: [schedulerServiceFactory, slowStep],
      conductor: {
        backfill: {
          definitionFiles: [path.join(dir, 'spike.yaml')],
          connections: {
            demo: {
              usePluginDatabase: true,
              seedFiles: [path.join(dir, 'seed.sql')],
            },
          },
          unitCost: { perMillionRows: 0, perDbSecond: 0.01 },
          schedule: {
            frequency: { milliseconds: 200 },
            timeout: { minutes: 5 },
            initialDelay: { milliseconds: 100 },
          },
        },
      },
    });
    const started = await request(server)
      .post('/api/conductor/backfills')
      .set(alice)
      .send({ definitionId: 'spike-items' })
      .expect(201);
    const runId = started.body.id;
    const stateOf = async () =>
      (
        await request(server)
          .get(`/api/conductor/backfills/${runId}`)
          .set(alice)
          .expect(200)
      ).body;
    const waitState = async (states: string[]) => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const run = await stateOf();
        if (states.includes(run.state) || Date.now() > deadline) return run;
        await new Promise(r => setTimeout(r, 200));
      }
    };
    const paused = await waitState(['paused', 'succeeded', 'failed']);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toMatch(/^backfill cost spike: /);
    const [notification] = await notificationsOf(
      server,
      'conductor.backfill.cost',
      1,
    );
    expect(notification.payload).toMatchObject({
      title: 'Backfill cost spike: spike-items',
      link: `/conductor/backfills?run=${runId}`,
      severity: 'high',
    });
    // The owner resumes: the same spike goes on, but is neither paused nor told again.
    await request(server)
      .post(`/api/conductor/backfills/${runId}/resume`)
      .set(alice)
      .expect(200);
    const done = await waitState(['succeeded', 'failed']);
    expect(done.state).toBe('succeeded');
    await settle(server);
    const [same, ...more] = await notificationsOf(
      server,
      'conductor.backfill.cost',
      1,
    );
    expect(more).toEqual([]);
    expectSentOnce(same);
    expect(await inbox(server, bob)).toEqual([]);
  });
});
