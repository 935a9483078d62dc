import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  BackfillControl,
  BackfillDefinition,
  BackfillListResponse,
  BackfillRunDetail,
  BackfillRunSummary,
  BackfillUnitCost,
  RetuneBackfillRequest,
  etaSeconds,
  formatBackfillDefinitionError,
  isTerminalBackfillState,
  parseBackfillDefinition,
  projectCost,
  stateAfterControl,
} from '@internal/plugin-conductor-common';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { BackfillRunner } from './BackfillRunner';
import { BackfillStore, StaleRunError, StoredRun } from './BackfillStore';
import { BackfillTargets } from './targets';
import { checkDefinitionAgainstDatabase } from './validate';

/** A definition that passed every check, with where it came from. */
export interface LoadedDefinition {
  definition: BackfillDefinition;
  yaml: string;
  hash: string;
  /** The file, or `api:<who registered it>`. */
  source: string;
}

/** The rows/s of the latest batches: rows over the wall time they spanned. */
function recentRowsPerSecond(
  batches: Array<{ at: string; rows: number; durationMs: number }>,
): number {
  const recent = batches.slice(-10);
  if (recent.length === 0) return 0;
  const first = recent[0];
  const span =
    Date.parse(recent[recent.length - 1].at) -
    Date.parse(first.at) +
    first.durationMs;
  const rows = recent.reduce((n, b) => n + b.rows, 0);
  return span > 0 ? Math.round((rows / span) * 1000) : 0;
}

/**
 * Backfill definitions and runs as people and CI see them: loading and
 * registering definitions (refused with every reason when they do not
 * check out against their database), starting runs, and pause, resume,
 * cancel and retune with optimistic locking. The runner does the work.
 */
export class BackfillService {
  private definitions = new Map<string, LoadedDefinition>();
  private loadProblems: string[] = [];

  constructor(
    private readonly deps: {
      store: BackfillStore;
      targets: BackfillTargets;
      runner: BackfillRunner;
      logger: LoggerService;
      unitCost: BackfillUnitCost;
      files: string[];
      jsSteps: ReadonlySet<string>;
      sloInstalled: boolean;
    },
  ) {}

  /** Loads the definition files and the registered definitions; logs what is refused. */
  async load(): Promise<void> {
    const loaded = new Map<string, LoadedDefinition>();
    const problems: string[] = [];
    const sources: Array<{ file: string; text: string; source: string }> = [];
    for (const file of this.deps.files) {
      try {
        sources.push({
          file,
          text: await fs.readFile(file, 'utf8'),
          source: file,
        });
      } catch (e) {
        problems.push(`${file}: cannot read: ${(e as Error).message}`);
      }
    }
    for (const r of await this.deps.store.registeredDefinitions()) {
      sources.push({
        file: `api:${r.id}`,
        text: r.yaml,
        source: `api:${r.registeredBy}`,
      });
    }
    for (const s of sources) {
      const result = await this.check(s.file, s.text);
      if ('problems' in result) {
        problems.push(...result.problems);
        continue;
      }
      const existing = loaded.get(result.definition.id);
      if (existing) {
        problems.push(
          `${s.file}: id ${result.definition.id} is already defined in ${existing.source}`,
        );
        continue;
      }
      loaded.set(result.definition.id, {
        definition: result.definition,
        yaml: s.text,
        hash: result.hash,
        source: s.source,
      });
    }
    for (const p of problems) this.deps.logger.error(`Backfill refused: ${p}`);
    this.definitions = loaded;
    this.loadProblems = problems;
  }

  /** Parses and checks one definition against its database. */
  async check(
    file: string,
    text: string,
  ): Promise<
    { definition: BackfillDefinition; hash: string } | { problems: string[] }
  > {
    const parsed = parseBackfillDefinition(file, text);
    if (!parsed.definition) {
      return { problems: parsed.errors.map(formatBackfillDefinitionError) };
    }
    const d = parsed.definition;
    const dbProblems = await checkDefinitionAgainstDatabase(
      d,
      this.deps.targets,
      this.deps.jsSteps,
    );
    if (d.health.services?.length && !this.deps.sloInstalled) {
      dbProblems.push({
        field: 'health.services',
        message:
          'the SLO boards are not installed, so burn rates cannot be read; remove the services or install the SLO capability',
      });
    }
    const target = dbProblems.some(p => p.field === 'connection')
      ? undefined
      : this.deps.targets.get(d.connection);
    if (
      target?.dialect === 'sqlite' &&
      (d.health.maxLockWaits !== undefined ||
        d.health.maxReplicationLagSeconds !== undefined)
    ) {
      dbProblems.push({
        field: 'health',
        message:
          'max_lock_waits and max_replication_lag_seconds are read from PostgreSQL; this target is SQLite',
      });
    }
    if (dbProblems.length) {
      return {
        problems: dbProblems.map(p => `${file} ${p.field}: ${p.message}`),
      };
    }
    const hash = createHash('sha256').update(JSON.stringify(d)).digest('hex');
    return { definition: d, hash };
  }

  definition(id: string): LoadedDefinition | undefined {
    return this.definitions.get(id);
  }

  /** Registers (or replaces) a definition sent by CI; refused with every reason. */
  async register(yaml: string, by: string): Promise<LoadedDefinition> {
    const result = await this.check('definition', yaml);
    if ('problems' in result) {
      throw new InputError(result.problems.join('; '));
    }
    const d = result.definition;
    const existing = this.definitions.get(d.id);
    if (existing && !existing.source.startsWith('api:')) {
      throw new ConflictError(
        `backfill ${d.id} is defined in ${existing.source}; change it there`,
      );
    }
    await this.deps.store.registerDefinition({
      id: d.id,
      owner: d.owner,
      yaml,
      hash: result.hash,
      registeredBy: by,
    });
    const loaded = {
      definition: d,
      yaml,
      hash: result.hash,
      source: `api:${by}`,
    };
    this.definitions.set(d.id, loaded);
    return loaded;
  }

  /** Owner of a definition (for the permission check before starting). */
  ownerOfDefinition(id: string): string {
    const d = this.definitions.get(id);
    if (!d) {
      throw new NotFoundError(
        `no backfill definition ${id}; loaded: ${
          [...this.definitions.keys()].join(', ') || 'none'
        }`,
      );
    }
    return d.definition.owner;
  }

  /** Starts a run of a loaded definition; one active run per definition. */
  async start(definitionId: string, by: string): Promise<BackfillRunDetail> {
    this.ownerOfDefinition(definitionId);
    const loaded = this.definitions.get(definitionId)!;
    const active = await this.deps.store.activeRunOf(definitionId);
    if (active) {
      throw new ConflictError(
        `backfill ${definitionId} already has run ${active.id} (${active.state}); resume or cancel it first`,
      );
    }
    const run = await this.deps.store.createRun({
      definition: loaded.definition,
      definitionHash: loaded.hash,
      createdBy: by,
    });
    this.deps.logger.info(
      `Backfill ${definitionId} run ${run.id} enqueued by ${by}`,
    );
    return this.detail(run.id);
  }

  async run(id: number): Promise<StoredRun> {
    const run = await this.deps.store.run(id);
    if (!run) throw new NotFoundError(`no backfill run ${id}`);
    return run;
  }

  /** Pause, resume or cancel, refused (409) when the run changed since `version`. */
  async control(
    id: number,
    control: BackfillControl,
    by: string,
    options: { version?: number; reason?: string } = {},
  ): Promise<BackfillRunDetail> {
    const run = await this.run(id);
    this.checkVersion(run, options.version);
    const next = stateAfterControl(run.state, control);
    if ('error' in next) throw new ConflictError(next.error);
    const reason =
      options.reason ?? (control === 'resume' ? null : `${control}d by ${by}`);
    try {
      const changed = await this.deps.store.transition(run, next.to, {
        reason,
        ...(control === 'pause'
          ? { pause: { kind: 'user' as const, reason: reason!, by } }
          : {}),
        ...(control === 'resume' ? { resume: true } : {}),
      });
      if (control === 'cancel') {
        await this.deps.runner
          .recordRunEvidence(changed)
          .catch(e =>
            this.deps.logger.warn(
              `Backfill run ${id}: could not record its evidence: ${e.message}`,
            ),
          );
      }
    } catch (e) {
      if (e instanceof StaleRunError) throw new ConflictError(e.message);
      throw e;
    }
    return this.detail(id);
  }

  /** Changes rows/s and the batch bounds of a run that is not finished. */
  async retune(
    id: number,
    t: RetuneBackfillRequest,
  ): Promise<BackfillRunDetail> {
    const run = await this.run(id);
    this.checkVersion(run, t.version);
    if (isTerminalBackfillState(run.state)) {
      throw new ConflictError(`cannot retune a run that is ${run.state}`);
    }
    const min = t.minBatchSize ?? run.minBatchSize;
    const max = t.maxBatchSize ?? run.maxBatchSize;
    const size = t.batchSize ?? Math.min(max, Math.max(min, run.batchSize));
    if (min > max)
      throw new InputError(`minBatchSize ${min} is above maxBatchSize ${max}`);
    if (size < min || size > max)
      throw new InputError(
        `batchSize ${size} must lie within ${min} and ${max}`,
      );
    try {
      await this.deps.store.transition(run, run.state, {
        tuning: {
          rps: t.rps,
          minBatchSize: min,
          maxBatchSize: max,
          batchSize: size,
        },
      });
    } catch (e) {
      if (e instanceof StaleRunError) throw new ConflictError(e.message);
      throw e;
    }
    return this.detail(id);
  }

  private checkVersion(run: StoredRun, version?: number) {
    if (version !== undefined && version !== run.version) {
      throw new ConflictError(
        `run ${run.id} changed since you looked (version ${version}, now ${run.version}, ${run.state}); reload and try again`,
      );
    }
  }

  async list(
    visible: (owner: string) => boolean,
  ): Promise<BackfillListResponse> {
    const runs = (await this.deps.store.runs()).filter(r => visible(r.owner));
    return {
      definitions: [...this.definitions.values()]
        .filter(l => visible(l.definition.owner))
        .map(l => ({
          id: l.definition.id,
          owner: l.definition.owner,
          ...(l.definition.description
            ? { description: l.definition.description }
            : {}),
          table: l.definition.table,
          connection: l.definition.connection,
          source: l.source,
        })),
      runs: await Promise.all(runs.map(r => this.summary(r))),
    };
  }

  /** Definition files that were refused at load, with every reason. */
  problems(): string[] {
    return this.loadProblems;
  }

  async detail(id: number): Promise<BackfillRunDetail> {
    const run = await this.run(id);
    const [checkpoints, pauses, batches] = await Promise.all([
      this.deps.store.checkpoints(id),
      this.deps.store.pauses(id),
      this.deps.store.batches(id),
    ]);
    for (let i = 0; i < batches.length; i++) {
      const gap =
        i === 0
          ? batches[i].durationMs
          : Date.parse(batches[i].at) - Date.parse(batches[i - 1].at);
      batches[i].rowsPerSecond =
        gap > 0 ? Math.round((batches[i].rows / gap) * 1000) : 0;
    }
    return {
      ...(await this.summary(run, batches)),
      definition: run.definition,
      definitionHash: run.definitionHash,
      checkpoints,
      pauses,
      batches,
    };
  }

  private async summary(
    r: StoredRun,
    batches?: Array<{ at: string; rows: number; durationMs: number }>,
  ): Promise<BackfillRunSummary> {
    const recent = batches ?? (await this.deps.store.batches(r.id, 10));
    const rowsPerSecond = ['running', 'pausing'].includes(r.state)
      ? recentRowsPerSecond(recent)
      : 0;
    const total = r.totalRows;
    let progress = total ? Math.min(1, r.rowsDone / total) : 0;
    if (r.state === 'succeeded') progress = 1;
    const cost = projectCost(
      { rowsDone: r.rowsDone, totalRows: total ?? r.rowsDone, dbMs: r.dbMs },
      this.deps.unitCost,
      r.definition.costBudget,
    );
    return {
      id: r.id,
      definitionId: r.definitionId,
      owner: r.owner,
      state: r.state,
      reason: r.reason,
      version: r.version,
      rowsDone: r.rowsDone,
      rowsChanged: r.rowsChanged,
      totalRows: total,
      progress,
      batchSize: r.batchSize,
      rps: r.rps,
      minBatchSize: r.minBatchSize,
      maxBatchSize: r.maxBatchSize,
      cursor: r.cursor,
      rowsPerSecond,
      etaSeconds:
        total === null || isTerminalBackfillState(r.state)
          ? null
          : etaSeconds(total - r.rowsDone, rowsPerSecond),
      cost: {
        soFar: Math.round(cost.soFar * 1e4) / 1e4,
        projected:
          cost.projected === null
            ? null
            : Math.round(cost.projected * 1e4) / 1e4,
        budget: cost.budget,
      },
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      updatedAt: r.updatedAt,
    };
  }
}
