// The backfill capability's HTTP contract, shared by the backend router, the
// portal client and the CLI.
import {
  BackfillBatchSample,
  BackfillCheckpointResult,
  BackfillDefinition,
  BackfillPause,
  BackfillState,
} from './types';

/**
 * The body of `POST /api/conductor/backfills`: start a run of a loaded
 * definition, or (CI) register a definition from its YAML and optionally
 * start it.
 *
 * @public
 */
export type StartBackfillRequest =
  | { definitionId: string }
  | { definition: string; start?: boolean };

/** The body of `POST /api/conductor/backfills/:id/retune`. @public */
export interface RetuneBackfillRequest {
  rps?: number;
  batchSize?: number;
  minBatchSize?: number;
  maxBatchSize?: number;
  /** The version the caller saw; a stale one is refused (409). */
  version?: number;
}

/** The body of pause, resume and cancel. @public */
export interface ControlBackfillRequest {
  reason?: string;
  /** The version the caller saw; a stale one is refused (409). */
  version?: number;
}

/** @public */
export interface BackfillCost {
  soFar: number;
  projected: number | null;
  budget: number | null;
}

/** One run of a backfill as listed. @public */
export interface BackfillRunSummary {
  id: number;
  definitionId: string;
  owner: string;
  state: BackfillState;
  /** Why it is paused, throttled, failed or cancelled. */
  reason: string | null;
  version: number;
  rowsDone: number;
  rowsChanged: number;
  totalRows: number | null;
  /** rowsDone / totalRows, 0..1. */
  progress: number;
  batchSize: number;
  rps: number;
  minBatchSize: number;
  maxBatchSize: number;
  /** The key of the last committed batch (JSON array), null before the first. */
  cursor: unknown[] | null;
  rowsPerSecond: number;
  etaSeconds: number | null;
  cost: BackfillCost;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

/** `GET /api/conductor/backfills/:id`. @public */
export interface BackfillRunDetail extends BackfillRunSummary {
  definition: BackfillDefinition;
  definitionHash: string;
  checkpoints: BackfillCheckpointResult[];
  pauses: BackfillPause[];
  /** The latest committed batches, oldest first (at most 500). */
  batches: BackfillBatchSample[];
}

/** `GET /api/conductor/backfills`. @public */
export interface BackfillListResponse {
  definitions: Array<{
    id: string;
    owner: string;
    description?: string;
    table: string;
    connection: string;
    source: string;
  }>;
  runs: BackfillRunSummary[];
}
