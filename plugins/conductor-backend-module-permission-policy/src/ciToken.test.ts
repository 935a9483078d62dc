import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import catalogBackend from '@backstage/plugin-catalog-backend';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';

// The CI token as configured in app-config.yaml and app-config.production.yaml,
// checked by Backstage's real auth service: it reaches conductor and, in the
// demo only, reads the catalog; nothing else. And what that means for
// conductor: it cannot call the catalog on behalf of the CI token.

const repo = path.resolve(__dirname, '../../..');
const TOKEN = 'ci-token-for-the-test-0123456789';

/** The externalAccess entries of a config file, with the token filled in. */
function externalAccessOf(file: string) {
  const config = parse(fs.readFileSync(path.join(repo, file), 'utf8'));
  return JSON.parse(
    JSON.stringify(config.backend.auth.externalAccess).replaceAll(
      '${CONDUCTOR_CI_TOKEN}',
      TOKEN,
    ),
  );
}

/** A stand-in conductor route that looks an entity up in the catalog. */
const lookupPlugin = createBackendPlugin({
  pluginId: 'conductor',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ httpRouter, httpAuth, auth, catalog }) {
        const router = express.Router();
        router.get('/lookup/:as', async (req, res) => {
          const caller = await httpAuth.credentials(req, {
            allow: ['service'],
          });
          const credentials =
            req.params.as === 'caller'
              ? caller
              : await auth.getOwnServiceCredentials();
          try {
            const entity = await catalog.getEntityByRef(
              'component:default/nothing-here',
              { credentials },
            );
            res.json({ found: Boolean(entity) });
          } catch (error) {
            res.status(500).json({ error: String(error) });
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

/** Another plugin with a route any service may call. */
const otherPlugin = createBackendPlugin({
  pluginId: 'notifications',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.get('/ping', async (req, res) => {
          await httpAuth.credentials(req, { allow: ['service'] });
          res.json({ ok: true });
        });
        httpRouter.use(router);
      },
    });
  },
});

describe.each([
  ['app-config.yaml', { catalogRead: true }],
  ['app-config.production.yaml', { catalogRead: false }],
])('the CI token of %s', (file, expected) => {
  let server: Parameters<typeof request>[0];
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            backend: { auth: { externalAccess: externalAccessOf(file) } },
            permission: { enabled: true },
          },
        }),
        authServiceFactory,
        httpAuthServiceFactory,
        catalogBackend,
        lookupPlugin,
        otherPlugin,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  }, 60_000);

  afterAll(() => stop?.());

  const withToken = (req: request.Test) =>
    req.set('Authorization', `Bearer ${TOKEN}`);

  it('reaches conductor', async () => {
    const res = await withToken(
      request(server).get('/api/conductor/lookup/own'),
    );
    expect(res.body).toEqual({ found: false });
    expect(res.status).toBe(200);
  });

  it(`${
    expected.catalogRead ? 'reads' : 'cannot read'
  } the catalog and never writes it`, async () => {
    const read = await withToken(
      request(server).get('/api/catalog/entities/by-query?limit=1'),
    );
    expect(read.status).toBe(expected.catalogRead ? 200 : 403);
    const write = await withToken(
      request(server)
        .post('/api/catalog/locations')
        .send({ type: 'url', target: 'https://example.com/catalog-info.yaml' }),
    );
    expect(write.status).toBe(403);
  });

  it('reaches no other plugin', async () => {
    const res = await withToken(request(server).get('/api/notifications/ping'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /This token's access is restricted to plugin\(s\) 'conductor'/,
    );
  });

  it('cannot be passed on: conductor must call the catalog as itself', async () => {
    const passedOn = await withToken(
      request(server).get('/api/conductor/lookup/caller'),
    );
    expect(passedOn.status).toBe(500);
    expect(passedOn.body.error).toMatch(
      expected.catalogRead
        ? /restricted and cannot be delegated/
        : /not included in token's access restrictions/,
    );
  });
});
