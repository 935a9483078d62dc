// What the portal's view tests share: entity fixtures and one way to render
// a view inside an entity page with fake APIs.
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { ReactElement } from 'react';

/** The demo's orders-api component. */
export const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

/** Its entity ref. */
export const ordersApiRef = 'component:default/orders-api';

/** An ISO timestamp `h` hours ago. */
export const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

/** Pairs of an API ref and a (partial) fake implementation. */
export type FakeApis = ReadonlyArray<readonly [unknown, unknown]>;

/** Renders a view as it appears on an entity page, with fake APIs. */
export function renderForEntity(
  view: ReactElement,
  options: { apis: FakeApis; entity?: Entity },
) {
  return renderInTestApp(
    <TestApiProvider apis={options.apis as any}>
      <EntityProvider entity={options.entity ?? ordersApi}>
        {view}
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** Renders a page (no entity) with fake APIs. */
export function renderWithApis(view: ReactElement, apis: FakeApis) {
  return renderInTestApp(
    <TestApiProvider apis={apis as any}>{view}</TestApiProvider>,
  );
}
