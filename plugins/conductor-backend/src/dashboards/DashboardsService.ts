import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DASHBOARD_BACKFILL_RUNS,
  DASHBOARD_COMPLIANCE_RUNS,
  DASHBOARD_DAYS,
  DashboardsResponse,
  adoptionVersions,
  autoPrDashboard,
  backfillRunDashboard,
  complianceTrend,
  conductorBackfillReadPermission,
  conductorEvidenceReadPermission,
  conductorFederationReadPermission,
  conductorLineageExportPermission,
  conductorLineageReadPermission,
  conductorRemediationReadPermission,
  lineageDashboard,
  readinessDashboard,
} from '@internal/plugin-conductor-common';
import { BackfillStore } from '../backfill/BackfillStore';
import { ComplianceStore } from '../compliance/ComplianceStore';
import { FederationStore } from '../federation/FederationStore';
import { LineageStore } from '../lineage/LineageStore';
import { ReadinessStore } from '../readiness/ReadinessStore';
import { RemediationStore } from '../remediation/RemediationStore';
import { CatalogSnapshot } from '../shared/capability';
import { readableEntities } from './visibility';

/** The kinds a team owns and the dashboards count. */
const KINDS = ['Component', 'API', 'Resource', 'System'];

/** Most rows read per request from the logs that grow without end. */
export const DASHBOARD_LIMITS = {
  /** Auto-PRs (the newest), as `GET /remediation/stats` reads. */
  changeRequests: 10_000,
  /** Lineage change events (the newest). */
  lineageEvents: 20_000,
  /** Backfill runs (the newest) looked at to find the newest readable ones. */
  backfillRuns: 500,
};

const DAY_MS = 86_400_000;

/**
 * How long an answer is reused for the same team and the same permission
 * decisions: the figures change with nightly runs and daily snapshots, and
 * reading 30 days of history for 10,000 entities takes a second or more.
 */
export const DASHBOARD_CACHE_MS = 60_000;

/** Most answers kept (the oldest goes first). */
const CACHE_ENTRIES = 200;

/** What the dashboards read: the other capabilities' stores, read-only. */
export interface DashboardSources {
  catalogSnapshot: CatalogSnapshot;
  permissions: PermissionsService;
  compliance: ComplianceStore;
  remediation: RemediationStore;
  lineage: LineageStore;
  readiness: ReadinessStore;
  backfill: BackfillStore;
  federation: FederationStore;
  /** `conductor.compliance.targetScore`, when set. */
  targetScore: number | null;
  /** The promotion gate's production threshold. */
  readinessThreshold: () => number;
  now?: () => Date;
}

/**
 * The seed's dashboards, for every team or one, over what the caller may
 * read: each capability's rows are read once per request (no query per
 * entity or team) and filtered with one permission decision per permission.
 */
export class DashboardsService {
  constructor(private readonly deps: DashboardSources) {}

  private readonly cache = new Map<
    string,
    { at: number; answer: Promise<DashboardsResponse> }
  >();

  /**
   * The dashboards for the caller. The permission decisions are asked on
   * every call; an answer computed in the last minute for the same team and
   * the same decisions (e.g. "entities owned by group:default/payments") is
   * reused, so reloading a page costs no second read of the history.
   */
  async dashboards(
    credentials: BackstageCredentials,
    team: string | null,
  ): Promise<DashboardsResponse> {
    const decisions = await this.decisions(credentials);
    const key = decisions.cacheKey && `${team ?? '*'}|${decisions.cacheKey}`;
    const nowMs = (this.deps.now?.() ?? new Date()).getTime();
    const cached = key ? this.cache.get(key) : undefined;
    if (cached && nowMs - cached.at < DASHBOARD_CACHE_MS) return cached.answer;
    const answer = this.compute(credentials, team, decisions);
    if (key) {
      this.cache.delete(key);
      this.cache.set(key, { at: nowMs, answer });
      answer.catch(() => this.cache.delete(key));
      if (this.cache.size > CACHE_ENTRIES)
        this.cache.delete(this.cache.keys().next().value!);
    }
    return answer;
  }

  /** The caller's decisions, and a key naming them when they can be cached. */
  private async decisions(credentials: BackstageCredentials) {
    const asked = [
      conductorEvidenceReadPermission,
      conductorLineageReadPermission,
      conductorBackfillReadPermission,
      conductorFederationReadPermission,
    ];
    const [conditional, basic] = await Promise.all([
      this.deps.permissions.authorizeConditional(
        asked.map(permission => ({ permission })),
        { credentials },
      ),
      this.deps.permissions.authorize(
        [
          { permission: conductorRemediationReadPermission },
          { permission: conductorLineageExportPermission },
        ],
        { credentials },
      ),
    ]);
    // Only decisions that say it all (allow, deny, a catalog condition) name
    // the answer; anything else is asked per entity and never reused.
    const cacheable = conditional.every(
      c =>
        c.result !== AuthorizeResult.CONDITIONAL ||
        (c.pluginId === 'catalog' && c.resourceType === 'catalog-entity'),
    );
    return {
      asked,
      conditional,
      remediationRead: basic[0].result === AuthorizeResult.ALLOW,
      lineageExport: basic[1].result === AuthorizeResult.ALLOW,
      cacheKey: cacheable
        ? JSON.stringify([
            conditional.map(c =>
              c.result === AuthorizeResult.CONDITIONAL
                ? c.conditions
                : c.result,
            ),
            basic.map(b => b.result),
          ])
        : undefined,
    };
  }

  private async compute(
    credentials: BackstageCredentials,
    team: string | null,
    decisions: Awaited<ReturnType<DashboardsService['decisions']>>,
  ): Promise<DashboardsResponse> {
    const d = this.deps;
    const now = d.now?.() ?? new Date();
    const sinceDay = new Date(now.getTime() - (DASHBOARD_DAYS - 1) * DAY_MS)
      .toISOString()
      .slice(0, 10);

    await d.catalogSnapshot.ensure();
    const entities = d.catalogSnapshot.entities(KINDS);
    const owner = new Map<string, string | undefined>();
    for (const e of entities) {
      const ref = stringifyEntityRef(e);
      owner.set(ref, d.catalogSnapshot.ownerOf(ref)?.toLowerCase());
    }
    // The history is read while the decisions are applied.
    const reads = Promise.all([
      d.compliance.teamScoresOfRecentRuns(DASHBOARD_COMPLIANCE_RUNS),
      decisions.remediationRead
        ? d.remediation.list({ limit: DASHBOARD_LIMITS.changeRequests })
        : Promise.resolve(null),
      d.lineage.events(DASHBOARD_LIMITS.lineageEvents),
      d.readiness.scoresSince(new Date(`${sinceDay}T00:00:00.000Z`)),
      d.backfill.runs({ limit: DASHBOARD_LIMITS.backfillRuns }),
    ]);
    reads.catch(() => undefined); // awaited below; never unhandled
    const readable = await readableEntities(
      d.permissions,
      credentials,
      decisions.asked,
      entities,
      decisions.conditional,
    );
    const evidence = readable.get(conductorEvidenceReadPermission.name)!;

    const teams = [
      ...new Set(
        [...evidence]
          .map(ref => owner.get(ref))
          .filter((o): o is string => !!o?.startsWith('group:')),
      ),
    ].sort();
    if (team) {
      const owned = [...owner.values()].some(o => o === team);
      if (!owned)
        throw new NotFoundError(
          `team: no entity in the catalog is owned by ${team}`,
        );
      if (!teams.includes(team))
        throw new NotAllowedError(
          `Not allowed to read the entities of ${team}`,
        );
    }
    const inView = (ref: string) => !team || owner.get(ref) === team;
    const sees = (permissionName: string, ref: string) =>
      readable.get(permissionName)!.has(ref) && inView(ref);

    // A team's stored compliance score covers all its entities: drawn only
    // for teams whose every entity the caller may read.
    const wholeTeams = new Set(teams.filter(t => !team || t === team));
    for (const [ref, o] of owner)
      if (o && !evidence.has(ref)) wholeTeams.delete(o);

    const adoption = d.federation.adoption(
      sinceDay,
      new Set(
        [...owner.keys()].filter(ref =>
          sees(conductorFederationReadPermission.name, ref),
        ),
      ),
    );
    adoption.catch(() => undefined); // awaited below; never unhandled
    const [complianceRows, crs, events, scores, runs] = await reads;
    const shownRuns = runs
      .filter(r =>
        sees(conductorBackfillReadPermission.name, r.owner.toLowerCase()),
      )
      .slice(0, DASHBOARD_BACKFILL_RUNS)
      .reverse();
    const checkpoints = await d.backfill.checkpointsOfRuns(
      shownRuns.map(r => r.id),
    );
    const adoptionDays = await adoption;

    const lineageRead = conductorLineageReadPermission.name;
    return {
      team,
      teams,
      generatedAt: now.toISOString(),
      compliance: complianceTrend(complianceRows, wholeTeams, d.targetScore),
      autoPrs: crs
        ? autoPrDashboard(
            crs.filter(
              cr =>
                evidence.has(cr.entityRef) &&
                (!team || (cr.team ?? owner.get(cr.entityRef)) === team),
            ),
          )
        : null,
      lineage: lineageDashboard(events, sinceDay, (_e, refs) => {
        const kept = refs.filter(ref => sees(lineageRead, ref));
        if (kept.length > 0) return kept;
        // An edge between no catalog entities (a type and its contract)
        // belongs to the whole graph: for the every-team view of those who
        // may read the whole graph.
        return refs.length === 0 && !team && decisions.lineageExport
          ? []
          : null;
      }),
      readiness: readinessDashboard(
        scores,
        ref =>
          sees(conductorEvidenceReadPermission.name, ref)
            ? owner.get(ref) ?? 'unowned'
            : undefined,
        d.readinessThreshold(),
        team !== null,
      ),
      backfills: {
        runs: shownRuns.map(r =>
          backfillRunDashboard(
            r,
            owner.get(r.owner.toLowerCase()) ?? null,
            checkpoints.get(r.id) ?? [],
            now,
          ),
        ),
      },
      federation: {
        versions: adoptionVersions(adoptionDays),
        days: adoptionDays,
      },
    };
  }
}
