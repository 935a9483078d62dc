import {
  BackfillBatchSample,
  BackfillCheckpointResult,
  BackfillDefinition,
  BackfillPause,
  BackfillState,
  canTransition,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { insertedId, toIso } from '../shared/database';

/** A run as stored, with JSON columns decoded. */
export interface StoredRun {
  id: number;
  definitionId: string;
  owner: string;
  definition: BackfillDefinition;
  definitionHash: string;
  state: BackfillState;
  reason: string | null;
  version: number;
  cursor: unknown[] | null;
  firstKey: unknown[] | null;
  rowsDone: number;
  rowsChanged: number;
  totalRows: number | null;
  dbMs: number;
  batchSize: number;
  minBatchSize: number;
  maxBatchSize: number;
  rps: number;
  efficiencies: number[];
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

interface RunRow {
  id: number | string;
  definition_id: string;
  owner: string;
  definition_json: string;
  definition_hash: string;
  state: BackfillState;
  reason: string | null;
  version: number;
  cursor_json: string | null;
  first_key_json: string | null;
  rows_done: number | string;
  rows_changed: number | string;
  total_rows: number | string | null;
  db_ms: number | string;
  batch_size: number;
  min_batch_size: number;
  max_batch_size: number;
  rps: number;
  efficiencies_json: string;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  created_by: string;
  created_at: number | string;
  started_at: number | string | null;
  finished_at: number | string | null;
  updated_at: number | string;
}

interface RegisteredDefinitionRow {
  id: string;
  owner: string;
  yaml: string;
  hash: string;
  registered_by: string;
  registered_at: number | string;
}

/** One committed batch: the cursor moves to `to`. */
export interface CommittedBatch {
  from: unknown[];
  to: unknown[];
  rows: number;
  changed: number;
  batchSize: number;
  durationMs: number;
  nextBatchSize: number;
  efficiencies: number[];
  /** Set on the first batch: the lowest key, start of the done range. */
  firstKey?: unknown[];
}

const RUNS = 'conductor_backfill_runs';
const ACTIVE: BackfillState[] = ['enqueued', 'running', 'pausing', 'throttled'];

const num = (v: number | string | null): number | null =>
  v === null ? null : Number(v);

function toRun(r: RunRow): StoredRun {
  return {
    id: Number(r.id),
    definitionId: r.definition_id,
    owner: r.owner,
    definition: JSON.parse(r.definition_json),
    definitionHash: r.definition_hash,
    state: r.state,
    reason: r.reason,
    version: Number(r.version),
    cursor: r.cursor_json ? JSON.parse(r.cursor_json) : null,
    firstKey: r.first_key_json ? JSON.parse(r.first_key_json) : null,
    rowsDone: Number(r.rows_done),
    rowsChanged: Number(r.rows_changed),
    totalRows: num(r.total_rows),
    dbMs: Number(r.db_ms),
    batchSize: Number(r.batch_size),
    minBatchSize: Number(r.min_batch_size),
    maxBatchSize: Number(r.max_batch_size),
    rps: Number(r.rps),
    efficiencies: JSON.parse(r.efficiencies_json),
    leaseOwner: r.lease_owner,
    leaseExpiresAt: num(r.lease_expires_at),
    createdBy: r.created_by,
    createdAt: toIso(r.created_at),
    startedAt: r.started_at === null ? null : toIso(r.started_at),
    finishedAt: r.finished_at === null ? null : toIso(r.finished_at),
    updatedAt: toIso(r.updated_at),
  };
}

/** A state change lost a race: someone else changed the run first. */
export class StaleRunError extends Error {
  constructor(readonly run: StoredRun | undefined, wanted: string) {
    super(
      run
        ? `run ${run.id} is now ${run.state} (version ${run.version}); ${wanted} was not applied`
        : `run not found; ${wanted} was not applied`,
    );
  }
}

/**
 * The backfill tables in the plugin's database. Every state change is a
 * conditional UPDATE on the version the caller read (optimistic locking),
 * and everything the runner writes is conditional on holding the run's
 * lease, so a runner whose lease was taken over writes nothing.
 */
export class BackfillStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async registerDefinition(d: {
    id: string;
    owner: string;
    yaml: string;
    hash: string;
    registeredBy: string;
  }): Promise<void> {
    await this.db<RegisteredDefinitionRow>('conductor_backfill_definitions')
      .insert({
        id: d.id,
        owner: d.owner,
        yaml: d.yaml,
        hash: d.hash,
        registered_by: d.registeredBy,
        registered_at: this.now(),
      })
      .onConflict('id')
      .merge();
  }

  async registeredDefinitions(): Promise<
    Array<{ id: string; yaml: string; registeredBy: string }>
  > {
    const rows = await this.db<RegisteredDefinitionRow>(
      'conductor_backfill_definitions',
    ).orderBy('id');
    return rows.map(r => ({
      id: r.id,
      yaml: r.yaml,
      registeredBy: r.registered_by,
    }));
  }

  async createRun(r: {
    definition: BackfillDefinition;
    definitionHash: string;
    createdBy: string;
  }): Promise<StoredRun> {
    const now = this.now();
    const [row] = await this.db(RUNS)
      .insert({
        definition_id: r.definition.id,
        owner: r.definition.owner,
        definition_json: JSON.stringify(r.definition),
        definition_hash: r.definitionHash,
        state: 'enqueued',
        version: 1,
        batch_size: r.definition.batchSize,
        min_batch_size: r.definition.minBatchSize,
        max_batch_size: r.definition.maxBatchSize,
        rps: r.definition.rps,
        efficiencies_json: '[]',
        created_by: r.createdBy,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    return (await this.run(insertedId(row)))!;
  }

  async run(id: number): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>(RUNS).where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async runs(filter: { owner?: string; limit?: number } = {}) {
    const q = this.db<RunRow>(RUNS)
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 200);
    if (filter.owner) q.where({ owner: filter.owner });
    return (await q).map(toRun);
  }

  /** The active run of a definition, if any (one at a time per definition). */
  async activeRunOf(definitionId: string): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>(RUNS)
      .where({ definition_id: definitionId })
      .whereIn('state', [...ACTIVE, 'paused', 'failed'])
      .orderBy('id', 'desc')
      .first();
    return row ? toRun(row) : undefined;
  }

  /**
   * Moves a run from the state and version the caller read to `to`; throws
   * {@link StaleRunError} when the run changed in between (two clicks) or
   * the transition is not allowed.
   */
  async transition(
    run: Pick<StoredRun, 'id' | 'state' | 'version'>,
    to: BackfillState,
    changes: {
      reason?: string | null;
      pause?: { kind: BackfillPause['kind']; reason: string; by?: string };
      /** Closes the open pause (the run goes on again). */
      resume?: boolean;
      /** Release the lease with the change (the runner lets go). */
      releaseLease?: boolean;
      tuning?: Partial<
        Pick<StoredRun, 'rps' | 'batchSize' | 'minBatchSize' | 'maxBatchSize'>
      >;
    } = {},
  ): Promise<StoredRun> {
    if (to !== run.state && !canTransition(run.state, to)) {
      throw new StaleRunError(
        await this.run(run.id),
        `${run.state} → ${to} is not allowed;`,
      );
    }
    const now = this.now();
    await this.db.transaction(async trx => {
      const n = await trx<RunRow>(RUNS)
        .where({ id: run.id, version: run.version, state: run.state })
        .update({
          state: to,
          version: run.version + 1,
          updated_at: now,
          ...(changes.reason !== undefined ? { reason: changes.reason } : {}),
          ...(to === 'running' && run.state === 'enqueued'
            ? { started_at: trx.raw('coalesce(started_at, ?)', [now]) }
            : {}),
          ...(['succeeded', 'cancelled', 'failed'].includes(to)
            ? { finished_at: now }
            : {}),
          ...(to === 'enqueued' ? { finished_at: null } : {}),
          ...(changes.releaseLease
            ? { lease_owner: null, lease_expires_at: null }
            : {}),
          ...(changes.tuning?.rps !== undefined
            ? { rps: changes.tuning.rps }
            : {}),
          ...(changes.tuning?.batchSize !== undefined
            ? { batch_size: changes.tuning.batchSize }
            : {}),
          ...(changes.tuning?.minBatchSize !== undefined
            ? { min_batch_size: changes.tuning.minBatchSize }
            : {}),
          ...(changes.tuning?.maxBatchSize !== undefined
            ? { max_batch_size: changes.tuning.maxBatchSize }
            : {}),
        } as Partial<RunRow>);
      if (n !== 1) {
        throw new StaleRunError(
          toRun(
            (await trx<RunRow>(RUNS).where({ id: run.id }).first()) as RunRow,
          ),
          `${run.state} → ${to}`,
        );
      }
      if (changes.resume) {
        await trx('conductor_backfill_pauses')
          .where({ run_id: run.id })
          .whereNull('resumed_at')
          .update({ resumed_at: now });
      }
      if (changes.pause) {
        await trx('conductor_backfill_pauses').insert({
          run_id: run.id,
          kind: changes.pause.kind,
          reason: changes.pause.reason,
          by: changes.pause.by ?? null,
          at: now,
        });
      }
    });
    return (await this.run(run.id))!;
  }

  /**
   * Claims the lease of an active run whose lease is free or expired (a
   * crashed holder), or renews our own. One conditional UPDATE, so two
   * replicas asking at once get it at most once between them.
   */
  async claimLease(
    runId: number,
    owner: string,
    ttlMs: number,
  ): Promise<boolean> {
    const now = this.now();
    const n = await this.db<RunRow>(RUNS)
      .where({ id: runId })
      .whereIn('state', ACTIVE)
      .where(q =>
        q
          .whereNull('lease_owner')
          .orWhere('lease_owner', owner)
          .orWhere('lease_expires_at', '<', now),
      )
      .update({ lease_owner: owner, lease_expires_at: now + ttlMs });
    return n === 1;
  }

  async releaseLease(runId: number, owner: string): Promise<void> {
    await this.db<RunRow>(RUNS)
      .where({ id: runId, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  /** Active runs whose lease is free or expired, oldest first. */
  async claimableRuns(limit: number): Promise<StoredRun[]> {
    const rows = await this.db<RunRow>(RUNS)
      .whereIn('state', ACTIVE)
      .where(q =>
        q.whereNull('lease_owner').orWhere('lease_expires_at', '<', this.now()),
      )
      .orderBy('id')
      .limit(limit);
    return rows.map(toRun);
  }

  async setTotal(
    runId: number,
    owner: string,
    totalRows: number,
  ): Promise<void> {
    await this.db<RunRow>(RUNS)
      .where({ id: runId, lease_owner: owner })
      .update({ total_rows: totalRows });
  }

  /**
   * Moves the cursor past a committed batch and records it, conditional on
   * still holding the lease (renewed with it). Pass the target's
   * transaction when the target is this database, so the cursor and the
   * batch commit together. Returns false when the lease was lost.
   */
  async commitBatch(
    runId: number,
    owner: string,
    ttlMs: number,
    b: CommittedBatch,
    trx?: Knex.Transaction,
  ): Promise<boolean> {
    const write = async (t: Knex.Transaction) => {
      const now = this.now();
      const n = await t<RunRow>(RUNS)
        .where({ id: runId, lease_owner: owner })
        .whereIn('state', ACTIVE)
        .update({
          cursor_json: JSON.stringify(b.to),
          ...(b.firstKey ? { first_key_json: JSON.stringify(b.firstKey) } : {}),
          rows_done: t.raw('rows_done + ?', [b.rows]),
          rows_changed: t.raw('rows_changed + ?', [b.changed]),
          db_ms: t.raw('db_ms + ?', [Math.round(b.durationMs)]),
          batch_size: b.nextBatchSize,
          efficiencies_json: JSON.stringify(b.efficiencies),
          lease_expires_at: now + ttlMs,
          updated_at: now,
        } as any);
      if (n !== 1) return false;
      await t('conductor_backfill_batches').insert({
        run_id: runId,
        from_key_json: JSON.stringify(b.from),
        to_key_json: JSON.stringify(b.to),
        rows: b.rows,
        changed: b.changed,
        batch_size: b.batchSize,
        duration_ms: Math.round(b.durationMs),
        runner: owner,
        at: now,
      });
      return true;
    };
    if (trx) return write(trx);
    return this.db.transaction(write);
  }

  async recordCheckpoint(
    runId: number,
    c: BackfillCheckpointResult,
  ): Promise<void> {
    await this.db('conductor_backfill_checkpoints').insert({
      run_id: runId,
      at: c.at,
      passed: c.passed,
      wrong_rows: c.wrongRows,
      rows_done: c.rowsDone,
      message: c.message,
      checked_at: Date.parse(c.checkedAt),
    });
  }

  async checkpoints(runId: number): Promise<BackfillCheckpointResult[]> {
    const rows = await this.db('conductor_backfill_checkpoints')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(r => ({
      at: Number(r.at),
      passed: Boolean(r.passed),
      wrongRows: r.wrong_rows === null ? null : Number(r.wrong_rows),
      rowsDone: Number(r.rows_done),
      message: r.message,
      checkedAt: toIso(r.checked_at),
    }));
  }

  /** The checkpoints of several runs in one query, by run id (the dashboards). */
  async checkpointsOfRuns(
    runIds: number[],
  ): Promise<Map<number, BackfillCheckpointResult[]>> {
    const byRun = new Map<number, BackfillCheckpointResult[]>(
      runIds.map(id => [id, []]),
    );
    if (runIds.length === 0) return byRun;
    const rows = await this.db('conductor_backfill_checkpoints')
      .whereIn('run_id', runIds)
      .orderBy('id');
    for (const r of rows)
      byRun.get(Number(r.run_id))?.push({
        at: Number(r.at),
        passed: Boolean(r.passed),
        wrongRows: r.wrong_rows === null ? null : Number(r.wrong_rows),
        rowsDone: Number(r.rows_done),
        message: r.message,
        checkedAt: toIso(r.checked_at),
      });
    return byRun;
  }

  async pauses(runId: number): Promise<BackfillPause[]> {
    const rows = await this.db('conductor_backfill_pauses')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(r => ({
      at: toIso(r.at),
      ...(r.resumed_at !== null ? { resumedAt: toIso(r.resumed_at) } : {}),
      kind: r.kind,
      reason: r.reason,
      ...(r.by ? { by: r.by } : {}),
    }));
  }

  /** The latest batches, oldest first. */
  async batches(runId: number, limit = 500): Promise<BackfillBatchSample[]> {
    const rows = await this.db('conductor_backfill_batches')
      .where({ run_id: runId })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.reverse().map(r => ({
      at: toIso(r.at),
      rows: Number(r.rows),
      changed: Number(r.changed),
      batchSize: Number(r.batch_size),
      durationMs: Number(r.duration_ms),
      rowsPerSecond: 0,
    }));
  }

  /** Every committed batch's key range and runner (tests and audits). */
  async batchRanges(
    runId: number,
  ): Promise<Array<{ from: unknown[]; to: unknown[]; runner: string }>> {
    const rows = await this.db('conductor_backfill_batches')
      .where({ run_id: runId })
      .orderBy('id');
    return rows.map(r => ({
      from: JSON.parse(r.from_key_json),
      to: JSON.parse(r.to_key_json),
      runner: r.runner,
    }));
  }
}
