import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ordersApi,
  ordersApiRef,
  paymentsTeam,
  renderForEntity,
} from '../__testUtils__';
import { complianceApiRef } from '../compliance/api';
import { readinessApiRef } from '../readiness/api';
import { ComponentsContent } from './ComponentsContent';
import { compliance, readiness } from './fixtures';
import { OverviewCard } from './OverviewCard';

const component = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
});

describe('the team Conductor tab', () => {
  it("lists the team's components with scores that link to their tabs, sortable", async () => {
    const filters: unknown[] = [];
    await renderForEntity(<ComponentsContent />, {
      entity: paymentsTeam,
      apis: [
        [
          catalogApiRef,
          {
            getEntities: async (request: { filter: unknown }) => {
              filters.push(request.filter);
              return {
                items: [component('payments-api'), component('refund-worker')],
              };
            },
          },
        ],
        [
          complianceApiRef,
          {
            getCompliance: async (ref: string) =>
              ref.endsWith('payments-api')
                ? compliance(ref, 0.95, 0.9)
                : compliance(ref, 0.6, 0.65),
          },
        ],
        [
          readinessApiRef,
          {
            getReadiness: async (ref: string) =>
              ref.endsWith('payments-api')
                ? readiness(ref, 0.93)
                : readiness(ref, 0.42, {
                    component: 'chaos_recency',
                    action: 'run a chaos experiment',
                    gain: 0.15,
                  }),
          },
        ],
      ],
    });
    expect(filters).toEqual([
      { kind: 'component', 'relations.ownedBy': 'group:default/payments' },
    ]);
    const table = screen.getByRole('table', { name: 'components' });
    const cells = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r =>
          within(r)
            .getAllByRole('cell')
            .map(c => c.textContent),
        );
    // Lowest compliance first.
    expect(cells()).toEqual([
      [
        'refund-worker',
        '60.0 %',
        '-5.0 pts',
        '42.0 %',
        'blocked (needs 90.0 %)',
        'run a chaos experiment (+15.0 pts)',
      ],
      [
        'payments-api',
        '95.0 %',
        '+5.0 pts',
        '93.0 %',
        'allowed (needs 90.0 %)',
        '',
      ],
    ]);
    expect(
      within(table).getByRole('link', { name: 'refund-worker' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/refund-worker/compliance',
    );
    expect(within(table).getByRole('link', { name: '42.0 %' })).toHaveAttribute(
      'href',
      '/catalog/default/component/refund-worker/readiness',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Readiness' }));
    expect(cells().map(r => r[0])).toEqual(['refund-worker', 'payments-api']);
    await userEvent.click(screen.getByRole('button', { name: 'Readiness' }));
    expect(cells().map(r => r[0])).toEqual(['payments-api', 'refund-worker']);
  }, 20_000);

  it("reads a system's components through partOf", async () => {
    const filters: unknown[] = [];
    await renderForEntity(<ComponentsContent />, {
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: { name: 'orders', namespace: 'default' },
      },
      apis: [
        [
          catalogApiRef,
          {
            getEntities: async (request: { filter: unknown }) => {
              filters.push(request.filter);
              return { items: [] };
            },
          },
        ],
        [complianceApiRef, {}],
        [readinessApiRef, {}],
      ],
    });
    expect(filters).toEqual([
      { kind: 'component', 'relations.partOf': 'system:default/orders' },
    ]);
    expect(
      screen.getByText('The catalog has no component part of this system.'),
    ).toBeInTheDocument();
  });
});

describe('the Conductor card on the Overview', () => {
  it('shows compliance with its change, readiness with the gate per environment, the next step and links', async () => {
    await renderForEntity(<OverviewCard />, {
      entity: ordersApi,
      apis: [
        [
          complianceApiRef,
          { getCompliance: async () => compliance(ordersApiRef, 0.4, 0.3143) },
        ],
        [
          readinessApiRef,
          {
            getReadiness: async () =>
              readiness(ordersApiRef, 0.812, {
                component: 'k6_recency',
                action: 'run the k6 load test',
                gain: 0.0857,
              }),
          },
        ],
      ],
    });
    const card = screen.getByTestId('conductor-card');
    expect(within(card).getByRole('link', { name: '40.0 %' })).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-api/compliance',
    );
    expect(card).toHaveTextContent('+8.6 pts since the previous run');
    expect(within(card).getByRole('link', { name: '81.2 %' })).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-api/readiness',
    );
    expect(card).toHaveTextContent('production: blocked (needs 90.0 %)');
    expect(
      screen.getByText(/run the k6 load test \(\+8\.6 pts readiness\)/),
    ).toBeInTheDocument();
  });

  it('is compact when there is no data yet', async () => {
    await renderForEntity(<OverviewCard />, {
      apis: [
        [
          complianceApiRef,
          {
            getCompliance: async () => ({
              ...compliance(ordersApiRef, 0, null),
              runId: null,
              score: null,
            }),
          },
        ],
        [
          readinessApiRef,
          {
            getReadiness: async () => {
              throw new Error('404');
            },
          },
        ],
      ],
    });
    expect(screen.getByTestId('conductor-card-empty')).toHaveTextContent(
      'No compliance run or readiness score for this Component yet.',
    );
    expect(screen.queryByTestId('conductor-card')).not.toBeInTheDocument();
  });
});
