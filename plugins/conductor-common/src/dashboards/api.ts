import { FederationAdoptionPoint } from '../federation/api';
import { RemediationTeamStats } from '../remediation/api';

/** How many days back the dashboards look (lineage, readiness, adoption). @public */
export const DASHBOARD_DAYS = 30;

/** How many compliance runs the compliance trend shows. @public */
export const DASHBOARD_COMPLIANCE_RUNS = 30;

/** How many backfill runs (the newest) the backfill dashboard shows. @public */
export const DASHBOARD_BACKFILL_RUNS = 20;

/** Compliance score per team per finished run, oldest first. @public */
export interface ComplianceTrendDashboard {
  /** `conductor.compliance.targetScore`, when set. */
  targetScore: number | null;
  /** The teams drawn, one line each. */
  teams: string[];
  runs: Array<{ runId: number; at: string; scores: Record<string, number> }>;
}

/** The remediation bot's pull requests: per week, and per team. @public */
export interface AutoPrDashboard {
  weeks: Array<{ week: string; opened: number; merged: number }>;
  /** Every team in the view together. */
  all: RemediationTeamStats;
  teams: RemediationTeamStats[];
}

/** Lineage edges added and removed per day, and the entities they touched most. @public */
export interface LineageDashboard {
  days: Array<{ day: string; added: number; removed: number }>;
  /** The catalog entities the most change events touched, most first (at most 10). */
  entities: Array<{ entityRef: string; events: number }>;
}

/** Production readiness (PRS) from the stored scores. @public */
export interface ReadinessDashboard {
  /** The production threshold of the promotion gate. */
  threshold: number;
  /** Each team's average of its services' latest scores, best first. */
  teams: Array<{
    team: string;
    services: number;
    averageScore: number;
    belowThreshold: number;
  }>;
  /** Each service's latest score, lowest first: filled when the view is one team's. */
  services: Array<{ entityRef: string; score: number }>;
  /** Per day, each team's average of its services' last score that day. */
  trend: Array<{ day: string; scores: Record<string, number> }>;
}

/** One backfill run's throughput and canary checkpoints. @public */
export interface BackfillRunDashboard {
  id: number;
  definitionId: string;
  /** The component the backfill belongs to. */
  entityRef: string;
  team: string | null;
  state: string;
  rowsDone: number;
  /** Rows per second from start to finish (or to now, while it runs); null before it starts. */
  rowsPerSecond: number | null;
  startedAt: string | null;
  checkpointsPassed: number;
  checkpointsFailed: number;
}

/** Backfill runs, oldest first. @public */
export interface BackfillDashboard {
  runs: BackfillRunDashboard[];
}

/** Repositories per CI library version per day. @public */
export interface FederationDashboard {
  /** Every version that appears, oldest first. */
  versions: string[];
  days: FederationAdoptionPoint[];
}

/**
 * `GET /api/conductor/dashboards?team=group:default/payments`: the seed's
 * dashboards, over what the caller may read, for one team or every team.
 * A dashboard the caller may not read at all is `null`.
 *
 * @public
 */
export interface DashboardsResponse {
  /** The team filter, normalised; null for every team. */
  team: string | null;
  /** The teams the caller may pick: groups owning an entity the caller may read. */
  teams: string[];
  /** When the figures were read. */
  generatedAt: string;
  compliance: ComplianceTrendDashboard;
  autoPrs: AutoPrDashboard | null;
  lineage: LineageDashboard;
  readiness: ReadinessDashboard;
  backfills: BackfillDashboard;
  federation: FederationDashboard;
}
