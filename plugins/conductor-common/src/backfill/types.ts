/**
 * The state of a backfill run, like Shopify's maintenance_tasks:
 * `enqueued` (waiting for a runner), `running`, `pausing` (a pause was asked;
 * the batch in flight finishes first), `paused`, `throttled` (paused by the
 * runner itself while a health signal is red; resumes on green),
 * `succeeded`, `failed` (resumable after a fix), `cancelled`.
 *
 * @public
 */
export type BackfillState =
  | 'enqueued'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'throttled'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** Health signals that pause a run while red. @public */
export interface BackfillHealthSignals {
  /**
   * Components whose SLO burn rate is read (from the SLO boards when
   * installed); above `maxBurnRate` is red.
   */
  services?: string[];
  /** Burn rate above which a service counts as red. Default 2. */
  maxBurnRate?: number;
  /** PostgreSQL targets: sessions waiting on a lock above this are red. */
  maxLockWaits?: number;
  /** PostgreSQL targets: replication lag (seconds) above this is red. */
  maxReplicationLagSeconds?: number;
  /** A Prometheus instant query; red when its value exceeds `max`. */
  prometheus?: { query: string; max: number };
}

/**
 * A backfill as written in its YAML file.
 *
 * @public
 */
export interface BackfillDefinition {
  /** Lower-case id; the evidence fact is `backfill.<id>.checkpoint`. */
  id: string;
  /** The owning component, e.g. `component:default/orders-api`. */
  owner: string;
  description?: string;
  /** Name of a connection under `conductor.backfill.connections`. */
  connection: string;
  table: string;
  /** Key column(s) walked in order (keyset pagination, never OFFSET). */
  key: string[];
  /**
   * `UPDATE <table> SET ... WHERE <key range> AND <row still needs it>`
   * with the placeholders `:from` and `:to` (single key) or
   * `:from_<column>` / `:to_<column>` (composite key), both bounds inclusive.
   * Absent when a JS step registered by a backend module is named instead.
   */
  step?: string;
  /** Id of a JS step registered through the `-node` extension point. */
  jsStep?: string;
  /** Rows per batch to start with (the seed's `batch_size`). */
  batchSize: number;
  /** Batch size bounds the adaptive sizing stays within. */
  minBatchSize: number;
  maxBatchSize: number;
  /** Target duration of one batch; the size adapts towards it. */
  targetBatchMs: number;
  /** Rows per second ceiling (the seed's `rps`). */
  rps: number;
  /** Fractions of the rows, ascending, e.g. [0.1, 0.5, 0.9, 1]. */
  checkpoints: number[];
  /**
   * One number: how many rows of the done range (`:from` .. `:to`) are
   * still wrong. A checkpoint passes when it is 0.
   */
  verify?: string;
  /** Most the run may cost, in the unit of `conductor.backfill.unitCost`. */
  costBudget?: number;
  health: BackfillHealthSignals;
}

/** A problem in a definition file, with where it is. @public */
export interface BackfillDefinitionError {
  file: string;
  line: number;
  column: number;
  /** The field, e.g. `step` or `checkpoints[2]`. */
  field: string;
  message: string;
}

/** One checkpoint's result. @public */
export interface BackfillCheckpointResult {
  /** The checkpoint as a fraction, e.g. 0.5. */
  at: number;
  passed: boolean;
  /** What verify returned (rows still wrong), null without verify. */
  wrongRows: number | null;
  rowsDone: number;
  checkedAt: string;
  message: string;
}

/** One pause or throttle of a run, with why. @public */
export interface BackfillPause {
  at: string;
  /** When the run went on again, if it did. */
  resumedAt?: string;
  kind: 'user' | 'health' | 'cost' | 'checkpoint' | 'error';
  reason: string;
  by?: string;
}

/** One committed batch, for the charts. @public */
export interface BackfillBatchSample {
  at: string;
  rows: number;
  changed: number;
  batchSize: number;
  durationMs: number;
  rowsPerSecond: number;
}
