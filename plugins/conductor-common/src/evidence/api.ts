// The evidence capability's HTTP contract, shared by the backend router, the
// portal client and the CLI.
import { EvidenceFact, EvidenceFactInput } from './types';

/**
 * The body of `POST /api/conductor/evidence`.
 *
 * @public
 */
export interface EvidencePushRequest {
  entityRef: string;
  facts: EvidenceFactInput[];
}

/** @public */
export interface EvidencePushResponse {
  entityRef: string;
  /**
   * Each fact as stored; `latest` is false for an observation older than the
   * latest value (it only added history: a backfill).
   */
  stored: Array<EvidenceFact & { latest: boolean }>;
}

/** @public */
export interface LatestEvidenceResponse {
  entityRef: string;
  facts: EvidenceFact[];
}

/** @public */
export interface FactHistoryResponse {
  entityRef: string;
  name: string;
  history: EvidenceFact[];
}

/** What one evidence collection run did (`POST /evidence/collect`). @public */
export interface CollectionSummary {
  entities: number;
  facts: number;
  rejected: number;
  failedCollectors: string[];
}
