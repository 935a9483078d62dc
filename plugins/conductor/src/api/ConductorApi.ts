import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ComplianceChangesResponse,
  EntityComplianceResponse,
  EntityReadinessResponse,
  FactHistoryResponse,
  LatestEvidenceResponse,
  TeamComplianceResponse,
  TeamReadinessResponse,
} from '@internal/plugin-conductor-common';

import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';

/**
 * What the portal asks the conductor backend.
 *
 * @public
 */
export interface ConductorApi {
  getLatestEvidence(entityRef: string): Promise<LatestEvidenceResponse>;
  getFactHistory(
    entityRef: string,
    fact: string,
    options?: { limit?: number },
  ): Promise<FactHistoryResponse>;
  getReadiness(entityRef: string): Promise<EntityReadinessResponse>;
  getTeamReadiness(): Promise<TeamReadinessResponse>;
  getCompliance(entityRef: string): Promise<EntityComplianceResponse>;
  getTeamCompliance(): Promise<TeamComplianceResponse>;
  getComplianceChanges(runId?: number): Promise<ComplianceChangesResponse>;
}

/** @public */
export const conductorApiRef = createApiRef<ConductorApi>({
  id: 'plugin.conductor.api',
});

function entityPath(ref: string | CompoundEntityRef): string {
  const { kind, namespace, name } =
    typeof ref === 'string' ? parseEntityRef(ref) : ref;
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/**
 * The conductor backend over HTTP, with the signed-in user's identity.
 *
 * @public
 */
export class ConductorClient implements ConductorApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('conductor');
    const response = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  getLatestEvidence(entityRef: string) {
    return this.get<LatestEvidenceResponse>(
      `/evidence/${entityPath(entityRef)}`,
    );
  }

  getReadiness(entityRef: string) {
    return this.get<EntityReadinessResponse>(
      `/readiness/${entityPath(entityRef)}`,
    );
  }

  getCompliance(entityRef: string) {
    return this.get<EntityComplianceResponse>(
      `/compliance/${entityPath(entityRef)}`,
    );
  }

  getTeamCompliance() {
    return this.get<TeamComplianceResponse>('/compliance/teams');
  }

  getComplianceChanges(runId?: number) {
    return this.get<ComplianceChangesResponse>(
      `/compliance/changes${runId ? `?runId=${runId}` : ''}`,
    );
  }

  getTeamReadiness() {
    return this.get<TeamReadinessResponse>('/readiness/teams');
  }

  getFactHistory(
    entityRef: string,
    fact: string,
    options: { limit?: number } = {},
  ) {
    const query = options.limit ? `?limit=${options.limit}` : '';
    return this.get<FactHistoryResponse>(
      `/evidence/${entityPath(entityRef)}/history/${encodeURIComponent(
        fact,
      )}${query}`,
    );
  }
}
