import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError, InputError } from '@backstage/errors';
import {
  CompiledControl,
  RemediationLogResponse,
  RemediationStatsResponse,
  RepositoryRunResult,
  RemediationPlan,
  fixedControls,
  planRemediation,
  remediationBody,
  remediationBranch,
  remediationStats,
  remediationTitle,
  resultFingerprint,
} from '@internal/plugin-conductor-common';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';
import { ChangeRequestProvider, RepositoryTarget } from './providers';
import { RemediationStore, StoredChangeRequest } from './RemediationStore';
import {
  Checkout,
  cloneRepository,
  readCheckedOutFiles,
  remoteHead,
  writeFiles,
} from './git';

/** Limits on how many change requests the bot opens. */
export interface RemediationLimits {
  /** Change requests opened per hour across all repositories. */
  perHour: number;
  /** Change requests open at once per repository. */
  openPerRepository: number;
}

export interface RemediationServiceOptions {
  store: RemediationStore;
  evidence: EvidenceAccess;
  catalogSnapshot: Pick<
    CatalogSnapshot,
    'ensure' | 'entities' | 'get' | 'ownerOf'
  >;
  controls: () => CompiledControl[];
  providers: Record<RepositoryTarget['provider'], ChangeRequestProvider>;
  resolveTarget: (entity: Entity) => RepositoryTarget | undefined;
  limits: RemediationLimits;
  /**
   * `repository` (default): one change request per repository holding all
   * its fixes; `control`: one per repository and control.
   */
  grouping?: 'repository' | 'control';
  /** Bot-wide recipe parameters: recipe -> name -> value. */
  defaults?: Record<string, Record<string, string>>;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * The remediation bot: for each component with a repository, plans the
 * fixes of its failing controls, pushes them on one deterministic branch per
 * repository and opens (or updates) one change request. It never pushes over
 * a commit it did not make, suppresses a fix whose PR was closed unmerged
 * until the control's result changes, keeps to the configured limits, and
 * records a failing repository's reason and goes on with the next.
 */
export class RemediationService {
  private readonly now: () => Date;

  constructor(private readonly o: RemediationServiceOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /** Runs the bot on the given entities (default: every component). */
  async run(
    req: { entityRefs?: string[]; controls?: string[]; dryRun?: boolean } = {},
  ): Promise<RepositoryRunResult[]> {
    await this.o.catalogSnapshot.ensure();
    const entities = req.entityRefs
      ? req.entityRefs.map(ref => {
          const e = this.o.catalogSnapshot.get(ref);
          if (!e)
            throw new NotFoundError(`entityRefs: ${ref} is not in the catalog`);
          return e;
        })
      : this.o.catalogSnapshot.entities(['Component']);
    const results: RepositoryRunResult[] = [];
    const seen = new Set<string>();
    for (const entity of entities) {
      const entityRef = stringifyEntityRef(entity);
      const target = this.o.resolveTarget(entity);
      if (!target) {
        if (req.entityRefs)
          results.push({
            entityRef,
            repository: '',
            outcome: 'failed',
            message:
              'no repository the bot can push to (source location or conductor.io/git-remote)',
            fixes: [],
          });
        continue;
      }
      // One change request per repository per run.
      if (seen.has(target.repository)) continue;
      seen.add(target.repository);
      try {
        if (this.o.grouping === 'control' && !req.dryRun) {
          // Plan once, then one change request per fixable control.
          const planned = await this.runRepository(entity, target, {
            ...req,
            dryRun: true,
          });
          const fixable = planned.fixes
            .filter(f => f.status === 'fixed')
            .map(f => f.controlId);
          if (!fixable.length) results.push(planned);
          for (const controlId of fixable)
            results.push(
              await this.runRepository(
                entity,
                target,
                { controls: [controlId] },
                controlId,
              ),
            );
        } else results.push(await this.runRepository(entity, target, req));
      } catch (e) {
        const message = (e as Error).message;
        this.o.logger.warn(
          `Remediation of ${entityRef} in ${target.repository} failed: ${message}`,
        );
        await this.o.store.log({
          entityRef,
          team: this.team(entityRef),
          repository: target.repository,
          kind: 'failed',
          controls: [],
          message,
          at: this.now().toISOString(),
        });
        results.push({
          entityRef,
          repository: target.repository,
          outcome: 'failed',
          message,
          fixes: [],
        });
      }
    }
    return results;
  }

  private team(entityRef: string) {
    return this.o.catalogSnapshot.ownerOf(entityRef);
  }

  private async runRepository(
    entity: Entity,
    target: RepositoryTarget,
    req: { controls?: string[]; dryRun?: boolean },
    group?: string,
  ): Promise<RepositoryRunResult> {
    const entityRef = stringifyEntityRef(entity);
    const team = this.team(entityRef);
    const provider = this.o.providers[target.provider];
    const branch = remediationBranch(group);
    const title = remediationTitle(entity.metadata.name, group);
    const result = (
      outcome: RepositoryRunResult['outcome'],
      message: string,
      plan?: RemediationPlan,
      cr?: StoredChangeRequest,
    ): RepositoryRunResult => ({
      entityRef,
      repository: target.repository,
      outcome,
      message,
      fixes: plan?.fixes ?? [],
      diff: plan?.diff,
      scoreBefore: plan?.scoreBefore,
      scoreAfter: plan?.scoreAfter,
      changeRequest: cr,
    });
    const log = (
      kind: Parameters<RemediationStore['log']>[0]['kind'],
      message: string,
      controls: string[],
      changeRequestId?: number,
    ) =>
      this.o.store.log({
        changeRequestId,
        entityRef,
        team,
        repository: target.repository,
        kind,
        controls,
        message,
        at: this.now().toISOString(),
      });

    let existing = await this.o.store.latest(target.repository, branch);
    if (
      existing &&
      (existing.state === 'open' || existing.state === 'blocked') &&
      !req.dryRun
    )
      existing = await this.syncState(target, existing);
    const open =
      existing && (existing.state === 'open' || existing.state === 'blocked')
        ? existing
        : undefined;

    if (!open && !req.dryRun) {
      if (
        (await this.o.store.countOpen(target.repository)) >=
        this.o.limits.openPerRepository
      ) {
        await log(
          'rate-limited',
          `${this.o.limits.openPerRepository} change requests already open in this repository`,
          [],
        );
        return result(
          'rate-limited',
          `open-per-repository limit ${this.o.limits.openPerRepository} reached`,
        );
      }
      const hourAgo = new Date(this.now().getTime() - 3_600_000);
      if (
        (await this.o.store.countOpenedSince(hourAgo)) >= this.o.limits.perHour
      ) {
        await log(
          'rate-limited',
          `${this.o.limits.perHour} change requests opened in the last hour`,
          [],
        );
        return result(
          'rate-limited',
          `hourly limit ${this.o.limits.perHour} reached`,
        );
      }
    }

    const checkout = await cloneRepository(target.remote, target.gitConfig);
    try {
      const files = await readCheckedOutFiles(checkout);
      const ownerRef = this.o.catalogSnapshot.ownerOf(entityRef);
      const plan = planRemediation({
        files,
        controls: this.o.controls(),
        evidence: await this.o.evidence.latest(entityRef),
        onlyControls: req.controls,
        owner: ownerRef ? this.o.catalogSnapshot.get(ownerRef) : undefined,
        defaults: this.o.defaults,
        now: this.now(),
      });
      for (const o of plan.overrides)
        this.o.logger.info(
          `Remediation of ${entityRef}: honoured ${o.kind} ${o.target}${
            o.value ? ` = ${o.value}` : ''
          } from ${o.source}`,
        );
      const fixed = fixedControls(plan);
      const left = plan.fixes
        .filter(f => f.status !== 'fixed' && f.status !== 'no-recipe')
        .map(f => `${f.controlId} ${f.status}: ${f.message}`);
      if (fixed.length === 0)
        return result(
          'nothing-to-fix',
          left.join('; ') || 'no failing control has a recipe',
          plan,
        );
      if (!plan.ready) {
        const why = [
          ...plan.invalid,
          ...plan.fixes
            .filter(f => f.status === 'still-failing')
            .map(f => f.message),
        ].join('; ');
        await log('failed', `not opened: ${why}`, fixed);
        return result('not-ready', why, plan);
      }
      const fingerprint = resultFingerprint(plan, fixed);
      if (existing?.state === 'closed' && existing.fingerprint === fingerprint)
        return result(
          'suppressed',
          `change request #${existing.id} was closed without merge on ${existing.closedAt}; suppressed until these controls' results change`,
          plan,
          existing,
        );
      if (req.dryRun)
        return result('planned', `would fix ${fixed.join(', ')}`, plan);

      const body = remediationBody(plan, group);
      const head = await remoteHead(checkout, branch);
      const known = open?.headSha ?? existing?.headSha;
      if (head && head !== known)
        return await this.block(
          target,
          checkout,
          branch,
          head,
          open,
          plan,
          result,
          log,
        );

      await checkout.run([
        'checkout',
        '--quiet',
        '-B',
        branch,
        `origin/${checkout.base}`,
      ]);
      await writeFiles(
        checkout,
        Object.fromEntries(plan.changes.map(c => [c.path, c.after])),
      );
      await checkout.run(['add', '--', ...plan.changes.map(c => c.path)]);
      await checkout.run(
        ['commit', '--quiet', '-F', '-'],
        `${title}\n\n${body}`,
      );
      const sha = await checkout.run(['rev-parse', 'HEAD']);
      if (open && head) {
        await checkout.run([
          'fetch',
          '--quiet',
          'origin',
          `refs/heads/${branch}`,
        ]);
        const [mine, theirs] = await Promise.all([
          checkout.run(['rev-parse', `${sha}^{tree}`]),
          checkout.run(['rev-parse', `${head}^{tree}`]),
        ]);
        if (mine === theirs && open.state === 'open')
          return result(
            'unchanged',
            `change request #${open.id} already holds these fixes`,
            plan,
            open,
          );
      }
      // The lease: the branch must still be where the bot left it (or absent).
      await checkout.run([
        'push',
        '--quiet',
        `--force-with-lease=refs/heads/${branch}:${head ?? ''}`,
        'origin',
        `HEAD:refs/heads/${branch}`,
      ]);
      let published: { number?: number; url?: string };
      try {
        published = await provider.publish(target, {
          branch,
          base: checkout.base,
          title,
          body,
          existing: open,
        });
      } catch (e) {
        // Nothing half-pushed: put the branch back where it was.
        await checkout
          .run(
            head
              ? [
                  'push',
                  '--quiet',
                  `--force-with-lease=refs/heads/${branch}:${sha}`,
                  'origin',
                  `${head}:refs/heads/${branch}`,
                ]
              : [
                  'push',
                  '--quiet',
                  `--force-with-lease=refs/heads/${branch}:${sha}`,
                  'origin',
                  '--delete',
                  branch,
                ],
          )
          .catch(() => undefined);
        throw e;
      }
      const at = this.now().toISOString();
      if (open) {
        await this.o.store.update(
          open.id,
          {
            state: 'open',
            headSha: sha,
            controls: fixed,
            fingerprint,
            body,
            title,
            blockedReason: undefined,
            ...published,
          },
          new Date(at),
        );
        await log(
          'updated',
          `pushed ${sha.slice(0, 12)}: ${fixed.join(', ')}`,
          fixed,
          open.id,
        );
        return result(
          'updated',
          `updated change request #${open.id}`,
          plan,
          await this.o.store.get(open.id),
        );
      }
      const id = await this.o.store.insert({
        entityRef,
        team,
        provider: target.provider,
        repository: target.repository,
        branch,
        title,
        ...published,
        state: 'open',
        controls: fixed,
        headSha: sha,
        baseBranch: checkout.base,
        fingerprint,
        body,
        openedAt: at,
        updatedAt: at,
      });
      await log(
        'opened',
        `${branch}: ${fixed.join(', ')}${
          plan.overrides.length
            ? `; honoured ${plan.overrides
                .map(o => `${o.kind} ${o.target} (${o.source})`)
                .join(', ')}`
            : ''
        }`,
        fixed,
        id,
      );
      return result(
        'opened',
        `opened change request #${id} on ${branch}`,
        plan,
        await this.o.store.get(id),
      );
    } finally {
      await checkout.dispose();
    }
  }

  /** A commit the bot did not make is on its branch: stop, record why, comment once. */
  private async block(
    target: RepositoryTarget,
    checkout: Checkout,
    branch: string,
    head: string,
    open: StoredChangeRequest | undefined,
    plan: RemediationPlan,
    result: (
      o: RepositoryRunResult['outcome'],
      m: string,
      p?: RemediationPlan,
      cr?: StoredChangeRequest,
    ) => RepositoryRunResult,
    log: (
      kind: any,
      message: string,
      controls: string[],
      id?: number,
    ) => Promise<number>,
  ) {
    await checkout.run(['fetch', '--quiet', 'origin', `refs/heads/${branch}`]);
    const author = await checkout.run([
      'log',
      '-1',
      '--format=%an <%ae>',
      head,
    ]);
    const mark = head.slice(0, 12);
    const reason = `${branch} has commit ${mark} by ${author} that the bot did not make; it will not push over it. Merge or close this change request, or delete the branch, and the bot will start again.`;
    if (open && open.blockedReason?.includes(mark))
      return result('blocked', open.blockedReason, plan, open);
    if (open) {
      await this.o.store.update(
        open.id,
        { state: 'blocked', blockedReason: reason },
        this.now(),
      );
      await log('blocked', reason, open.controls, open.id);
      const commented = await this.o.providers[target.provider].comment(
        target,
        open,
        `Conductor's remediation bot stopped updating this branch: ${reason}`,
      );
      await log(
        'commented',
        commented
          ? 'commented on the change request'
          : `comment recorded here (the provider has no comments): ${reason}`,
        open.controls,
        open.id,
      );
      return result('blocked', reason, plan, await this.o.store.get(open.id));
    }
    await log('blocked', reason, fixedControls(plan));
    return result('blocked', reason, plan);
  }

  /** Brings a change request's state up to date with the provider. */
  private async syncState(
    target: RepositoryTarget,
    cr: StoredChangeRequest,
  ): Promise<StoredChangeRequest> {
    const state = await this.o.providers[target.provider].status(target, cr);
    if (state.state === 'open') return cr;
    const at = this.now();
    if (state.state === 'merged') {
      await this.o.store.update(
        cr.id,
        { state: 'merged', mergedAt: state.mergedAt ?? at.toISOString() },
        at,
      );
      await this.o.store.log({
        changeRequestId: cr.id,
        entityRef: cr.entityRef,
        team: cr.team,
        repository: cr.repository,
        kind: 'merged',
        controls: cr.controls,
        message: 'merged at the provider',
        at: at.toISOString(),
      });
    } else {
      await this.o.store.update(
        cr.id,
        { state: 'closed', closedAt: state.closedAt ?? at.toISOString() },
        at,
      );
      await this.o.store.log({
        changeRequestId: cr.id,
        entityRef: cr.entityRef,
        team: cr.team,
        repository: cr.repository,
        kind: 'closed',
        controls: cr.controls,
        message: 'closed without merge at the provider',
        at: at.toISOString(),
      });
    }
    return (await this.o.store.get(cr.id))!;
  }

  private async changeRequest(id: number) {
    const cr = await this.o.store.get(id);
    if (!cr) throw new NotFoundError(`change request ${id} not found`);
    const entity = this.o.catalogSnapshot.get(cr.entityRef);
    const target = entity && this.o.resolveTarget(entity);
    if (!target)
      throw new InputError(
        `change request ${id}: ${cr.entityRef} has no repository the bot can reach`,
      );
    return { cr, target };
  }

  /** Merges a change request (from the portal) and records it. */
  async merge(id: number, actor: string): Promise<StoredChangeRequest> {
    const { cr, target } = await this.changeRequest(id);
    if (cr.state !== 'open' && cr.state !== 'blocked')
      throw new InputError(`change request ${id} is ${cr.state}`);
    await this.o.providers[target.provider].merge(target, cr);
    const at = this.now();
    await this.o.store.update(
      id,
      { state: 'merged', mergedAt: at.toISOString() },
      at,
    );
    await this.o.store.log({
      changeRequestId: id,
      entityRef: cr.entityRef,
      team: cr.team,
      repository: cr.repository,
      kind: 'merged',
      controls: cr.controls,
      message: `merged by ${actor}`,
      at: at.toISOString(),
    });
    return (await this.o.store.get(id))!;
  }

  /** Closes a change request without merging; its fixes are suppressed until the results change. */
  async close(id: number, actor: string): Promise<StoredChangeRequest> {
    const { cr, target } = await this.changeRequest(id);
    if (cr.state !== 'open' && cr.state !== 'blocked')
      throw new InputError(`change request ${id} is ${cr.state}`);
    await this.o.providers[target.provider].close(target, cr);
    const at = this.now();
    await this.o.store.update(
      id,
      { state: 'closed', closedAt: at.toISOString() },
      at,
    );
    await this.o.store.log({
      changeRequestId: id,
      entityRef: cr.entityRef,
      team: cr.team,
      repository: cr.repository,
      kind: 'closed',
      controls: cr.controls,
      message: `closed without merge by ${actor}`,
      at: at.toISOString(),
    });
    return (await this.o.store.get(id))!;
  }

  async log(): Promise<RemediationLogResponse> {
    return {
      changeRequests: await this.o.store.list(),
      events: await this.o.store.events(),
    };
  }

  async stats(): Promise<RemediationStatsResponse> {
    return remediationStats(await this.o.store.list({ limit: 10_000 }));
  }
}
