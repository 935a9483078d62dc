import { ChangeRequest } from '../remediation/api';
import {
  adoptionVersions,
  autoPrDashboard,
  backfillRunDashboard,
  complianceTrend,
  lineageDashboard,
  lineageEventEntities,
  readinessDashboard,
} from './aggregate';

const PAYMENTS = 'group:default/payments';
const IDENTITY = 'group:default/identity';

describe('complianceTrend', () => {
  it('draws one line per team in the view, runs oldest first', () => {
    const trend = complianceTrend(
      [
        { runId: 2, at: '2026-11-02T00:00:00.000Z', ref: PAYMENTS, score: 0.8 },
        { runId: 1, at: '2026-11-01T00:00:00.000Z', ref: PAYMENTS, score: 0.7 },
        { runId: 1, at: '2026-11-01T00:00:00.000Z', ref: IDENTITY, score: 0.5 },
        { runId: 3, at: '2026-11-03T00:00:00.000Z', ref: IDENTITY, score: 0.6 },
      ],
      new Set([PAYMENTS]),
      0.9,
    );
    expect(trend).toEqual({
      targetScore: 0.9,
      teams: [PAYMENTS],
      runs: [
        {
          runId: 1,
          at: '2026-11-01T00:00:00.000Z',
          scores: { [PAYMENTS]: 0.7 },
        },
        {
          runId: 2,
          at: '2026-11-02T00:00:00.000Z',
          scores: { [PAYMENTS]: 0.8 },
        },
      ],
    });
  });
});

describe('autoPrDashboard', () => {
  const cr = (
    id: number,
    team: string,
    openedAt: string,
    mergedAt?: string,
  ): ChangeRequest => ({
    id,
    entityRef: `component:default/c${id}`,
    team,
    provider: 'git',
    repository: `r${id}`,
    branch: 'conductor/fix',
    title: 't',
    state: mergedAt ? 'merged' : 'open',
    controls: ['PRIV-RET-01'],
    headSha: 'x',
    openedAt,
    updatedAt: openedAt,
    mergedAt,
    body: '',
  });

  it('gives the rate per week and the median time to merge per team', () => {
    const d = autoPrDashboard([
      cr(1, PAYMENTS, '2026-11-02T00:00:00Z', '2026-11-02T10:00:00Z'),
      cr(2, PAYMENTS, '2026-11-10T00:00:00Z', '2026-11-10T20:00:00Z'),
      cr(3, IDENTITY, '2026-11-10T00:00:00Z'),
    ]);
    expect(d.weeks).toEqual([
      { week: '2026-11-02', opened: 1, merged: 1 },
      { week: '2026-11-09', opened: 2, merged: 1 },
    ]);
    expect(d.all).toMatchObject({ opened: 3, merged: 2, open: 1 });
    expect(d.teams.map(t => [t.team, t.medianHoursToMerge])).toEqual([
      [IDENTITY, null],
      [PAYMENTS, 15],
    ]);
  });

  it('answers zeros and no weeks with no pull request', () => {
    const d = autoPrDashboard([]);
    expect(d.weeks).toEqual([]);
    expect(d.teams).toEqual([]);
    expect(d.all).toMatchObject({ opened: 0, mergeRate: null });
  });
});

describe('lineage', () => {
  const event = (
    id: number,
    at: string,
    from: string,
    to: string,
    source = 'catalog',
    change: 'added' | 'removed' = 'added',
  ) => ({
    id,
    at,
    change,
    source,
    edge: { from, to, type: 'exposes' as const },
  });

  it('names the catalog entities an event touches, from its ends and its source', () => {
    expect(
      lineageEventEntities(
        event(
          1,
          '2026-11-01T00:00:00Z',
          'Component:default/Orders-API',
          'GraphQL:orders-graphql/Order',
          'manifest:component:default/checkout-web',
        ),
      ),
    ).toEqual([
      'component:default/orders-api',
      'component:default/checkout-web',
    ]);
    expect(
      lineageEventEntities(
        event(2, '2026-11-01T00:00:00Z', 'Contract:Asset@v2', 'Tenant:acme'),
      ),
    ).toEqual([]);
  });

  it('counts added and removed per day since the window, only the events kept', () => {
    const d = lineageDashboard(
      [
        event(1, '2026-10-01T00:00:00Z', 'api:default/a', 'GraphQL:a/T'),
        event(2, '2026-11-01T01:00:00Z', 'api:default/a', 'GraphQL:a/T'),
        event(
          3,
          '2026-11-01T02:00:00Z',
          'api:default/a',
          'GraphQL:a/U',
          'catalog',
          'removed',
        ),
        event(4, '2026-11-02T00:00:00Z', 'api:default/secret', 'GraphQL:s/T'),
        event(
          5,
          '2026-11-03T00:00:00Z',
          'component:default/b',
          'api:default/a',
        ),
      ],
      '2026-10-15',
      (_e, refs) => (refs.includes('api:default/secret') ? null : refs),
    );
    expect(d.days).toEqual([
      { day: '2026-11-01', added: 1, removed: 1 },
      { day: '2026-11-03', added: 1, removed: 0 },
    ]);
    expect(d.entities).toEqual([
      { entityRef: 'api:default/a', events: 3 },
      { entityRef: 'component:default/b', events: 1 },
    ]);
  });
});

describe('readinessDashboard', () => {
  const teams: Record<string, string> = {
    'component:default/a': PAYMENTS,
    'component:default/b': PAYMENTS,
    'component:default/c': IDENTITY,
  };
  const scores = [
    {
      entityRef: 'component:default/a',
      score: 0.5,
      computedAt: '2026-11-01T01:00:00Z',
    },
    {
      entityRef: 'component:default/a',
      score: 0.7,
      computedAt: '2026-11-01T09:00:00Z',
    },
    {
      entityRef: 'component:default/b',
      score: 0.9,
      computedAt: '2026-11-01T09:00:00Z',
    },
    {
      entityRef: 'component:default/c',
      score: 0.95,
      computedAt: '2026-11-01T09:00:00Z',
    },
    {
      entityRef: 'component:default/a',
      score: 0.8,
      computedAt: '2026-11-02T09:00:00Z',
    },
    {
      entityRef: 'component:default/hidden',
      score: 0.1,
      computedAt: '2026-11-02T09:00:00Z',
    },
  ];

  it('averages each service latest score per team and each day last score per team', () => {
    const d = readinessDashboard(scores, ref => teams[ref], 0.9, false);
    expect(d.teams).toEqual([
      { team: IDENTITY, services: 1, averageScore: 0.95, belowThreshold: 0 },
      { team: PAYMENTS, services: 2, averageScore: 0.85, belowThreshold: 1 },
    ]);
    expect(d.trend).toEqual([
      { day: '2026-11-01', scores: { [PAYMENTS]: 0.8, [IDENTITY]: 0.95 } },
      { day: '2026-11-02', scores: { [PAYMENTS]: 0.8 } },
    ]);
    expect(d.services).toEqual([]);
  });

  it('lists the services, lowest first, for one team', () => {
    const d = readinessDashboard(
      scores,
      ref => (teams[ref] === PAYMENTS ? PAYMENTS : undefined),
      0.9,
      true,
    );
    expect(d.services).toEqual([
      { entityRef: 'component:default/a', score: 0.8 },
      { entityRef: 'component:default/b', score: 0.9 },
    ]);
  });
});

describe('backfillRunDashboard', () => {
  const run = {
    id: 7,
    definitionId: 'orders-backfill',
    owner: 'component:default/orders-api',
    state: 'succeeded',
    rowsDone: 10_000,
    startedAt: '2026-11-01T00:00:00.000Z',
    finishedAt: '2026-11-01T00:00:40.000Z',
  };
  const checkpoint = (at: number, passed: boolean) => ({
    at,
    passed,
    wrongRows: passed ? 0 : 3,
    rowsDone: 1,
    checkedAt: '2026-11-01T00:00:10.000Z',
    message: '',
  });

  it('gives rows per second and checkpoints passed and failed', () => {
    expect(
      backfillRunDashboard(
        run,
        PAYMENTS,
        [checkpoint(0.1, true), checkpoint(0.5, false), checkpoint(0.9, true)],
        new Date('2026-11-05T00:00:00Z'),
      ),
    ).toEqual({
      id: 7,
      definitionId: 'orders-backfill',
      entityRef: 'component:default/orders-api',
      team: PAYMENTS,
      state: 'succeeded',
      rowsDone: 10_000,
      rowsPerSecond: 250,
      startedAt: '2026-11-01T00:00:00.000Z',
      checkpointsPassed: 2,
      checkpointsFailed: 1,
    });
  });

  it('measures a running backfill to now, and none before it starts', () => {
    const now = new Date('2026-11-01T00:01:40.000Z');
    expect(
      backfillRunDashboard({ ...run, finishedAt: null }, null, [], now)
        .rowsPerSecond,
    ).toBe(100);
    expect(
      backfillRunDashboard({ ...run, startedAt: null }, null, [], now)
        .rowsPerSecond,
    ).toBeNull();
  });
});

describe('adoptionVersions', () => {
  it('orders versions numerically', () => {
    expect(
      adoptionVersions([
        {
          day: '2026-11-01',
          byVersion: { 'v1.10.0': 1, 'v1.9.0': 2 },
          total: 3,
        },
        { day: '2026-11-02', byVersion: { 'v1.2.0': 1 }, total: 1 },
      ]),
    ).toEqual(['v1.2.0', 'v1.9.0', 'v1.10.0']);
  });
});
