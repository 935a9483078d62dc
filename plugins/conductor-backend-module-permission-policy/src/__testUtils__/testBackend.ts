import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { conductorPermissions } from '@internal/plugin-conductor-common';
import express from 'express';
import request from 'supertest';

// Pieces of a test backend in which a permission check takes the whole path
// a conductor route's check takes: the permissions service, the permission
// backend running the policy, and the catalog for ownership conditions.

export /**
 * The test backend's auth, except that a plugin's token on behalf of a user
 * names that plugin as the actor, as Backstage's real auth service does: the
 * catalog answers the permission backend's ownership question only then.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    const prefix = 'mock-service-token:';
    return {
      async authenticate(token, options) {
        const credentials = await inner.authenticate(token, options);
        if (token.startsWith(prefix)) {
          const { sub, obo } = JSON.parse(token.slice(prefix.length));
          if (obo) {
            return mockCredentials.user(obo, { actor: { subject: sub } });
          }
        }
        return credentials;
      },
      getNoneCredentials: () => inner.getNoneCredentials(),
      getOwnServiceCredentials: () => inner.getOwnServiceCredentials(),
      isPrincipal: inner.isPrincipal.bind(inner),
      getPluginRequestToken: options => inner.getPluginRequestToken(options),
      getLimitedUserToken: credentials =>
        inner.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => inner.listPublicServiceKeys(),
    };
  },
});

/**
 * What sign-in resolves for a user: their ref and the groups the catalog
 * says they are a member of, here looked up with `ownershipOf`.
 */
export function userInfoFrom(ownershipOf: (userEntityRef: string) => string[]) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const principal = credentials.principal as { userEntityRef: string };
        const ref = principal.userEntityRef;
        return { userEntityRef: ref, ownershipEntityRefs: ownershipOf(ref) };
      },
    }),
  });
}

export /** A stand-in conductor route answering what the permissions service decides. */
const decidingPlugin = createBackendPlugin({
  pluginId: 'conductor',
  register(reg) {
    reg.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ httpRouter, httpAuth, permissions, permissionsRegistry }) {
        permissionsRegistry.addPermissions(conductorPermissions);
        const router = express.Router();
        router.use(express.json());
        router.post('/decide', async (req, res, next) => {
          try {
            const credentials = await httpAuth.credentials(req, {
              allow: ['user', 'service'],
            });
            const permission = conductorPermissions.find(
              p => p.name === req.body.permission,
            )!;
            const entityRef: string | undefined = req.body.entityRef;
            const [decision] = entityRef
              ? await permissions.authorize(
                  [{ permission: permission as any, resourceRef: entityRef }],
                  { credentials },
                )
              : await permissions.authorizeConditional(
                  [{ permission: permission as any }],
                  { credentials },
                );
            // The decision without its request id.
            const { id: _id, ...answer } = decision as { id?: string };
            res.json(answer);
          } catch (error) {
            next(error);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

/** Asks the stand-in route what the permissions service decides for a user. */
export async function decide(
  server: Parameters<typeof request>[0],
  userEntityRef: string,
  permission: { name: string },
  entityRef?: string,
) {
  const res = await request(server)
    .post('/api/conductor/decide')
    .set('Authorization', mockCredentials.user.header(userEntityRef))
    .send({ permission: permission.name, entityRef });
  if (res.status !== 200) {
    throw new Error(
      `decide answered ${res.status}: ${JSON.stringify(res.body)}`,
    );
  }
  return res.body;
}

/** Waits until the catalog has processed an entity, relations included. */
export async function waitForEntity(
  server: Parameters<typeof request>[0],
  path: string,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/${path}`)
      .set('Authorization', mockCredentials.service.header());
    if (res.status === 200 && res.body.relations?.length) return res.body;
    if (Date.now() > deadline) {
      throw new Error(`the catalog never processed ${path}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}
