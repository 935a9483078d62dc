import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import { startConductor, teamEntities } from '../__testUtils__';
import { blastRadiusOverLimit } from './blastRadiusAlert';

// The seed's alert "blast radius > N services without mitigation", through
// the real notifications backend: to the members of the group owning the
// API (alice, not bob), once per change set, linking the API's Lineage tab.

const SDL = `type Query {
  order(id: ID!): Order
  stock(sku: ID!): Int
}
type Order {
  id: ID!
  totalCents: Int
  note: String
}
`;

// payments with alice; bob belongs to no team and must receive nothing.
const team: Entity[] = teamEntities('payments', ['alice'], ['bob']);

const api = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'graphql',
    lifecycle: 'production',
    owner: 'payments',
    definition: SDL,
  },
});

const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};
const bob = { Authorization: mockCredentials.user.header('user:default/bob') };

// web and mobile read the total; only web reads the note; admin only ids
const operations = [
  {
    file: 'web/Order.graphql',
    client: 'web',
    text: 'query Order { order(id: "1") { id totalCents note } }',
  },
  {
    file: 'mobile/Order.graphql',
    client: 'mobile',
    text: 'query Order { order(id: "1") { id totalCents } }',
  },
  {
    file: 'admin/Ids.graphql',
    client: 'admin',
    text: 'query Ids { order(id: "1") { id } }',
  },
];

const without = (field: string) => SDL.replace(`  ${field}\n`, '');

jest.setTimeout(120_000);

describe('the blast radius alert', () => {
  let server: any;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ server, stop } = await startConductor({
      entities: [...team, api('orders-graphql'), api('stock-graphql')],
      app: { baseUrl: 'http://localhost:3000' },
      // N = 1: a breaking change may reach one service without a mitigation
      conductor: { lineage: { maxServices: 1 } },
      features: [notificationsPlugin],
    }));
  });
  afterAll(() => stop());

  const check = (
    who: Record<string, string>,
    body: { entityRef?: string; headSdl: string; [k: string]: unknown },
  ) =>
    request(server)
      .post('/api/conductor/lineage/blast-radius')
      .set(who)
      .send({ entityRef: 'api:default/orders-graphql', operations, ...body })
      .expect(200);

  async function inbox(who = alice) {
    const res = await request(server)
      .get('/api/notifications/notifications')
      .set(who)
      .expect(200);
    return (res.body.notifications as any[]).filter(
      n => n.payload.topic === 'conductor.lineage.blast-radius',
    );
  }

  it('tells the owning group once for two identical checks, not when N or fewer services are reached or a mitigation is recorded', async () => {
    // within N: only web reads the note
    const within = await check(ci, {
      headSdl: without('note: String'),
    });
    expect(within.body.gate.failed).toBe(false);
    expect(within.body.alert).toEqual({
      maxServices: 1,
      configKey: 'conductor.lineage.maxServices',
      enabled: true,
      changes: [],
      services: [],
      notification: 'none',
      reason:
        'no breaking change reaches more than 1 service(s) without a mitigation',
    });

    // two services, but the change carries a recorded mitigation
    const mitigated = await check(ci, {
      headSdl: without('totalCents: Int'),
      mitigations: { 'Order.totalCents': 'totalCentsV2 shim, wave 1 done' },
    });
    expect(mitigated.body.alert).toMatchObject({
      changes: [],
      notification: 'none',
    });

    // a person's "what if" in the portal does not alert
    const whatIf = await check(alice, { headSdl: without('totalCents: Int') });
    expect(whatIf.body.alert).toMatchObject({
      changes: ['Order.totalCents'],
      services: ['mobile', 'web'],
      notification: 'none',
      reason: "a person's check does not alert; CI's checks do",
    });

    // a request's own limit moves the gate, not the alert
    const first = await check(ci, {
      headSdl: without('totalCents: Int'),
      maxServices: 5,
    });
    expect(first.body.gate.failed).toBe(false);
    expect(first.body.alert).toMatchObject({
      maxServices: 1,
      changes: ['Order.totalCents'],
      services: ['mobile', 'web'],
      notification: 'queued',
    });
    const second = await check(ci, { headSdl: without('totalCents: Int') });
    expect(second.body.gate.failed).toBe(true);
    expect(second.body.alert.notification).toBe('already-sent');

    // Another API's alert, queued after: once it arrives, everything queued
    // before it was sent (one queue, in order).
    await check(ci, {
      entityRef: 'api:default/stock-graphql',
      headSdl: without('totalCents: Int'),
    });
    const deadline = Date.now() + 20_000;
    let mine = await inbox();
    while (
      !mine.some(n => n.payload.title.includes('stock-graphql')) &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 100));
      mine = await inbox();
    }
    const orders = mine.filter(n =>
      n.payload.title.includes('api:default/orders-graphql'),
    );
    expect(orders).toHaveLength(1);
    expect(orders[0].updated).toBeFalsy();
    expect(orders[0].payload).toMatchObject({
      title:
        'Blast radius of a change to api:default/orders-graphql: 2 services without mitigation',
      description:
        'A schema change to api:default/orders-graphql reaches 2 service(s), more than the 1 allowed without a recorded mitigation: Order.totalCents (FIELD_REMOVED, 2 service(s)).',
      link: '/catalog/default/api/orders-graphql/lineage',
      severity: 'high',
    });
    expect(mine).toHaveLength(2);
    expect(await inbox(bob)).toEqual([]);
  });

  it('is switched off by conductor.alerts.blastRadius.enabled', async () => {
    const off = await startConductor({
      entities: [...team, api('orders-graphql')],
      conductor: {
        lineage: { maxServices: 1 },
        alerts: { blastRadius: { enabled: false } },
      },
    });
    try {
      const res = await request(off.server)
        .post('/api/conductor/lineage/blast-radius')
        .set(ci)
        .send({
          entityRef: 'api:default/orders-graphql',
          operations,
          headSdl: without('totalCents: Int'),
        })
        .expect(200);
      expect(res.body.alert).toMatchObject({
        enabled: false,
        changes: ['Order.totalCents'],
        notification: 'none',
        reason: 'conductor.alerts.blastRadius.enabled is false',
      });
    } finally {
      await off.stop();
    }
  });
});

describe('blastRadiusOverLimit', () => {
  const change = (path: string, services: string[], mitigated?: string) => ({
    type: 'FIELD_REMOVED',
    path,
    criticality: 'breaking' as const,
    services,
    ...(mitigated ? { mitigated } : {}),
  });

  it('names the unmitigated breaking changes over N and hashes the change set', () => {
    const report = {
      changes: [
        change('Order.a', ['x', 'y']),
        change('Order.b', ['y', 'z'], 'shim'),
        change('Order.c', ['x']),
        { ...change('Order.d', ['p', 'q', 'r']), criticality: 'safe' as const },
      ],
    } as any;
    const over = blastRadiusOverLimit(report, 1);
    expect(over.changes).toEqual(['Order.a']);
    expect(over.services).toEqual(['x', 'y']);
    // the same changes in another order hash the same; another change set does not
    expect(
      blastRadiusOverLimit({ changes: [...report.changes].reverse() } as any, 1)
        .changeSetHash,
    ).toBe(over.changeSetHash);
    expect(
      blastRadiusOverLimit({ changes: report.changes.slice(1) } as any, 1)
        .changeSetHash,
    ).not.toBe(over.changeSetHash);
  });
});
