import { Page, expect, test } from '@playwright/test';
import { ciHeaders, signIn, waitForEntity } from './support';

/** Picks an entity in a catalog picker (Autocomplete) by typing its name. */
async function pick(page: Page, label: string, name: string) {
  const input = page.getByRole('textbox', { name: label });
  await input.click();
  await input.fill(name);
  await page
    .getByRole('option', { name: new RegExp(name, 'i') })
    .first()
    .click();
}

test('the Create wizard creates a service from create-ig-service: validated form, finished task, the new component with its evidence and SLOs', async ({
  page,
  request,
}) => {
  test.setTimeout(420_000);
  const headers = ciHeaders();
  // The templates come from templates/locations.yaml through the catalog.
  await waitForEntity(request, { kind: 'template', name: 'create-ig-service' });

  const name = `e2e-svc-${Date.now().toString(36)}`;
  await signIn(page);
  await page.goto('/create/templates/default/create-ig-service');
  // A name that is neither a package name nor a DNS label is refused.
  await page.getByRole('textbox', { name: 'Name' }).fill('Bad_Name');
  await page.getByRole('textbox', { name: 'Description' }).fill('Orders graph');
  await pick(page, 'Owner', 'payments');
  await pick(page, 'System', 'checkout');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/match pattern/).first()).toBeVisible();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('button', { name: 'Next' }).click();

  // Latency objectives: out of bounds is refused, then the defaults are kept.
  const read = page.getByRole('spinbutton', { name: /Read latency objective/ });
  await expect(read).toHaveValue('350');
  await read.fill('5');
  await page.getByRole('button', { name: 'Review' }).click();
  // The browser refuses it (minimum 10) and the wizard stays on this step.
  expect(
    await read.evaluate(e => (e as HTMLInputElement).validity.rangeUnderflow),
  ).toBe(true);
  await expect(read).toBeVisible();
  await read.fill('350');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task log finishes with the three steps and the output link.
  const open = page
    .getByRole('button', { name: 'Open in the catalog' })
    .or(page.getByRole('link', { name: 'Open in the catalog' }))
    .first();
  await expect(open).toBeVisible({ timeout: 180_000 });
  await expect(
    page.getByText(
      `First evidence of component:default/${name}: policy.coverage=1`,
    ),
  ).toBeVisible();
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/golden-path-task.png',
    fullPage: true,
  });

  // The new component, with its Evidence, Compliance and SLO tabs.
  await open.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );
  const component = `/catalog/default/component/${name}`;
  await page.goto(`${component}/evidence`);
  const evidence = page.getByRole('table', { name: 'latest evidence' });
  await expect(
    evidence.getByRole('row').filter({ hasText: 'policy.coverage' }),
  ).toContainText('ci:plugin:scaffolder');
  await expect(
    evidence.getByRole('row').filter({ hasText: 'catalog.owner_is_group' }),
  ).toContainText('collector:catalog');
  // A compliance run as CI starts one, so the tab has results for the new component.
  expect(
    (
      await request.post('/api/conductor/compliance/runs', { headers })
    ).status(),
  ).toBe(200);
  await page.goto(`${component}/compliance`);
  await expect(page.getByText('POL-COV-90').first()).toBeVisible();
  await page.goto(`${component}/slo`);
  await expect(page.getByText(`${name}-read-latency`).first()).toBeVisible();
  await expect(page.getByText(`${name}-write-latency`).first()).toBeVisible();
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/golden-path-component.png',
    fullPage: true,
  });
});
