import { createApiRef } from '@backstage/frontend-plugin-api';
import { AlertSettingsResponse } from '@internal/plugin-conductor-common';
import { ConductorHttp } from '../shared/http';

/** What the portal asks about alerts: their settings. @public */
export interface AlertsApi {
  getSettings(): Promise<AlertSettingsResponse>;
}

/** @public */
export const alertsApiRef = createApiRef<AlertsApi>({
  id: 'plugin.conductor.alerts',
});

/** @public */
export class AlertsClient implements AlertsApi {
  constructor(private readonly http: ConductorHttp) {}

  getSettings() {
    return this.http.get<AlertSettingsResponse>('/alerts/settings');
  }
}
