// The compliance capability's HTTP contract, shared by the backend router,
// the portal client and the CLI.
import { ApprovalStatus } from '../approvals';
import { ControlExemption } from './engine';
import { ControlDefinition, ControlResult, ControlStatus } from './types';
import { FactChange } from './diff';

/** A control's result in a run, with its status before and since when it holds. @public */
export interface StoredControlResult extends ControlResult {
  previousStatus: ControlStatus | null;
  since: string;
  /** When the result flipped: the changed facts its control reads. */
  changedFacts?: string[];
}

/** An exemption as stored. @public */
export interface StoredExemption extends ControlExemption {
  id: number;
  /** Requested until someone other than the requester approves it. */
  status: ApprovalStatus;
  createdBy: string;
  createdAt: string;
  approvedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

/** The body of `POST /api/conductor/compliance/exemptions`. @public */
export interface ExemptionRequest {
  entityRef: string;
  controlId: string;
  reason: string;
  expiresAt: string;
}

/** A control as listed by `GET /compliance/controls`. @public */
export type ListedControl = ControlDefinition & { reads: string[] };

/** `GET /compliance/controls`: the loaded controls and the catalog's errors. @public */
export interface ControlsListResponse {
  controls: ListedControl[];
  errors: string[];
}

/** What one compliance run did (`POST /compliance/runs`). @public */
export interface ComplianceRunSummary {
  runId: number;
  score: number | null;
  entities: number;
  controls: number;
  flipped: number;
  factsChanged: number;
  teamsBelowTarget: string[];
}

/** The body of `POST /compliance/evaluate`, the dry run for a pull request. @public */
export interface ComplianceEvaluateRequest {
  entityRef: string;
  proposedFacts?: unknown[];
}

/** What changed in a compliance run against the run before. @public */
export interface ComplianceChangesResponse {
  runId: number | null;
  previousRunId: number | null;
  flips: StoredControlResult[];
  factChanges: FactChange[];
  truncated: boolean;
}

/** A score of one run. @public */
export interface ComplianceScorePoint {
  runId: number;
  at: string;
  score: number;
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
  history: ComplianceScorePoint[];
  exemptions: StoredExemption[];
}

/** Compliance per team in the latest run. @public */
export interface TeamComplianceResponse {
  runId: number | null;
  teams: Array<{
    ref: string;
    score: number;
    previousScore: number | null;
    history: ComplianceScorePoint[];
  }>;
}
