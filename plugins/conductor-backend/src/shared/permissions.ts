import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { conductorControlsReloadPermission } from '@internal/plugin-conductor-common';

/**
 * Throws NotAllowedError unless the permission policy allows the caller the
 * permission (on the entity, for a resource permission).
 */
export async function requirePermission(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission | ResourcePermission<'catalog-entity'>,
  message: string,
  entityRef?: string,
): Promise<void> {
  const [decision] =
    permission.type === 'resource'
      ? await permissions.authorize([{ permission, resourceRef: entityRef! }], {
          credentials,
        })
      : await permissions.authorize([{ permission }], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(message);
  }
}

/**
 * Refs per authorize request. The permission backend takes JSON bodies up to
 * 100 kB (express's default), about 400 resource checks: a page over a whole
 * catalog must not send 10,000 in one request.
 */
export const AUTHORIZE_CHUNK = 250;

/**
 * The refs among `entityRefs` the caller holds the resource permission on.
 * Asks once whether the policy decides for every entity alike (allow or
 * deny: one small request, whatever the catalog's size); a conditional
 * decision (e.g. "entities your team owns") is then checked per entity, in
 * chunks the permission backend accepts.
 */
export async function allowedEntities(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
  entityRefs: string[],
): Promise<Set<string>> {
  if (entityRefs.length === 0) return new Set();
  if (entityRefs.length > 1) {
    const [overall] = await permissions.authorizeConditional([{ permission }], {
      credentials,
    });
    if (overall.result === AuthorizeResult.ALLOW) return new Set(entityRefs);
    if (overall.result === AuthorizeResult.DENY) return new Set();
  }
  const allowed = new Set<string>();
  for (let at = 0; at < entityRefs.length; at += AUTHORIZE_CHUNK) {
    const chunk = entityRefs.slice(at, at + AUTHORIZE_CHUNK);
    const decisions = await permissions.authorize(
      chunk.map(resourceRef => ({ permission, resourceRef })),
      { credentials },
    );
    chunk.forEach((ref, i) => {
      if (decisions[i].result === AuthorizeResult.ALLOW) allowed.add(ref);
    });
  }
  return allowed;
}

/**
 * Whether the caller is an admin: the policy grants the controls reload,
 * an admin-only permission, to admins (and Backstage to service tokens).
 */
export async function isAdmin(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
): Promise<boolean> {
  const [decision] = await permissions.authorize(
    [{ permission: conductorControlsReloadPermission }],
    { credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}
