import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { assertMayRevoke, assertSecondPerson } from '../shared/approvals';
import { AlertSender } from '../shared/AlertSender';
import { ComplianceAlertSettings } from './alertSettings';
import {
  CompiledControl,
  ControlResult,
  ControlsCatalogError,
  EvidenceFact,
  FactChange,
  FactValues,
  complianceScore,
  diffFacts,
  factsBehindFlip,
  controlSubjectOf,
  evaluateControls,
  ComplianceRunSummary,
  EntityComplianceResponse,
  ExemptionRequest,
  StoredExemption,
  TeamComplianceResponse,
  ComplianceChangesResponse,
  ControlsListResponse,
  StoredControlResult,
  formatCatalogError,
  loadControlsCatalog,
  validateEvidencePush,
  reasonProblem,
  alertLinks,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs/promises';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';
import { ComplianceStore, ScoreRow } from './ComplianceStore';

/** Thrown when a controls catalog has errors; carries each with its place. */
export class ControlsCatalogInputError extends InputError {
  constructor(readonly catalogErrors: ControlsCatalogError[]) {
    super(catalogErrors.map(formatCatalogError).join('\n'));
  }
}

/** The latest facts as plain values by name, as the diff compares them. */
function factValues(facts: EvidenceFact[]): FactValues {
  return Object.fromEntries(facts.map(f => [f.name, f.value]));
}

/**
 * Runs the controls catalog over the catalog's evidence, stores each run
 * with its scores and deltas, and answers dry runs for pull requests.
 */
export class ComplianceService {
  private controls: CompiledControl[] = [];
  private loadErrors: ControlsCatalogError[] = [];

  constructor(
    private readonly deps: {
      files: string[];
      store: ComplianceStore;
      evidence: EvidenceAccess;
      catalogSnapshot: CatalogSnapshot;
      logger: LoggerService;
      /** How far ahead an exemption may expire. Default 90 days. */
      maxExemptionDays?: number;
      /** The "compliance score < target" alert (`readComplianceAlertSettings`). */
      belowTarget: ComplianceAlertSettings;
      alerts?: AlertSender;
    },
  ) {}

  /**
   * (Re)reads the catalog files. With errors, the controls already loaded
   * stay active and the errors are thrown; on first load the valid controls
   * are used and the errors logged.
   */
  async loadControls(options: { initial?: boolean } = {}): Promise<number> {
    const files = await Promise.all(
      this.deps.files.map(async file => ({
        file,
        text: await fs.readFile(file, 'utf8'),
      })),
    );
    const loaded = loadControlsCatalog(files);
    if (loaded.errors.length) {
      if (options.initial) {
        this.controls = loaded.controls;
        this.loadErrors = loaded.errors;
        loaded.errors.forEach(e =>
          this.deps.logger.error(`Controls catalog: ${formatCatalogError(e)}`),
        );
        return loaded.controls.length;
      }
      throw new ControlsCatalogInputError(loaded.errors);
    }
    this.controls = loaded.controls;
    this.loadErrors = [];
    return loaded.controls.length;
  }

  listControls(): ControlsListResponse {
    return {
      controls: this.controls.map(({ evaluate, reads, ...c }) => ({
        ...c,
        reads,
      })),
      errors: this.loadErrors.map(formatCatalogError),
    };
  }

  /** Every component and API, from the catalog as it is now. */
  private async subjects() {
    await this.deps.catalogSnapshot.refresh();
    return this.deps.catalogSnapshot
      .entities(['Component', 'API'])
      .map(controlSubjectOf);
  }

  /** One full run: every applicable control on every component and API. */
  async run(
    trigger: 'nightly' | 'manual',
    now = new Date(),
  ): Promise<ComplianceRunSummary> {
    const subjects = await this.subjects();
    const facts = await this.deps.evidence.latestForEntities(
      subjects.map(s => s.entityRef),
    );
    const exemptions = await this.deps.store.activeExemptions(now);
    const lastRun = await this.deps.store.lastRunId();
    const previous = new Map(
      (lastRun ? await this.deps.store.resultsOfRun(lastRun) : []).map(r => [
        `${r.entityRef}|${r.controlId}`,
        r,
      ]),
    );
    const previousScores = new Map(
      (lastRun ? await this.deps.store.scoresOfRun(lastRun) : []).map(s => [
        `${s.scope}|${s.ref}`,
        s.score,
      ]),
    );

    // The evidence diff: what each entity's facts are now against what the last run saw.
    const seen = await this.deps.store.factsSeen(
      subjects.map(s => s.entityRef),
    );
    const seenChanges = subjects.flatMap(s =>
      diffFacts(
        s.entityRef,
        seen.get(s.entityRef) ?? {},
        factValues(facts.get(s.entityRef) ?? []),
      ),
    );
    // No diff on the first run, nor on the first one after an upgrade added
    // the seen facts (none seen at all): that run is the baseline.
    const factChanges = lastRun && seen.size > 0 ? seenChanges : [];

    const results: StoredControlResult[] = [];
    const groups = new Map<string, ControlResult[]>();
    const add = (key: string, rs: ControlResult[]) =>
      groups.set(key, [...(groups.get(key) ?? []), ...rs]);
    for (const s of subjects) {
      const rs = evaluateControls(
        this.controls,
        s,
        facts.get(s.entityRef) ?? [],
        { exemptions, now },
      );
      for (const r of rs) {
        const prev = previous.get(`${r.entityRef}|${r.controlId}`);
        results.push({
          ...r,
          previousStatus: prev?.status ?? null,
          since:
            prev && prev.status === r.status ? prev.since : now.toISOString(),
        });
      }
      add(`entity|${s.entityRef}`, rs);
      if (s.owner) add(`team|${s.owner}`, rs);
      if (s.system) add(`system|${s.system}`, rs);
    }
    const scores: ScoreRow[] = [];
    for (const [key, rs] of groups) {
      const score = complianceScore(rs);
      if (score === null) continue;
      const [scope, ref] = key.split('|') as [ScoreRow['scope'], string];
      scores.push({
        scope,
        ref,
        score,
        previousScore: previousScores.get(key) ?? null,
      });
    }
    const score = complianceScore(results);
    const runId = await this.deps.store.saveRun({
      trigger,
      startedAt: now,
      controls: this.controls.length,
      entities: subjects.length,
      score,
      results,
      scores,
      factChanges,
      seenChanges,
    });
    const flipped = results.filter(
      r => r.previousStatus && r.previousStatus !== r.status,
    ).length;
    const target = this.deps.belowTarget.target;
    const teamsBelowTarget = scores
      .filter(s => s.scope === 'team' && s.score < target)
      .map(s => s.ref)
      .sort();
    for (const team of teamsBelowTarget)
      this.notifyBelowTarget(
        team,
        scores.find(s => s.scope === 'team' && s.ref === team)!,
        target,
      );
    this.deps.logger.info(
      `Compliance run ${runId} (${trigger}): score ${score} over ${subjects.length} entities, ${flipped} control(s) flipped, ${factChanges.length} fact(s) changed`,
    );
    return {
      runId,
      score,
      entities: subjects.length,
      controls: this.controls.length,
      flipped,
      factsChanged: factChanges.length,
      teamsBelowTarget,
    };
  }

  /**
   * The "compliance score < target" alert, to the team. Sent when the team
   * falls below the target or drops further, not again on every run while
   * it stays where it was.
   */
  private notifyBelowTarget(team: string, row: ScoreRow, target: number) {
    const { enabled, throttleMs } = this.deps.belowTarget;
    const sameAsBefore =
      row.previousScore !== null &&
      row.previousScore < target &&
      row.score >= row.previousScore;
    if (!enabled || sameAsBefore) return;
    const key = `conductor.compliance.below-target:${team}`;
    this.deps.alerts?.enqueue(
      key,
      {
        recipients: { type: 'entity', entityRef: team },
        payload: {
          // Named, because a member of a parent group gets its children's alerts too.
          title: `${parseEntityRef(team).name}: compliance score ${(
            row.score * 100
          ).toFixed(1)} % is below the ${(target * 100).toFixed(0)} % target`,
          description:
            row.previousScore === null
              ? 'First run.'
              : `Previous run: ${(row.previousScore * 100).toFixed(1)} %.`,
          link: alertLinks.complianceBelowTarget.to(team),
          severity: 'high',
          topic: 'conductor.compliance.below-target',
          scope: key,
        },
      },
      throttleMs,
    );
  }

  /**
   * Evaluates one entity now, optionally with proposed evidence from a pull
   * request laid over its latest facts. Stores nothing.
   */
  async evaluate(
    body: { entityRef: string; proposedFacts?: unknown[] },
    now = new Date(),
  ) {
    const entity = await this.deps.catalogSnapshot.fetch(body.entityRef);
    if (!entity)
      throw new NotFoundError(
        `entityRef: ${body.entityRef} is not in the catalog`,
      );
    const entityRef = stringifyEntityRef(entity);
    const latest = new Map(
      (await this.deps.evidence.latest(entityRef)).map(f => [f.name, f]),
    );
    if (body.proposedFacts?.length) {
      const parsed = validateEvidencePush(
        { entityRef, facts: body.proposedFacts },
        now,
      );
      if (!parsed.ok) {
        throw new InputError(
          parsed.errors
            .map(
              e =>
                `proposedFacts${e.field.slice('facts'.length)}: ${e.message}`,
            )
            .join('; '),
        );
      }
      for (const f of parsed.facts) {
        latest.set(f.name, {
          ...f,
          entityRef,
          source: 'proposed',
          recordedAt: now.toISOString(),
        } as EvidenceFact);
      }
    }
    const exemptions = (await this.deps.store.activeExemptions(now)).filter(
      e => e.entityRef === entityRef,
    );
    const results = evaluateControls(
      this.controls,
      controlSubjectOf(entity),
      [...latest.values()],
      { exemptions, now },
    );
    return {
      entityRef,
      dryRun: true,
      score: complianceScore(results),
      results,
    };
  }

  /** The entity's results in the latest run, its score trend and exemptions. */
  async forEntity(entityRef: string): Promise<EntityComplianceResponse> {
    const runId = await this.deps.store.lastRunId();
    const stored = runId
      ? await this.deps.store.resultsOfRun(runId, { entityRef })
      : [];
    const factChanges = runId
      ? await this.deps.store.factChangesOfRun(runId, entityRef)
      : [];
    const results = this.withFactsBehindFlips(stored, factChanges);
    // One row by primary key, not every entity's score of the run.
    const [scores] = runId
      ? await this.deps.store.scoresOfRun(runId, 'entity', entityRef)
      : [];
    return {
      entityRef,
      runId: runId ?? null,
      score: scores?.score ?? null,
      previousScore: scores?.previousScore ?? null,
      results,
      factChanges,
      history: await this.deps.store.scoreHistory('entity', entityRef),
      exemptions: await this.deps.store.exemptionsFor(entityRef),
    };
  }

  /** Team ranking of the latest run with each team's trend. */
  async teams(): Promise<TeamComplianceResponse> {
    const runId = await this.deps.store.lastRunId();
    if (!runId) return { runId: null, teams: [] };
    const teams = (await this.deps.store.scoresOfRun(runId, 'team')).sort(
      (a, b) => b.score - a.score,
    );
    return {
      runId,
      teams: await Promise.all(
        teams.map(async t => ({
          ...t,
          history: await this.deps.store.scoreHistory('team', t.ref),
        })),
      ),
    };
  }

  /** Marks each flipped result with the changed facts its control reads. */
  private withFactsBehindFlips(
    results: StoredControlResult[],
    changes: FactChange[],
  ) {
    const reads = new Map(this.controls.map(c => [c.id, c.reads]));
    const byEntity = new Map<string, FactChange[]>();
    for (const c of changes)
      byEntity.set(c.entityRef, [...(byEntity.get(c.entityRef) ?? []), c]);
    return results.map(r => {
      if (!r.previousStatus || r.previousStatus === r.status) return r;
      return {
        ...r,
        changedFacts: factsBehindFlip(
          byEntity.get(r.entityRef) ?? [],
          reads.get(r.controlId),
        ),
      };
    });
  }

  /**
   * What changed in a run against the one before: controls that flipped
   * (with the facts behind each flip) and facts that changed, for the
   * entities `canRead` allows, at most `limit` of each.
   */
  async changes(
    runId: number | undefined,
    canRead: (entityRefs: string[]) => Promise<Set<string>>,
    limit = 500,
  ): Promise<ComplianceChangesResponse> {
    const id = runId ?? (await this.deps.store.lastRunId());
    if (!id)
      return {
        runId: null,
        previousRunId: null,
        flips: [],
        factChanges: [],
        truncated: false,
      };
    const [flipped, allChanges] = await Promise.all([
      this.deps.store.resultsOfRun(id, { flippedOnly: true }),
      this.deps.store.factChangesOfRun(id),
    ]);
    const readable = await canRead([
      ...new Set([...flipped, ...allChanges].map(x => x.entityRef)),
    ]);
    const flips = this.withFactsBehindFlips(
      flipped.filter(r => readable.has(r.entityRef)),
      allChanges,
    );
    const factChanges = allChanges.filter(c => readable.has(c.entityRef));
    return {
      runId: id,
      previousRunId: (await this.deps.store.previousRunId(id)) ?? null,
      flips: flips.slice(0, limit),
      factChanges: factChanges.slice(0, limit),
      truncated: flips.length > limit || factChanges.length > limit,
    };
  }

  /**
   * Asks for an exemption. The control must exist, the entity be in the
   * catalog, the reason say why and the expiry lie within the allowed
   * window. It does nothing until someone else approves it.
   */
  async requestExemption(
    request: ExemptionRequest,
    requester: string,
    now = new Date(),
  ): Promise<StoredExemption> {
    if (!this.controls.some(c => c.id === request.controlId)) {
      throw new InputError(`controlId: unknown control ${request.controlId}`);
    }
    const reasonError = reasonProblem(request.reason);
    if (reasonError) throw new InputError(`reason: ${reasonError}`);
    const expires = Date.parse(request.expiresAt);
    if (expires <= now.getTime()) {
      throw new InputError('expiresAt: must be in the future');
    }
    const maxDays = this.deps.maxExemptionDays ?? 90;
    if (expires > now.getTime() + maxDays * 86_400_000) {
      throw new InputError(
        `expiresAt: at most ${maxDays} days ahead (conductor.compliance.exemptions.maxDays)`,
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
    return this.deps.store.requestExemption({
      entityRef: request.entityRef,
      controlId: request.controlId,
      reason: request.reason,
      createdBy: requester,
      createdAt: now,
      expiresAt: new Date(expires),
    });
  }

  async getExemption(id: number): Promise<StoredExemption> {
    const exemption = await this.deps.store.getExemption(id);
    if (!exemption) throw new NotFoundError(`exemption ${id} does not exist`);
    return exemption;
  }

  /**
   * Approves a requested exemption: only a signed-in catalog user who is not
   * the requester (compared as normalised entity refs).
   */
  async approveExemption(
    id: number,
    approver: string,
    now = new Date(),
  ): Promise<StoredExemption> {
    const exemption = await this.getExemption(id);
    await assertSecondPerson(
      this.deps.catalogSnapshot,
      exemption.createdBy,
      approver,
    );
    if (exemption.status !== 'requested') {
      throw new ConflictError(
        `exemption ${id} is ${exemption.status}, not waiting for approval`,
      );
    }
    if (Date.parse(exemption.expiresAt) <= now.getTime()) {
      throw new ConflictError(`exemption ${id} expired before it was approved`);
    }
    if (!(await this.deps.store.approveExemption(id, approver, now))) {
      throw new ConflictError(
        `exemption ${id} is no longer waiting for approval`,
      );
    }
    return this.getExemption(id);
  }

  /** Revokes an exemption: its requester, its approver or an admin. */
  async revokeExemption(
    id: number,
    actor: string,
    actorIsAdmin: boolean,
    now = new Date(),
  ): Promise<void> {
    const exemption = await this.getExemption(id);
    assertMayRevoke(exemption, actor, actorIsAdmin, `exemption ${id}`);
    if (!(await this.deps.store.revokeExemption(id, actor, now))) {
      throw new NotFoundError(
        `exemption ${id} does not exist or is already revoked`,
      );
    }
  }

  exemptionsFor(entityRef: string): Promise<StoredExemption[]> {
    return this.deps.store.exemptionsFor(entityRef);
  }
}
