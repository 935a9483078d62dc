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

/** The refs among `entityRefs` the caller holds the resource permission on. */
export async function allowedEntities(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission<'catalog-entity'>,
  entityRefs: string[],
): Promise<Set<string>> {
  if (entityRefs.length === 0) return new Set();
  const decisions = await permissions.authorize(
    entityRefs.map(resourceRef => ({ permission, resourceRef })),
    { credentials },
  );
  return new Set(
    entityRefs.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
  );
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
