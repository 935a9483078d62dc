import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See the backfills of an entity and their progress.
 *
 * @public
 */
export const conductorBackfillReadPermission = createPermission({
  name: 'conductor.backfill.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Start, pause, resume, cancel and retune a backfill of an entity: its
 * owning team and admins (resource: the owning entity).
 *
 * @public
 */
export const conductorBackfillControlPermission = createPermission({
  name: 'conductor.backfill.control',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Register (or replace) a backfill definition through the API, as CI does
 * (resource: the owning entity).
 *
 * @public
 */
export const conductorBackfillRegisterPermission = createPermission({
  name: 'conductor.backfill.register',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** @public */
export const conductorBackfillPermissions = [
  conductorBackfillReadPermission,
  conductorBackfillControlPermission,
  conductorBackfillRegisterPermission,
];
