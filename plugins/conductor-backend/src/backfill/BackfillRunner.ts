import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  BackfillCheckpointResult,
  BackfillHealthReadings,
  BackfillUnitCost,
  TokenBucket,
  backfillHealthVerdict,
  dueCheckpoints,
  isCostSpike,
  nextBatchSize,
  projectCost,
  alertLinks,
} from '@internal/plugin-conductor-common';
import { BackfillJsStep } from '@internal/plugin-conductor-node';
import { Knex } from 'knex';
import os from 'node:os';
import { AlertSender } from '../shared/AlertSender';
import {
  BackfillCostAlertSettings,
  readBackfillCostAlertSettings,
} from './alertSettings';
import { EvidenceAccess } from '../shared/capability';
import { BackfillStore, StaleRunError, StoredRun } from './BackfillStore';
import {
  BackfillTarget,
  BackfillTargets,
  applyStep,
  isConnectionLost,
  isTimeout,
  nextKeyRange,
  quoteIdent,
  rowsOf,
  runVerify,
} from './targets';

/**
 * Burn rates from the SLO boards; the SLO capability provides it when it
 * is installed.
 */
export interface BackfillSloSource {
  /** The highest current (short-window) burn rate of a service's SLOs; null without data. */
  burnRate(entityRef: string): Promise<number | null>;
}

export interface BackfillRunnerOptions {
  store: BackfillStore;
  targets: BackfillTargets;
  evidence: Pick<EvidenceAccess, 'recordObserved'>;
  logger: LoggerService;
  alerts?: Pick<AlertSender, 'enqueue'>;
  /** The cost spike guardrail and its alert; config's defaults when absent. */
  costAlert?: BackfillCostAlertSettings;
  /** The owning group of an entity, to alert; else the entity itself. */
  ownerOf?: (entityRef: string) => string | undefined;
  slo?: BackfillSloSource;
  prometheusUrl?: string;
  unitCost: BackfillUnitCost;
  jsSteps?: ReadonlyMap<string, BackfillJsStep>;
  /** Identifies this runner in leases and batch records. */
  runnerId?: string;
  /** How long a lease lasts without renewal; renewed every batch. Default 30 s. */
  leaseTtlMs?: number;
  /** How long one tick works before letting go (re-claimed next tick). Default 4 min. */
  maxRunMs?: number;
  /** How often health is read while running, and re-read while throttled. Default 5 s. */
  healthIntervalMs?: number;
  /** A batch slower than this is cancelled, halved and retried (PostgreSQL). Default 10 s. */
  batchTimeoutMs?: number;
  /** Runs one tick works on at once. Default 2. */
  concurrency?: number;
  /** Called after every committed batch (tests pace themselves on it). */
  onBatch?: (run: StoredRun) => void;
}

class LeaseLost extends Error {}

interface AppliedBatch {
  from: unknown[];
  to: unknown[];
  rows: number;
  changed: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>(resolve => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });

/**
 * Works on backfill runs: claims a run's lease, walks its key with keyset
 * pagination one batch at a time, paced by a token bucket at the run's
 * rows/s and sized to the target batch duration, moves the cursor after
 * every committed batch, reads health and pauses on red, runs the
 * checkpoints' verify, and guards the cost. Driven by the scheduler every
 * few seconds on every replica; leases keep two replicas off the same run.
 */
export class BackfillRunner {
  readonly runnerId: string;
  private readonly buckets = new Map<number, TokenBucket>();
  private readonly lastHealth = new Map<number, number>();
  private readonly costAlert: BackfillCostAlertSettings;

  constructor(private readonly o: BackfillRunnerOptions) {
    this.costAlert =
      o.costAlert ?? readBackfillCostAlertSettings(new ConfigReader({}));
    this.runnerId =
      o.runnerId ??
      `${os.hostname()}:${process.pid}:${Math.random()
        .toString(36)
        .slice(2, 8)}`;
  }

  private get ttl() {
    return this.o.leaseTtlMs ?? 30_000;
  }

  /** One scheduler tick: work on up to `concurrency` claimable runs. */
  async tick(signal?: AbortSignal): Promise<void> {
    const runs = await this.o.store.claimableRuns(this.o.concurrency ?? 2);
    await Promise.all(runs.map(r => this.work(r.id, signal)));
  }

  /** Works on one run until it stops, the time is up or the signal fires. */
  async work(runId: number, signal?: AbortSignal): Promise<void> {
    const { store } = this.o;
    if (!(await store.claimLease(runId, this.runnerId, this.ttl))) return;
    const deadline = Date.now() + (this.o.maxRunMs ?? 240_000);
    try {
      while (!signal?.aborted && Date.now() < deadline) {
        const run = await store.run(runId);
        if (!run || run.leaseOwner !== this.runnerId) return;
        const goOn = await this.step(run, signal);
        if (!goOn) return;
      }
    } catch (e) {
      if (e instanceof LeaseLost) return;
      if (e instanceof StaleRunError) {
        // A person changed the run while we worked; the next tick sees it.
        this.o.logger.info(`Backfill run ${runId}: ${e.message}`);
        return;
      }
      this.o.logger.error(
        `Backfill run ${runId} stopped: ${(e as Error).message}`,
      );
    } finally {
      this.buckets.delete(runId);
      await store.releaseLease(runId, this.runnerId).catch(() => {});
    }
  }

  /** One step of the state machine; false when this tick is done with the run. */
  private async step(run: StoredRun, signal?: AbortSignal): Promise<boolean> {
    const { store } = this.o;
    switch (run.state) {
      case 'enqueued': {
        const started = await store.transition(run, 'running', {
          reason: null,
          resume: true,
        });
        if (started.totalRows === null) {
          const target = this.o.targets.get(run.definition.connection);
          const n = rowsOf(
            await target.db.raw(
              `SELECT count(*) AS n FROM ${quoteIdent(run.definition.table)}`,
            ),
          )[0] as { n: unknown };
          await store.setTotal(run.id, this.runnerId, Number(n.n));
        }
        return true;
      }
      case 'pausing':
        await store.transition(run, 'paused', { releaseLease: true });
        return false;
      case 'throttled': {
        const health = await this.readHealth(run);
        if (!health.red) {
          await store.transition(run, 'running', {
            reason: null,
            resume: true,
          });
          return true;
        }
        await store.claimLease(run.id, this.runnerId, this.ttl);
        await sleep(this.o.healthIntervalMs ?? 5000, signal);
        return true;
      }
      case 'running':
        return this.runBatch(run, signal);
      default:
        return false;
    }
  }

  private async runBatch(run: StoredRun, signal?: AbortSignal) {
    const { store } = this.o;
    const d = run.definition;
    const target = this.o.targets.get(d.connection);

    // Health, every few seconds.
    const now = Date.now();
    if (
      now - (this.lastHealth.get(run.id) ?? 0) >=
      (this.o.healthIntervalMs ?? 5000)
    ) {
      this.lastHealth.set(run.id, now);
      const health = await this.readHealth(run);
      if (health.red) {
        const reason = health.reasons.join('; ');
        await store.transition(run, 'throttled', {
          reason,
          pause: { kind: 'health', reason },
        });
        this.o.logger.warn(
          `Backfill ${d.id} run ${run.id} throttled: ${reason}`,
        );
        return true;
      }
    }

    // Checkpoints reached (also a failed one again after a resume).
    if (!(await this.checkpoints(run, target, false))) return false;

    // Pace at the run's rows/s.
    let bucket = this.buckets.get(run.id);
    if (!bucket) {
      bucket = new TokenBucket(run.rps, Date.now());
      this.buckets.set(run.id, bucket);
    }
    bucket.setRate(run.rps, Date.now());
    const wait = bucket.take(run.batchSize, Date.now());
    if (wait > 0) {
      await sleep(wait, signal);
      if (signal?.aborted) return false;
    }

    const outcome = await this.applyBatch(run, target);
    if (outcome === 'lease-lost') return false;
    if (outcome === 'stopped') return false;
    if (outcome === 'done') {
      if (!(await this.checkpoints(run, target, true))) return false;
      const fresh = (await store.run(run.id))!;
      const finished = await store.transition(fresh, 'succeeded', {
        reason: null,
        releaseLease: true,
      });
      await this.recordRunEvidence(finished);
      this.o.logger.info(
        `Backfill ${d.id} run ${run.id} succeeded: ${finished.rowsDone} rows, ${finished.rowsChanged} changed`,
      );
      return false;
    }
    const after = (await store.run(run.id))!;
    this.o.onBatch?.(after);
    return this.guardCost(after);
  }

  /**
   * Applies the next batch and moves the cursor past it. On the plugin's
   * own database both happen in one transaction; elsewhere the cursor moves
   * right after the batch commits, so a crash in between re-applies one
   * batch, which the step's own predicate makes a no-op.
   */
  private async applyBatch(
    run: StoredRun,
    target: BackfillTarget,
  ): Promise<'ok' | 'done' | 'lease-lost' | 'stopped'> {
    const d = run.definition;
    let batchSize = run.batchSize;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tryBatch(run, target, batchSize);
      } catch (e) {
        if (e instanceof LeaseLost) return 'lease-lost';
        const message = (e as Error).message;
        const cursor = run.cursor ? JSON.stringify(run.cursor) : 'none yet';
        const where = `the cursor stays at the last committed batch (${cursor})`;
        if (isConnectionLost(e)) {
          await this.fail(
            run,
            `lost the connection to ${d.connection}: ${message}; ${where}`,
          );
          return 'stopped';
        }
        if (isTimeout(e) && attempt < 3 && batchSize > run.minBatchSize) {
          batchSize = Math.max(run.minBatchSize, Math.floor(batchSize / 2));
          this.o.logger.warn(
            `Backfill ${d.id} run ${run.id}: batch timed out, retrying with ${batchSize} rows`,
          );
          continue;
        }
        await this.fail(
          run,
          `batch after ${cursor} failed: ${message}; ${where}`,
        );
        return 'stopped';
      }
    }
  }

  /** One attempt at the next batch with `batchSize` rows. */
  private async tryBatch(
    run: StoredRun,
    target: BackfillTarget,
    batchSize: number,
  ): Promise<'ok' | 'done' | 'lease-lost'> {
    const t0 = performance.now();
    const commit = (b: AppliedBatch, trx?: Knex.Transaction) =>
      this.commit(run, b, batchSize, performance.now() - t0, trx);
    if (target.isPluginDatabase) {
      const done = await target.db.transaction(async trx => {
        const b = await this.apply(run, target, batchSize, trx);
        if (!b) return true;
        // Cursor and batch commit together, or neither does.
        if (!(await commit(b, trx))) throw new LeaseLost();
        return false;
      });
      return done ? 'done' : 'ok';
    }
    if (!(await this.o.store.claimLease(run.id, this.runnerId, this.ttl)))
      return 'lease-lost';
    const b = await target.db.transaction(trx =>
      this.apply(run, target, batchSize, trx),
    );
    if (!b) return 'done';
    return (await commit(b)) ? 'ok' : 'lease-lost';
  }

  /** Finds the next key range and applies the step to it, in `trx`. */
  private async apply(
    run: StoredRun,
    target: BackfillTarget,
    batchSize: number,
    trx: Knex.Transaction,
  ): Promise<AppliedBatch | undefined> {
    const d = run.definition;
    if (target.dialect === 'pg')
      await trx.raw(
        `SET LOCAL statement_timeout = ${Math.round(
          this.o.batchTimeoutMs ?? 10_000,
        )}`,
      );
    const range = await nextKeyRange(trx, d, run.cursor, batchSize);
    if (!range) return undefined;
    const changed = d.jsStep
      ? (
          await this.o.jsSteps!.get(d.jsStep)!.run({
            trx,
            definition: d,
            from: range.from,
            to: range.to,
          })
        ).changed
      : await applyStep(trx, d, range.from, range.to);
    return { ...range, changed };
  }

  /** Moves the cursor past a batch and sizes the next one. */
  private commit(
    run: StoredRun,
    b: AppliedBatch,
    batchSize: number,
    durationMs: number,
    trx?: Knex.Transaction,
  ): Promise<boolean> {
    const sized = nextBatchSize(
      { batchSize, efficiencies: run.efficiencies },
      { durationMs },
      {
        targetBatchMs: run.definition.targetBatchMs,
        minBatchSize: run.minBatchSize,
        maxBatchSize: run.maxBatchSize,
      },
    );
    return this.o.store.commitBatch(
      run.id,
      this.runnerId,
      this.ttl,
      {
        ...b,
        batchSize,
        durationMs,
        nextBatchSize: sized.batchSize,
        efficiencies: sized.efficiencies,
        ...(run.cursor === null ? { firstKey: b.from } : {}),
      },
      trx,
    );
  }

  private async fail(run: StoredRun, reason: string) {
    const fresh = (await this.o.store.run(run.id))!;
    const failed = await this.o.store.transition(fresh, 'failed', {
      reason,
      pause: { kind: 'error', reason },
      releaseLease: true,
    });
    this.o.logger.error(
      `Backfill ${run.definition.id} run ${run.id} failed: ${reason}`,
    );
    await this.recordRunEvidence(failed).catch(() => {});
  }

  /**
   * Runs the verify of every checkpoint reached (all of them when the walk
   * is `finished`), records each as evidence on the owning component, and
   * fails the run at the first that does not pass.
   */
  private async checkpoints(
    run: StoredRun,
    target: BackfillTarget,
    finished: boolean,
  ): Promise<boolean> {
    const { store } = this.o;
    const d = run.definition;
    const fresh = (await store.run(run.id))!;
    const fraction = finished
      ? 1
      : Math.min(
          fresh.rowsDone / Math.max(1, fresh.totalRows ?? Infinity),
          0.9999,
        );
    const passed = (await store.checkpoints(run.id))
      .filter(c => c.passed)
      .map(c => c.at);
    for (const at of dueCheckpoints(d.checkpoints, passed, fraction)) {
      const label = `${Math.round(at * 1000) / 10}%`;
      let result: BackfillCheckpointResult;
      if (!d.verify || !fresh.cursor) {
        result = {
          at,
          passed: true,
          wrongRows: null,
          rowsDone: fresh.rowsDone,
          checkedAt: new Date().toISOString(),
          message: d.verify
            ? `checkpoint ${label}: no rows done yet`
            : `checkpoint ${label}: reached (no verify)`,
        };
      } else {
        let wrong: number;
        try {
          wrong = await runVerify(
            target.db,
            d,
            fresh.firstKey ?? fresh.cursor,
            fresh.cursor,
          );
        } catch (e) {
          await this.fail(
            fresh,
            `checkpoint ${label}: verify failed: ${(e as Error).message}`,
          );
          return false;
        }
        result = {
          at,
          passed: wrong === 0,
          wrongRows: wrong,
          rowsDone: fresh.rowsDone,
          checkedAt: new Date().toISOString(),
          message:
            wrong === 0
              ? `checkpoint ${label}: verify found no wrong rows in the done range`
              : `checkpoint ${label} failed: verify found ${wrong} row(s) still wrong in the done range`,
        };
      }
      await store.recordCheckpoint(run.id, result);
      try {
        await this.o.evidence.recordObserved('backfill', [
          {
            entityRef: d.owner,
            name: `backfill.${d.id}.checkpoint`,
            value: { runId: run.id, checkpoint: label, ...result },
          },
        ]);
      } catch (e) {
        await this.fail(
          fresh,
          `checkpoint ${label}: could not record its evidence: ${
            (e as Error).message
          }`,
        );
        return false;
      }
      if (!result.passed) {
        const latest = (await store.run(run.id))!;
        const failed = await store.transition(latest, 'failed', {
          reason: result.message,
          pause: { kind: 'checkpoint', reason: result.message },
          releaseLease: true,
        });
        await this.recordRunEvidence(failed).catch(() => {});
        this.o.logger.warn(`Backfill ${d.id} run ${run.id}: ${result.message}`);
        return false;
      }
    }
    return true;
  }

  /** Pauses and alerts the owner on a projected overrun or a cost spike. */
  private async guardCost(run: StoredRun): Promise<boolean> {
    const d = run.definition;
    const projection = projectCost(
      {
        rowsDone: run.rowsDone,
        totalRows: run.totalRows ?? run.rowsDone,
        dbMs: run.dbMs,
      },
      this.o.unitCost,
      d.costBudget,
    );
    let reason: string | undefined;
    let title = '';
    const pauses = await this.o.store.pauses(run.id);
    if (
      projection.overBudget &&
      !pauses.some(p => p.kind === 'cost' && /budget/.test(p.reason))
    ) {
      // Raised once a run: resuming after it is the owner's acknowledgement.
      reason = `projected cost ${projection.projected!.toFixed(
        2,
      )} is over the budget ${d.costBudget}`;
      title = `Backfill ${d.id} paused: over its cost budget`;
    } else if (this.o.unitCost.perDbSecond > 0) {
      const { spikeFactor, throttleMs } = this.costAlert;
      const recent = await this.o.store.batches(run.id, 5);
      const r = recent.reduce(
        (a, b) => ({ rows: a.rows + b.rows, dbMs: a.dbMs + b.durationMs }),
        { rows: 0, dbMs: 0 },
      );
      const lastSpike = pauses
        .filter(p => p.kind === 'cost' && /spike/.test(p.reason))
        .pop();
      if (
        isCostSpike(r, { rows: run.rowsDone, dbMs: run.dbMs }, spikeFactor) &&
        (!lastSpike || Date.now() - Date.parse(lastSpike.at) > throttleMs)
      ) {
        reason = `backfill cost spike: the last ${
          recent.length
        } batches cost ${(r.dbMs / r.rows).toFixed(
          3,
        )} ms of database time a row, over ${spikeFactor}× the run's ${(
          run.dbMs / run.rowsDone
        ).toFixed(3)}`;
        title = `Backfill cost spike: ${d.id}`;
      }
    }
    if (!reason) return true;
    const paused = await this.o.store.transition(run, 'paused', {
      reason,
      pause: { kind: 'cost', reason },
      releaseLease: true,
    });
    this.o.logger.warn(`Backfill ${d.id} run ${run.id} paused: ${reason}`);
    if (!this.costAlert.enabled) return false;
    this.o.alerts?.enqueue(`conductor.backfill.cost:${run.id}`, {
      recipients: {
        type: 'entity',
        entityRef: this.o.ownerOf?.(d.owner) ?? d.owner,
      },
      payload: {
        title,
        description: `${reason}. Resume or retune it from the Backfills page.`,
        link: alertLinks.backfillCostSpike.to(paused.id),
        severity: 'high',
        topic: 'conductor.backfill.cost',
        scope: `conductor.backfill.cost:${run.id}`,
      },
    });
    return false;
  }

  /** Reads every health signal the definition names. */
  async readHealth(run: StoredRun) {
    const d = run.definition;
    const h = d.health;
    const readings: BackfillHealthReadings = {};
    const errorOf = (e: unknown) => (e as Error).message.split('\n')[0];
    if (h.services?.length) {
      readings.burnRates = await Promise.all(
        h.services.map(async service => {
          if (!this.o.slo)
            return {
              service,
              value: null,
              error: 'the SLO boards are not installed',
            };
          try {
            return { service, value: await this.o.slo.burnRate(service) };
          } catch (e) {
            return { service, value: null, error: errorOf(e) };
          }
        }),
      );
    }
    if (
      h.maxLockWaits !== undefined ||
      h.maxReplicationLagSeconds !== undefined
    ) {
      const target = this.o.targets.get(d.connection);
      if (h.maxLockWaits !== undefined) {
        try {
          const row = rowsOf(
            await target.db.raw(
              `SELECT count(*) AS n FROM pg_stat_activity
               WHERE wait_event_type = 'Lock' AND datname = current_database()`,
            ),
          )[0] as { n: unknown };
          readings.lockWaits = { value: Number(row.n) };
        } catch (e) {
          readings.lockWaits = { error: errorOf(e) };
        }
      }
      if (h.maxReplicationLagSeconds !== undefined) {
        try {
          const row = rowsOf(
            await target.db.raw(
              `SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) AS lag FROM pg_stat_replication`,
            ),
          )[0] as { lag: unknown };
          readings.replicationLagSeconds = { value: Number(row.lag) };
        } catch (e) {
          readings.replicationLagSeconds = { error: errorOf(e) };
        }
      }
    }
    if (h.prometheus) {
      readings.prometheus = await this.queryPrometheus(h.prometheus.query);
    }
    return backfillHealthVerdict(h, readings);
  }

  private async queryPrometheus(
    query: string,
  ): Promise<{ value?: number; error?: string }> {
    if (!this.o.prometheusUrl)
      return {
        error:
          'no Prometheus URL configured (conductor.backfill.prometheus.url)',
      };
    try {
      const res = await fetch(
        `${this.o.prometheusUrl.replace(
          /\/$/,
          '',
        )}/api/v1/query?query=${encodeURIComponent(query)}`,
        { signal: AbortSignal.timeout(5000) },
      );
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data?: {
          resultType: string;
          result: Array<{ value: [number, string] }> | [number, string];
        };
      };
      if (body.status !== 'success')
        return { error: body.error ?? `HTTP ${res.status}` };
      const result = body.data?.result;
      if (body.data?.resultType === 'scalar')
        return { value: Number((result as [number, string])[1]) };
      const vector = result as Array<{ value: [number, string] }>;
      // An empty vector is 0: write the query so that it returns a number when it matters.
      if (!vector.length) return { value: 0 };
      return { value: Math.max(...vector.map(v => Number(v.value[1]))) };
    } catch (e) {
      return { error: `cannot query Prometheus: ${(e as Error).message}` };
    }
  }

  /** The record a finished run leaves in the evidence store. */
  async recordRunEvidence(run: StoredRun): Promise<void> {
    const [checkpoints, pauses] = await Promise.all([
      this.o.store.checkpoints(run.id),
      this.o.store.pauses(run.id),
    ]);
    const cost = projectCost(
      {
        rowsDone: run.rowsDone,
        totalRows: run.totalRows ?? run.rowsDone,
        dbMs: run.dbMs,
      },
      this.o.unitCost,
      run.definition.costBudget,
    );
    const started = run.startedAt
      ? Date.parse(run.startedAt)
      : Date.parse(run.createdAt);
    await this.o.evidence.recordObserved('backfill', [
      {
        entityRef: run.owner,
        name: `backfill.${run.definitionId}.run`,
        value: {
          runId: run.id,
          state: run.state,
          reason: run.reason,
          definitionHash: run.definitionHash,
          rowsTouched: run.rowsDone,
          rowsChanged: run.rowsChanged,
          durationSeconds: Math.round((Date.now() - started) / 1000),
          checkpoints: checkpoints.map(c => ({
            at: c.at,
            passed: c.passed,
            wrongRows: c.wrongRows,
          })),
          pauses: pauses.map(p => ({
            kind: p.kind,
            reason: p.reason,
            at: p.at,
          })),
          cost: {
            soFar: Math.round(cost.soFar * 1e4) / 1e4,
            budget: cost.budget,
          },
        },
      },
    ]);
  }
}
