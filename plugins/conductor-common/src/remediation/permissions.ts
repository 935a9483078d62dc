import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Run the remediation bot on an entity's repository (open or update its
 * pull request), from the portal's "Fix with a PR", the CLI or the API.
 *
 * @public
 */
export const conductorRemediationRunPermission = createPermission({
  name: 'conductor.remediation.run',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Merge or close the bot's change request of an entity from the portal.
 *
 * @public
 */
export const conductorRemediationMergePermission = createPermission({
  name: 'conductor.remediation.merge',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Read the auto-PR log and its figures.
 *
 * @public
 */
export const conductorRemediationReadPermission = createPermission({
  name: 'conductor.remediation.read',
  attributes: { action: 'read' },
});

/** The remediation capability's permissions. @public */
export const conductorRemediationPermissions = [
  conductorRemediationRunPermission,
  conductorRemediationMergePermission,
  conductorRemediationReadPermission,
];
