import { EvidenceFact } from '@internal/plugin-conductor-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  hoursAgo,
  ordersApiRef as ref,
  renderForEntity,
} from '../__testUtils__';
import { EvidenceApi, evidenceApiRef } from './api';
import { EvidenceContent } from './EvidenceContent';
import { toChartPoints } from './FactHistoryChart';

const fact = (
  name: string,
  type: EvidenceFact['type'],
  value: any,
  source: string,
  observedAt: string,
): EvidenceFact => ({
  entityRef: ref,
  name,
  type,
  value,
  source,
  observedAt,
  recordedAt: observedAt,
});

function renderWith(api: Partial<EvidenceApi>) {
  return renderForEntity(<EvidenceContent />, {
    apis: [[evidenceApiRef, api]],
  });
}

describe('EvidenceContent', () => {
  it('lists the latest facts with value, age and source, and charts numeric history', async () => {
    const requested: string[] = [];
    await renderWith({
      getLatestEvidence: async () => ({
        entityRef: ref,
        facts: [
          fact(
            'mfa.enforced',
            'boolean',
            true,
            'ci:demo-pipeline',
            hoursAgo(3),
          ),
          fact(
            'resources.retention',
            'object',
            {
              'resource:default/orders-db': 'standard-365d',
              'resource:default/cache': null,
            },
            'collector:catalog',
            hoursAgo(1),
          ),
          fact(
            'test.coverage',
            'number',
            0.834,
            'ci:demo-pipeline',
            hoursAgo(72),
          ),
        ],
      }),
      getFactHistory: async (_ref, name) => {
        requested.push(name);
        return {
          entityRef: ref,
          name,
          history: [
            fact(name, 'number', 0.834, 'ci', hoursAgo(72)),
            fact(name, 'number', 0.8, 'ci', hoursAgo(240)),
          ],
        };
      },
    });

    const table = screen.getByRole('table', { name: 'latest evidence' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(rows).toEqual([
      ['mfa.enforced', 'yes', '3 h ago', 'ci:demo-pipeline'],
      [
        'resources.retention',
        'resource:default/orders-db: standard-365d, resource:default/cache: missing',
        '1 h ago',
        'collector:catalog',
      ],
      ['test.coverage', '83.4 %', '3 d ago', 'ci:demo-pipeline'],
    ]);
    // Only numeric facts get a history chart.
    expect(requested).toEqual(['test.coverage']);
    expect(
      screen.getByRole('figure', { name: 'history of test.coverage' }),
    ).toBeInTheDocument();
    expect(screen.getByText('2 observation(s)')).toBeInTheDocument();
  });

  it('shows an empty state that says how to add evidence', async () => {
    await renderWith({
      getLatestEvidence: async () => ({ entityRef: ref, facts: [] }),
      getFactHistory: async () => {
        throw new Error('not called');
      },
    });
    expect(screen.getByText('No evidence yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        /conductor evidence push --entity component:default\/orders-api/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend cannot be read', async () => {
    await renderWith({
      getLatestEvidence: async () => {
        throw new Error(
          'Not allowed to read evidence of component:default/orders-api',
        );
      },
    });
    expect(
      screen.getAllByText(
        /Not allowed to read evidence of component:default\/orders-api/,
      ).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});

describe('toChartPoints', () => {
  it('orders points oldest first and skips non-numbers', () => {
    const points = toChartPoints([
      fact('x.y', 'number', 2, 's', '2026-11-03T00:00:00Z'),
      fact('x.y', 'string', 'n/a', 's', '2026-11-02T00:00:00Z'),
      fact('x.y', 'number', 1, 's', '2026-11-01T00:00:00Z'),
    ]);
    expect(points.map(p => p.value)).toEqual([1, 2]);
  });
});

describe('EvidenceContent actions', () => {
  it('collects evidence now and says what the collectors did', async () => {
    let latestCalls = 0;
    await renderWith({
      getLatestEvidence: async () => {
        latestCalls++;
        return {
          entityRef: ref,
          facts: [fact('sbom.coverage', 'number', 0.97, 'ci:x', hoursAgo(5))],
        };
      },
      getFactHistory: async (_ref, name) => ({
        entityRef: ref,
        name,
        history: [fact(name, 'number', 0.97, 'ci:x', hoursAgo(5))],
      }),
      collectEvidence: async () => ({
        entities: 14,
        facts: 120,
        rejected: 0,
        failedCollectors: ['repository'],
      }),
    });
    // One observation is a sentence, not a chart.
    expect(
      screen.queryByRole('figure', { name: 'history of sbom.coverage' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'One observation so far; the chart shows once the value has been reported twice.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Collect evidence now' }),
    );
    expect(
      await screen.findByText(
        'Collected 120 facts about 14 entities (0 rejected); failed: repository.',
      ),
    ).toBeInTheDocument();
    expect(latestCalls).toBe(2); // the tab reloaded
  });
});
