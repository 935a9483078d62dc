import { Page, expect, test } from '@playwright/test';
import { ciHeaders, signIn, waitForEntity } from './support';
import { readFileSync } from 'fs';
import { resolve } from 'path';

const API = 'api:default/orders-graphql';
const FIELD = 'GraphQL:orders-graphql/Order.totalCents';
const op = (client: string, name: string) =>
  `Operation:orders-graphql/${client}/${name}.graphql`;

/** The drawn node of a lineage node id. */
const node = (page: Page, id: string) => page.getByTestId(`lineage-node-${id}`);

/** "52 nodes, 56 edges around …" above the graph, as a number. */
async function shownNodeCount(page: Page): Promise<number> {
  const text = await page
    .getByText(/^\d+ nodes, \d+ edges around/)
    .textContent();
  return Number(/^(\d+) nodes/.exec(text ?? '')?.[1]);
}

test('the Lineage tab of a demo GraphQL API draws its graph, follows the depth control, shows a field and its blast radius, and answers "what if"', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const headers = ciHeaders();
  // Build the graph now from the catalog, the demo manifests and operations
  // instead of waiting for the scheduled ingest.
  await waitForEntity(request, { kind: 'api', name: 'orders-graphql' });
  await expect(async () => {
    const ingested = await request.post('/api/conductor/lineage/ingest', {
      headers,
    });
    expect(ingested.status()).toBe(200);
    const body = await ingested.json();
    expect(body.problems).toEqual([]);
    // The demo manifests (read back over the backend's demo-repos route)
    // bring the operations; until the catalog has every component they are
    // not all there.
    const graph = await request.get(
      `/api/conductor/lineage/graph/api/default/orders-graphql?depth=2`,
      { headers },
    );
    expect(graph.status()).toBe(200);
    const ids = ((await graph.json()).nodes as Array<{ id: string }>).map(
      n => n.id,
    );
    expect(ids).toContain(op('reports-api', 'TenantOrders'));
    expect(ids).toContain(op('checkout-web', 'OrderDetails'));
  }).toPass({ timeout: 90_000 });

  await signIn(page);
  await page.goto('/catalog/default/api/orders-graphql/lineage');

  // The graph draws, around the API, with nodes of several kinds.
  await expect(page.getByText(`around ${API}`)).toBeVisible();
  await expect(node(page, API)).toHaveAttribute('data-state', 'root');
  const kinds = {
    'GraphQL type': 'GraphQL:orders-graphql/Order',
    'GraphQL field': FIELD,
    Resolver: 'Resolver:orders-graphql/Order.items',
    'Data contract': 'Contract:Order@v3',
    Operation: op('checkout-web', 'OrderDetails'),
    Service: 'component:default/checkout-web',
  };
  const colours = new Set<string>();
  for (const [kind, id] of Object.entries(kinds)) {
    await expect(node(page, id)).toBeVisible();
    await expect(node(page, id)).toHaveAttribute('title', `${kind}: ${id}`);
    colours.add(
      await node(page, id).evaluate(e => getComputedStyle(e).borderTopColor),
    );
  }
  // each kind has its own colour
  expect(colours.size).toBe(Object.keys(kinds).length);
  const atDepth2 = await shownNodeCount(page);
  await expect(page.locator('.react-flow__node')).toHaveCount(atDepth2);
  // Tenants are three hops away (API ← client → operation → tenant).
  await expect(node(page, 'Tenant:acme')).toHaveCount(0);

  // Depth 3 reaches further: more nodes, the tenants among them.
  await page.getByRole('combobox', { name: 'Depth' }).click();
  await page.getByRole('option', { name: '3', exact: true }).click();
  await expect(node(page, 'Tenant:acme')).toBeVisible();
  const atDepth3 = await shownNodeCount(page);
  expect(atDepth3).toBeGreaterThan(atDepth2);
  await expect(page.locator('.react-flow__node')).toHaveCount(atDepth3);
  // Depth 1: the API's types and neighbours only, no fields.
  await page.getByRole('combobox', { name: 'Depth' }).click();
  await page.getByRole('option', { name: '1', exact: true }).click();
  await expect(node(page, FIELD)).toHaveCount(0);
  const atDepth1 = await shownNodeCount(page);
  expect(atDepth1).toBeLessThan(atDepth2);
  await expect(page.locator('.react-flow__node')).toHaveCount(atDepth1);
  await expect(node(page, 'GraphQL:orders-graphql/Order')).toBeVisible();
  await page.getByRole('combobox', { name: 'Depth' }).click();
  await page.getByRole('option', { name: '2', exact: true }).click();
  await expect(node(page, FIELD)).toBeVisible();

  // Click a field: its details, then its blast radius lit in the graph.
  await node(page, FIELD).click();
  await expect(node(page, FIELD)).toHaveAttribute('data-state', 'selected');
  const details = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Highlight blast radius' });
  await expect(details).toContainText('Order.totalCents');
  await expect(details).toContainText('GraphQL field');
  await expect(details).toContainText(FIELD);
  await expect(details).toContainText(`api: ${API}`);
  await details.getByRole('button', { name: 'Highlight blast radius' }).click();
  await expect(details).toContainText(/A change here reaches \d+ node\(s\)/);
  // The operations selecting totalCents, and their clients, are lit...
  for (const id of [
    op('checkout-web', 'OrderDetails'),
    op('reports-api', 'TenantOrders'),
    'component:default/checkout-web',
    'component:default/reports-api',
  ])
    await expect(node(page, id)).toHaveAttribute('data-state', 'highlighted');
  // ...operations that do not select it, and the API itself, are not.
  for (const id of [
    op('checkout-web', 'OrderSummary'),
    op('checkout-web', 'PlaceOrder'),
    op('ingest-worker', 'OrderLines'),
    'GraphQL:orders-graphql/Order.items',
    API,
  ])
    await expect(node(page, id)).toHaveAttribute('data-state', 'dimmed');
  await page.getByRole('button', { name: 'Clear highlight' }).click();
  await expect(node(page, op('checkout-web', 'OrderSummary'))).toHaveAttribute(
    'data-state',
    'normal',
  );

  // What if Order.totalCents were removed? OrderDetails (checkout-web, all
  // three tenants) and TenantOrders (reports-api: acme, globex) select it.
  const headSdl = readFileSync(
    resolve(
      __dirname,
      '../../../examples/lineage/changes/orders-remove-total-cents.graphql',
    ),
    'utf8',
  );
  expect(headSdl).not.toContain('totalCents:');
  await page.getByRole('textbox', { name: 'New SDL' }).fill(headSdl);
  await page.getByRole('button', { name: 'Show blast radius' }).click();
  const report = page.getByTestId('what-if-report');
  await expect(report).toContainText(
    '1 breaking (0 unused), 0 dangerous, 0 safe; 2 of 5 operation(s) impacted',
  );
  await expect(report).toContainText('blocked: Order.totalCents');
  const impacted = report
    .getByRole('listitem')
    .filter({ hasText: 'broken by' });
  await expect(impacted).toHaveCount(2);
  await expect(impacted.nth(0)).toHaveText(
    'OrderDetails (checkout-web/OrderDetails.graphql) — broken by Order.totalCents',
  );
  await expect(impacted.nth(1)).toHaveText(
    'TenantOrders (reports-api/TenantOrders.graphql) — broken by Order.totalCents',
  );
  await expect(report).toContainText(
    'Services: component:default/checkout-web, component:default/reports-api',
  );
  await expect(report).toContainText('Tenants: acme, globex, initech');
  await expect(report).not.toContainText('OrderSummary');
  await expect(report).toContainText(
    'Extend the deprecation window: keep Order.totalCents with @deprecated',
  );
  // and the graph shows it: the field and the two operations lit
  await expect(node(page, FIELD)).toHaveAttribute('data-state', 'selected');
  for (const id of [
    op('checkout-web', 'OrderDetails'),
    op('reports-api', 'TenantOrders'),
  ])
    await expect(node(page, id)).toHaveAttribute('data-state', 'highlighted');
  await expect(node(page, op('checkout-web', 'OrderSummary'))).toHaveAttribute(
    'data-state',
    'dimmed',
  );
  await page.screenshot({
    path: 'node_modules/.cache/e2e-test-results/lineage-tab.png',
    fullPage: true,
  });
});
