import { expect, test } from '@playwright/test';
import { ciHeaders, screenshot, signIn, waitForEntity } from './support';

test('guest asks for an exemption, Carol approves it, and the next run counts the control exempt', async ({
  browser,
  page,
  request,
}) => {
  const headers = ciHeaders();
  await waitForEntity(request, { kind: 'component', name: 'checkout-web' });
  await request.post('/api/conductor/evidence/collect', { headers });
  expect(
    (
      await request.post('/api/conductor/compliance/runs', { headers })
    ).status(),
  ).toBe(200);
  const before = await (
    await request.get(
      '/api/conductor/compliance/component/default/checkout-web',
      { headers },
    )
  ).json();
  // A control checkout-web fails with no exemption asked for yet.
  const failing = before.results.find(
    (r: { status: string; controlId: string }) =>
      r.status === 'fail' &&
      !before.exemptions.some(
        (e: { controlId: string }) => e.controlId === r.controlId,
      ),
  );
  expect(failing, 'checkout-web fails a control in the demo').toBeTruthy();
  const controlId: string = failing.controlId;

  // Guest, a member of payments which owns checkout-web, asks.
  await signIn(page);
  await page.goto('/catalog/default/component/checkout-web/compliance');
  const controls = page.getByRole('table', { name: 'controls' });
  const row = controls.getByRole('row').filter({ hasText: controlId });
  await row.getByRole('button', { name: 'Request exemption' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Exempt from ${controlId}`);
  await dialog
    .getByLabel('Reason')
    .fill(
      'The storefront moves to the new platform in Q1; tracked in PAY-412.',
    );
  await dialog.getByRole('button', { name: 'Send request' }).click();
  await expect(dialog.getByRole('status')).toContainText(
    /Exemption #\d+ requested; it waits for approval\./,
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(row).toContainText('exemption requested');
  const exemptions = page.getByRole('table', { name: 'exemptions' });
  const asked = exemptions.getByRole('row').filter({ hasText: controlId });
  await expect(asked).toContainText('requested');
  // Guest may not approve (nobody approves their own request, and guest is
  // no approver): the button is not there.
  await expect(asked.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  // Carol, a compliance approver, signs in in another browser and approves.
  const { baseURL, viewport } = test.info().project.use;
  const carolContext = await browser.newContext({ baseURL, viewport });
  const carol = await carolContext.newPage();
  await signIn(carol, 'carol');
  await carol.goto('/catalog/default/component/checkout-web/compliance');
  const toApprove = carol
    .getByRole('table', { name: 'exemptions' })
    .getByRole('row')
    .filter({ hasText: controlId });
  await toApprove.getByRole('button', { name: 'Approve' }).click();
  // The row reloads as approved (its Approve button, and the message under
  // it, give way to the new state).
  await expect(toApprove).toContainText('active');
  await expect(toApprove.getByRole('link', { name: 'Carol' })).toBeVisible();
  await carol.screenshot({
    path: screenshot('exemption-approved'),
    fullPage: true,
  });
  await carolContext.close();

  // The next run counts it: the control reads exempt, approved by Carol.
  expect(
    (
      await request.post('/api/conductor/compliance/runs', { headers })
    ).status(),
  ).toBe(200);
  await page.reload();
  const exempted = controls.getByRole('row').filter({ hasText: controlId });
  await expect(exempted).toContainText('exempt');
  await expect(exempted).toContainText('approved by Carol');
  await expect(exempted.getByRole('link', { name: 'Carol' })).toHaveAttribute(
    'href',
    '/catalog/default/user/carol',
  );
  await page.screenshot({
    path: screenshot('exemption-counted'),
    fullPage: true,
  });
});

test('a run below target shows up in the bell, with a link to the page that explains it', async ({
  page,
  request,
}) => {
  const headers = ciHeaders();
  await waitForEntity(request, { kind: 'component', name: 'refund-worker' });
  // CI reports a worse SBOM for a payments service, so the team's score drops
  // below target on the next run and the team is told.
  expect(
    (
      await request.post('/api/conductor/evidence', {
        headers,
        data: {
          entityRef: 'component:default/refund-worker',
          facts: [{ name: 'sbom.coverage', value: 0.2 }],
        },
      })
    ).status(),
  ).toBe(201);
  const run = await (
    await request.post('/api/conductor/compliance/runs', { headers })
  ).json();
  expect(run.teamsBelowTarget).toContain('group:default/payments');

  await signIn(page);
  // The bell in the sidebar counts it (alerts are sent in the background).
  const bell = page.getByRole('link', { name: /Notifications/ });
  await expect(async () => {
    await page.reload();
    await expect(bell).toContainText(/[1-9]/, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await bell.click();
  const alert = page
    .getByText(
      /^payments: compliance score [\d.]+ % is below the \d+ % target$/,
    )
    .first();
  await expect(alert).toBeVisible();
  await page.screenshot({ path: screenshot('notifications'), fullPage: true });
  await alert.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/group\/payments\/conductor$/,
  );
  await expect(page.getByRole('table', { name: 'components' })).toContainText(
    'refund-worker',
  );
});
