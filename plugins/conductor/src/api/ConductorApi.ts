import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ControlResult,
  FactChange,
  FactHistoryResponse,
  LatestEvidenceResponse,
  PromotionDecision,
  ReadinessScore,
} from '@internal/plugin-conductor-common';

/** An entity's readiness with its history and recent gate decisions. @public */
export interface EntityReadinessResponse extends ReadinessScore {
  thresholds: { production: number };
  history: Array<{ score: number; computedAt: string }>;
  decisions: Array<PromotionDecision & { requestedBy: string }>;
}

/** A control's result in a run, with its status before and, when it flipped, the changed facts it reads. @public */
export type StoredControlResult = ControlResult & {
  previousStatus: string | null;
  since: string;
  changedFacts?: string[];
};

/** What changed in a compliance run against the run before. @public */
export interface ComplianceChangesResponse {
  runId: number | null;
  previousRunId: number | null;
  flips: StoredControlResult[];
  factChanges: FactChange[];
  truncated: boolean;
}

/** An entity's compliance in the latest run. @public */
export interface EntityComplianceResponse {
  entityRef: string;
  runId: number | null;
  score: number | null;
  previousScore: number | null;
  results: StoredControlResult[];
  /** Facts that changed since the previous run (none on the first). */
  factChanges: FactChange[];
  history: Array<{ runId: number; at: string; score: number }>;
  exemptions: Array<{
    id: number;
    controlId: string;
    reason: string;
    approver: string;
    expiresAt: string;
    revokedAt?: string;
  }>;
}

/** Compliance per team in the latest run. @public */
export interface TeamComplianceResponse {
  runId: number | null;
  teams: Array<{
    ref: string;
    score: number;
    previousScore: number | null;
    history: Array<{ runId: number; at: string; score: number }>;
  }>;
}

/** Readiness aggregated per owning team. @public */
export interface TeamReadinessResponse {
  threshold: number;
  teams: Array<{
    owner: string;
    services: number;
    averageScore: number;
    belowThreshold: number;
    entities: Array<{ entityRef: string; score: number }>;
  }>;
  trend: Array<{ day: string; owner: string; averageScore: number }>;
}
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
