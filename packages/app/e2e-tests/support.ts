import { APIRequestContext, Page, expect } from '@playwright/test';

/**
 * Signs in, as guest (a member of payments) or as one of the demo people of
 * app.demoSignIn.people, and waits until the portal shows its navigation.
 */
export async function signIn(page: Page, as: 'guest' | string = 'guest') {
  await page.goto('/');
  const button =
    as === 'guest'
      ? page.getByRole('button', { name: 'Enter' })
      : page.getByRole('button', { name: `Sign in as ${as}` });
  await expect(async () => {
    if (await button.isVisible()) await button.click();
    await expect(
      page.getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
}

/** Headers with the CI token scripts/test.sh gives the portal. */
export function ciHeaders() {
  const token = process.env.CONDUCTOR_CI_TOKEN;
  expect(
    token,
    'CONDUCTOR_CI_TOKEN must be set (scripts/test.sh sets it)',
  ).toBeTruthy();
  return { Authorization: `Bearer ${token}` };
}

/** Waits until the catalog holds an entity (the demo loads at start). */
export async function waitForEntity(
  request: APIRequestContext,
  ref: { kind: string; name: string },
) {
  await expect(async () => {
    const res = await request.get(
      `/api/catalog/entities/by-name/${ref.kind}/default/${ref.name}`,
      { headers: ciHeaders() },
    );
    expect(res.status()).toBe(200);
  }).toPass({ timeout: 60_000 });
}

/** Where screenshots go (kept as CI output). */
export const screenshot = (name: string) =>
  `node_modules/.cache/e2e-test-results/${name}.png`;
