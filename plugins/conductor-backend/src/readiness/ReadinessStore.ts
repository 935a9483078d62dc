import {
  ApprovalStatus,
  PromotionDecision,
  PromotionOverride,
  StoredPromotionDecision,
  ReadinessComponentScore,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { approveRequested, revokeApproval, writeAudit } from '../shared/audit';
import { chunks, insertedId, toIso, toScore } from '../shared/database';

/** A stored score, without the per-fact detail. */
export interface StoredReadinessScore {
  entityRef: string;
  score: number;
  components: ReadinessComponentScore[];
  computedAt: string;
}

/** A stored score younger than this is not stored again when unchanged. */
const RESTORE_AFTER_MS = 60 * 60_000;

/** A gate decision to record, with who asked and the score it was made on. */
export interface DecisionToRecord {
  decision: PromotionDecision;
  requestedBy: string;
  score?: StoredReadinessScore;
}

function scoreRow(score: StoredReadinessScore) {
  return {
    entity_ref: score.entityRef,
    score: score.score,
    components_json: JSON.stringify(score.components),
    computed_at: new Date(score.computedAt),
  };
}

function decisionRow(decision: PromotionDecision, requestedBy: string) {
  return {
    entity_ref: decision.entityRef,
    environment: decision.environment,
    version: decision.version ?? null,
    allowed: decision.allowed,
    score: decision.score,
    threshold: decision.threshold,
    reasons_json: JSON.stringify(decision.reasons),
    requested_by: requestedBy,
    override_id: decision.override?.id ?? null,
    decided_at: new Date(decision.decidedAt),
  };
}

interface ScoreRow {
  entity_ref: string;
  score: unknown;
  components_json: string;
  computed_at: unknown;
}

interface DecisionRow {
  id: number | string;
  entity_ref: string;
  environment: string;
  version: string | null;
  allowed: boolean | number;
  score: unknown;
  threshold: unknown;
  reasons_json: string;
  requested_by: string;
  override_id: number | null;
  decided_at: unknown;
}

interface OverrideRow {
  id: number | string;
  entity_ref: string;
  environment: string;
  reason: string;
  approver: string;
  created_by: string;
  created_at: unknown;
  expires_at: unknown;
  status: ApprovalStatus | null;
  approved_at: unknown;
  revoked_at: unknown;
  revoked_by: string | null;
}

function overrideFromRow(row: OverrideRow): PromotionOverride {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    environment: row.environment,
    reason: row.reason,
    status: row.revoked_at ? 'revoked' : row.status ?? 'active',
    approver: row.approver,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    approvedAt: row.approved_at ? toIso(row.approved_at) : undefined,
    expiresAt: toIso(row.expires_at),
    revokedAt: row.revoked_at ? toIso(row.revoked_at) : undefined,
    revokedBy: row.revoked_by ?? undefined,
  };
}

/** Readiness scores, gate decisions and overrides. */
export class ReadinessStore {
  constructor(private readonly db: Knex) {}

  /** Stores scores as given (the daily snapshot), many rows per statement. */
  async saveScores(
    scores: StoredReadinessScore[],
    db: Knex = this.db,
  ): Promise<void> {
    for (const batch of chunks(scores.map(scoreRow))) {
      await db('conductor_readiness_scores').insert(batch);
    }
  }

  /**
   * Stores the scores that are news: the entity has no stored score from the
   * last hour, or the newest one differs. Keeps the history meaningful when
   * a gate is asked the same thing hundreds of times an hour.
   * Returns how many were stored.
   */
  async saveScoresIfNews(
    scores: StoredReadinessScore[],
    db: Knex = this.db,
  ): Promise<number> {
    if (scores.length === 0) return 0;
    const candidates = new Map(scores.map(s => [s.entityRef, s]));
    const since =
      Math.min(...scores.map(s => Date.parse(s.computedAt))) - RESTORE_AFTER_MS;
    const newest = new Map<string, { score: number; at: number }>();
    for (const refs of chunks([...candidates.keys()], 500)) {
      const rows = await db('conductor_readiness_scores')
        .select('entity_ref', 'score', 'computed_at')
        .whereIn('entity_ref', refs)
        .where('computed_at', '>', new Date(since));
      for (const r of rows) {
        const at = Date.parse(toIso(r.computed_at));
        const seen = newest.get(r.entity_ref);
        if (!seen || at >= seen.at)
          newest.set(r.entity_ref, { score: toScore(r.score), at });
      }
    }
    const news = [...candidates.values()].filter(s => {
      const last = newest.get(s.entityRef);
      return (
        !last ||
        last.score !== s.score ||
        Date.parse(s.computedAt) - last.at > RESTORE_AFTER_MS
      );
    });
    await this.saveScores(news, db);
    return news.length;
  }

  /** Scores of one entity, newest first. */
  async scoreHistory(
    entityRef: string,
    limit = 100,
  ): Promise<StoredReadinessScore[]> {
    const rows = await this.db('conductor_readiness_scores')
      .where('entity_ref', entityRef)
      .orderBy([
        { column: 'computed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map((r: ScoreRow) => ({
      entityRef: r.entity_ref,
      score: toScore(r.score),
      components: JSON.parse(r.components_json),
      computedAt: toIso(r.computed_at),
    }));
  }

  /** Every stored score since `since`, oldest first, without components. */
  async scoresSince(
    since: Date,
  ): Promise<Array<{ entityRef: string; score: number; computedAt: string }>> {
    const rows = await this.db('conductor_readiness_scores')
      .select('entity_ref', 'score', 'computed_at')
      .where('computed_at', '>=', since)
      .orderBy('computed_at');
    return rows.map((r: Omit<ScoreRow, 'components_json'>) => ({
      entityRef: r.entity_ref,
      score: toScore(r.score),
      computedAt: toIso(r.computed_at),
    }));
  }

  /**
   * Records gate decisions, and the scores they were made on when those are
   * news, in one transaction. Returns the decision ids in the given order.
   */
  async recordDecisions(entries: DecisionToRecord[]): Promise<number[]> {
    if (entries.length === 0) return [];
    return this.db.transaction(async tx => {
      await this.saveScoresIfNews(
        entries.flatMap(e => (e.score ? [e.score] : [])),
        tx,
      );
      const ids: number[] = [];
      for (const batch of chunks(entries)) {
        const rows = await tx('conductor_promotion_decisions')
          .insert(batch.map(e => decisionRow(e.decision, e.requestedBy)))
          .returning('id');
        // One statement numbers its rows in order on both databases.
        ids.push(...rows.map(insertedId).sort((a, b) => a - b));
      }
      return ids;
    });
  }

  async recentDecisions(
    entityRef: string,
    limit = 20,
  ): Promise<StoredPromotionDecision[]> {
    const rows = await this.db('conductor_promotion_decisions')
      .where('entity_ref', entityRef)
      .orderBy([
        { column: 'decided_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map((r: DecisionRow) => ({
      decisionId: Number(r.id),
      entityRef: r.entity_ref,
      environment: r.environment,
      version: r.version ?? undefined,
      allowed: !!r.allowed,
      score: r.score === null ? null : toScore(r.score),
      threshold: toScore(r.threshold),
      components: [],
      reasons: JSON.parse(r.reasons_json),
      requestedBy: r.requested_by,
      decidedAt: toIso(r.decided_at),
    }));
  }

  /** Records a request for an override; it does nothing until approved. */
  async requestOverride(o: {
    entityRef: string;
    environment: string;
    reason: string;
    createdBy: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<PromotionOverride> {
    return this.db.transaction(async tx => {
      const [row] = await tx('conductor_promotion_overrides')
        .insert({
          entity_ref: o.entityRef,
          environment: o.environment,
          reason: o.reason,
          approver: '',
          status: 'requested',
          created_by: o.createdBy,
          created_at: o.createdAt,
          expires_at: o.expiresAt,
        })
        .returning('id');
      const id = insertedId(row);
      await writeAudit(tx, {
        subjectType: 'override',
        subjectId: id,
        action: 'request',
        actor: o.createdBy,
        at: o.createdAt,
        detail: o,
      });
      return overrideFromRow(
        await tx('conductor_promotion_overrides').where('id', id).first(),
      );
    });
  }

  async getOverride(id: number): Promise<PromotionOverride | undefined> {
    const row = await this.db('conductor_promotion_overrides')
      .where('id', id)
      .first();
    return row ? overrideFromRow(row) : undefined;
  }

  async overridesFor(entityRef: string): Promise<PromotionOverride[]> {
    const rows = await this.db('conductor_promotion_overrides')
      .where('entity_ref', entityRef)
      .orderBy('id', 'desc')
      .limit(50);
    return rows.map(overrideFromRow);
  }

  /**
   * Activates a requested override from `at` until `expiresAt`; false when
   * it is not (or no longer) requested.
   */
  async approveOverride(
    id: number,
    approver: string,
    at: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    return approveRequested(this.db, 'override', id, approver, at, {
      expires_at: expiresAt,
    });
  }

  async revokeOverride(id: number, actor: string, at: Date): Promise<boolean> {
    return revokeApproval(this.db, 'override', id, actor, at);
  }

  /** The newest approved override for entity and environment that has not expired or been revoked. */
  async activeOverride(
    entityRef: string,
    environment: string,
    now: Date,
  ): Promise<PromotionOverride | undefined> {
    const row = await this.db('conductor_promotion_overrides')
      .where({ entity_ref: entityRef, environment })
      .whereNull('revoked_at')
      // Rows from before the two-person rule have no status: approved.
      .where(q => q.whereNull('status').orWhere('status', 'active'))
      .where('expires_at', '>', now)
      .orderBy('id', 'desc')
      .first();
    return row ? overrideFromRow(row) : undefined;
  }
}
