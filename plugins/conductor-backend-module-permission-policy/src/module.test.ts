import { createBackendModule } from '@backstage/backend-plugin-api';
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
} from '@internal/plugin-conductor-common';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import request from 'supertest';
import { permissionModuleConductorPolicy } from './module';
import {
  authWithActors,
  decide as decideFor,
  decidingPlugin,
  userInfoFrom,
  waitForEntity,
} from './__testUtils__/testBackend';

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

/** What sign-in resolves from the catalog: the user and their groups. */
const ownership: Record<string, string[]> = {
  'user:default/alice': ['group:default/payments'],
  'user:default/carol': [
    'group:default/identity',
    'group:default/compliance-approvers',
  ],
  'user:default/frank': ['group:default/conductor-admins'],
};

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
        userInfoFrom(ref => [ref, ...(ownership[ref] ?? [])]),
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

    await waitForEntity(server, 'component/default/identity-api');
  }, 60_000);

  afterAll(() => stop?.());

  const decide = (...args: [string, { name: string }, string?]) =>
    decideFor(server, ...args);

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
