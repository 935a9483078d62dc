import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See which alerts are on, their thresholds and who receives them. Any
 * signed-in user while `conductor.permissions.openReads` is true (the
 * default); admins otherwise.
 *
 * @public
 */
export const conductorAlertSettingsReadPermission = createPermission({
  name: 'conductor.alerts.settings.read',
  attributes: { action: 'read' },
});

/** @public */
export const conductorAlertsPermissions = [
  conductorAlertSettingsReadPermission,
];
