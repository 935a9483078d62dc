import { expect, test } from '@playwright/test';

test('a demo component shows its evidence in the Evidence tab', async ({ page, request }) => {
  // Wait for the catalog to hold the demo component, then run the evidence
  // collectors now instead of waiting for their schedule.
  const token = process.env.CONDUCTOR_CI_TOKEN;
  expect(token, 'CONDUCTOR_CI_TOKEN must be set (scripts/test.sh sets it)').toBeTruthy();
  const headers = { Authorization: `Bearer ${token}` };
  await expect(async () => {
    const res = await request.get('/api/catalog/entities/by-name/component/default/orders-api', { headers });
    expect(res.status()).toBe(200);
  }).toPass({ timeout: 60_000 });
  const collected = await request.post('/api/conductor/evidence/collect', { headers });
  expect(collected.status()).toBe(200);
  expect((await collected.json()).entities).toBeGreaterThan(12);

  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  await page.goto('/catalog/default/component/orders-api/evidence');
  const table = page.getByRole('table', { name: 'latest evidence' });
  await expect(table).toBeVisible();

  // Seeded CI evidence, as the demo pipeline reported it.
  const coverage = table.getByRole('row').filter({ hasText: 'test.coverage' });
  await expect(coverage).toContainText('86.0 %');
  await expect(coverage).toContainText('ci:demo-pipeline');
  // Collected from the catalog and the demo repository by the scheduler.
  await expect(table.getByRole('row').filter({ hasText: 'catalog.owner_is_group' })).toContainText('collector:catalog');
  await expect(table.getByRole('row').filter({ hasText: 'repo.codeowners' })).toContainText('yes');
  // Numeric facts with history get a chart.
  await expect(page.getByRole('figure', { name: 'history of test.coverage' })).toBeVisible();
  await page.screenshot({ path: 'node_modules/.cache/e2e-test-results/evidence-tab.png', fullPage: true });
});
