import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  DashboardsResponse,
  parseBackfillDefinition,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import request from 'supertest';
import { componentEntity } from '../__testUtils__';
import { routerTestApp } from '../__testUtils__/routerTestApp';
import { BackfillStore } from '../backfill/BackfillStore';
import { ComplianceStore } from '../compliance/ComplianceStore';
import { FederationStore } from '../federation/FederationStore';
import { LineageStore } from '../lineage/LineageStore';
import { ReadinessStore } from '../readiness/ReadinessStore';
import { RemediationStore } from '../remediation/RemediationStore';
import { DefaultCatalogSnapshot } from '../shared/CatalogSnapshot';
import { applyDatabaseMigrations } from '../shared/migrations';
import { DashboardsService } from './DashboardsService';
import { createDashboardsRouter } from './router';

jest.setTimeout(60_000);

const PAYMENTS = 'group:default/payments';
const IDENTITY = 'group:default/identity';
const ORDERS = 'component:default/orders-api';
const BILLING = 'component:default/billing-worker';
const LOGIN = 'component:default/login-api';
const NOW = new Date('2026-11-20T12:00:00.000Z');

const entities = [
  componentEntity('orders-api', { owner: PAYMENTS }),
  componentEntity('billing-worker', { owner: PAYMENTS }),
  componentEntity('login-api', { owner: IDENTITY }),
];

const definition = (id: string, owner: string) => {
  const { definition: d, errors } = parseBackfillDefinition(
    `${id}.yaml`,
    `id: ${id}
owner: ${owner}
connection: orders
table: orders
key: id
step: UPDATE orders SET a = 1 WHERE id BETWEEN :from AND :to
backfill:
  batch_size: 5000
  rps: 200
  checkpoints: ["50%", "100%"]
`,
  );
  expect(errors).toEqual([]);
  return d!;
};

/** What every capability would have stored: written through their stores. */
async function seed(knex: Knex) {
  const compliance = new ComplianceStore(knex);
  for (const [payments, identity] of [
    [0.7, 0.5],
    [0.8, 0.6],
  ])
    await compliance.saveRun({
      trigger: 'nightly',
      startedAt: NOW,
      controls: 3,
      entities: 3,
      score: 0.7,
      results: [],
      scores: [
        { scope: 'team', ref: PAYMENTS, score: payments, previousScore: null },
        { scope: 'team', ref: IDENTITY, score: identity, previousScore: null },
        { scope: 'entity', ref: ORDERS, score: payments, previousScore: null },
      ],
      factChanges: [],
      seenChanges: [],
    });

  const remediation = new RemediationStore(knex);
  const cr = (entityRef: string, team: string, openedAt: string) => ({
    entityRef,
    team,
    provider: 'git',
    repository: entityRef,
    branch: 'conductor/fix',
    title: 'Add retention tags',
    state: 'open' as const,
    controls: ['PRIV-RET-01'],
    headSha: 'abc',
    baseBranch: 'main',
    fingerprint: 'f',
    body: '',
    openedAt,
    updatedAt: openedAt,
  });
  const merged = await remediation.insert(
    cr(ORDERS, PAYMENTS, '2026-11-02T00:00:00.000Z'),
  );
  await remediation.update(
    merged,
    { state: 'merged', mergedAt: '2026-11-02T10:00:00.000Z' },
    new Date('2026-11-02T10:00:00.000Z'),
  );
  await remediation.insert(cr(BILLING, PAYMENTS, '2026-11-10T00:00:00.000Z'));
  await remediation.insert(cr(LOGIN, IDENTITY, '2026-11-10T00:00:00.000Z'));

  const lineage = new LineageStore(knex);
  await lineage.replaceSource(
    `manifest:${ORDERS}`,
    [{ from: ORDERS, to: 'api:default/orders-graphql', type: 'consumes' }],
    [],
    new Date('2026-11-15T08:00:00.000Z'),
  );
  await lineage.replaceSource(
    `manifest:${ORDERS}`,
    [{ from: ORDERS, to: 'Contract:Order@v1', type: 'reads' }],
    [],
    new Date('2026-11-16T08:00:00.000Z'),
  );
  await lineage.replaceSource(
    `manifest:${LOGIN}`,
    [{ from: LOGIN, to: 'Contract:Login@v1', type: 'reads' }],
    [],
    new Date('2026-11-16T09:00:00.000Z'),
  );
  await lineage.replaceSource(
    'snapshot',
    [
      {
        from: 'Contract:Asset@v2',
        to: 'GraphQL:reports-graphql/Asset',
        type: 'conformsTo',
      },
    ],
    [],
    new Date('2026-11-17T08:00:00.000Z'),
  );

  const readiness = new ReadinessStore(knex);
  const score = (entityRef: string, s: number, computedAt: string) => ({
    entityRef,
    score: s,
    components: [],
    computedAt,
  });
  await readiness.saveScores([
    score(ORDERS, 0.6, '2026-11-18T06:00:00.000Z'),
    score(BILLING, 0.8, '2026-11-18T06:00:00.000Z'),
    score(LOGIN, 0.95, '2026-11-18T06:00:00.000Z'),
    score(ORDERS, 0.92, '2026-11-19T06:00:00.000Z'),
    // Older than the window: not drawn.
    score(ORDERS, 0.1, '2026-09-01T06:00:00.000Z'),
  ]);

  let clock = Date.parse('2026-11-19T10:00:00.000Z');
  const backfill = new BackfillStore(knex, () => clock);
  for (const [id, owner, rows, seconds, passed] of [
    ['orders-cents', ORDERS, 10_000, 40, [true, false]],
    ['login-email', LOGIN, 3_000, 10, [true, true]],
  ] as const) {
    let run = await backfill.createRun({
      definition: definition(id, owner),
      definitionHash: id,
      createdBy: 'user:default/admin',
    });
    run = await backfill.transition(run, 'running');
    expect(await backfill.claimLease(run.id, 'runner-1', 60_000)).toBeTruthy();
    expect(
      await backfill.commitBatch(run.id, 'runner-1', 60_000, {
        from: [1],
        to: [rows],
        rows,
        changed: rows,
        batchSize: 5000,
        durationMs: 100,
        nextBatchSize: 5000,
        efficiencies: [],
      }),
    ).toBe(true);
    for (const [i, ok] of passed.entries())
      await backfill.recordCheckpoint(run.id, {
        at: i === 0 ? 0.5 : 1,
        passed: ok,
        wrongRows: ok ? 0 : 12,
        rowsDone: rows,
        message: ok ? 'no wrong rows' : '12 rows still wrong',
        checkedAt: new Date(clock).toISOString(),
      });
    clock += seconds * 1000;
    await backfill.transition((await backfill.run(run.id))!, 'succeeded');
  }

  const federation = new FederationStore(knex);
  const repo = (entityRef: string, version: string) => ({
    entityRef,
    status: 'current' as const,
    version,
    errors: [],
    scannedAt: NOW.toISOString(),
  });
  await federation.saveScan(
    [repo(ORDERS, 'v1.0.0'), repo(LOGIN, 'v1.1.0')],
    '2026-11-18',
    true,
  );
  await federation.saveScan(
    [repo(ORDERS, 'v1.1.0'), repo(LOGIN, 'v1.1.0')],
    '2026-11-19',
    true,
  );
}

/** Reads for everything: an admin. */
const allowAll = () =>
  mockServices.permissions({ result: AuthorizeResult.ALLOW });

/**
 * Reads closed, as the portal's policy answers them: entity reads only for
 * what the caller's team owns (the catalog's ownership condition), the
 * auto-PR log open, the whole lineage graph closed. `rule` replaces the
 * catalog's rule with one the catalog does not ship.
 */
function teamOnly(claims: string[], rule?: string) {
  const owned = new Set(
    entities
      .filter(e =>
        claims.includes(
          e.relations!.find(r => r.type === 'ownedBy')!.targetRef,
        ),
      )
      .map(e => `component:default/${e.metadata.name}`),
  );
  const basic = (name: string) =>
    name === 'conductor.remediation.read'
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  const authorize = jest.fn(
    async (
      requests: Array<{
        permission: { type: string; name: string };
        resourceRef?: string;
      }>,
    ) =>
      requests.map(r => {
        if (r.permission.type !== 'resource')
          return { result: basic(r.permission.name) };
        return {
          result: owned.has(r.resourceRef!)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        };
      }),
  );
  const authorizeConditional = jest.fn(
    async (queries: Array<{ permission: { type: string; name: string } }>) =>
      queries.map(q => {
        if (q.permission.type !== 'resource')
          return { result: basic(q.permission.name) };
        const decision = createCatalogConditionalDecision(
          q.permission as ResourcePermission<'catalog-entity'>,
          catalogConditions.isEntityOwner({ claims }),
        );
        if (rule)
          return {
            ...decision,
            conditions: { ...decision.conditions, rule },
          };
        return decision;
      }),
  );
  return {
    permissions: {
      authorize,
      authorizeConditional,
    } as unknown as PermissionsService,
    authorize,
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('dashboards on %s', databaseId => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await applyDatabaseMigrations({ getClient: async () => knex } as any);
    await seed(knex);
  });

  function service(permissions: PermissionsService, now = () => NOW) {
    return new DashboardsService({
      catalogSnapshot: new DefaultCatalogSnapshot({
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      }),
      permissions,
      compliance: new ComplianceStore(knex),
      remediation: new RemediationStore(knex),
      lineage: new LineageStore(knex),
      readiness: new ReadinessStore(knex),
      backfill: new BackfillStore(knex),
      federation: new FederationStore(knex),
      targetScore: 0.85,
      readinessThreshold: () => 0.9,
      now,
    });
  }

  function app(permissions: PermissionsService) {
    const dashboards = service(permissions);
    return routerTestApp(
      createDashboardsRouter({ httpAuth: mockServices.httpAuth(), dashboards }),
    );
  }

  const as = (user: string) => ({
    Authorization: mockCredentials.user.header(`user:default/${user}`),
  });

  async function get(
    permissions: PermissionsService,
    query = '',
    user = 'alice',
  ): Promise<DashboardsResponse> {
    const res = await request(app(permissions))
      .get(`/${query}`)
      .set(as(user))
      .expect(200);
    return res.body;
  }

  it('shows every team to a caller who may read everything', async () => {
    const d = await get(allowAll(), '', 'admin');
    expect(d.team).toBeNull();
    expect(d.teams).toEqual([IDENTITY, PAYMENTS]);
    expect(d.compliance.targetScore).toBe(0.85);
    expect(d.compliance.teams).toEqual([IDENTITY, PAYMENTS]);
    expect(d.compliance.runs.map(r => r.scores)).toEqual([
      { [PAYMENTS]: 0.7, [IDENTITY]: 0.5 },
      { [PAYMENTS]: 0.8, [IDENTITY]: 0.6 },
    ]);
    expect(d.autoPrs!.weeks).toEqual([
      { week: '2026-11-02', opened: 1, merged: 1 },
      { week: '2026-11-09', opened: 2, merged: 0 },
    ]);
    expect(d.autoPrs!.all).toMatchObject({ opened: 3, merged: 1, open: 2 });
    expect(
      d.autoPrs!.teams.map(t => [t.team, t.opened, t.medianHoursToMerge]),
    ).toEqual([
      [IDENTITY, 1, null],
      [PAYMENTS, 2, 10],
    ]);
    // Orders: one edge added on the 15th, replaced (one removed, one added)
    // on the 16th; login: one added on the 16th; the snapshot's edge
    // between a contract and a type on the 17th.
    expect(d.lineage.days).toEqual([
      { day: '2026-11-15', added: 1, removed: 0 },
      { day: '2026-11-16', added: 2, removed: 1 },
      { day: '2026-11-17', added: 1, removed: 0 },
    ]);
    expect(d.lineage.entities).toEqual([
      { entityRef: ORDERS, events: 3 },
      { entityRef: LOGIN, events: 1 },
    ]);
    expect(d.readiness.threshold).toBe(0.9);
    expect(d.readiness.teams).toEqual([
      { team: IDENTITY, services: 1, averageScore: 0.95, belowThreshold: 0 },
      { team: PAYMENTS, services: 2, averageScore: 0.86, belowThreshold: 1 },
    ]);
    expect(d.readiness.trend).toEqual([
      { day: '2026-11-18', scores: { [PAYMENTS]: 0.7, [IDENTITY]: 0.95 } },
      { day: '2026-11-19', scores: { [PAYMENTS]: 0.92 } },
    ]);
    expect(d.readiness.services).toEqual([]);
    expect(d.backfills.runs).toEqual([
      expect.objectContaining({
        definitionId: 'orders-cents',
        entityRef: ORDERS,
        team: PAYMENTS,
        state: 'succeeded',
        rowsDone: 10_000,
        rowsPerSecond: 250,
        checkpointsPassed: 1,
        checkpointsFailed: 1,
      }),
      expect.objectContaining({
        definitionId: 'login-email',
        team: IDENTITY,
        rowsPerSecond: 300,
        checkpointsPassed: 2,
        checkpointsFailed: 0,
      }),
    ]);
    expect(d.federation).toEqual({
      versions: ['v1.0.0', 'v1.1.0'],
      days: [
        {
          day: '2026-11-18',
          byVersion: { 'v1.0.0': 1, 'v1.1.0': 1 },
          total: 2,
        },
        { day: '2026-11-19', byVersion: { 'v1.1.0': 2 }, total: 2 },
      ],
    });
  });

  it('filters every dashboard to one team, given as its ref or its name', async () => {
    for (const team of [PAYMENTS, 'payments']) {
      const d = await get(allowAll(), `?team=${encodeURIComponent(team)}`);
      expect(d.team).toBe(PAYMENTS);
      expect(d.teams).toEqual([IDENTITY, PAYMENTS]);
      expect(d.compliance.teams).toEqual([PAYMENTS]);
      expect(d.compliance.runs.map(r => r.scores)).toEqual([
        { [PAYMENTS]: 0.7 },
        { [PAYMENTS]: 0.8 },
      ]);
      expect(d.autoPrs!.all).toMatchObject({ opened: 2, merged: 1 });
      expect(d.autoPrs!.teams.map(t => t.team)).toEqual([PAYMENTS]);
      expect(d.lineage.days).toEqual([
        { day: '2026-11-15', added: 1, removed: 0 },
        { day: '2026-11-16', added: 1, removed: 1 },
      ]);
      expect(d.lineage.entities).toEqual([{ entityRef: ORDERS, events: 3 }]);
      expect(d.readiness.teams.map(t => t.team)).toEqual([PAYMENTS]);
      expect(d.readiness.services).toEqual([
        { entityRef: BILLING, score: 0.8 },
        { entityRef: ORDERS, score: 0.92 },
      ]);
      expect(d.backfills.runs.map(r => r.definitionId)).toEqual([
        'orders-cents',
      ]);
      expect(d.federation.days).toEqual([
        { day: '2026-11-18', byVersion: { 'v1.0.0': 1 }, total: 1 },
        { day: '2026-11-19', byVersion: { 'v1.1.0': 1 }, total: 1 },
      ]);
    }
  });

  it('shows a caller limited to their team nothing of other teams', async () => {
    const { permissions, authorize } = teamOnly([
      'user:default/alice',
      PAYMENTS,
    ]);
    const d = await get(permissions);
    expect(d.teams).toEqual([PAYMENTS]);
    const text = JSON.stringify(d);
    expect(text).not.toContain('identity');
    expect(text).not.toContain('login');
    expect(d.compliance.teams).toEqual([PAYMENTS]);
    expect(d.autoPrs!.all.opened).toBe(2);
    // The contract-to-type edge belongs to the whole graph, which alice may not read.
    expect(d.lineage.days.map(x => x.day)).toEqual([
      '2026-11-15',
      '2026-11-16',
    ]);
    expect(d.readiness.teams.map(t => t.team)).toEqual([PAYMENTS]);
    expect(d.backfills.runs.map(r => r.entityRef)).toEqual([ORDERS]);
    expect(d.federation.versions).toEqual(['v1.0.0', 'v1.1.0']);
    expect(d.federation.days.map(x => x.total)).toEqual([1, 1]);
    // The ownership condition is applied here: no question per entity.
    expect(
      authorize.mock.calls.every(([reqs]) =>
        reqs.every(r => r.permission.type !== 'resource'),
      ),
    ).toBe(true);

    const denied = await request(app(permissions))
      .get(`/?team=${encodeURIComponent(IDENTITY)}`)
      .set(as('alice'))
      .expect(403);
    expect(denied.body.error.message).toBe(
      `Not allowed to read the entities of ${IDENTITY}`,
    );
  });

  it('asks per entity when the condition is on a rule the catalog does not ship', async () => {
    const { permissions, authorize } = teamOnly(
      ['user:default/alice', PAYMENTS],
      'IS_IN_MY_SPREADSHEET',
    );
    const d = await get(permissions);
    expect(d.teams).toEqual([PAYMENTS]);
    expect(d.backfills.runs.map(r => r.entityRef)).toEqual([ORDERS]);
    expect(
      authorize.mock.calls.some(([reqs]) =>
        reqs.some(r => r.resourceRef === LOGIN),
      ),
    ).toBe(true);
  });

  it('reuses an answer for a minute for the same team and decisions, never across decisions', async () => {
    let now = NOW;
    const dashboards = service(allowAll(), () => now);
    const admin = mockCredentials.user('user:default/admin');
    const first = await dashboards.dashboards(admin, null);
    // A new auto-PR: not seen until the minute is over.
    await new RemediationStore(knex).insert({
      entityRef: BILLING,
      team: PAYMENTS,
      provider: 'git',
      repository: 'billing',
      branch: 'conductor/other',
      title: 'Add CODEOWNERS',
      state: 'open',
      controls: ['OWN-01'],
      headSha: 'def',
      baseBranch: 'main',
      fingerprint: 'g',
      body: '',
      openedAt: '2026-11-19T00:00:00.000Z',
      updatedAt: '2026-11-19T00:00:00.000Z',
    });
    now = new Date(NOW.getTime() + 30_000);
    expect(await dashboards.dashboards(admin, null)).toBe(first);
    // Another team's view, or the same view under other decisions, is its own.
    expect(
      (await dashboards.dashboards(admin, PAYMENTS)).autoPrs!.all.opened,
    ).toBe(3);
    const { permissions } = teamOnly(['user:default/alice', PAYMENTS]);
    const alice = service(permissions, () => now);
    expect((await alice.dashboards(admin, null)).teams).toEqual([PAYMENTS]);
    now = new Date(NOW.getTime() + 61_000);
    const later = await dashboards.dashboards(admin, null);
    expect(later.autoPrs!.all.opened).toBe(4);
    expect(later.generatedAt).toBe(now.toISOString());
  });

  it('names a bad or unknown team', async () => {
    const bad = await request(app(allowAll()))
      .get(`/?team=${encodeURIComponent(ORDERS)}`)
      .set(as('alice'))
      .expect(400);
    expect(bad.body.error.message).toBe(
      `team: ${ORDERS} is not a group; write it as group:default/<name>`,
    );
    const unknown = await request(app(allowAll()))
      .get('/?team=nobody')
      .set(as('alice'))
      .expect(404);
    expect(unknown.body.error.message).toBe(
      'team: no entity in the catalog is owned by group:default/nobody',
    );
    await request(app(allowAll()))
      .get('/?colour=blue')
      .set(as('alice'))
      .expect(400);
  });
});
