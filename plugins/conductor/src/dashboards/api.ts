import { createApiRef } from '@backstage/frontend-plugin-api';
import { DashboardsResponse } from '@internal/plugin-conductor-common';
import { ConductorHttp } from '../shared/http';

/**
 * The seed's dashboards for every team, or one team with its group ref.
 *
 * @public
 */
export interface DashboardsApi {
  getDashboards(team?: string | null): Promise<DashboardsResponse>;
}

/** @public */
export const dashboardsApiRef = createApiRef<DashboardsApi>({
  id: 'plugin.conductor.dashboards',
});

/** @public */
export class DashboardsClient implements DashboardsApi {
  constructor(private readonly http: ConductorHttp) {}

  getDashboards(team?: string | null) {
    return this.http.get<DashboardsResponse>(
      team ? `/dashboards?team=${encodeURIComponent(team)}` : '/dashboards',
    );
  }
}
