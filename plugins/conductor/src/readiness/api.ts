import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EntityReadinessResponse,
  TeamReadinessResponse,
} from '@internal/plugin-conductor-common';
import { ConductorHttp, entityPath } from '../shared/http';

/**
 * What the portal asks the conductor backend about production readiness.
 *
 * @public
 */
export interface ReadinessApi {
  getReadiness(entityRef: string): Promise<EntityReadinessResponse>;
  getTeamReadiness(): Promise<TeamReadinessResponse>;
}

/** @public */
export const readinessApiRef = createApiRef<ReadinessApi>({
  id: 'plugin.conductor.readiness',
});

/** @public */
export class ReadinessClient implements ReadinessApi {
  constructor(private readonly http: ConductorHttp) {}

  getReadiness(entityRef: string) {
    return this.http.get<EntityReadinessResponse>(
      `/readiness/${entityPath(entityRef)}`,
    );
  }

  getTeamReadiness() {
    return this.http.get<TeamReadinessResponse>('/readiness/teams');
  }
}
