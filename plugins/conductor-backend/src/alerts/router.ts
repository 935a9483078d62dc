import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AlertSetting,
  AlertSettingsResponse,
  conductorAlertSettingsReadPermission,
} from '@internal/plugin-conductor-common';
import express from 'express';
import Router from 'express-promise-router';
import { requirePermission } from '../shared/permissions';

/** `/alerts`: the alert settings, for anyone allowed to read them. */
export function createAlertsRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** Read once at start-up, as the senders read them. */
  settings: AlertSetting[];
}): express.Router {
  const router = Router();
  router.get('/settings', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission(
      deps.permissions,
      credentials,
      conductorAlertSettingsReadPermission,
      'You may not see the alert settings',
    );
    const body: AlertSettingsResponse = { alerts: deps.settings };
    res.json(body);
  });
  return router;
}
