import { expect, test } from '@playwright/test';
import { ciHeaders, signIn, waitForEntity } from './support';

test('a demo component shows its evidence in the Evidence tab', async ({
  page,
  request,
}) => {
  // Wait for the catalog to hold the demo component, then run the evidence
  // collectors now instead of waiting for their schedule.
  const headers = ciHeaders();
  await waitForEntity(request, { kind: 'component', name: 'orders-api' });
  const collected = await request.post('/api/conductor/evidence/collect', {
    headers,
  });
  expect(collected.status()).toBe(200);
  expect((await collected.json()).entities).toBeGreaterThan(12);

  await signIn(page);

  await page.goto('/catalog/default/component/orders-api/evidence');
  const table = page.getByRole('table', { name: 'latest evidence' });
  await expect(table).toBeVisible();

  // Seeded CI evidence, as the demo pipeline reported it.
  const coverage = table.getByRole('row').filter({ hasText: 'test.coverage' });
  await expect(coverage).toContainText('86.0 %');
  await expect(coverage).toContainText('ci:demo-pipeline');
  // Collected from the catalog and the demo repository by the scheduler.
  await expect(
    table.getByRole('row').filter({ hasText: 'catalog.owner_is_group' }),
  ).toContainText('collector:catalog');
  await expect(
    table.getByRole('row').filter({ hasText: 'repo.codeowners' }),
  ).toContainText('yes');
  // Numeric facts with history get a chart.
  await expect(
    page.getByRole('figure', { name: 'history of test.coverage' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/evidence-tab.png',
    fullPage: true,
  });
});

test('the promotion gate allows a ready demo service, blocks a weak one, and the portal shows why', async ({
  page,
  request,
}) => {
  const headers = ciHeaders();
  await waitForEntity(request, { kind: 'component', name: 'refund-worker' });
  expect(
    (
      await request.post('/api/conductor/evidence/collect', { headers })
    ).status(),
  ).toBe(200);

  const check = async (name: string) =>
    (
      await request.post('/api/conductor/promotions/check', {
        headers,
        data: {
          entityRef: `component:default/${name}`,
          environment: 'production',
          version: '2.0.0',
        },
      })
    ).json();
  const ready = await check('payments-api');
  expect(ready.allowed).toBe(true);
  expect(ready.score).toBeGreaterThanOrEqual(0.9);
  const weak = await check('refund-worker');
  expect(weak.allowed).toBe(false);
  expect(weak.reasons[0]).toMatch(
    /^readiness 0\.\d+ is below the production threshold 0\.9$/,
  );

  await signIn(page);
  await page.goto('/catalog/default/component/refund-worker/readiness');
  await expect(page.getByText('Promotion to production blocked')).toBeVisible();
  await expect(
    page.getByRole('figure', { name: 'readiness gauge' }),
  ).toBeVisible();
  const decisions = page.getByRole('table', { name: 'promotion decisions' });
  await expect(decisions.getByRole('row').nth(1)).toContainText('blocked');
  await expect(decisions.getByRole('row').nth(1)).toContainText(
    'ci:demo-pipeline',
  );
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/readiness-tab.png',
    fullPage: true,
  });

  // The old URL still works: it redirects to the Conductor page's Readiness tab.
  await page.goto('/readiness');
  await expect(page).toHaveURL(/\/conductor\/readiness$/);
  const ranking = page.getByRole('table', { name: 'team ranking' });
  await expect(ranking.getByRole('row')).toHaveCount(5); // header + payments, identity, insights, platform
  // Teams are links to their Conductor tab (named, not group:default/payments).
  await expect(ranking.getByRole('link', { name: 'payments' })).toHaveAttribute(
    'href',
    '/catalog/default/group/payments/conductor',
  );
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/readiness-page.png',
    fullPage: true,
  });
});

test('the Compliance tab shows passing and failing controls after a run', async ({
  page,
  request,
}) => {
  const headers = ciHeaders();
  await waitForEntity(request, { kind: 'component', name: 'orders-api' });
  expect(
    (
      await request.post('/api/conductor/evidence/collect', { headers })
    ).status(),
  ).toBe(200);
  const run = await request.post('/api/conductor/compliance/runs', { headers });
  expect(run.status()).toBe(200);
  expect((await run.json()).controls).toBeGreaterThanOrEqual(18);

  await signIn(page);
  await page.goto('/catalog/default/component/orders-api/compliance');
  const controls = page.getByRole('table', { name: 'controls' });
  await expect(
    controls.getByRole('row').filter({ hasText: 'SOC2-CC1.4' }),
  ).toContainText('pass');
  // Why reads as a sentence in percent (the check was sbom.coverage = 0.97 >= 0.95).
  await expect(
    controls.getByRole('row').filter({ hasText: 'SOC2-CC1.4' }),
  ).toContainText('sbom.coverage 97.0 % ≥ 95.0 %');
  // The repository collector reads the alert rules: orders-api has none.
  const alerts = controls.getByRole('row').filter({ hasText: 'OPS-ALERTS-01' });
  await expect(alerts).toContainText('fail');
  await expect(alerts).toContainText('alerts.defined');
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/compliance-tab.png',
    fullPage: true,
  });

  // CI reports a lower SBOM coverage; the next run flips SOC2-CC1.4 and says which fact did it.
  const pushed = await request.post('/api/conductor/evidence', {
    headers,
    data: {
      entityRef: 'component:default/orders-api',
      facts: [{ name: 'sbom.coverage', value: 0.81 }],
    },
  });
  expect(pushed.status()).toBe(201);
  const second = await request.post('/api/conductor/compliance/runs', {
    headers,
  });
  expect((await second.json()).flipped).toBeGreaterThanOrEqual(1);

  await page.reload();
  const soc2 = controls.getByRole('row').filter({ hasText: 'SOC2-CC1.4' });
  await expect(soc2).toContainText('fail');
  await expect(soc2).toContainText('was pass; changed: sbom.coverage');
  const changes = page.getByRole('table', { name: 'evidence changes' });
  await expect(
    changes.getByRole('row').filter({ hasText: 'sbom.coverage' }),
  ).toContainText('97.0 %81.0 %');

  await page.goto('/compliance');
  await expect(page).toHaveURL(/\/conductor\/compliance$/);
  const flips = page.getByRole('table', { name: 'flipped controls' });
  // The entity is a link to its Compliance tab, named orders-api.
  const flip = flips
    .getByRole('row')
    .filter({
      has: page.getByRole('link', { name: 'orders-api', exact: true }),
    })
    .filter({ hasText: 'SOC2-CC1.4' });
  await expect(flip).toContainText('passfailsbom.coverage');
  await expect(flip.getByRole('link', { name: 'orders-api' })).toHaveAttribute(
    'href',
    '/catalog/default/component/orders-api/compliance',
  );
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/compliance-page.png',
    fullPage: true,
  });
});

test('from a team to its components and into a component tab, by links', async ({
  page,
  request,
}) => {
  const headers = ciHeaders();
  await waitForEntity(request, { kind: 'group', name: 'payments' });
  expect(
    (
      await request.post('/api/conductor/compliance/runs', { headers })
    ).status(),
  ).toBe(200);

  await signIn(page);
  await page.goto('/catalog/default/group/payments/conductor');
  const components = page.getByRole('table', { name: 'components' });
  await expect(components.getByRole('row').nth(1)).toBeVisible();
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/group-tab.png',
    fullPage: true,
  });
  // Scores read as percent; every component of the team links to its tab.
  await expect(components).toContainText('%');
  await components
    .getByRole('link', { name: 'payments-api', exact: true })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/payments-api\/compliance$/,
  );
  await expect(page.getByRole('table', { name: 'controls' })).toBeVisible();
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/team-to-component.png',
    fullPage: true,
  });

  // The Overview of the component carries the Conductor card, linking back into the tabs.
  await page.goto('/catalog/default/component/payments-api');
  const card = page.getByTestId('conductor-card');
  await expect(card).toContainText('Compliance');
  await expect(card).toContainText('production:');
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/overview-card.png',
    fullPage: true,
  });
  await card.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/payments-api\/compliance$/);
});
