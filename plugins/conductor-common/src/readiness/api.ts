// The readiness capability's HTTP contract (scores, the promotion gate and
// break-glass overrides), shared by the backend router, the portal client and
// the CLI.
import { ApprovalStatus } from '../approvals';
import { ReadinessComponentScore, ReadinessScore } from './types';

/** The body of `POST /api/conductor/promotions/check`. @public */
export interface PromotionCheckRequest {
  entityRef: string;
  environment: string;
  version?: string;
}

/** @public */
export interface PromotionDecision {
  allowed: boolean;
  /**
   * False when the gate could not judge the release (unknown entity or
   * environment, internal error): `allowed` is then false and the CLI exits 2,
   * so a typo never reads as a real block.
   */
  judged?: boolean;
  entityRef: string;
  environment: string;
  version?: string;
  /** Null when no score could be computed (unknown entity, internal error). */
  score: number | null;
  threshold: number;
  components: ReadinessComponentScore[];
  reasons: string[];
  override?: PromotionOverride;
  decisionId?: number;
  decidedAt: string;
}

/** A break-glass override of the gate. @public */
export interface PromotionOverride {
  id: number;
  entityRef: string;
  environment: string;
  reason: string;
  /** Requested until someone other than the requester approves it. */
  status: ApprovalStatus;
  /** Who approved it; empty while requested. */
  approver: string;
  createdBy: string;
  createdAt: string;
  approvedAt?: string;
  /** Counted from the approval. */
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** The body of `POST /api/conductor/promotions/overrides`. @public */
export interface PromotionOverrideRequest {
  entityRef: string;
  environment: string;
  reason: string;
  expiresInHours: number;
}

/** A gate decision as stored, with who asked. @public */
export interface StoredPromotionDecision extends PromotionDecision {
  requestedBy: string;
}

/** An entity's readiness with its history and recent gate decisions (`GET /readiness/:kind/:ns/:name`). @public */
export interface EntityReadinessResponse extends ReadinessScore {
  thresholds: { production: number };
  history: Array<{ score: number; computedAt: string }>;
  decisions: StoredPromotionDecision[];
  /** Break-glass overrides of the entity, newest first (requested ones too). */
  overrides: PromotionOverride[];
}

/** Readiness aggregated per owning team (`GET /readiness/teams`). @public */
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
