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

  async dashboards(
    credentials: BackstageCredentials,
    team: string | null,
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
    const readable = await readableEntities(
      d.permissions,
      credentials,
      [
        conductorEvidenceReadPermission,
        conductorLineageReadPermission,
        conductorBackfillReadPermission,
        conductorFederationReadPermission,
      ],
      entities,
    );
    const [remediationRead, lineageExport] = await d.permissions.authorize(
      [
        { permission: conductorRemediationReadPermission },
        { permission: conductorLineageExportPermission },
      ],
      { credentials },
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

    const [complianceRows, crs, events, scores, runs] = await Promise.all([
      d.compliance.teamScoresOfRecentRuns(DASHBOARD_COMPLIANCE_RUNS),
      remediationRead.result === AuthorizeResult.ALLOW
        ? d.remediation.list({ limit: DASHBOARD_LIMITS.changeRequests })
        : Promise.resolve(null),
      d.lineage.events(DASHBOARD_LIMITS.lineageEvents),
      d.readiness.scoresSince(new Date(`${sinceDay}T00:00:00.000Z`)),
      d.backfill.runs({ limit: DASHBOARD_LIMITS.backfillRuns }),
    ]);

    const shownRuns = runs
      .filter(r =>
        sees(conductorBackfillReadPermission.name, r.owner.toLowerCase()),
      )
      .slice(0, DASHBOARD_BACKFILL_RUNS)
      .reverse();
    const [checkpoints, adoption] = await Promise.all([
      d.backfill.checkpointsOfRuns(shownRuns.map(r => r.id)),
      d.federation.adoption(
        sinceDay,
        new Set(
          [...owner.keys()].filter(ref =>
            sees(conductorFederationReadPermission.name, ref),
          ),
        ),
      ),
    ]);

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
        return refs.length === 0 &&
          !team &&
          lineageExport.result === AuthorizeResult.ALLOW
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
      federation: { versions: adoptionVersions(adoption), days: adoption },
    };
  }
}
