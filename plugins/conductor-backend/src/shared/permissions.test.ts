import { mockCredentials } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { conductorEvidenceReadPermission } from '@internal/plugin-conductor-common';
import { AUTHORIZE_CHUNK, allowedEntities } from './permissions';

const refs = Array.from(
  { length: 1_000 },
  (_, i) => `component:default/service-${i}`,
);

/** A permissions service that answers with `overall`, then per entity by `allow`. */
function permissionsThat(
  overall: PolicyDecision,
  allow: (ref: string) => boolean,
) {
  const sizes: number[] = [];
  const service = {
    authorizeConditional: jest.fn(async () => [overall]),
    authorize: jest.fn(async (requests: Array<{ resourceRef?: string }>) => {
      sizes.push(requests.length);
      return requests.map(r => ({
        result: allow(r.resourceRef!)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    }),
  };
  return { service: service as unknown as PermissionsService, sizes };
}

const credentials = mockCredentials.user('user:default/alice');

describe('allowedEntities', () => {
  it('answers an allow-all or deny-all policy with one small request', async () => {
    const all = permissionsThat({ result: AuthorizeResult.ALLOW }, () => false);
    expect(
      await allowedEntities(
        all.service,
        credentials,
        conductorEvidenceReadPermission,
        refs,
      ),
    ).toEqual(new Set(refs));
    expect(all.sizes).toEqual([]);

    const none = permissionsThat({ result: AuthorizeResult.DENY }, () => true);
    expect(
      await allowedEntities(
        none.service,
        credentials,
        conductorEvidenceReadPermission,
        refs,
      ),
    ).toEqual(new Set());
    expect(none.sizes).toEqual([]);
  });

  it('checks a conditional decision per entity in chunks the permission backend accepts', async () => {
    const owned = (ref: string) => /-(\d*[05])$/.test(ref); // every fifth
    const { service, sizes } = permissionsThat(
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['group:default/payments'] },
        },
      },
      owned,
    );
    const allowed = await allowedEntities(
      service,
      credentials,
      conductorEvidenceReadPermission,
      refs,
    );
    expect(allowed).toEqual(new Set(refs.filter(owned)));
    expect(allowed.size).toBe(200);
    expect(sizes).toEqual([250, 250, 250, 250]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(AUTHORIZE_CHUNK);
  });
});
