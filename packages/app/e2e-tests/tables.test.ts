import { Page, expect, test } from '@playwright/test';
import { ciHeaders, signIn, waitForEntity } from './support';

/** How many pixels of a table stick out of the card it sits in (0: no column cut off). */
async function overflowOf(page: Page, name: string) {
  const table = page.getByRole('table', { name });
  await expect(table).toBeVisible();
  return table.evaluate(el => {
    const card = el.closest('.MuiCard-root, .MuiPaper-root') as HTMLElement;
    const t = el.getBoundingClientRect();
    const c = card.getBoundingClientRect();
    return Math.max(0, Math.round(t.right - c.right));
  });
}

test('the widest tables fit their cards at 1440x900: no column cut off', async ({
  page,
  request,
}) => {
  await waitForEntity(request, { kind: 'group', name: 'payments' });
  const headers = ciHeaders();
  await request.post('/api/conductor/evidence/collect', { headers });
  await request.post('/api/conductor/compliance/runs', { headers });

  await signIn(page);
  await page.goto('/catalog/default/group/payments/slo-board');
  expect(await overflowOf(page, 'SLO board')).toBe(0);
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/slo-board.png',
    fullPage: true,
  });
  await page.goto('/catalog/default/component/orders-api/slo');
  expect(await overflowOf(page, 'SLOs of the component')).toBe(0);
  await page.goto('/catalog/default/component/orders-api/compliance');
  expect(await overflowOf(page, 'controls')).toBe(0);
});
