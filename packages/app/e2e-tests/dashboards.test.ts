import { expect, test } from '@playwright/test';
import { ciHeaders, screenshot, signIn, waitForEntity } from './support';

test('the Conductor page opens on the dashboards: charts of the demo, each linked to its page, filtered by team', async ({
  page,
  request,
}) => {
  const headers = ciHeaders();
  await waitForEntity(request, { kind: 'group', name: 'payments' });
  // Two compliance runs, so the trend has two points.
  await request.post('/api/conductor/evidence/collect', { headers });
  for (let i = 0; i < 2; i++)
    expect(
      (
        await request.post('/api/conductor/compliance/runs', { headers })
      ).status(),
    ).toBe(200);
  // A readiness score for a service of each of three teams (the gate stores them).
  for (const name of ['payments-api', 'accounts-api', 'reports-api'])
    expect(
      (
        await request.post('/api/conductor/promotions/check', {
          headers,
          data: {
            entityRef: `component:default/${name}`,
            environment: 'production',
          },
        })
      ).status(),
    ).toBe(200);

  await signIn(page);
  await page.goto('/conductor');
  await expect(
    page.getByRole('tab', { name: 'Dashboards', selected: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('figure', { name: 'compliance score trend' }),
  ).toBeVisible();
  await expect(page.getByRole('figure', { name: 'PRS by team' })).toBeVisible();
  // Each dashboard leads to the page that explains it.
  await page.getByRole('link', { name: 'Readiness by team' }).first().click();
  await expect(page).toHaveURL(/\/conductor\/readiness$/);
  await page.goBack();

  // The team's view: only payments, named as a link to the team.
  await page
    .getByRole('combobox', { name: 'Team' })
    .selectOption('group:default/payments');
  await expect(page.getByText(/^Dashboards of/)).toContainText('payments');
  await expect(
    page.getByText(/^Dashboards of/).getByRole('link', { name: 'payments' }),
  ).toHaveAttribute('href', '/catalog/default/group/payments');
  const services = page.getByLabel('PRS per service');
  await expect(services).toContainText('payments-api');
  await expect(services).not.toContainText('accounts-api');
  await page.screenshot({ path: screenshot('dashboards'), fullPage: true });
});

test('the alert settings say which alerts are on, with their thresholds', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/conductor/alerts');
  const alerts = page.getByRole('table', { name: 'Alert settings' });
  const row = (name: string) =>
    alerts.getByRole('row').filter({ hasText: name });
  for (const name of [
    'Compliance score below target',
    'CI library mismatch',
    'Release blocked: readiness below threshold',
    'Backfill cost spike',
    'Blast radius too large without mitigation',
  ])
    await expect(row(name).getByRole('cell').nth(1)).toHaveText('on');
  // Thresholds as configured for the demo, with their config keys.
  await expect(row('Compliance score below target')).toContainText('80 %');
  await expect(row('Blast radius too large without mitigation')).toContainText(
    'conductor.lineage.maxServices',
  );
  await page.screenshot({ path: screenshot('alert-settings'), fullPage: true });
});
