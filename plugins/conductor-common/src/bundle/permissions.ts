import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Create a signed evidence bundle. Admin-only (the policy gives anything
 * under `conductor.` that is not read/request/approve to admins). Listing and
 * downloading bundles follows `conductor.evidence.read`.
 *
 * @public
 */
export const conductorBundleCreatePermission = createPermission({
  name: 'conductor.bundle.create',
  attributes: { action: 'create' },
});

/** @public */
export const conductorBundlePermissions = [conductorBundleCreatePermission];
