import { ResponseError } from '@backstage/errors';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  AlertSetting,
  AlertSettingsResponse,
  alertLinks,
} from '@internal/plugin-conductor-common';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { renderWithApis } from '../__testUtils__';
import {
  entityComponentsContent,
  entityReadinessContent,
} from '../alpha/entityContent';
import { backfillsSubPage, sloSubPage } from '../alpha/pages';
import { BackfillsPage } from '../backfill/BackfillsPage';
import { backfillApiRef } from '../backfill/api';
import { fakeApi as fakeBackfillApi } from '../backfill/testFixtures';
import { federationSubPage } from '../federation/extensions';
import { entityLineageContent } from '../lineage/extensions';
import { AlertsPage } from './AlertsPage';
import { alertsApiRef } from './api';
import { alertsSubPage } from './extensions';

jest.setTimeout(30_000);

const setting = (over: Partial<AlertSetting>): AlertSetting => ({
  id: 'complianceBelowTarget',
  name: 'Compliance score below target',
  condition:
    "After a compliance run, a team's score is below the target score.",
  enabled: true,
  thresholds: [
    {
      label: 'team score below',
      value: '80 %',
      configKey: 'conductor.compliance.targetScore',
    },
  ],
  dedupe:
    'Once when the team falls below the target; again only when its score drops further.',
  throttleMinutes: null,
  recipients: 'Members of the team',
  link: '/catalog/:namespace/group/:team/conductor',
  topic: 'conductor.compliance.below-target',
  ...over,
});

const response: AlertSettingsResponse = {
  alerts: [
    setting({}),
    setting({
      id: 'ciLibraryMismatch',
      name: 'CI library mismatch',
      enabled: false,
      thresholds: [
        {
          label: 'releases behind the newest, more than',
          value: '1 release',
          configKey: 'conductor.federation.maxVersionsBehind',
        },
      ],
      dedupe: 'One notification per repository, sent again after the throttle.',
      throttleMinutes: 1440,
      recipients: "Members of the group that owns the repository's component",
      link: '/conductor/ci-library',
    }),
  ],
};

describe('the Alerts page', () => {
  it('shows each alert: on or off, its thresholds with their config keys, repeats, recipients and link', async () => {
    await renderWithApis(<AlertsPage />, [
      [alertsApiRef, { getSettings: async () => response }],
    ]);
    const table = await screen.findByRole(
      'table',
      { name: 'Alert settings' },
      { timeout: 10_000 },
    );
    const compliance = within(table)
      .getByText('Compliance score below target')
      .closest('tr')!;
    expect(within(compliance).getByText('on')).toBeInTheDocument();
    expect(compliance).toHaveTextContent(
      'team score below: 80 % (conductor.compliance.targetScore)',
    );
    expect(compliance).toHaveTextContent(
      'Once when the team falls below the target; again only when its score drops further.',
    );
    expect(compliance).toHaveTextContent('Members of the team');
    expect(
      within(compliance).getByText('/catalog/:namespace/group/:team/conductor'),
    ).toBeInTheDocument();

    const mismatch = within(table)
      .getByText('CI library mismatch')
      .closest('tr')!;
    expect(within(mismatch).getByText('off')).toBeInTheDocument();
    expect(mismatch).toHaveTextContent(
      'releases behind the newest, more than: 1 release',
    );
    expect(mismatch).toHaveTextContent('At most once every 1 d.');
    expect(
      within(mismatch).getByRole('link', { name: '/conductor/ci-library' }),
    ).toHaveAttribute('href', '/conductor/ci-library');
  });

  it('shows why when the settings may not be read', async () => {
    await renderWithApis(<AlertsPage />, [
      [
        alertsApiRef,
        {
          getSettings: async () => {
            throw await ResponseError.fromResponse(
              new Response(
                JSON.stringify({
                  error: {
                    name: 'NotAllowedError',
                    message: 'You may not see the alert settings',
                  },
                }),
                { status: 403, statusText: 'Forbidden' },
              ) as any,
            );
          },
        },
      ],
    ]);
    const shown = await screen.findAllByText(
      /You may not see the alert settings/,
      undefined,
      { timeout: 10_000 },
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(screen.queryByRole('table', { name: 'Alert settings' })).toBeNull();
  });
});

describe('the pages alerts link to', () => {
  const subPagePath = (ext: any) =>
    `/conductor/${createExtensionTester(ext).get(coreExtensionData.routePath)}`;
  const entityTab = (ext: any) => {
    const tester = createExtensionTester(ext);
    return {
      path: tester.get(coreExtensionData.routePath),
      shows: (kind: string) =>
        (tester.get(EntityContentBlueprint.dataRefs.filterFunction) as any)?.({
          apiVersion: 'backstage.io/v1alpha1',
          kind,
          metadata: { name: 'x' },
        }) ?? false,
    };
  };

  it('are Conductor sub-pages that exist', () => {
    expect(alertLinks.ciLibraryMismatch.to()).toBe(
      subPagePath(federationSubPage),
    );
    expect(alertLinks.backfillCostSpike.to(7).split('?')[0]).toBe(
      subPagePath(backfillsSubPage),
    );
    expect(
      alertLinks.sloBurnRate.to('group:default/payments').split('?')[0],
    ).toBe(subPagePath(sloSubPage));
    expect(subPagePath(alertsSubPage)).toBe('/conductor/alerts');
  });

  it('are entity tabs shown on the kind of entity they link to', () => {
    const readiness = entityTab(entityReadinessContent);
    expect(alertLinks.releaseBlocked.to('component:default/orders-api')).toBe(
      `/catalog/default/component/orders-api${readiness.path}`,
    );
    expect(readiness.shows('Component')).toBe(true);
    const team = entityTab(entityComponentsContent);
    expect(alertLinks.complianceBelowTarget.to('group:default/payments')).toBe(
      `/catalog/default/group/payments${team.path}`,
    );
    expect(team.shows('Group')).toBe(true);
    const lineage = entityTab(entityLineageContent);
    expect(alertLinks.blastRadius.to('api:default/orders')).toBe(
      `/catalog/default/api/orders${lineage.path}`,
    );
    expect(lineage.shows('API')).toBe(true);
  });

  it('the backfill cost alert opens the Backfills page on its run', async () => {
    const api = fakeBackfillApi();
    await renderInTestApp(
      <TestApiProvider apis={[[backfillApiRef, api]]}>
        <BackfillsPage />
      </TestApiProvider>,
      { routeEntries: [alertLinks.backfillCostSpike.to(42)] },
    );
    await waitFor(() => expect(api.get).toHaveBeenCalledWith(42), {
      timeout: 10_000,
    });
  });
});
