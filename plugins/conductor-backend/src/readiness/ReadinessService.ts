import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityReadinessResponse,
  PromotionCheckRequest,
  PromotionOverride,
  PromotionOverrideRequest,
  TeamReadinessResponse,
  PromotionDecision,
  ReadinessScore,
  computeReadiness,
  reasonProblem,
  ReadinessPolicy,
  alertLinks,
} from '@internal/plugin-conductor-common';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { assertMayRevoke, assertSecondPerson } from '../shared/approvals';
import { AlertSender } from '../shared/AlertSender';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';
import { GroupCommit } from '../shared/GroupCommit';
import {
  DecisionToRecord,
  ReadinessStore,
  StoredReadinessScore,
} from './ReadinessStore';
import { ReadinessSettings } from './readinessConfig';

function toStoredScore(s: ReadinessScore): StoredReadinessScore {
  return {
    entityRef: s.entityRef,
    score: s.score,
    components: s.components,
    computedAt: s.computedAt,
  };
}

/**
 * Computes readiness scores and answers the promotion gate. The gate fails
 * closed: anything but a computed score at or above the threshold, from
 * fresh evidence, is a "no" with the reason.
 */
export class ReadinessService {
  constructor(
    private readonly deps: {
      evidence: EvidenceAccess;
      store: ReadinessStore;
      /** Existence and owner lookups for the gate, and the team ranking. */
      catalogSnapshot: CatalogSnapshot;
      settings: ReadinessSettings;
      logger: LoggerService;
      alerts?: AlertSender;
    },
  ) {}

  /** Decisions are committed in groups: one transaction per batch of concurrent gate calls. */
  private readonly decisionLog = new GroupCommit(
    (entries: DecisionToRecord[]) => this.deps.store.recordDecisions(entries),
  );

  thresholdFor(environment: string): number {
    return (
      this.deps.settings.thresholds[environment] ??
      this.deps.settings.defaultThreshold
    );
  }

  /**
   * The policy for an entity: its type's own weights when config gives them
   * (a website has no chaos experiments), the default weights otherwise.
   */
  private policyFor(entityRef: string): ReadinessPolicy {
    const { policy, weightsByType } = this.deps.settings;
    const type = this.deps.catalogSnapshot.get(entityRef)?.spec?.type;
    const weights = typeof type === 'string' ? weightsByType[type] : undefined;
    return weights
      ? { ...policy, weights, weightsFor: type as string }
      : policy;
  }

  private async computeScore(
    entityRef: string,
    now: Date,
  ): Promise<ReadinessScore> {
    const facts = await this.deps.evidence.latest(entityRef);
    return computeReadiness(entityRef, facts, this.policyFor(entityRef), now);
  }

  /** Components in the catalog snapshot with their owner. */
  private async componentOwners(): Promise<Map<string, string>> {
    const snapshot = this.deps.catalogSnapshot;
    await snapshot.ensure();
    return new Map(
      snapshot.entities(['Component']).map(e => {
        const ref = stringifyEntityRef(e);
        return [ref, snapshot.ownerOf(ref) ?? 'unowned'];
      }),
    );
  }

  /**
   * Scores every component from its latest evidence and stores the scores:
   * the daily snapshot the team trend is drawn from.
   */
  async snapshot(now = new Date()): Promise<number> {
    await this.deps.catalogSnapshot.refresh();
    const scored = await this.scoreAllComponents(now);
    await this.deps.store.saveScores(scored.map(x => toStoredScore(x.score)));
    return scored.length;
  }

  /** Every component's score from its latest evidence, with its owner. */
  private async scoreAllComponents(now: Date) {
    const owners = await this.componentOwners();
    const facts = await this.deps.evidence.latestForEntities([
      ...owners.keys(),
    ]);
    return [...owners].map(([ref, owner]) => ({
      owner,
      score: computeReadiness(
        ref,
        facts.get(ref) ?? [],
        this.policyFor(ref),
        now,
      ),
    }));
  }

  /** Readiness per owning team: current ranking and the daily trend of stored scores. */
  async teams(now = new Date()): Promise<TeamReadinessResponse> {
    const scored = await this.scoreAllComponents(now);
    const owners = new Map(scored.map(x => [x.score.entityRef, x.owner]));
    const threshold = this.thresholdFor('production');
    const byTeam = new Map<
      string,
      Array<{ entityRef: string; score: number }>
    >();
    for (const { owner, score: s } of scored) {
      byTeam.set(owner, [
        ...(byTeam.get(owner) ?? []),
        { entityRef: s.entityRef, score: s.score },
      ]);
    }
    const avg = (xs: number[]) =>
      Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10_000) / 10_000;
    const teams = [...byTeam.entries()]
      .map(([owner, entities]) => ({
        owner,
        services: entities.length,
        averageScore: avg(entities.map(e => e.score)),
        belowThreshold: entities.filter(e => e.score < threshold).length,
        entities: entities.sort((a, b) => a.score - b.score),
      }))
      .sort(
        (a, b) =>
          b.averageScore - a.averageScore || a.owner.localeCompare(b.owner),
      );

    // Trend: per day, each entity's last stored score, averaged per team.
    const since = new Date(now.getTime() - 30 * 86_400_000);
    const lastPerDay = new Map<
      string,
      { day: string; owner: string; score: number }
    >();
    for (const row of await this.deps.store.scoresSince(since)) {
      const owner = owners.get(row.entityRef);
      if (!owner) continue;
      const day = row.computedAt.slice(0, 10);
      lastPerDay.set(`${day} ${row.entityRef}`, {
        day,
        owner,
        score: row.score,
      });
    }
    const grouped = new Map<string, number[]>();
    for (const { day, owner, score } of lastPerDay.values()) {
      grouped.set(`${day}|${owner}`, [
        ...(grouped.get(`${day}|${owner}`) ?? []),
        score,
      ]);
    }
    const trend = [...grouped.entries()]
      .map(([key, scores]) => {
        const [day, owner] = key.split('|');
        return { day, owner, averageScore: avg(scores) };
      })
      .sort(
        (a, b) => a.day.localeCompare(b.day) || a.owner.localeCompare(b.owner),
      );
    return { threshold, teams, trend };
  }

  /** An entity's score with its history and recent gate decisions. */
  async forEntity(entityRef: string): Promise<EntityReadinessResponse> {
    // A read stores nothing: scores are stored by the gate and the snapshot.
    const score = await this.computeScore(entityRef, new Date());
    return {
      ...score,
      thresholds: { production: this.thresholdFor('production') },
      history: (await this.deps.store.scoreHistory(entityRef, 60)).map(h => ({
        score: h.score,
        computedAt: h.computedAt,
      })),
      decisions: await this.deps.store.recentDecisions(entityRef, 10),
      overrides: await this.deps.store.overridesFor(entityRef),
    };
  }

  /**
   * Asks for a break-glass override: for an entity in the catalog and a
   * configured environment, with a reason, for at most the allowed hours. It
   * does nothing until someone else approves it.
   */
  async requestOverride(
    request: PromotionOverrideRequest,
    requester: string,
    now = new Date(),
  ): Promise<PromotionOverride> {
    const reasonError = reasonProblem(request.reason);
    if (reasonError) throw new InputError(`reason: ${reasonError}`);
    this.assertKnownEnvironment(request.environment);
    const maxHours = this.deps.settings.maxOverrideHours;
    if (request.expiresInHours > maxHours) {
      throw new InputError(
        `expiresInHours: at most ${maxHours} hours (conductor.readiness.overrides.maxHours): a longer exception is a threshold change`,
      );
    }
    const { exists } = await this.deps.catalogSnapshot.lookup(
      request.entityRef,
    );
    if (!exists) {
      throw new NotFoundError(
        `entityRef: ${request.entityRef} is not in the catalog`,
      );
    }
    return this.deps.store.requestOverride({
      entityRef: request.entityRef,
      environment: request.environment,
      reason: request.reason,
      createdBy: requester,
      createdAt: now,
      expiresAt: new Date(now.getTime() + request.expiresInHours * 3_600_000),
    });
  }

  async getOverride(id: number): Promise<PromotionOverride> {
    const override = await this.deps.store.getOverride(id);
    if (!override) throw new NotFoundError(`override ${id} does not exist`);
    return override;
  }

  overridesFor(entityRef: string): Promise<PromotionOverride[]> {
    return this.deps.store.overridesFor(entityRef);
  }

  /**
   * Approves a requested override, by a catalog user other than the
   * requester; it runs for the hours asked, from the approval.
   */
  async approveOverride(
    id: number,
    approver: string,
    now = new Date(),
  ): Promise<PromotionOverride> {
    const override = await this.getOverride(id);
    await assertSecondPerson(
      this.deps.catalogSnapshot,
      override.createdBy,
      approver,
    );
    if (override.status !== 'requested') {
      throw new ConflictError(
        `override ${id} is ${override.status}, not waiting for approval`,
      );
    }
    const hours =
      Date.parse(override.expiresAt) - Date.parse(override.createdAt);
    const approved = await this.deps.store.approveOverride(
      id,
      approver,
      now,
      new Date(now.getTime() + hours),
    );
    if (!approved) {
      throw new ConflictError(
        `override ${id} is no longer waiting for approval`,
      );
    }
    return this.getOverride(id);
  }

  /** Revokes an override: its requester, its approver or an admin. */
  async revokeOverride(
    id: number,
    actor: string,
    actorIsAdmin: boolean,
    now = new Date(),
  ): Promise<void> {
    const override = await this.getOverride(id);
    assertMayRevoke(override, actor, actorIsAdmin, `override ${id}`);
    if (!(await this.deps.store.revokeOverride(id, actor, now))) {
      throw new NotFoundError(
        `override ${id} does not exist or is already revoked`,
      );
    }
  }

  /** Environments are the ones configured: a typo must not borrow production's threshold silently. */
  knowsEnvironment(environment: string): boolean {
    return Object.prototype.hasOwnProperty.call(
      this.deps.settings.thresholds,
      environment,
    );
  }

  private assertKnownEnvironment(environment: string) {
    if (!this.knowsEnvironment(environment)) {
      throw new InputError(
        `environment: ${environment} is not configured (known: ${Object.keys(
          this.deps.settings.thresholds,
        ).join(', ')})`,
      );
    }
  }

  async check(
    request: PromotionCheckRequest,
    requestedBy: string,
  ): Promise<PromotionDecision> {
    const judged = await this.judge(request, new Date());
    let decision = judged.decision;
    const entityRef = decision.entityRef;
    try {
      decision.decisionId = await this.decisionLog.add({
        decision,
        requestedBy,
        score: judged.toStore,
      });
    } catch (e) {
      // A decision nobody can audit must not let a release through.
      this.deps.logger.error(
        `Could not record the promotion decision for ${entityRef}: ${
          (e as Error).message
        }`,
      );
      decision = {
        ...decision,
        allowed: false,
        judged: false,
        override: undefined,
        reasons: [
          `internal error, failing closed: the decision could not be recorded (${
            (e as Error).message
          })`,
          ...decision.reasons,
        ],
      };
    }
    // Never delays or fails the gate's answer.
    if (!decision.allowed) this.notifyBlocked(decision, judged.owner);
    return decision;
  }

  /**
   * What the gate would answer now, overrides included, as a dry run: it
   * records no decision or score and alerts no one.
   */
  async dryRun(request: PromotionCheckRequest): Promise<PromotionDecision> {
    return (await this.judge(request, new Date())).decision;
  }

  /** The gate's judgement, failing closed; reads only. */
  private async judge(
    request: PromotionCheckRequest,
    now: Date,
  ): Promise<{
    decision: PromotionDecision;
    owner?: string;
    toStore?: StoredReadinessScore;
  }> {
    const entityRef = stringifyEntityRef(parseEntityRef(request.entityRef));
    const threshold = this.thresholdFor(request.environment);
    const base = {
      entityRef,
      environment: request.environment,
      version: request.version,
      threshold,
      decidedAt: now.toISOString(),
    };
    let decision: PromotionDecision;
    let owner: string | undefined;
    let entityKnown = false;
    let toStore: StoredReadinessScore | undefined;
    try {
      const entity = this.knowsEnvironment(request.environment)
        ? await this.deps.catalogSnapshot.lookup(entityRef)
        : undefined;
      if (!entity) {
        decision = {
          ...base,
          allowed: false,
          judged: false,
          score: null,
          components: [],
          reasons: [
            `environment ${
              request.environment
            } is not configured (known: ${Object.keys(
              this.deps.settings.thresholds,
            ).join(', ')})`,
          ],
        };
      } else if (!entity.exists) {
        decision = {
          ...base,
          allowed: false,
          judged: false,
          score: null,
          components: [],
          reasons: [`${entityRef} is not in the catalog`],
        };
      } else {
        entityKnown = true;
        owner = entity.owner;
        const score = await this.computeScore(entityRef, now);
        toStore = toStoredScore(score);
        const reasons: string[] = [];
        const maxAge = this.deps.settings.policy.maxEvidenceAgeDays;
        if (score.newestEvidenceAgeDays === undefined) {
          reasons.push(`no trusted evidence about ${entityRef}`);
        } else if (score.newestEvidenceAgeDays > maxAge) {
          reasons.push(
            `evidence is stale: the newest trusted required fact is ${score.newestEvidenceAgeDays} d old (max ${maxAge} d)`,
          );
        }
        if (score.score < threshold) {
          reasons.push(
            `readiness ${score.score} is below the ${request.environment} threshold ${threshold}`,
          );
          for (const c of score.components.filter(x => x.value < 1)) {
            reasons.push(
              `${c.id}: ${c.value} × ${c.weight} (${c.explanation})`,
            );
          }
          if (score.next)
            reasons.push(`next: ${score.next.action} (+${score.next.gain})`);
        }
        decision = {
          ...base,
          allowed: reasons.length === 0,
          score: score.score,
          components: score.components,
          reasons,
        };
        if (reasons.length === 0)
          decision.reasons = [
            `readiness ${score.score} meets the ${request.environment} threshold ${threshold}`,
          ];
      }
    } catch (e) {
      this.deps.logger.error(
        `Promotion check of ${entityRef} failed: ${(e as Error).message}`,
      );
      decision = {
        ...base,
        allowed: false,
        judged: false,
        score: null,
        components: [],
        reasons: [`internal error, failing closed: ${(e as Error).message}`],
      };
    }

    // An override covers a known entity in a known environment, nothing else.
    if (!decision.allowed && entityKnown)
      decision = await this.withOverride(decision, now);
    return { decision, owner, toStore };
  }

  /** A blocked decision let through by an active break-glass override, if there is one. */
  private async withOverride(
    decision: PromotionDecision,
    now: Date,
  ): Promise<PromotionDecision> {
    let override;
    try {
      override = await this.deps.store.activeOverride(
        decision.entityRef,
        decision.environment,
        now,
      );
    } catch (e) {
      this.deps.logger.error(
        `Could not read overrides for ${decision.entityRef}: ${
          (e as Error).message
        }`,
      );
      return {
        ...decision,
        reasons: [
          ...decision.reasons,
          `break-glass overrides could not be read: ${(e as Error).message}`,
        ],
      };
    }
    if (!override) return decision;
    return {
      ...decision,
      allowed: true,
      override,
      reasons: [
        `break-glass override #${override.id} approved by ${override.approver} until ${override.expiresAt}: ${override.reason}`,
        ...decision.reasons,
      ],
    };
  }

  /** Tells the owning group, at most once an hour (by default) per entity and environment. */
  private notifyBlocked(decision: PromotionDecision, owner?: string) {
    const { enabled, throttleMs } = this.deps.settings.blockedAlert;
    if (!this.deps.alerts || !owner || !enabled) return;
    const key = `conductor.promotion.blocked:${decision.entityRef}:${decision.environment}`;
    this.deps.alerts.enqueue(
      key,
      {
        recipients: { type: 'entity', entityRef: owner },
        payload: {
          title: `Release of ${decision.entityRef} to ${decision.environment} blocked`,
          description: decision.reasons.slice(0, 3).join('; '),
          link: alertLinks.releaseBlocked.to(decision.entityRef),
          severity: 'high',
          topic: 'conductor.promotion.blocked',
          // One notification per entity and environment, updated on each block.
          scope: key,
        },
      },
      throttleMs,
    );
  }
}
