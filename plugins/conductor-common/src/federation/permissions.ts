import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See which CI library version a repository pins, its drift and last gate
 * results on the federation board.
 *
 * @public
 */
export const conductorFederationReadPermission = createPermission({
  name: 'conductor.federation.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Open a pull request that pins a repository to another CI library version
 * (upgrade, or rollback to the previous one).
 *
 * @public
 */
export const conductorFederationPinPermission = createPermission({
  name: 'conductor.federation.pin',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** The federation capability's permissions. @public */
export const conductorFederationPermissions = [
  conductorFederationReadPermission,
  conductorFederationPinPermission,
];
