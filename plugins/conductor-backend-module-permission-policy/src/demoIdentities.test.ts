import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authBackend from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import catalogBackend from '@backstage/plugin-catalog-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  conductorExemptionApprovePermission,
  conductorExemptionRequestPermission,
  conductorOverrideApprovePermission,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { permissionModuleConductorPolicy } from './module';
import {
  authWithActors,
  decide,
  decidingPlugin,
  userInfoFrom,
  waitForEntity,
} from './__testUtils__/testBackend';

// The demo as shipped: app-config.yaml's guest sign-in and roles, the
// catalog loading examples/org.yaml and examples/entities.yaml. Guest
// sign-in must land on a catalog user of a team, and the roles' groups must
// hold the people the demo says they do.

const repo = path.resolve(__dirname, '../../..');
const demoConfig = parse(
  fs.readFileSync(path.join(repo, 'app-config.yaml'), 'utf8'),
);

describe('the demo identities', () => {
  let server: Parameters<typeof request>[0];
  let stop: (() => Promise<void>) | undefined;
  // Who each user is after sign-in, as the guest provider answered.
  const signedIn = new Map<string, string[]>();
  let guestSignIn: request.Response;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            permission: { enabled: true },
            auth: { providers: { guest: demoConfig.auth.providers.guest } },
            conductor: { permissions: demoConfig.conductor.permissions },
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Group',
                    'User',
                    'Location',
                  ],
                },
              ],
              locations: ['examples/org.yaml', 'examples/entities.yaml'].map(
                file => ({ type: 'file', target: path.join(repo, file) }),
              ),
            },
          },
        }),
        userInfoFrom(ref => signedIn.get(ref) ?? [ref]),
        authWithActors,
        httpAuthServiceFactory,
        authBackend,
        guestProvider,
        permissionBackend,
        permissionModuleConductorPolicy,
        catalogBackend,
        decidingPlugin,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await waitForEntity(server, 'user/default/guest');
    await waitForEntity(server, 'group/default/compliance-approvers');
    await waitForEntity(server, 'component/default/orders-api');
    await waitForEntity(server, 'component/default/accounts-api');

    guestSignIn = await request(server).get('/api/auth/guest/refresh');
    const identity = guestSignIn.body.backstageIdentity?.identity;
    if (identity) {
      signedIn.set(identity.userEntityRef, identity.ownershipEntityRefs);
    }
  }, 90_000);

  afterAll(() => stop?.());

  it('signs the guest in as the catalog user of the payments team', async () => {
    expect(guestSignIn.status).toBe(200);
    const { identity } = guestSignIn.body.backstageIdentity;
    expect(identity.userEntityRef).toBe('user:default/guest');
    expect([...identity.ownershipEntityRefs].sort()).toEqual([
      'group:default/payments',
      'user:default/guest',
    ]);
  });

  it('lets the guest ask for an exemption for a payments service only, and not approve', async () => {
    const guest = 'user:default/guest';
    expect(signedIn.has(guest)).toBe(true);
    expect(
      await decide(
        server,
        guest,
        conductorExemptionRequestPermission,
        'component:default/orders-api',
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await decide(
        server,
        guest,
        conductorExemptionRequestPermission,
        'component:default/accounts-api',
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await decide(
        server,
        guest,
        conductorExemptionApprovePermission,
        'component:default/orders-api',
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await decide(server, guest, conductorOverrideApprovePermission),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('has two approvers and an admin, in the groups the config names', async () => {
    const membersOf = async (group: string) => {
      const entity = await waitForEntity(server, `group/default/${group}`);
      return entity.relations
        .filter((r: { type: string }) => r.type === 'hasMember')
        .map((r: { targetRef: string }) => r.targetRef)
        .sort();
    };
    expect(demoConfig.conductor.permissions.approverGroups).toEqual([
      'group:default/compliance-approvers',
    ]);
    expect(demoConfig.conductor.permissions.adminGroups).toEqual([
      'group:default/conductor-admins',
    ]);
    expect(await membersOf('compliance-approvers')).toEqual([
      'user:default/carol',
      'user:default/erin',
    ]);
    expect(await membersOf('conductor-admins')).toEqual(['user:default/frank']);
  });
});
