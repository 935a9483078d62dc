// What the portal's view tests share: entity fixtures and one way to render
// a view inside an entity page with fake APIs, entity links that resolve,
// and a permission policy that allows or denies everything.
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
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

/** The demo's payments team. */
export const paymentsTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

/** An ISO timestamp `h` hours ago. */
export const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

/** Pairs of an API ref and a (partial) fake implementation. */
export type FakeApis = ReadonlyArray<readonly [unknown, unknown]>;

/** How the fake permission policy answers every request. */
export type Policy = 'allow' | 'deny';

function withDefaults(apis: FakeApis, policy: Policy): FakeApis {
  const has = (ref: unknown) => apis.some(([r]) => r === ref);
  return [
    ...apis,
    ...(has(permissionApiRef)
      ? []
      : [
          [
            permissionApiRef,
            mockApis.permission({
              authorize:
                policy === 'allow'
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            }),
          ] as const,
        ]),
  ];
}

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

/** Renders a view as it appears on an entity page, with fake APIs. */
export function renderForEntity(
  view: ReactElement,
  options: { apis: FakeApis; entity?: Entity; policy?: Policy },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={withDefaults(options.apis, options.policy ?? 'allow') as any}
    >
      <EntityProvider entity={options.entity ?? ordersApi}>
        {view}
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

/** Renders a page (no entity) with fake APIs. */
export function renderWithApis(
  view: ReactElement,
  apis: FakeApis,
  policy: Policy = 'allow',
) {
  return renderInTestApp(
    <TestApiProvider apis={withDefaults(apis, policy) as any}>
      {view}
    </TestApiProvider>,
    { mountedRoutes },
  );
}
