import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  conductorComplianceRunPermission,
  conductorEvidenceReadPermission,
  conductorExemptionApprovePermission,
  conductorExemptionRequestPermission,
  conductorOverrideApprovePermission,
  conductorPermissions,
} from '@internal/plugin-conductor-common';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import express from 'express';
import request from 'supertest';
import { permissionModuleConductorPolicy } from './module';

// The whole path a conductor route takes: the plugin asks the permissions
// service, the permission backend runs our policy, and for an ownership
// condition asks the catalog, which checks the entity's owner.

const location = {
  'backstage.io/managed-by-location': 'url:https://example.com/org.yaml',
  'backstage.io/managed-by-origin-location': 'url:https://example.com/org.yaml',
};
const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: location },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, annotations: location },
  spec: { type: 'team', children: [] },
});

/** Catalog content for the test: two teams and one service each. */
const demoCatalog = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'policy-test-entities',
  register(reg) {
    reg.registerInit({
      deps: { processing: catalogProcessingExtensionPoint },
      async init({ processing }) {
        processing.addEntityProvider({
          getProviderName: () => 'policy-test',
          async connect(connection) {
            await connection.applyMutation({
              type: 'full',
              entities: [
                group('payments'),
                group('identity'),
                component('payments-api', 'group:default/payments'),
                component('identity-api', 'group:default/identity'),
              ].map(entity => ({ entity, locationKey: 'policy-test' })),
            });
          },
        });
      },
    });
  },
});

/** What guest or OIDC sign-in resolves from the catalog: the user and their groups. */
const ownership: Record<string, string[]> = {
  'user:default/alice': ['group:default/payments'],
  'user:default/carol': [
    'group:default/identity',
    'group:default/compliance-approvers',
  ],
  'user:default/frank': ['group:default/conductor-admins'],
};
const signInOwnership = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as { userEntityRef: string };
      const ref = principal.userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(ownership[ref] ?? [])],
      };
    },
  }),
});

/**
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

/** A stand-in conductor route answering what the permissions service decides. */
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

describe('the conductor permission policy in a backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            conductor: {
              permissions: {
                adminGroups: ['conductor-admins'],
                approverGroups: ['compliance-approvers'],
                openReads: false,
              },
            },
          },
        }),
        signInOwnership,
        authWithActors,
        httpAuthServiceFactory,
        permissionBackend,
        permissionModuleConductorPolicy,
        catalogBackend,
        demoCatalog,
        decidingPlugin,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();

    // Wait until the catalog has processed the services (owner relations).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/component/default/identity-api')
        .set('Authorization', mockCredentials.service.header());
      if (
        res.status === 200 &&
        res.body.relations?.some((r: any) => r.type === 'ownedBy')
      )
        break;
      if (Date.now() > deadline) throw new Error('catalog never processed');
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }, 60_000);

  afterAll(() => stop?.());

  const decide = async (
    user: string,
    permission: { name: string },
    entityRef?: string,
  ) => {
    const res = await request(server)
      .post('/api/conductor/decide')
      .set('Authorization', mockCredentials.user.header(user))
      .send({ permission: permission.name, entityRef });
    if (res.status !== 200)
      console.log(JSON.stringify(res.body, null, 1).slice(0, 3000));
    expect(res.status).toBe(200);
    return res.body;
  };

  it('lets a team member read and ask for their own entity, and not for another team’s', async () => {
    const alice = 'user:default/alice';
    for (const permission of [
      conductorEvidenceReadPermission,
      conductorExemptionRequestPermission,
    ]) {
      expect(
        await decide(alice, permission, 'component:default/payments-api'),
      ).toEqual({ result: AuthorizeResult.ALLOW });
      expect(
        await decide(alice, permission, 'component:default/identity-api'),
      ).toEqual({ result: AuthorizeResult.DENY });
    }
    // Without an entity the answer is the condition itself, for a plugin to
    // filter a list with.
    expect(
      await decide(alice, conductorExemptionRequestPermission),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: { claims: [alice, 'group:default/payments'] },
      },
    });
  });

  it('denies a team member approving, even for their own entity, and running jobs', async () => {
    const alice = 'user:default/alice';
    expect(
      await decide(
        alice,
        conductorExemptionApprovePermission,
        'component:default/payments-api',
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(await decide(alice, conductorOverrideApprovePermission)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await decide(alice, conductorComplianceRunPermission)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets an approver approve for any entity and an admin run jobs', async () => {
    expect(
      await decide(
        'user:default/carol',
        conductorExemptionApprovePermission,
        'component:default/payments-api',
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await decide('user:default/carol', conductorComplianceRunPermission),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await decide('user:default/frank', conductorComplianceRunPermission),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await decide(
        'user:default/frank',
        conductorEvidenceReadPermission,
        'component:default/identity-api',
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('answers for a service token without the policy, from its access restrictions', async () => {
    // The CI token and other plugins are service principals: the permissions
    // service allows them unless their accessRestrictions name permissions.
    const res = await request(server)
      .post('/api/conductor/decide')
      .set('Authorization', mockCredentials.service.header())
      .send({ permission: conductorComplianceRunPermission.name });
    expect(res.body).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('leaves the catalog readable to a signed-in user, as before', async () => {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/component/default/identity-api')
      .set('Authorization', mockCredentials.user.header('user:default/alice'));
    expect(res.status).toBe(200);
    expect(res.body.metadata.name).toBe('identity-api');
  });
});
