import { mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  permissionsThatSay,
  routerTestApp,
} from '../__testUtils__/routerTestApp';
import { CatalogSnapshot } from '../shared/capability';
import { createSloRouter } from './router';
import { sloComponent } from './__testUtils__/world';

const orders = sloComponent('orders-api', 'group:default/payments', {
  'conductor.io/slo-file': 'orders-api.yaml',
});
const plain = sloComponent('plain-api', 'group:default/payments', {});

function app(allow: boolean) {
  const asked: string[][] = [];
  const slo = {
    teams: async (allowed: (refs: string[]) => Promise<Set<string>>) => {
      const refs = ['component:default/orders-api'];
      asked.push([...(await allowed(refs))]);
      return {
        prometheus: { configured: false, state: 'not-configured' as const },
        teams: [],
      };
    },
    board: async (
      team: string,
      allowed: (refs: string[]) => Promise<Set<string>>,
    ) => {
      asked.push([team, ...(await allowed(['component:default/orders-api']))]);
      return {
        team,
        evaluatedAt: '',
        prometheus: { configured: false, state: 'not-configured' as const },
        services: [],
        queries: 0,
      };
    },
    component: async () =>
      ({ entityRef: 'component:default/orders-api' } as any),
  };
  const catalogSnapshot = {
    get: (ref: string) =>
      ({
        'component:default/orders-api': orders,
        'component:default/plain-api': plain,
      }[ref]),
  } as unknown as CatalogSnapshot;
  const catalog = { getEntityByRef: async () => undefined } as any;
  return {
    asked,
    app: routerTestApp(
      createSloRouter({
        httpAuth: mockServices.httpAuth(),
        permissions: permissionsThatSay(allow),
        catalogSnapshot,
        catalog,
        slo,
      }),
    ),
  };
}

describe('SLO routes', () => {
  it('gives a board the group ref of the URL and only the components the caller may read', async () => {
    const allowed = app(true);
    expect(
      (await request(allowed.app).get('/teams/default/payments')).status,
    ).toBe(200);
    expect(allowed.asked).toEqual([
      ['group:default/payments', 'component:default/orders-api'],
    ]);
    const denied = app(false);
    await request(denied.app).get('/teams/default/payments');
    expect(denied.asked).toEqual([['group:default/payments']]);
  });

  it('refuses one component without the permission, and answers 404 naming the annotation when it has no SLOs', async () => {
    expect(
      (await request(app(false).app).get('/component/default/orders-api'))
        .status,
    ).toBe(403);
    const ok = app(true);
    expect(
      (await request(ok.app).get('/component/default/orders-api')).status,
    ).toBe(200);
    const none = await request(ok.app).get('/component/default/plain-api');
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/conductor.io\/slo-file/);
    expect(
      (await request(ok.app).get('/component/default/missing')).status,
    ).toBe(404);
  });
});
