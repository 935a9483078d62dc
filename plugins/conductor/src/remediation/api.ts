import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ChangeRequest,
  RemediationLogResponse,
  RemediationRunRequest,
  RemediationRunResponse,
  RemediationStatsResponse,
} from '@internal/plugin-conductor-common';
import { ConductorHttp } from '../shared/http';

/**
 * What the portal asks the remediation bot: its log and figures, a run for
 * one entity ("Fix with a PR"), and merging or closing a change request.
 *
 * @public
 */
export interface RemediationApi {
  getLog(): Promise<RemediationLogResponse>;
  getStats(): Promise<RemediationStatsResponse>;
  run(request: RemediationRunRequest): Promise<RemediationRunResponse>;
  merge(id: number): Promise<ChangeRequest>;
  close(id: number): Promise<ChangeRequest>;
}

/** @public */
export const remediationApiRef = createApiRef<RemediationApi>({
  id: 'plugin.conductor.remediation',
});

/** @public */
export class RemediationClient implements RemediationApi {
  constructor(private readonly http: ConductorHttp) {}

  getLog() {
    return this.http.get<RemediationLogResponse>('/remediation/log');
  }

  getStats() {
    return this.http.get<RemediationStatsResponse>('/remediation/stats');
  }

  run(request: RemediationRunRequest) {
    return this.http.post<RemediationRunResponse>('/remediation/runs', request);
  }

  merge(id: number) {
    return this.http.post<ChangeRequest>(
      `/remediation/change-requests/${encodeURIComponent(id)}/merge`,
    );
  }

  close(id: number) {
    return this.http.post<ChangeRequest>(
      `/remediation/change-requests/${encodeURIComponent(id)}/close`,
    );
  }
}
