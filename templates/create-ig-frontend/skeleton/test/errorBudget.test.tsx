import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import {
  budgetRows,
  loadErrorBudget,
  type SloApiResponse,
} from '../src/slo/errorBudget';
import { ErrorBudgetView } from '../src/slo/ErrorBudgetWidget';

const response: SloApiResponse = {
  entityRef: 'component:default/x',
  slos: [
    {
      id: 'a',
      name: 'availability',
      objective: 99.9,
      windowDays: 28,
      state: 'ok',
      budgetRemaining: 0.8,
    },
    {
      id: 'r',
      name: 'read-latency',
      objective: 95,
      windowDays: 28,
      state: 'ok',
      budgetRemaining: 0.1,
    },
    {
      id: 'w',
      name: 'write-latency',
      objective: 95,
      windowDays: 28,
      state: 'ok',
      budgetRemaining: -0.2,
    },
    {
      id: 'n',
      name: 'quiet',
      objective: 99,
      windowDays: 28,
      state: 'no-data',
      budgetRemaining: null,
    },
  ],
};

describe('error budget widget', () => {
  it('grades each SLO by the budget left, and never calls missing data healthy', () => {
    expect(
      budgetRows(response).map(r => [r.name, r.remaining, r.status]),
    ).toEqual([
      ['availability', '80%', 'healthy'],
      ['read-latency', '10%', 'burning'],
      ['write-latency', '-20%', 'exhausted'],
      ['quiet', '–', 'no data'],
    ]);
  });

  it('reads the SLO API of the entity', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValue(new Response(JSON.stringify(response)));
    const rows = await loadErrorBudget(
      'http://conductor/',
      'component:default/x',
      fetch,
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://conductor/api/conductor/slo/component/default/x',
    );
    expect(rows).toHaveLength(4);
    const failing = vi
      .fn()
      .mockResolvedValue(new Response('', { status: 404 }));
    await expect(
      loadErrorBudget('http://c', 'component:default/x', failing),
    ).rejects.toThrow('SLO API answered 404');
  });

  it('renders a row per SLO with its status', () => {
    const html = renderToStaticMarkup(
      <ErrorBudgetView rows={budgetRows(response)} />,
    );
    expect(html).toContain('data-status="burning"');
    expect(html).toContain('<td>99.9% over 28 d</td>');
    expect(
      renderToStaticMarkup(<ErrorBudgetView error="SLO API answered 503" />),
    ).toContain('role="alert"');
  });
});
