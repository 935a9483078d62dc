import { DashboardsResponse } from '@internal/plugin-conductor-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { cloneElement, ReactElement } from 'react';
import {
  paymentsTeam,
  renderForEntity,
  renderWithApis,
} from '../__testUtils__';
import { dashboardsApiRef } from './api';
import { DashboardsView, TeamDashboardsContent } from './DashboardsPage';

// jsdom lays nothing out: give the charts a size so recharts draws their
// axes, and the tests can read the values on them.
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  return {
    ...actual,
    ResponsiveContainer: (props: { children: ReactElement }) =>
      cloneElement(props.children, { width: 800, height: 240 }),
  };
});

jest.setTimeout(30_000);

const PAYMENTS = 'group:default/payments';
const IDENTITY = 'group:default/identity';
const ORDERS = 'component:default/orders-api';

const stats = (team: string, opened: number, median: number | null) => ({
  team,
  opened,
  merged: median === null ? 0 : 1,
  closed: 0,
  open: median === null ? opened : opened - 1,
  mergeRate: median === null ? null : 1,
  medianHoursToMerge: median,
});

const response = (): DashboardsResponse => ({
  team: null,
  teams: [IDENTITY, PAYMENTS],
  generatedAt: '2026-11-20T12:00:00.000Z',
  compliance: {
    targetScore: 0.85,
    teams: [IDENTITY, PAYMENTS],
    runs: [
      {
        runId: 1,
        at: '2026-11-18T02:00:00.000Z',
        scores: { [PAYMENTS]: 0.7, [IDENTITY]: 0.5 },
      },
      {
        runId: 2,
        at: '2026-11-19T02:00:00.000Z',
        scores: { [PAYMENTS]: 0.8, [IDENTITY]: 0.6 },
      },
    ],
  },
  autoPrs: {
    weeks: [
      { week: '2026-11-02', opened: 1, merged: 1 },
      { week: '2026-11-09', opened: 2, merged: 0 },
    ],
    all: stats('all', 3, 10),
    teams: [stats(IDENTITY, 1, null), stats(PAYMENTS, 2, 10)],
  },
  lineage: {
    days: [{ day: '2026-11-16', added: 2, removed: 1 }],
    entities: [{ entityRef: ORDERS, events: 3 }],
  },
  readiness: {
    threshold: 0.9,
    teams: [
      { team: IDENTITY, services: 1, averageScore: 0.95, belowThreshold: 0 },
      { team: PAYMENTS, services: 2, averageScore: 0.86, belowThreshold: 1 },
    ],
    services: [],
    trend: [
      { day: '2026-11-18', scores: { [PAYMENTS]: 0.7, [IDENTITY]: 0.95 } },
      { day: '2026-11-19', scores: { [PAYMENTS]: 0.92 } },
    ],
  },
  backfills: {
    runs: [
      {
        id: 1,
        definitionId: 'orders-cents',
        entityRef: ORDERS,
        team: PAYMENTS,
        state: 'succeeded',
        rowsDone: 10_000,
        rowsPerSecond: 250,
        startedAt: '2026-11-19T10:00:00.000Z',
        checkpointsPassed: 1,
        checkpointsFailed: 1,
      },
      {
        id: 2,
        definitionId: 'login-email',
        entityRef: 'component:default/login-api',
        team: IDENTITY,
        state: 'succeeded',
        rowsDone: 3_000,
        rowsPerSecond: 300,
        startedAt: '2026-11-19T10:00:40.000Z',
        checkpointsPassed: 2,
        checkpointsFailed: 0,
      },
    ],
  },
  federation: {
    versions: ['v1.0.0', 'v1.1.0'],
    days: [
      { day: '2026-11-18', byVersion: { 'v1.0.0': 1, 'v1.1.0': 1 }, total: 2 },
      { day: '2026-11-19', byVersion: { 'v1.1.0': 2 }, total: 2 },
    ],
  },
});

const fakeApi = (r = response()) => ({
  getDashboards: jest.fn(async () => r),
});

/** The texts drawn in a chart (axis ticks, legend). */
const chartTexts = (label: string) =>
  within(screen.getByRole('figure', { name: label }))
    .getAllByText(/./)
    .map(e => e.textContent);

describe('DashboardsView', () => {
  it('draws each dashboard with its values, and links each to the page that explains it', async () => {
    const api = fakeApi();
    await renderWithApis(<DashboardsView team={null} />, [
      [dashboardsApiRef, api],
    ]);
    await screen.findByRole('figure', { name: 'compliance score trend' });
    expect(api.getDashboards).toHaveBeenCalledWith(null);

    expect(chartTexts('compliance score trend')).toEqual(
      expect.arrayContaining(['#1', '#2', '100 %', 'identity', 'payments']),
    );
    const compliance = screen.getByRole('list', {
      name: 'compliance score by team',
    });
    expect(compliance).toHaveTextContent(
      'payments 80.0 % (+10.0 pts since the run before)',
    );
    expect(
      within(compliance).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(screen.getByText(/target 85\.0 %/)).toBeInTheDocument();

    expect(chartTexts('auto-PR rate')).toEqual(
      expect.arrayContaining(['2026-11-02', '2026-11-09', 'opened', 'merged']),
    );
    // Only one team has merged: a sentence, not a one-bar chart.
    expect(
      screen.queryByRole('figure', { name: 'auto-PR median time to merge' }),
    ).toBeNull();
    expect(
      screen.getByText('Only payments has merged auto-PRs: median 10.0 h.'),
    ).toBeInTheDocument();

    // Lineage changed on one day only: a sentence.
    expect(
      screen.queryByRole('figure', { name: 'lineage change events' }),
    ).toBeNull();
    expect(
      screen.getByText(
        'Changes on one day only (2026-11-16): 2 edges added, 1 removed.',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('list', { name: 'most changed in the lineage' }),
      ).getByRole('link', { name: 'orders-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders-api/lineage');

    expect(chartTexts('PRS by team')).toEqual(
      expect.arrayContaining(['identity', 'payments', 'gate 90.0 %']),
    );
    expect(
      screen.getByRole('list', { name: 'PRS per team' }),
    ).toHaveTextContent('payments 86.0 %, 1 of 2 services below the gate');
    expect(chartTexts('PRS trend by team')).toEqual(
      expect.arrayContaining(['2026-11-18', '2026-11-19']),
    );

    expect(chartTexts('backfill throughput')).toEqual(
      expect.arrayContaining(['#1 orders-cents', '#2 login-email', '300']),
    );
    expect(chartTexts('backfill checkpoint results')).toEqual(
      expect.arrayContaining(['passed', 'failed']),
    );
    expect(
      within(screen.getByRole('list', { name: 'backfill runs' })).getByRole(
        'link',
        { name: 'orders-api' },
      ),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-api/backfills',
    );

    expect(chartTexts('CI library adoption')).toEqual(
      expect.arrayContaining(['2026-11-18', '2026-11-19', 'v1.0.0', 'v1.1.0']),
    );
    expect(screen.getByText(/100\.0 % on v1\.1\.0/)).toBeInTheDocument();

    const links = Object.fromEntries(
      screen
        .getAllByRole('link')
        .map(a => [a.textContent, a.getAttribute('href')]),
    );
    expect(links).toMatchObject({
      'Compliance by team': '/conductor/compliance',
      'Auto-PR log': '/conductor/auto-prs',
      'Readiness by team': '/conductor/readiness',
      Backfills: '/conductor/backfills',
      'CI library board': '/conductor/ci-library',
      'Lineage of the most changed':
        '/catalog/default/component/orders-api/lineage',
    });
  });

  it('says so instead of drawing when there is nothing to compare', async () => {
    const r = response();
    r.compliance.runs = r.compliance.runs.slice(0, 1);
    r.autoPrs = null;
    r.lineage = { days: [], entities: [] };
    r.readiness.teams = r.readiness.teams.slice(0, 1);
    r.readiness.trend = [];
    r.backfills.runs = [];
    r.federation.days = r.federation.days.slice(1);
    await renderWithApis(<DashboardsView team={null} />, [
      [dashboardsApiRef, fakeApi(r)],
    ]);
    // Neither trend has two points: the compliance one and the PRS one.
    expect(
      await screen.findAllByText(
        'The trend shows once there are scores from two different days or runs.',
      ),
    ).toHaveLength(2);
    expect(screen.queryAllByRole('figure')).toEqual([]);
    for (const sentence of [
      'You may not read the auto-PR log (conductor.remediation.read).',
      'No lineage edge changed in the last 30 days.',
      'Only identity has a score: 95.0 %.',
      'No backfill has started yet.',
      'No checkpoint checked yet.',
      'One day scanned so far (2026-11-19): 0 on v1.0.0, 2 on v1.1.0.',
    ])
      expect(screen.getByText(sentence)).toBeInTheDocument();
  });

  it('draws the twelve teams needing attention first when there are more', async () => {
    const r = response();
    const teams = Array.from({ length: 14 }, (_, i) => `group:default/t${i}`);
    r.teams = teams;
    // t0 scores lowest, t13 highest.
    r.readiness.teams = teams.map((team, i) => ({
      team,
      services: 1,
      averageScore: 0.5 + i / 40,
      belowThreshold: 1,
    }));
    await renderWithApis(<DashboardsView team={null} />, [
      [dashboardsApiRef, fakeApi(r)],
    ]);
    await screen.findByRole('figure', { name: 'PRS by team' });
    const drawn = chartTexts('PRS by team');
    expect(drawn).toEqual(expect.arrayContaining(['t0', 't11']));
    expect(drawn).not.toContain('t12');
    expect(drawn).not.toContain('t13');
    expect(
      screen.getByText(
        '12 of 14 teams, those needing attention first; pick a team for its own.',
      ),
    ).toBeInTheDocument();
    // Every team is still named, as a link, under the chart.
    expect(
      within(screen.getByRole('list', { name: 'PRS per team' })).getAllByRole(
        'link',
      ),
    ).toHaveLength(14);
  });

  it('picks a team', async () => {
    const api = fakeApi();
    const chosen: Array<string | null> = [];
    await renderWithApis(
      <DashboardsView team={null} onTeamChange={t => chosen.push(t)} />,
      [[dashboardsApiRef, api]],
    );
    await screen.findByRole('figure', { name: 'compliance score trend' });
    const picker = screen.getByRole('combobox', { name: 'Team' });
    expect(
      within(picker)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['All teams', 'identity', 'payments']);
    fireEvent.change(picker, { target: { value: PAYMENTS } });
    fireEvent.change(picker, { target: { value: '' } });
    expect(chosen).toEqual([PAYMENTS, null]);
  });
});

describe('TeamDashboardsContent', () => {
  it('shows the team page its own dashboards, named as a link, without a picker', async () => {
    const r = response();
    r.team = PAYMENTS;
    r.readiness.services = [
      { entityRef: 'component:default/billing-worker', score: 0.8 },
      { entityRef: ORDERS, score: 0.92 },
    ];
    const api = fakeApi(r);
    await renderForEntity(<TeamDashboardsContent />, {
      apis: [[dashboardsApiRef, api]],
      entity: paymentsTeam,
    });
    await screen.findByRole('figure', { name: 'PRS by team' });
    expect(api.getDashboards).toHaveBeenCalledWith(PAYMENTS);
    expect(screen.queryByRole('combobox', { name: 'Team' })).toBeNull();
    expect(screen.getByText(/Dashboards of/)).toContainElement(
      screen.getAllByRole('link', { name: 'payments' })[0],
    );
    expect(chartTexts('PRS by team')).toEqual(
      expect.arrayContaining(['billing-worker', 'orders-api']),
    );
    await waitFor(() =>
      expect(
        within(screen.getByRole('list', { name: 'PRS per service' })).getByRole(
          'link',
          { name: 'billing-worker' },
        ),
      ).toHaveAttribute(
        'href',
        '/catalog/default/component/billing-worker/readiness',
      ),
    );
  });
});
