import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityReadinessResponse } from '@internal/plugin-conductor-common';
import {
  ordersApiRef as ref,
  renderForEntity,
  renderWithApis,
} from '../__testUtils__';
import { readinessApiRef } from './api';
import { ReadinessContent } from './ReadinessContent';
import { TeamReadinessPage } from './TeamReadinessPage';

const readiness: EntityReadinessResponse = {
  entityRef: ref,
  score: 0.7143,
  components: [
    {
      id: 'coverage',
      value: 0.86,
      weight: 0.25,
      contribution: 0.215,
      missing: false,
      explanation: 'test.coverage 86.0 %',
      facts: [],
    },
    {
      id: 'chaos_recency',
      value: 0,
      weight: 0.15,
      contribution: 0,
      missing: true,
      explanation: 'no chaos.last_run',
      facts: [],
    },
  ] as unknown as EntityReadinessResponse['components'],
  next: {
    component: 'chaos_recency',
    action: 'run a chaos experiment',
    gain: 0.15,
  },
  untrustedFacts: [],
  computedAt: '2026-11-24T00:00:00Z',
  thresholds: { production: 0.9 },
  history: [],
  decisions: [
    {
      decisionId: 5,
      allowed: false,
      entityRef: ref,
      environment: 'production',
      score: 0.7143,
      threshold: 0.9,
      components: [],
      reasons: ['readiness 0.7143 is below the production threshold 0.9'],
      decidedAt: new Date().toISOString(),
      requestedBy: 'ci:demo-pipeline',
    },
  ],
  overrides: [],
};

describe('the Readiness tab', () => {
  it('shows the score, its parts and the next step in percent and points', async () => {
    await renderForEntity(<ReadinessContent />, {
      apis: [[readinessApiRef, { getReadiness: async () => readiness }]],
    });
    expect(screen.getByTestId('readiness-score')).toHaveTextContent('71.4 %');
    expect(screen.getByText('production threshold 90.0 %')).toBeInTheDocument();
    expect(
      screen.getByText('Promotion to production blocked'),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Next: run a chaos experiment (+15.0 pts)',
    );
    const parts = within(
      screen.getByRole('table', { name: 'readiness components' }),
    )
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(parts).toEqual([
      ['coverage', '86.0 %', '25.0 %', '+21.5 pts', 'test.coverage 86.0 %'],
      ['chaos_recency', 'missing', '15.0 %', '±0 pts', 'no chaos.last_run'],
    ]);
    const decision = within(
      screen.getByRole('table', { name: 'promotion decisions' }),
    ).getAllByRole('row')[1];
    expect(decision).toHaveTextContent('just now');
    expect(decision).not.toHaveTextContent('just now ago');
    expect(decision).toHaveTextContent('71.4 % of 90.0 %');
  });

  it('asks for a break-glass override of a blocked environment', async () => {
    const requests: unknown[] = [];
    await renderForEntity(<ReadinessContent />, {
      apis: [
        [
          readinessApiRef,
          {
            getReadiness: async () => readiness,
            requestOverride: async (request: any) => {
              requests.push(request);
              return { id: 3, ...request };
            },
          },
        ],
      ],
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Request production override',
      }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'hotfix for INC-42',
    );
    const hours = within(dialog).getByLabelText(/Expires after/);
    await userEvent.clear(hours);
    await userEvent.type(hours, '100');
    expect(
      within(dialog).getByText('Whole hours, 1 to 72.'),
    ).toBeInTheDocument();
    await userEvent.clear(hours);
    await userEvent.type(hours, '12');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );
    expect(
      await within(dialog).findByText(
        'Override #3 requested; it waits for approval.',
      ),
    ).toBeInTheDocument();
    expect(requests).toEqual([
      {
        entityRef: ref,
        environment: 'production',
        reason: 'hotfix for INC-42',
        expiresInHours: 12,
      },
    ]);
  }, 30_000);
});

describe('the Readiness page', () => {
  it('links teams to their Conductor tab and the lowest component to its Readiness tab', async () => {
    await renderWithApis(<TeamReadinessPage />, [
      [
        readinessApiRef,
        {
          getTeamReadiness: async () => ({
            threshold: 0.9,
            teams: [
              {
                owner: 'group:default/payments',
                services: 3,
                averageScore: 0.8123,
                belowThreshold: 1,
                entities: [
                  { entityRef: 'component:default/refund-worker', score: 0.42 },
                ],
              },
            ],
            trend: [
              {
                day: '2026-11-24',
                owner: 'group:default/payments',
                averageScore: 0.81,
              },
            ],
          }),
        },
      ],
    ]);
    const ranking = screen.getByRole('table', { name: 'team ranking' });
    expect(
      within(ranking).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments/conductor');
    expect(
      within(ranking).getByRole('link', { name: 'refund-worker' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/refund-worker/readiness',
    );
    expect(within(ranking).getAllByRole('row')[1]).toHaveTextContent(
      '1payments81.2 %31refund-worker (42.0 %)',
    );
    // One day of trend is a sentence, not a chart.
    expect(
      screen.queryByRole('figure', { name: 'readiness trend' }),
    ).not.toBeInTheDocument();
  });
});
