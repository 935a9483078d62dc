import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import {
  componentEntity,
  startConductor,
  teamEntities,
} from '../__testUtils__';
import { permissionsThatSay } from '../__testUtils__/routerTestApp';
import { registerPromotionActions } from './promotionActions';

const daysAgo = (d: number) =>
  new Date(Date.now() - d * 86_400_000).toISOString();

// The owning group and its member, who receives the gate's "blocked" alerts;
// ready-api has the catalog's runbook and on-call facts, the workers do not.
const entities: Entity[] = [
  ...teamEntities('payments', ['alice']),
  componentEntity('ready-api', {
    metadata: {
      links: [{ url: 'https://runbooks/ready-api', title: 'Runbook' }],
      annotations: { 'conductor.io/oncall': 'P1' },
    },
  }),
  componentEntity('weak-worker'),
  componentEntity('other-worker'),
  componentEntity('late-worker'),
];

const readyFacts = [
  { name: 'test.coverage', value: 0.95 },
  { name: 'slo.adherence', value: 0.999 },
  { name: 'sbom.coverage', value: 0.99 },
  { name: 'policy.coverage', value: 0.95 },
  { name: 'k6.last_run', value: daysAgo(1) },
  { name: 'chaos.last_run', value: daysAgo(2) },
];

const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};
const ACTION = 'conductor:may-release-be-promoted';

/** The gate route's answer as the dry-run action states it. */
function asDryRun(gate: any) {
  return {
    dryRun: true,
    allowed: gate.allowed,
    judged: gate.judged ?? true,
    entityRef: gate.entityRef,
    environment: gate.environment,
    version: gate.version ?? null,
    score: gate.score,
    threshold: gate.threshold,
    reasons: gate.reasons,
    overrideId: gate.override?.id ?? null,
  };
}

/** The gate decisions and scores stored for an entity, as its Readiness tab reads them. */
async function stored(server: any, entityRef: string) {
  const [kind, rest] = entityRef.split(':');
  const res = await request(server)
    .get(`/api/conductor/readiness/${kind}/${rest}`)
    .set(alice)
    .expect(200);
  return { decisions: res.body.decisions, scores: res.body.history };
}

async function blockedAlertsOf(server: any, entityRef: string) {
  const res = await request(server)
    .get('/api/notifications/notifications')
    .set(alice)
    .expect(200);
  return res.body.notifications.filter(
    (n: any) =>
      n.payload.topic === 'conductor.promotion.blocked' &&
      n.payload.title.includes(entityRef),
  );
}

// A whole backend with the real notifications backend: slower than a unit test.
jest.setTimeout(60_000);

describe('"may this release be promoted" as a dry run of the gate', () => {
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ server, stop } = await startConductor({
      entities,
      app: { baseUrl: 'http://localhost:3000' },
      features: [notificationsPlugin],
    }));
    for (const [name, facts] of [
      ['ready-api', readyFacts],
      ['weak-worker', [{ name: 'test.coverage', value: 0.5 }]],
      ['other-worker', [{ name: 'test.coverage', value: 0.5 }]],
    ] as const) {
      await request(server)
        .post('/api/conductor/evidence')
        .set(ci)
        .send({ entityRef: `component:default/${name}`, facts })
        .expect(201);
    }
    await request(server)
      .post('/api/conductor/evidence/collect')
      .set(ci)
      .expect(200);
  });
  afterAll(async () => {
    await stop();
  });

  /** The action through the actions registry's own HTTP route, as the actions service calls it. */
  const dryRun = (input: object, as = alice) =>
    request(server)
      .post(`/api/conductor/.backstage/actions/v1/actions/${ACTION}/invoke`)
      .set(as)
      .send(input);
  const gate = (input: object) =>
    request(server)
      .post('/api/conductor/promotions/check')
      .set(ci)
      .send(input)
      .expect(200);

  it.each([
    [
      'an allowed release',
      {
        entityRef: 'component:default/ready-api',
        environment: 'production',
        version: '1.4.2',
      },
      true,
    ],
    [
      'a blocked release',
      { entityRef: 'component:default/weak-worker', environment: 'production' },
      false,
    ],
  ])(
    'answers as the gate does for %s, and records nothing',
    async (_, input, allowed) => {
      const before = await stored(server, input.entityRef);
      const answer = await dryRun(input).expect(200);
      expect(await stored(server, input.entityRef)).toEqual(before);

      const decided = await gate(input);
      expect(decided.body.allowed).toBe(allowed);
      expect(decided.body.decisionId).toEqual(expect.any(Number));
      expect(answer.body.output).toEqual(asDryRun(decided.body));
      // The gate route itself records its decision and score: these move then.
      const after = await stored(server, input.entityRef);
      expect(after.decisions).toHaveLength(before.decisions.length + 1);
      expect(after.scores).toHaveLength(before.scores.length + 1);
    },
  );

  it('alerts no one when the dry run says no', async () => {
    const answer = await dryRun({
      entityRef: 'component:default/other-worker',
      environment: 'production',
    }).expect(200);
    expect(answer.body.output.allowed).toBe(false);
    // The gate then blocks late-worker: its alert goes through the same
    // first-in-first-out sender, so once it arrives, a dry-run alert queued
    // before it would have arrived too.
    await gate({
      entityRef: 'component:default/late-worker',
      environment: 'production',
    });
    const deadline = Date.now() + 10_000;
    while (
      (await blockedAlertsOf(server, 'component:default/late-worker'))
        .length === 0 &&
      Date.now() < deadline
    ) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(
      await blockedAlertsOf(server, 'component:default/late-worker'),
    ).toHaveLength(1);
    expect(
      await blockedAlertsOf(server, 'component:default/other-worker'),
    ).toEqual([]);
  });

  it('fails closed on an unknown service or environment, with the reason, as the gate does', async () => {
    for (const input of [
      { entityRef: 'component:default/ghost', environment: 'production' },
      { entityRef: 'component:default/ready-api', environment: 'prodution' },
    ]) {
      const before = await stored(server, input.entityRef);
      const answer = await dryRun(input).expect(200);
      expect(await stored(server, input.entityRef)).toEqual(before);
      expect(answer.body.output).toMatchObject({
        allowed: false,
        judged: false,
        score: null,
      });
      expect(answer.body.output).toEqual(asDryRun((await gate(input)).body));
    }
    const ghost = await dryRun({
      entityRef: 'component:default/ghost',
      environment: 'production',
    });
    expect(ghost.body.output.reasons).toEqual([
      'component:default/ghost is not in the catalog',
    ]);
    const typo = await dryRun({
      entityRef: 'component:default/ready-api',
      environment: 'prodution',
    });
    expect(typo.body.output.reasons).toEqual([
      'environment prodution is not configured (known: production)',
    ]);
  });

  it('names a bad input field and refuses an anonymous caller', async () => {
    const bad = await dryRun({
      entityRef: 'component:default/ready-api',
      environment: 'Production!',
    }).expect(400);
    expect(bad.body.error.message).toBe(
      'environment: must be an environment name such as production',
    );
    await dryRun(
      { entityRef: 'component:default/ready-api', environment: 'production' },
      { Authorization: mockCredentials.none.header() },
    ).expect(401);
  });
});

describe('"may this release be promoted": who may ask', () => {
  it("checks conductor.evidence.read on the entity under the caller's credentials", async () => {
    const registry = actionsRegistryServiceMock({
      logger: mockServices.logger.mock(),
    });
    const readiness = { dryRun: jest.fn() };
    registerPromotionActions({
      registry,
      permissions: permissionsThatSay(false),
      readiness,
    });
    const { actions } = await registry.list();
    expect(actions.map(a => [a.id, a.attributes])).toEqual([
      [
        'test:may-release-be-promoted',
        { readOnly: true, destructive: false, idempotent: true },
      ],
    ]);
    await expect(
      registry.invoke({
        id: 'test:may-release-be-promoted',
        input: {
          entityRef: 'component:default/ready-api',
          environment: 'production',
        },
        credentials: mockCredentials.user('user:default/mallory'),
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'You may not read the readiness of component:default/ready-api (conductor.evidence.read)',
    });
    expect(readiness.dryRun).not.toHaveBeenCalled();
  });
});
