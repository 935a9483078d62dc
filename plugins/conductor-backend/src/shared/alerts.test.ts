import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import {
  QUIET_SCHEDULES,
  startConductor,
  writeControlsFile,
} from '../__testUtils__';

// The owning group, its member, and a service it owns: the real
// notifications backend resolves the group to alice through the catalog.
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: 'user:default/alice' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: {},
    relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'weak-worker', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  },
];

const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

async function start() {
  const file = writeControlsFile(
    'controls:\n  - id: SEC-MFA-01\n    title: MFA\n    severity: critical\n    check: mfa.enforced\n',
  );
  const { server } = await startConductor({
    entities,
    app: { baseUrl: 'http://localhost:3000' },
    conductor: {
      compliance: { ...QUIET_SCHEDULES.compliance, catalogFiles: [file] },
    },
    features: [notificationsPlugin],
  });
  return server;
}

/** Alice's notifications of a topic, polled until `count` arrived (alerts are sent in the background). */
async function notificationsOf(server: any, topic: string, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await request(server)
      .get('/api/notifications/notifications')
      .set(alice)
      .expect(200);
    const mine = res.body.notifications.filter(
      (n: any) => n.payload.topic === topic,
    );
    if (mine.length >= count || Date.now() > deadline) return mine;
    await new Promise(r => setTimeout(r, 100));
  }
}

// Whole flows against a backend: slower than a unit test, more so on a busy machine.
jest.setTimeout(60_000);

describe('alerts reach the owning team through the notifications backend', () => {
  it('tells the owners when a release is blocked, once an hour per entity and environment', async () => {
    const server = await start();
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
    const [notification, ...more] = await notificationsOf(
      server,
      'conductor.promotion.blocked',
      1,
    );
    expect(more).toEqual([]);
    expect(notification.payload).toMatchObject({
      title: 'Release of component:default/weak-worker to production blocked',
      link: '/catalog/default/component/weak-worker/readiness',
      severity: 'high',
    });
    expect(notification.payload.description).toMatch(
      /^readiness 0\.\d+ is below the production threshold 0\.9/,
    );
  });

  it('tells a team whose compliance score is below target after a run', async () => {
    const server = await start();
    await request(server)
      .post('/api/conductor/evidence')
      .set(ci)
      .send({
        entityRef: 'component:default/weak-worker',
        facts: [{ name: 'mfa.enforced', value: false }],
      })
      .expect(201);
    await request(server)
      .post('/api/conductor/compliance/runs')
      .set(ci)
      .expect(200);
    const [notification] = await notificationsOf(
      server,
      'conductor.compliance.below-target',
      1,
    );
    expect(notification.payload).toMatchObject({
      title: 'Compliance score 0.0 % is below the 80 % target',
      description: 'First run.',
      link: '/compliance',
    });
  });
});
