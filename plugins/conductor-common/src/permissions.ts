import {
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';
import { conductorRemediationPermissions } from './remediation/permissions';
import { conductorBackfillPermissions } from './backfill/permissions';
import { conductorFederationPermissions } from './federation/permissions';
import { conductorSloPermissions } from './slo/permissions';
import { conductorLineagePermissions } from './lineage/permissions';
import { conductorBundlePermissions } from './bundle/permissions';
import { conductorAlertsPermissions } from './alerts/permissions';

// Who holds which permission is decided by the portal's permission policy
// (plugins/conductor-backend-module-permission-policy, docs/security.md).
// Names ending in `.request` are for the owning team, `.approve` for the
// approver groups, `read` for the team and (by config) everyone; anything
// else under `conductor.` is for admins only.

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
 * Start an evidence collection (the collectors that read the catalog and the
 * repositories) now instead of waiting for its schedule.
 *
 * @public
 */
export const conductorEvidenceCollectPermission = createPermission({
  name: 'conductor.evidence.collect',
  attributes: { action: 'create' },
});

/**
 * Start a compliance run (evaluate every control against every entity) now.
 *
 * @public
 */
export const conductorComplianceRunPermission = createPermission({
  name: 'conductor.compliance.run',
  attributes: { action: 'create' },
});

/**
 * Reload the compliance controls from their files.
 *
 * @public
 */
export const conductorControlsReloadPermission = createPermission({
  name: 'conductor.compliance.controls.reload',
  attributes: { action: 'update' },
});

/**
 * Ask for an exemption of an entity from a control. The exemption is inert
 * until someone else approves it.
 *
 * @public
 */
export const conductorExemptionRequestPermission = createPermission({
  name: 'conductor.exemption.request',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Approve an exemption someone else asked for, which makes it active.
 *
 * @public
 */
export const conductorExemptionApprovePermission = createPermission({
  name: 'conductor.exemption.approve',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Revoke an exemption of an entity, requested or active.
 *
 * @public
 */
export const conductorExemptionRevokePermission = createPermission({
  name: 'conductor.exemption.revoke',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Ask for a break-glass override of the promotion gate. The override is
 * inert until someone else approves it, and always expires.
 *
 * @public
 */
export const conductorOverrideRequestPermission = createPermission({
  name: 'conductor.promotion.override.request',
  attributes: { action: 'create' },
});

/**
 * Approve an override someone else asked for, which makes it active.
 *
 * @public
 */
export const conductorOverrideApprovePermission = createPermission({
  name: 'conductor.promotion.override.approve',
  attributes: { action: 'update' },
});

/**
 * Revoke an override of the promotion gate for an entity.
 *
 * @public
 */
export const conductorOverrideRevokePermission = createPermission({
  name: 'conductor.promotion.override.revoke',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * The permission to ask for an override, under its former name.
 *
 * @public
 * @deprecated Use {@link conductorOverrideRequestPermission}.
 */
export const conductorPromotionOverridePermission =
  conductorOverrideRequestPermission;

/**
 * Every permission of Maestro Conductor; the backend registers them all.
 * A capability adds its own permissions to this list.
 *
 * @public
 */
export const conductorPermissions: Permission[] = [
  conductorEvidenceReadPermission,
  conductorEvidenceCreatePermission,
  conductorEvidenceCollectPermission,
  conductorComplianceRunPermission,
  conductorControlsReloadPermission,
  conductorExemptionRequestPermission,
  conductorExemptionApprovePermission,
  conductorExemptionRevokePermission,
  conductorOverrideRequestPermission,
  conductorOverrideApprovePermission,
  conductorOverrideRevokePermission,
  ...conductorBackfillPermissions,
  ...conductorFederationPermissions,
  ...conductorRemediationPermissions,
  ...conductorSloPermissions,
  ...conductorLineagePermissions,
  ...conductorBundlePermissions,
  ...conductorAlertsPermissions,
];
