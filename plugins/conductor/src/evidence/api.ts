import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  CollectionSummary,
  FactHistoryResponse,
  LatestEvidenceResponse,
} from '@internal/plugin-conductor-common';
import { ConductorHttp, entityPath } from '../shared/http';

/**
 * What the portal asks the conductor backend about evidence.
 *
 * @public
 */
export interface EvidenceApi {
  getLatestEvidence(entityRef: string): Promise<LatestEvidenceResponse>;
  getFactHistory(
    entityRef: string,
    fact: string,
    options?: { limit?: number },
  ): Promise<FactHistoryResponse>;
  /** Runs the evidence collectors now. */
  collectEvidence(): Promise<CollectionSummary>;
}

/** @public */
export const evidenceApiRef = createApiRef<EvidenceApi>({
  id: 'plugin.conductor.evidence',
});

/** @public */
export class EvidenceClient implements EvidenceApi {
  constructor(private readonly http: ConductorHttp) {}

  getLatestEvidence(entityRef: string) {
    return this.http.get<LatestEvidenceResponse>(
      `/evidence/${entityPath(entityRef)}`,
    );
  }

  getFactHistory(
    entityRef: string,
    fact: string,
    options: { limit?: number } = {},
  ) {
    const query = options.limit ? `?limit=${options.limit}` : '';
    return this.http.get<FactHistoryResponse>(
      `/evidence/${entityPath(entityRef)}/history/${encodeURIComponent(
        fact,
      )}${query}`,
    );
  }

  collectEvidence() {
    return this.http.post<CollectionSummary>('/evidence/collect');
  }
}
