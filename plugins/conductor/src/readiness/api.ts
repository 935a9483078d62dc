import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  EntityReadinessResponse,
  PromotionOverride,
  PromotionOverrideRequest,
  TeamReadinessResponse,
} from '@internal/plugin-conductor-common';

/** What a person sends to ask for a break-glass override; someone else approves it. @public */
export type NewOverride = PromotionOverrideRequest;
import { ConductorHttp, entityPath } from '../shared/http';

/**
 * What the portal asks the conductor backend about production readiness.
 *
 * @public
 */
export interface ReadinessApi {
  getReadiness(entityRef: string): Promise<EntityReadinessResponse>;
  getTeamReadiness(): Promise<TeamReadinessResponse>;
  requestOverride(request: NewOverride): Promise<PromotionOverride>;
  approveOverride(id: number): Promise<PromotionOverride>;
  revokeOverride(id: number): Promise<void>;
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

  requestOverride(request: NewOverride) {
    return this.http.post<PromotionOverride>('/promotions/overrides', request);
  }

  approveOverride(id: number) {
    return this.http.post<PromotionOverride>(
      `/promotions/overrides/${encodeURIComponent(id)}/approve`,
    );
  }

  revokeOverride(id: number) {
    return this.http.delete<void>(
      `/promotions/overrides/${encodeURIComponent(id)}`,
    );
  }
}
