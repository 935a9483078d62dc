import {
  ApprovalStatus,
  ControlSeverity,
  ControlStatus,
  FactChange,
  FactValues,
  StoredControlResult,
  StoredExemption,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { approveRequested, revokeApproval, writeAudit } from '../shared/audit';
import { chunks, insertedId, toIso, toScore } from '../shared/database';

interface ResultRow {
  run_id: number;
  entity_ref: string;
  control_id: string;
  severity: ControlSeverity;
  status: ControlStatus;
  previous_status: ControlStatus | null;
  since: unknown;
  message: string;
  values_json: string;
  remediation: string | null;
}

interface ScoreDbRow {
  scope: ScoreRow['scope'];
  ref: string;
  score: unknown;
  previous_score: unknown;
}

interface FactChangeRow {
  entity_ref: string;
  name: string;
  before_json: string | null;
  after_json: string | null;
}

interface ExemptionRow {
  id: number | string;
  entity_ref: string;
  control_id: string;
  reason: string;
  approver: string;
  created_by: string;
  created_at: unknown;
  expires_at: unknown;
  revoked_at: unknown;
  status: ApprovalStatus | null;
  approved_at: unknown;
  revoked_by: string | null;
}

export interface ScoreRow {
  scope: 'entity' | 'team' | 'system';
  ref: string;
  score: number;
  previousScore: number | null;
}

/** Compliance runs, results, scores and exemptions. */
export class ComplianceStore {
  constructor(private readonly db: Knex) {}

  async lastRunId(): Promise<number | undefined> {
    const row = await this.db('conductor_compliance_runs')
      .whereNotNull('finished_at')
      .orderBy('id', 'desc')
      .first('id');
    return row ? Number(row.id) : undefined;
  }

  /** Results of a run: all, one entity's, or only the flipped ones (status differs from the run before). */
  async resultsOfRun(
    runId: number,
    filter: { entityRef?: string; flippedOnly?: boolean } = {},
  ): Promise<StoredControlResult[]> {
    const q = this.db('conductor_compliance_results').where('run_id', runId);
    if (filter.entityRef) q.where('entity_ref', filter.entityRef);
    if (filter.flippedOnly)
      q.whereNotNull('previous_status').whereRaw('previous_status <> status');
    const rows = await q.orderBy(['entity_ref', 'control_id']);
    return rows.map((r: ResultRow) => ({
      controlId: r.control_id,
      entityRef: r.entity_ref,
      severity: r.severity,
      status: r.status,
      previousStatus: r.previous_status,
      since: toIso(r.since),
      message: r.message,
      values: JSON.parse(r.values_json),
      remediation: r.remediation ?? undefined,
    }));
  }

  async scoresOfRun(
    runId: number,
    scope?: ScoreRow['scope'],
    ref?: string,
  ): Promise<ScoreRow[]> {
    const q = this.db('conductor_compliance_scores').where('run_id', runId);
    if (scope) q.where('scope', scope);
    if (ref) q.where('ref', ref);
    return (await q).map((r: ScoreDbRow) => ({
      scope: r.scope,
      ref: r.ref,
      score: toScore(r.score),
      previousScore:
        r.previous_score === null ? null : toScore(r.previous_score),
    }));
  }

  /** Score of one ref per finished run, oldest first. */
  async scoreHistory(scope: ScoreRow['scope'], ref: string, limit = 60) {
    const rows = await this.db('conductor_compliance_scores as s')
      .join('conductor_compliance_runs as r', 'r.id', 's.run_id')
      .where({ 's.scope': scope, 's.ref': ref })
      .whereNotNull('r.finished_at')
      .orderBy('r.id', 'desc')
      .limit(limit)
      .select('r.id as runId', 'r.finished_at as at', 's.score as score');
    return rows
      .reverse()
      .map((r: { runId: unknown; at: unknown; score: unknown }) => ({
        runId: Number(r.runId),
        at: toIso(r.at),
        score: toScore(r.score),
      }));
  }

  /**
   * Team scores of the newest `runs` finished runs, in one query (the
   * dashboards' compliance trend for every team).
   */
  async teamScoresOfRecentRuns(runs: number) {
    const recent = this.db('conductor_compliance_runs')
      .whereNotNull('finished_at')
      .orderBy('id', 'desc')
      .limit(runs)
      .select('id');
    const rows = await this.db('conductor_compliance_scores as s')
      .join('conductor_compliance_runs as r', 'r.id', 's.run_id')
      .where('s.scope', 'team')
      .whereIn('s.run_id', recent)
      .orderBy('r.id')
      .select(
        'r.id as runId',
        'r.finished_at as at',
        's.ref as ref',
        's.score as score',
      );
    return rows.map(
      (r: { runId: unknown; at: unknown; ref: string; score: unknown }) => ({
        runId: Number(r.runId),
        at: toIso(r.at),
        ref: r.ref,
        score: toScore(r.score),
      }),
    );
  }

  /** The fact values the last run saw, per entity. */
  async factsSeen(entityRefs: string[]): Promise<Map<string, FactValues>> {
    const seen = new Map<string, FactValues>();
    for (const batch of chunks(entityRefs, 500)) {
      for (const r of await this.db('conductor_compliance_facts_seen').whereIn(
        'entity_ref',
        batch,
      )) {
        const values = seen.get(r.entity_ref) ?? {};
        values[r.name] = JSON.parse(r.value_json);
        seen.set(r.entity_ref, values);
      }
    }
    return seen;
  }

  /** The facts that changed in a run (since the run before), optionally of one entity. */
  async factChangesOfRun(
    runId: number,
    entityRef?: string,
  ): Promise<FactChange[]> {
    const q = this.db('conductor_compliance_fact_changes').where(
      'run_id',
      runId,
    );
    if (entityRef) q.where('entity_ref', entityRef);
    return (await q.orderBy(['entity_ref', 'name'])).map(
      (r: FactChangeRow) => ({
        entityRef: r.entity_ref,
        name: r.name,
        before: r.before_json === null ? null : JSON.parse(r.before_json),
        after: r.after_json === null ? null : JSON.parse(r.after_json),
      }),
    );
  }

  /** The finished run before `runId`, if any. */
  async previousRunId(runId: number): Promise<number | undefined> {
    const row = await this.db('conductor_compliance_runs')
      .whereNotNull('finished_at')
      .where('id', '<', runId)
      .orderBy('id', 'desc')
      .first('id');
    return row ? Number(row.id) : undefined;
  }

  /**
   * Stores a whole run in one transaction: a run is visible complete or not
   * at all, and the facts it saw move forward with it. `factChanges` are the
   * facts that differ from what the last run saw; `seenChanges` the same
   * changes applied to the seen table (on a first run: every fact, but no
   * fact changes, as there is nothing to compare with).
   */
  async saveRun(run: {
    trigger: string;
    startedAt: Date;
    controls: number;
    entities: number;
    score: number | null;
    results: StoredControlResult[];
    scores: ScoreRow[];
    factChanges: FactChange[];
    seenChanges: FactChange[];
  }): Promise<number> {
    return this.db.transaction(async tx => {
      const [row] = await tx('conductor_compliance_runs')
        .insert({
          trigger: run.trigger,
          started_at: run.startedAt,
          finished_at: null,
          controls: run.controls,
          entities: run.entities,
          score: run.score,
        })
        .returning('id');
      const runId = insertedId(row);
      for (const batch of chunks(run.results)) {
        await tx('conductor_compliance_results').insert(
          batch.map(r => ({
            run_id: runId,
            entity_ref: r.entityRef,
            control_id: r.controlId,
            severity: r.severity,
            status: r.status,
            previous_status: r.previousStatus,
            since: new Date(r.since),
            message: r.message,
            values_json: JSON.stringify(r.values),
            remediation: r.remediation ?? null,
          })),
        );
      }
      for (const batch of chunks(run.scores)) {
        await tx('conductor_compliance_scores').insert(
          batch.map(s => ({
            run_id: runId,
            scope: s.scope,
            ref: s.ref,
            score: s.score,
            previous_score: s.previousScore,
          })),
        );
      }
      for (const batch of chunks(run.factChanges)) {
        await tx('conductor_compliance_fact_changes').insert(
          batch.map(c => ({
            run_id: runId,
            entity_ref: c.entityRef,
            name: c.name,
            before_json: c.before === null ? null : JSON.stringify(c.before),
            after_json: c.after === null ? null : JSON.stringify(c.after),
          })),
        );
      }
      const gone = run.seenChanges.filter(c => c.after === null);
      for (const batch of chunks(gone)) {
        await tx('conductor_compliance_facts_seen')
          .where(q =>
            batch.forEach(c =>
              q.orWhere({ entity_ref: c.entityRef, name: c.name }),
            ),
          )
          .delete();
      }
      const present = run.seenChanges.filter(c => c.after !== null);
      for (const batch of chunks(present)) {
        await tx('conductor_compliance_facts_seen')
          .insert(
            batch.map(c => ({
              entity_ref: c.entityRef,
              name: c.name,
              value_json: JSON.stringify(c.after),
            })),
          )
          .onConflict(['entity_ref', 'name'])
          .merge();
      }
      await tx('conductor_compliance_runs')
        .where('id', runId)
        .update({ finished_at: new Date() });
      return runId;
    });
  }

  /** Approved exemptions that have neither expired nor been revoked. */
  async activeExemptions(now: Date): Promise<StoredExemption[]> {
    const rows = await this.db('conductor_compliance_exemptions')
      .whereNull('revoked_at')
      // Rows from before the two-person rule have no status: approved.
      .where(q => q.whereNull('status').orWhere('status', 'active'))
      .where('expires_at', '>', now);
    return rows.map(fromExemptionRow);
  }

  async exemptionsFor(entityRef: string): Promise<StoredExemption[]> {
    return (
      await this.db('conductor_compliance_exemptions')
        .where('entity_ref', entityRef)
        .orderBy('id', 'desc')
    ).map(fromExemptionRow);
  }

  async getExemption(id: number): Promise<StoredExemption | undefined> {
    const row = await this.db('conductor_compliance_exemptions')
      .where('id', id)
      .first();
    return row ? fromExemptionRow(row) : undefined;
  }

  /** Records a request; it does nothing until someone approves it. */
  async requestExemption(e: {
    entityRef: string;
    controlId: string;
    reason: string;
    createdBy: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<StoredExemption> {
    return this.db.transaction(async tx => {
      const [row] = await tx('conductor_compliance_exemptions')
        .insert({
          entity_ref: e.entityRef,
          control_id: e.controlId,
          reason: e.reason,
          approver: '',
          status: 'requested',
          created_by: e.createdBy,
          created_at: e.createdAt,
          expires_at: e.expiresAt,
        })
        .returning('id');
      const id = insertedId(row);
      await writeAudit(tx, {
        subjectType: 'exemption',
        subjectId: id,
        action: 'request',
        actor: e.createdBy,
        at: e.createdAt,
        detail: e,
      });
      return fromExemptionRow(
        await tx('conductor_compliance_exemptions').where('id', id).first(),
      );
    });
  }

  /** Activates a requested exemption; false when it is not (or no longer) requested. */
  async approveExemption(
    id: number,
    approver: string,
    at: Date,
  ): Promise<boolean> {
    return approveRequested(this.db, 'exemption', id, approver, at);
  }

  async revokeExemption(id: number, actor: string, at: Date): Promise<boolean> {
    return revokeApproval(this.db, 'exemption', id, actor, at);
  }
}

function fromExemptionRow(r: ExemptionRow): StoredExemption {
  return {
    id: Number(r.id),
    entityRef: r.entity_ref,
    controlId: r.control_id,
    reason: r.reason,
    status: r.revoked_at ? 'revoked' : r.status ?? 'active',
    approver: r.approver,
    createdBy: r.created_by,
    createdAt: toIso(r.created_at),
    approvedAt: r.approved_at ? toIso(r.approved_at) : undefined,
    expiresAt: toIso(r.expires_at),
    revokedAt: r.revoked_at ? toIso(r.revoked_at) : undefined,
    revokedBy: r.revoked_by ?? undefined,
  };
}
