import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ComplianceChangesResponse,
  ComplianceRunSummary,
  ControlsListResponse,
  EntityComplianceResponse,
  ExemptionRequest,
  StoredExemption,
  TeamComplianceResponse,
} from '@internal/plugin-conductor-common';

/** What a person sends to ask for an exemption; someone else approves it. @public */
export type NewExemption = ExemptionRequest;
import { ConductorHttp, entityPath } from '../shared/http';

/**
 * What the portal asks the conductor backend about compliance.
 *
 * @public
 */
export interface ComplianceApi {
  getCompliance(entityRef: string): Promise<EntityComplianceResponse>;
  getTeamCompliance(): Promise<TeamComplianceResponse>;
  getComplianceChanges(runId?: number): Promise<ComplianceChangesResponse>;
  /** The loaded controls, with title and description. */
  listControls(): Promise<ControlsListResponse>;
  /** Runs every control against every entity now. */
  runCompliance(): Promise<ComplianceRunSummary>;
  requestExemption(request: NewExemption): Promise<StoredExemption>;
  approveExemption(id: number): Promise<StoredExemption>;
  revokeExemption(id: number): Promise<void>;
}

/** @public */
export const complianceApiRef = createApiRef<ComplianceApi>({
  id: 'plugin.conductor.compliance',
});

/** @public */
export class ComplianceClient implements ComplianceApi {
  constructor(private readonly http: ConductorHttp) {}

  getCompliance(entityRef: string) {
    return this.http.get<EntityComplianceResponse>(
      `/compliance/${entityPath(entityRef)}`,
    );
  }

  getTeamCompliance() {
    return this.http.get<TeamComplianceResponse>('/compliance/teams');
  }

  getComplianceChanges(runId?: number) {
    return this.http.get<ComplianceChangesResponse>(
      `/compliance/changes${runId ? `?runId=${runId}` : ''}`,
    );
  }

  listControls() {
    return this.http.get<ControlsListResponse>('/compliance/controls');
  }

  runCompliance() {
    return this.http.post<ComplianceRunSummary>('/compliance/runs');
  }

  requestExemption(request: NewExemption) {
    return this.http.post<StoredExemption>('/compliance/exemptions', request);
  }

  approveExemption(id: number) {
    return this.http.post<StoredExemption>(
      `/compliance/exemptions/${encodeURIComponent(id)}/approve`,
    );
  }

  revokeExemption(id: number) {
    return this.http.delete<void>(
      `/compliance/exemptions/${encodeURIComponent(id)}`,
    );
  }
}
