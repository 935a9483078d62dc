import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import { DEMO_USER_HEADER, authModuleDemoSignIn } from './demoSignIn';

const people = [{ user: 'carol', title: 'Carol, compliance approver' }];
const users = ['carol', 'dave'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: ['identity'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/identity' }],
}));

async function startAuth(data: { app?: object; auth: object }) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleDemoSignIn,
      catalogServiceMock.factory({ entities: users }),
      mockServices.rootConfig.factory({
        data: {
          ...data,
          app: { baseUrl: 'http://localhost:3000', ...data.app },
          backend: { baseUrl: 'http://localhost:7007' },
        },
      }),
    ],
  });
  return server;
}

const demoConfig = {
  app: { demoSignIn: { people } },
  auth: { providers: { demo: { dangerouslyAllowOutsideDevelopment: true } } },
};

describe('demo sign-in', () => {
  it('signs in a listed demo person as their catalog User', async () => {
    const server = await startAuth(demoConfig);
    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('x-requested-with', 'XMLHttpRequest')
      .set(DEMO_USER_HEADER, 'carol');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toMatchObject({
      userEntityRef: 'user:default/carol',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/carol',
        'group:default/identity',
      ]),
    });
  });

  it('refuses a catalog User who is not one of the demo people', async () => {
    const server = await startAuth(demoConfig);
    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('x-requested-with', 'XMLHttpRequest')
      .set(DEMO_USER_HEADER, 'dave');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      'dave is not one of the demo people',
    );
  });

  it('refuses a request that names nobody', async () => {
    const server = await startAuth(demoConfig);
    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('x-requested-with', 'XMLHttpRequest');
    expect(res.status).toBe(401);
  });

  it('is off outside development unless dangerously allowed', async () => {
    const server = await startAuth({
      app: { demoSignIn: { people } },
      auth: { providers: { demo: {} } },
    });
    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('x-requested-with', 'XMLHttpRequest')
      .set(DEMO_USER_HEADER, 'carol');
    expect(res.status).toBe(403);
  });

  it('does not exist without demo people (production)', async () => {
    const server = await startAuth({
      auth: {
        providers: { demo: { dangerouslyAllowOutsideDevelopment: true } },
      },
    });
    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('x-requested-with', 'XMLHttpRequest')
      .set(DEMO_USER_HEADER, 'carol');
    expect(res.status).toBe(404);
  });
});
