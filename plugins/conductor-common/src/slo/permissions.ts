import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the SLO board of a component: its SLOs, error budget, burn rates,
 * alert state and unit cost, and the rules generated from its SLO file.
 *
 * @public
 */
export const conductorSloReadPermission = createPermission({
  name: 'conductor.slo.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** @public */
export const conductorSloPermissions = [conductorSloReadPermission];
