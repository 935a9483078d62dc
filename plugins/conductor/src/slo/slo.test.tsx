import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  SloBoardResponse,
  SloComponentResponse,
  SloStatus,
} from '@internal/plugin-conductor-common';
import { ordersApi, paymentsTeam, renderForEntity } from '../__testUtils__';
import { sloApiRef } from './api';
import { SloContent, TeamSloContent } from './SloContent';

const alerts = (firing: Array<boolean | null>): SloStatus['alerts'] =>
  (
    [
      ['page-fast', 'page', '1h', '5m', 14.4],
      ['page-slow', 'page', '6h', '30m', 6],
      ['ticket-fast', 'ticket', '1d', '2h', 3],
      ['ticket-slow', 'ticket', '3d', '6h', 1],
    ] as const
  ).map(([id, severity, longWindow, shortWindow, factor], i) => ({
    id,
    severity,
    longWindow,
    shortWindow,
    factor,
    longBurnRate: null,
    shortBurnRate: null,
    firing: firing[i],
  }));

const slo = (over: Partial<SloStatus>): SloStatus => ({
  id: 'orders-api-availability',
  name: 'availability',
  service: 'orders-api',
  objective: 99.9,
  windowDays: 30,
  format: 'sloth',
  source: { file: 'orders-api.yaml', line: 4 },
  state: 'ok',
  sli: 0.999425521,
  budgetRemaining: 0.425521,
  burnRates: { '1h': 50, '6h': 9.4375, '1d': 2.734, '3d': 1.2448 },
  alerts: alerts([true, true, false, true]),
  ...over,
});

const board: SloBoardResponse = {
  team: 'group:default/payments',
  evaluatedAt: '2026-11-26T06:00:00Z',
  prometheus: { configured: true, state: 'ok' },
  queries: 11,
  services: [
    {
      entityRef: 'component:default/orders-api',
      name: 'orders-api',
      owner: 'group:default/payments',
      slos: [slo({})],
      fileErrors: [],
      alertState: 'page',
      cost: {
        state: 'ok',
        perThousandRequests: 0.2,
        guardrail: 0.1,
        exceeded: true,
        currency: 'USD',
      },
    },
    {
      entityRef: 'component:default/quiet-api',
      name: 'quiet-api',
      slos: [
        slo({
          id: 'quiet-api-availability',
          service: 'quiet-api',
          state: 'no-data',
          reason: 'no traffic in the last 30d',
          sli: null,
          budgetRemaining: null,
          burnRates: {},
          alerts: alerts([null, null, null, null]),
        }),
      ],
      fileErrors: [
        {
          file: 'quiet-api.yaml',
          line: 9,
          field: 'slos[1].objective',
          message:
            'must be above 0 and below 100 (a percent, e.g. 99.9), got 120',
        },
      ],
      alertState: 'no-data',
    },
  ],
};

const fakeApi = (overrides: Partial<Record<string, unknown>> = {}) => ({
  getBoard: async () => board,
  getTeams: async () => ({ prometheus: board.prometheus, teams: [] }),
  getComponent: async (): Promise<SloComponentResponse> => ({
    ...board.services[0],
    evaluatedAt: board.evaluatedAt,
    prometheus: board.prometheus,
    history: {
      'orders-api-availability': [
        { t: '2026-11-25T00:00:00Z', budgetRemaining: 0.6, burnRate: 0.5 },
        { t: '2026-11-26T00:00:00Z', budgetRemaining: 0.43, burnRate: 9.4 },
      ],
    },
    rules: 'groups:\n  - name: sloth-slo-alerts-orders-api-availability\n',
  }),
  ...overrides,
});

describe('team SLO board', () => {
  it('shows availability, budget, burn rates, alert state and unit cost, and "no data" never as healthy', async () => {
    await renderForEntity(<TeamSloContent />, {
      apis: [[sloApiRef, fakeApi()]],
      entity: paymentsTeam,
    });
    const table = await screen.findByRole('table', { name: 'SLO board' });
    const rows = within(table).getAllByRole('row');
    // Sorted by budget left, lowest first; no data last.
    expect(within(rows[1]).getByText('99.943 %')).toBeInTheDocument();
    expect(within(rows[1]).getByText('42.6 %')).toBeInTheDocument();
    expect(within(rows[1]).getByText('50.0×')).toBeInTheDocument();
    expect(within(rows[1]).getByText('PAGE firing')).toBeInTheDocument();
    expect(within(rows[1]).getByText('0.2000 USD')).toBeInTheDocument();
    expect(within(rows[1]).getByText('over 0.1')).toBeInTheDocument();
    // The service's charts are a button beside its name.
    expect(
      within(rows[1]).getByRole('button', { name: /^charts of / }),
    ).toBeInTheDocument();
    expect(
      within(rows[2]).getAllByText('no data').length,
    ).toBeGreaterThanOrEqual(3);
    // Only the objective is a percent: no SLI or budget is invented.
    expect(
      within(rows[2])
        .getAllByText(/%/)
        .map(c => c.textContent),
    ).toEqual(['99.9 % / 30 d']);
    expect(
      screen.getByText(
        /quiet-api: quiet-api.yaml:9 slos\[1\].objective: must be above 0/,
      ),
    ).toBeInTheDocument();
  });

  it('sorts by a column when its title is clicked', async () => {
    await renderForEntity(<TeamSloContent />, {
      apis: [[sloApiRef, fakeApi()]],
      entity: paymentsTeam,
    });
    const table = await screen.findByRole('table', { name: 'SLO board' });
    await userEvent.click(within(table).getByText('Service'));
    const names = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r => within(r).getAllByRole('cell')[0].textContent);
    expect(names).toEqual(['orders-api', 'quiet-api']);
  });

  it('says data unavailable with the reason, and that no Prometheus is configured', async () => {
    const unavailable = {
      ...board,
      prometheus: {
        configured: true,
        state: 'unavailable' as const,
        reason:
          'cannot reach Prometheus at http://127.0.0.1:9090: ECONNREFUSED',
      },
    };
    await renderForEntity(<TeamSloContent />, {
      apis: [[sloApiRef, fakeApi({ getBoard: async () => unavailable })]],
      entity: paymentsTeam,
    });
    expect(
      await screen.findByText(
        'Data unavailable: cannot reach Prometheus at http://127.0.0.1:9090: ECONNREFUSED',
      ),
    ).toBeInTheDocument();
  });

  it("shows one component's SLOs with charts and its rules, or the missing annotation", async () => {
    await renderForEntity(<SloContent />, {
      apis: [[sloApiRef, fakeApi()]],
      entity: {
        ...ordersApi,
        metadata: {
          ...ordersApi.metadata,
          annotations: { 'conductor.io/slo-file': 'orders-api.yaml' },
        },
      },
    });
    expect(
      await screen.findByRole('figure', {
        name: 'orders-api-availability budget burn-down',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'orders-api-availability burn rate' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/sloth-slo-alerts-orders-api-availability/),
    ).toBeInTheDocument();
  });

  it('shows the missing-annotation state for a component without SLOs', async () => {
    await renderForEntity(<SloContent />, { apis: [[sloApiRef, fakeApi()]] });
    expect(
      (await screen.findAllByText(/conductor.io\/slo-file/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
