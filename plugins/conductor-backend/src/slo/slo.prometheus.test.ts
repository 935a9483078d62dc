// The SLO capability against a real Prometheus (Debian's `prometheus` and
// `promtool`): known traffic is generated, turned into TSDB blocks and
// served on loopback; every number asserted here is worked out by hand.
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  SloBoardResponse,
  SloComponentResponse,
  SloStatus,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { routerTestApp } from '../__testUtils__/routerTestApp';
import {
  CounterSeries,
  LocalPrometheus,
  startPrometheus,
  writeOpenMetrics,
} from './traffic';
import {
  buildSloCapability,
  slothAvailability,
  sloComponent,
  waitForNotifications,
} from './__testUtils__/world';

jest.setTimeout(120_000);

const PORT = 19090;
const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
// Evaluation time: on the hour, 6 h back so that no data falls in the head block.
const T = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 6 * HOUR;

// Traffic: 1 request/s everywhere. Error shares: steady-api 0.05 % all the
// time; outage-api 0.05 %, then 5 % over the last 65 minutes before T;
// session-api 0.1 %; quiet-api sends nothing.
const OUTAGE_MINUTES = 65;
const BASE = 0.0005;
const OUTAGE = 0.05;
const outageShare = (t: number) =>
  t > T - OUTAGE_MINUTES * MIN ? OUTAGE : BASE;

function requests(
  service: string,
  errorShare: (t: number) => number,
  rps = 1,
): CounterSeries[] {
  return [
    {
      family: 'http_requests',
      name: 'http_requests_total',
      labels: { service, code: '200' },
      ratePerSecond: t => rps * (1 - errorShare(t)),
    },
    {
      family: 'http_requests',
      name: 'http_requests_total',
      labels: { service, code: '500' },
      ratePerSecond: t => rps * errorShare(t),
    },
  ];
}

// steady-api read latency: half within 100 ms, 97 % within 350 ms, 99 % within 700 ms.
const BUCKETS: Array<[string, number]> = [
  ['0.1', 0.5],
  ['0.35', 0.97],
  ['0.7', 0.99],
  ['+Inf', 1],
];
const series: CounterSeries[] = [
  ...requests('steady-api', () => BASE),
  ...requests('outage-api', outageShare),
  ...requests('session-api', () => 0.001),
  ...requests('broken-api', () => BASE),
  ...requests('quiet-api', () => 0, 0),
  ...BUCKETS.map(([le, share]) => ({
    family: 'http_request_duration_seconds',
    name: 'http_request_duration_seconds_bucket',
    labels: { service: 'steady-api', operation: 'read', le },
    ratePerSecond: () => share,
  })),
  {
    family: 'http_request_duration_seconds',
    name: 'http_request_duration_seconds_count',
    labels: { service: 'steady-api', operation: 'read' },
    ratePerSecond: () => 1,
  },
  {
    family: 'cloud_cost_dollars',
    name: 'cloud_cost_dollars_total',
    labels: { service: 'steady-api' },
    ratePerSecond: () => 0.0002,
  },
  {
    family: 'cloud_cost_dollars',
    name: 'cloud_cost_dollars_total',
    labels: { service: 'outage-api' },
    ratePerSecond: () => 0.00005,
  },
];

/**
 * The error ratio of outage-api over a window of `minutes` ending at T, as
 * Prometheus 2.x selects samples: the window [T − w, T] includes its first
 * sample, whose increment is the minute before the window, so the window
 * counts `minutes` one-minute increments ending at T... minus none: see the
 * 2h check below, which pins the convention.
 */
function outageRatio(minutes: number): number {
  const bad = Math.min(minutes, OUTAGE_MINUTES);
  return (bad * OUTAGE + (minutes - bad) * BASE) / minutes;
}

const files: Record<string, string> = {
  'steady-api.yaml': slothAvailability('steady-api', 99.9),
  'outage-api.yaml': slothAvailability('outage-api', 99.9, {
    alertName: 'OutageApiHighErrorRate',
  }),
  'quiet-api.yaml': slothAvailability('quiet-api', 99.9),
  'ghost-api.yaml': slothAvailability('ghost-api', 99.9, {
    metric: 'ghost_requests_total',
  }),
  'broken-api.yaml': slothAvailability('broken-api', 99.9, {
    errorQuery:
      'sum(rate(http_requests_total{service="broken-api",code=~"5.."}[{{.window}}])) by',
  }),
  'invalid-api.yaml': slothAvailability('invalid-api', 120),
  'session-api.yaml': `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
spec:
  service: session-api
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: good
    spec:
      ratioMetric:
        good:
          metricSource:
            spec:
              query: sum(rate(http_requests_total{service="session-api",code="200"}[{{.window}}]))
        total:
          metricSource:
            spec:
              query: sum(rate(http_requests_total{service="session-api"}[{{.window}}]))
  objectives:
    - target: 0.995
`,
};

const PAYMENTS = 'group:default/payments';
const entities = [
  sloComponent('steady-api', PAYMENTS, {
    'conductor.io/slo-file': 'steady-api.yaml',
    'conductor.io/sla': 'read=350',
  }),
  sloComponent('outage-api', PAYMENTS, {
    'conductor.io/slo-file': 'outage-api.yaml',
  }),
  sloComponent('quiet-api', PAYMENTS, {
    'conductor.io/slo-file': 'quiet-api.yaml',
  }),
  sloComponent('ghost-api', PAYMENTS, {
    'conductor.io/slo-file': 'ghost-api.yaml',
  }),
  sloComponent('broken-api', PAYMENTS, {
    'conductor.io/slo-file': 'broken-api.yaml',
  }),
  sloComponent('invalid-api', PAYMENTS, {
    'conductor.io/slo-file': 'invalid-api.yaml',
  }),
  sloComponent('session-api', 'group:default/identity', {
    'conductor.io/slo-file': 'session-api.yaml',
  }),
  sloComponent('no-slo-api', PAYMENTS, {}),
];

const sloConfig = (url: string) => ({
  prometheus: { url, timeoutMs: 5000 },
  cacheTtlSeconds: 30,
  cost: {
    query: 'sum by (service) (rate(cloud_cost_dollars_total[1h]))',
    requestsQuery: 'sum by (service) (rate(http_requests_total[1h]))',
    guardrailPerThousandRequests: 0.1,
    currency: 'USD',
  },
});

let prometheus: LocalPrometheus;
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-slo-traffic-'));
  const traffic = writeOpenMetrics(path.join(dir, 'om'), series, {
    start: T - 31 * DAY,
    end: T,
    step: 5 * MIN,
    fineFrom: T - 4 * DAY,
    fineStep: MIN,
  });
  prometheus = await startPrometheus({
    openMetricsFiles: traffic,
    port: PORT,
    dataDir: path.join(dir, 'tsdb'),
  });
});

afterAll(async () => {
  await prometheus?.stop();
});

const byName = (board: SloBoardResponse, name: string) =>
  board.services.find(s => s.name === name)!;
const burn = (s: SloStatus, w: string) => s.burnRates[w]!;

describe('team SLO board from a real Prometheus', () => {
  let board: SloBoardResponse;
  let world: Awaited<ReturnType<typeof buildSloCapability>>;

  beforeAll(async () => {
    world = await buildSloCapability({
      entities,
      files,
      db: await databases.init('SQLITE_3'),
      slo: sloConfig(prometheus.url),
      now: () => new Date(T * 1000),
    });
    const res = await request(
      routerTestApp(world.capability.routers['/slo']),
    ).get('/teams/default/payments');
    if (res.status !== 200) throw new Error(`board answered ${res.status}`);
    board = res.body;
  });

  it("lists the team's services with SLOs, and only those", () => {
    expect(board.prometheus.state).toBe('ok');
    expect(board.services.map(s => s.name).sort()).toEqual([
      'broken-api',
      'ghost-api',
      'invalid-api',
      'outage-api',
      'quiet-api',
      'steady-api',
    ]);
  });

  it('computes availability, budget remaining and burn rates equal to the hand-worked values', () => {
    const [steady, latency] = byName(board, 'steady-api').slos;
    // 0.05 % errors against a 0.1 % budget: half the budget used, burning at 0.5×.
    expect(steady.state).toBe('ok');
    expect(steady.sli).toBeCloseTo(0.9995, 9);
    expect(steady.budgetRemaining).toBeCloseTo(0.5, 9);
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'])
      expect(burn(steady, w)).toBeCloseTo(0.5, 9);
    expect(steady.alerts.map(a => a.firing)).toEqual([
      false,
      false,
      false,
      false,
    ]);

    // Latency: 3 % of reads slower than 350 ms against a 5 % budget (p95).
    expect(latency).toMatchObject({
      id: 'steady-api-latency-read',
      objective: 95,
      state: 'ok',
    });
    expect(latency.budgetRemaining).toBeCloseTo(1 - 0.03 / 0.05, 9);
    expect(burn(latency, '1h')).toBeCloseTo(0.6, 9);
    // p95 interpolated in the 100–350 ms bucket: 100 + 250 × (0.95 − 0.5) / (0.97 − 0.5).
    expect(latency.latency!.valueMs).toBeCloseTo(100 + (250 * 0.45) / 0.47, 2);
    expect(latency.latency!.thresholdMs).toBe(350);
  });

  it('measures an outage window by window as worked out by hand', () => {
    const [outage] = byName(board, 'outage-api').slos;
    const windows: Array<[string, number]> = [
      ['5m', 5],
      ['30m', 30],
      ['1h', 60],
      ['2h', 120],
      ['6h', 360],
      ['1d', 1440],
      ['3d', 4320],
      ['30d', 43200],
    ];
    for (const [w, minutes] of windows)
      expect(burn(outage, w)).toBeCloseTo(outageRatio(minutes) / 0.001, 6);
    // 30 d: (65 × 5 % + 43,135 × 0.05 %) / 43,200 = 0.000574479 → 42.55 % of the budget left.
    expect(outage.sli).toBeCloseTo(1 - outageRatio(43200), 9);
    expect(outage.budgetRemaining).toBeCloseTo(
      1 - outageRatio(43200) / 0.001,
      6,
    );
    expect(outage.budgetRemaining).toBeCloseTo(0.425521, 5);
  });

  it('makes exactly the expected alerts fire: both page conditions and the slow ticket', () => {
    const [outage] = byName(board, 'outage-api').slos;
    // page-fast 1h/5m: 50×, 50× > 14.4; page-slow 6h/30m: 9.44×, 50× > 6;
    // ticket-fast 1d/2h: 2.73× < 3 on the long window; ticket-slow 3d/6h: 1.24×, 9.44× > 1.
    expect(
      Object.fromEntries(outage.alerts.map(a => [a.id, a.firing])),
    ).toEqual({
      'page-fast': true,
      'page-slow': true,
      'ticket-fast': false,
      'ticket-slow': true,
    });
    expect(byName(board, 'outage-api').alertState).toBe('page');
    expect(byName(board, 'steady-api').alertState).toBe('ok');
  });

  it('says "no data" for no traffic and names an absent metric, never healthy', () => {
    const [quiet] = byName(board, 'quiet-api').slos;
    expect(quiet).toMatchObject({
      state: 'no-data',
      sli: null,
      budgetRemaining: null,
      reason: 'no traffic in the last 30d',
    });
    expect(quiet.alerts.map(a => a.firing)).toEqual([null, null, null, null]);
    expect(byName(board, 'quiet-api').alertState).toBe('no-data');
    const [ghost] = byName(board, 'ghost-api').slos;
    expect(ghost).toMatchObject({
      state: 'absent',
      absentMetric: 'ghost_requests_total{service="ghost-api"}',
      sli: null,
    });
  });

  it('shows a PromQL error on its own SLO with the query, and a bad file with file, line and field', () => {
    const [broken] = byName(board, 'broken-api').slos;
    expect(broken.state).toBe('error');
    expect(broken.reason).toMatch(
      /^Prometheus refused the query of broken-api-availability \(broken-api.yaml\): .*parse error.*Query: /,
    );
    expect(broken.reason).toContain('[5m])) by)');
    const invalid = byName(board, 'invalid-api');
    expect(invalid.slos).toEqual([]);
    expect(invalid.fileErrors).toEqual([
      {
        file: 'invalid-api.yaml',
        line: 5,
        field: 'slos[0].objective',
        message:
          'must be above 0 and below 100 (a percent, e.g. 99.9), got 120',
      },
    ]);
  });

  it('shows unit cost per 1,000 requests and marks the guardrail', () => {
    // steady-api: $0.0002/s over 1 request/s = $0.20 per 1,000; guardrail $0.10.
    expect(byName(board, 'steady-api').cost).toMatchObject({
      state: 'ok',
      exceeded: true,
      guardrail: 0.1,
      currency: 'USD',
    });
    expect(byName(board, 'steady-api').cost!.perThousandRequests).toBeCloseTo(
      0.2,
      9,
    );
    expect(byName(board, 'outage-api').cost!.perThousandRequests).toBeCloseTo(
      0.05,
      9,
    );
    expect(byName(board, 'outage-api').cost!.exceeded).toBe(false);
    expect(byName(board, 'ghost-api').cost).toMatchObject({
      state: 'absent',
      perThousandRequests: null,
    });
  });

  it('asks Prometheus once per window for the whole board, then serves it from the cache', async () => {
    // 7 alert windows + the 30d window, the latency percentiles, cost and
    // requests. Each window's batch of 6 SLOs holds the broken one (6th): it
    // is split in halves until alone, 1 + 2 + 2 + 2 = 7 queries a window.
    expect(board.queries).toBe(8 * 7 + 1 + 2);
    const again = await request(
      routerTestApp(world.capability.routers['/slo']),
    ).get('/teams/default/payments');
    expect(again.body.queries).toBe(0);
    expect(again.body.services).toEqual(board.services);
  });

  it('lists teams and serves one component with its burn-down, burn-rate history and rules', async () => {
    const app = routerTestApp(world.capability.routers['/slo']);
    const teams = await request(app).get('/teams');
    expect(teams.body.teams).toEqual([
      { team: 'group:default/identity', services: 1, slos: 1 },
      { team: 'group:default/payments', services: 6, slos: 6 },
    ]);
    const session = await request(app).get('/component/default/session-api');
    const body: SloComponentResponse = session.body;
    // 28-day OpenSLO good/total: 0.1 % bad against a 0.5 % budget.
    expect(body.slos[0]).toMatchObject({
      windowDays: 28,
      objective: 99.5,
      format: 'openslo',
    });
    expect(body.slos[0].budgetRemaining).toBeCloseTo(0.8, 9);
    expect(body.slos[0].alerts.map(a => a.factor)).toEqual([
      13.44, 5.6, 2.8, 0.9333,
    ]);
    const outage: SloComponentResponse = (
      await request(app).get('/component/default/outage-api')
    ).body;
    const points = outage.history['outage-api-availability'];
    expect(points.length).toBeGreaterThanOrEqual(120);
    expect(points.at(-1)!.burnRate).toBeCloseTo(outageRatio(360) / 0.001, 6);
    expect(points.at(-1)!.budgetRemaining).toBeCloseTo(
      1 - outageRatio(43200) / 0.001,
      6,
    );
    expect(outage.rules).toContain('alert: OutageApiHighErrorRate');
    expect(
      (await request(app).get('/component/default/no-slo-api')).status,
    ).toBe(404);
  });
});

describe('burn alerts and SLO adherence on the scheduler', () => {
  it.each(databases.eachSupportedId())(
    'notifies each firing alert once, resolves it when it clears, records slo.adherence only with data (%p)',
    async id => {
      let now = T;
      const world = await buildSloCapability({
        entities,
        files,
        db: await databases.init(id),
        slo: { ...sloConfig(prometheus.url), cacheTtlSeconds: 0 },
        now: () => new Date(now * 1000),
      });
      const { slo } = world.capability;
      const first = await slo.runAlertsAndAdherence();
      expect(first.fired.sort()).toEqual([
        'conductor-slo:component:default/outage-api:outage-api-availability:page',
        'conductor-slo:component:default/outage-api:outage-api-availability:ticket',
      ]);
      await waitForNotifications(world.captured, 2);
      expect(
        world.captured.notifications.map(n => [
          n.recipients,
          n.payload.severity,
          n.payload.link,
        ]),
      ).toEqual([
        [
          { type: 'entity', entityRef: PAYMENTS },
          'critical',
          '/conductor/slo?team=group%3Adefault%2Fpayments',
        ],
        [
          { type: 'entity', entityRef: PAYMENTS },
          'high',
          '/conductor/slo?team=group%3Adefault%2Fpayments',
        ],
      ]);
      expect(world.captured.notifications[0].payload.title).toBe(
        'SLO outage-api-availability of outage-api: error budget burning too fast (page)',
      );

      // Adherence: hours whose 1h error ratio stayed within budget. outage-api
      // loses the hour ending at T (5 %) and the one before (5 of 60 minutes at 5 %).
      const adherence = Object.fromEntries(
        world.captured.facts.map(f => [f.entityRef, f.value]),
      );
      expect(
        world.captured.facts.every(
          f => f.collectorId === 'slo' && f.name === 'slo.adherence',
        ),
      ).toBe(true);
      expect(Object.keys(adherence).sort()).toEqual([
        'component:default/outage-api',
        'component:default/session-api',
        'component:default/steady-api',
      ]);
      expect(adherence['component:default/steady-api']).toBe(1);
      expect(adherence['component:default/session-api']).toBe(1);
      expect(adherence['component:default/outage-api']).toBeCloseTo(
        1 - 2 / 720,
        3,
      );

      // Same state an evaluation later: nothing sent again.
      const second = await slo.runAlertsAndAdherence();
      expect(second.fired).toEqual([]);
      expect(second.resolved).toEqual([]);

      // Two hours before the outage nothing burns: both alerts resolve, once.
      now = T - 2 * HOUR;
      const third = await slo.runAlertsAndAdherence();
      expect(third.fired).toEqual([]);
      expect(third.resolved.sort()).toEqual(first.fired.sort());
      await waitForNotifications(world.captured, 4);
      expect(
        world.captured.notifications
          .slice(2)
          .map(n => [n.payload.severity, n.payload.scope]),
      ).toEqual([
        ['low', first.fired.sort()[0]],
        ['low', first.fired.sort()[1]],
      ]);
    },
  );

  it('Prometheus stopped mid-test: the board says "data unavailable" with the reason and no fact is written', async () => {
    const world = await buildSloCapability({
      entities,
      files,
      db: await databases.init('SQLITE_3'),
      slo: { ...sloConfig(prometheus.url), cacheTtlSeconds: 0 },
      now: () => new Date(T * 1000),
    });
    const app = routerTestApp(world.capability.routers['/slo']);
    expect(
      (await request(app).get('/teams/default/payments')).body.prometheus.state,
    ).toBe('ok');
    await prometheus.stop();
    const res = await request(app).get('/teams/default/payments');
    expect(res.status).toBe(200);
    const board: SloBoardResponse = res.body;
    expect(board.prometheus).toMatchObject({
      state: 'unavailable',
      reason: `cannot reach Prometheus at ${prometheus.url}: ECONNREFUSED`,
    });
    for (const s of board.services.flatMap(r => r.slos)) {
      expect(s).toMatchObject({
        state: 'unavailable',
        sli: null,
        budgetRemaining: null,
      });
    }
    const before = world.captured.facts.length;
    const run = await world.capability.slo.runAlertsAndAdherence();
    expect(run.unavailable).toMatch(/ECONNREFUSED/);
    expect(world.captured.facts.length).toBe(before);
  });
});
