import { coreApis, createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import { complianceApiRef } from '../compliance/api';
import { dashboardsApiRef } from '../dashboards/api';
import { readinessApiRef } from '../readiness/api';
import { conductorPages } from './pages';

const apis = [
  mockApis.permission(),
  [
    dashboardsApiRef,
    {
      getDashboards: async () => ({
        team: null,
        teams: [],
        generatedAt: '2026-11-20T12:00:00.000Z',
        compliance: { targetScore: 0.8, teams: [], runs: [] },
        autoPrs: null,
        lineage: { days: [], entities: [] },
        readiness: { threshold: 0.9, teams: [], services: [], trend: [] },
        backfills: { runs: [] },
        federation: { versions: [], days: [] },
      }),
    },
  ],
  [
    complianceApiRef,
    {
      getTeamCompliance: async () => ({ runId: null, teams: [] }),
      getComplianceChanges: async () => ({
        runId: null,
        previousRunId: null,
        flips: [],
        factChanges: [],
        truncated: false,
      }),
    },
  ],
  [
    readinessApiRef,
    {
      getTeamReadiness: async () => ({ threshold: 0.9, teams: [], trend: [] }),
    },
  ],
] as const;

function renderAt(url: string) {
  return renderTestApp({
    features: [
      createFrontendPlugin({
        pluginId: 'conductor',
        extensions: conductorPages,
      }),
    ],
    apis: apis as any,
    initialRouteEntries: [url],
  });
}

describe('the Conductor page', () => {
  it.each([
    ['/compliance', '/conductor/compliance', 'No compliance run yet'],
    ['/readiness', '/conductor/readiness', 'Readiness by team'],
  ])(
    'sends the old URL %s to %s, keeping the query',
    async (from, to, text) => {
      const app = renderAt(`${from}?team=payments`);
      expect(
        await screen.findByText(text, {}, { timeout: 10_000 }),
      ).toBeInTheDocument();
      await waitFor(() =>
        expect(
          app.apis.get(coreApis.appHistory)!.getSnapshot().location,
        ).toMatchObject({ pathname: to, search: '?team=payments' }),
      );
    },
    20_000,
  );

  it('opens on the dashboards, with the capabilities as tabs of one page', async () => {
    renderAt('/conductor');
    expect(
      await screen.findByRole('tab', { name: 'Dashboards', selected: true }),
    ).toHaveAttribute('href', '/conductor/dashboards');
    expect(screen.getByRole('tab', { name: 'Compliance' })).toHaveAttribute(
      'href',
      '/conductor/compliance',
    );
    expect(screen.getByRole('tab', { name: 'Readiness' })).toHaveAttribute(
      'href',
      '/conductor/readiness',
    );
  }, 20_000);
});
