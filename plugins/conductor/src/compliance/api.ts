import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ComplianceChangesResponse,
  EntityComplianceResponse,
  TeamComplianceResponse,
} from '@internal/plugin-conductor-common';
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
}
