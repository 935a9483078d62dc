import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the evidence, scores and decisions about a catalog entity.
 *
 * @public
 */
export const conductorEvidenceReadPermission = createPermission({
  name: 'conductor.evidence.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Record evidence about an entity. Granted to CI service tokens; people go
 * through CI so that what they report is reviewed.
 *
 * @public
 */
export const conductorEvidenceCreatePermission = createPermission({
  name: 'conductor.evidence.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Create a break-glass override of the promotion gate. A person's action,
 * always with a reason and a named approver, and always expiring.
 *
 * @public
 */
export const conductorPromotionOverridePermission = createPermission({
  name: 'conductor.promotion.override',
  attributes: { action: 'create' },
});

/** @public */
export const conductorPermissions = [
  conductorEvidenceReadPermission,
  conductorEvidenceCreatePermission,
  conductorPromotionOverridePermission,
];
