import {
  PromotionDecision,
  PromotionOverride,
  ReadinessComponentScore,
} from '@internal/plugin-conductor-common';
import { Knex } from 'knex';
import { toIso } from './migrations';
import { insertedId } from './util';

/** A stored score, without the per-fact detail. */
export interface StoredReadinessScore {
  entityRef: string;
  score: number;
  components: ReadinessComponentScore[];
  computedAt: string;
}

/** A decision as stored, with who asked. */
export interface StoredDecision extends PromotionDecision {
  requestedBy: string;
}

function overrideFromRow(row: any): PromotionOverride {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    environment: row.environment,
    reason: row.reason,
    approver: row.approver,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    expiresAt: toIso(row.expires_at),
  };
}

/** Readiness scores, gate decisions and overrides. */
export class ReadinessStore {
  constructor(private readonly db: Knex) {}

  async saveScore(score: StoredReadinessScore, db: Knex = this.db): Promise<void> {
    await db('conductor_readiness_scores').insert({
      entity_ref: score.entityRef,
      score: score.score,
      components_json: JSON.stringify(score.components),
      computed_at: new Date(score.computedAt),
    });
  }

  async lastScore(entityRef: string): Promise<StoredReadinessScore | undefined> {
    const [row] = await this.scoreRows(entityRef, 1);
    return row;
  }

  /** Scores of one entity, newest first. */
  async scoreHistory(entityRef: string, limit = 100): Promise<StoredReadinessScore[]> {
    return this.scoreRows(entityRef, limit);
  }

  private async scoreRows(entityRef: string, limit: number) {
    const rows = await this.db('conductor_readiness_scores')
      .where('entity_ref', entityRef)
      .orderBy([{ column: 'computed_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(limit);
    return rows.map((r: any) => ({
      entityRef: r.entity_ref,
      score: Number(r.score),
      components: JSON.parse(r.components_json),
      computedAt: toIso(r.computed_at),
    }));
  }

  /** Every stored score since `since`, oldest first, without components. */
  async scoresSince(since: Date): Promise<Array<{ entityRef: string; score: number; computedAt: string }>> {
    const rows = await this.db('conductor_readiness_scores')
      .select('entity_ref', 'score', 'computed_at')
      .where('computed_at', '>=', since)
      .orderBy('computed_at');
    return rows.map((r: any) => ({ entityRef: r.entity_ref, score: Number(r.score), computedAt: toIso(r.computed_at) }));
  }

  /**
   * Records a gate decision, and the score it was made on when that is new,
   * in one transaction: one commit per gate call.
   */
  async recordDecision(decision: PromotionDecision, requestedBy: string, score?: StoredReadinessScore): Promise<number> {
    return this.db.transaction(async tx => {
      if (score) await this.saveScore(score, tx);
      return this.insertDecision(tx, decision, requestedBy);
    });
  }

  private async insertDecision(db: Knex, decision: PromotionDecision, requestedBy: string): Promise<number> {
    const [row] = await db('conductor_promotion_decisions')
      .insert({
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
      })
      .returning('id');
    return insertedId(row);
  }

  async recentDecisions(entityRef: string, limit = 20): Promise<StoredDecision[]> {
    const rows = await this.db('conductor_promotion_decisions')
      .where('entity_ref', entityRef)
      .orderBy([{ column: 'decided_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(limit);
    return rows.map((r: any) => ({
      decisionId: Number(r.id),
      entityRef: r.entity_ref,
      environment: r.environment,
      version: r.version ?? undefined,
      allowed: !!r.allowed,
      score: r.score === null ? null : Number(r.score),
      threshold: Number(r.threshold),
      components: [],
      reasons: JSON.parse(r.reasons_json),
      requestedBy: r.requested_by,
      decidedAt: toIso(r.decided_at),
    }));
  }

  async createOverride(o: Omit<PromotionOverride, 'id'>): Promise<PromotionOverride> {
    const [row] = await this.db('conductor_promotion_overrides')
      .insert({
        entity_ref: o.entityRef,
        environment: o.environment,
        reason: o.reason,
        approver: o.approver,
        created_by: o.createdBy,
        created_at: new Date(o.createdAt),
        expires_at: new Date(o.expiresAt),
      })
      .returning('id');
    return { ...o, id: insertedId(row) };
  }

  /** The newest override for entity and environment that has not expired. */
  async activeOverride(entityRef: string, environment: string, now: Date): Promise<PromotionOverride | undefined> {
    const row = await this.db('conductor_promotion_overrides')
      .where({ entity_ref: entityRef, environment })
      .where('expires_at', '>', now)
      .orderBy('id', 'desc')
      .first();
    return row ? overrideFromRow(row) : undefined;
  }
}
