// The SLO capability's HTTP contract, shared by the backend router, the
// portal client and the CLI.
import { BurnAlertId, SloFileError } from './types';

/**
 * Whether an SLO could be measured:
 * - `ok`: numbers from Prometheus;
 * - `no-data`: the metric exists but there was no traffic (0/0), never healthy;
 * - `absent`: the metric the SLO reads does not exist (`absentMetric` names it);
 * - `unavailable`: Prometheus could not be asked (`reason` says why);
 * - `error`: Prometheus refused the SLO's query (`reason` names the query);
 * - `not-configured`: no Prometheus URL in the config.
 *
 * @public
 */
export type SloDataState =
  | 'ok'
  | 'no-data'
  | 'absent'
  | 'unavailable'
  | 'error'
  | 'not-configured';

/** One of the four burn-rate conditions, measured now. @public */
export interface SloBurnAlertStatus {
  id: BurnAlertId;
  severity: 'page' | 'ticket';
  longWindow: string;
  shortWindow: string;
  factor: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  /** Whether the alert would fire now; null without data. */
  firing: boolean | null;
}

/** One SLO on the board. @public */
export interface SloStatus {
  id: string;
  name: string;
  service: string;
  description?: string;
  /** Percent, e.g. 99.9. */
  objective: number;
  windowDays: number;
  format: 'openslo' | 'sloth' | 'sla';
  source: { file: string; line: number };
  state: SloDataState;
  reason?: string;
  absentMetric?: string;
  /** SLI over the window (availability, or share of fast requests), 0..1. */
  sli: number | null;
  /** Share of the window's error budget left; negative when overspent. */
  budgetRemaining: number | null;
  /** Burn rate per window (`5m` ... `3d`). */
  burnRates: Record<string, number | null>;
  alerts: SloBurnAlertStatus[];
  latency?: { thresholdMs: number; percentile: number; valueMs: number | null };
}

/** Unit cost of a service. @public */
export interface SloUnitCost {
  state: SloDataState;
  reason?: string;
  /** Cost per 1,000 requests in the configured currency. */
  perThousandRequests: number | null;
  guardrail?: number;
  exceeded: boolean;
  currency: string;
}

/** Worst alert state of a service: a firing page beats a ticket beats quiet. @public */
export type SloAlertState = 'page' | 'ticket' | 'ok' | 'no-data';

/** One service (component) on a board. @public */
export interface SloServiceRow {
  entityRef: string;
  name: string;
  title?: string;
  owner?: string;
  /** The SLO file annotation, if any. */
  sloFile?: string;
  slos: SloStatus[];
  /** Problems in the component's SLO file (file, line, field). */
  fileErrors: SloFileError[];
  alertState: SloAlertState;
  cost?: SloUnitCost;
}

/** Whether Prometheus answered for this board. @public */
export interface SloPrometheusState {
  configured: boolean;
  state: 'ok' | 'unavailable' | 'not-configured';
  reason?: string;
  url?: string;
}

/** `GET /slo/teams/:namespace/:name`. @public */
export interface SloBoardResponse {
  team: string;
  title?: string;
  evaluatedAt: string;
  prometheus: SloPrometheusState;
  services: SloServiceRow[];
  /** Prometheus queries this board cost (0 when all came from the cache). */
  queries: number;
}

/** A team on the SLO page. @public */
export interface SloTeamSummary {
  team: string;
  title?: string;
  services: number;
  slos: number;
}

/** `GET /slo/teams`. @public */
export interface SloTeamsResponse {
  prometheus: SloPrometheusState;
  teams: SloTeamSummary[];
}

/** A point of the burn-down and burn-rate charts. @public */
export interface SloHistoryPoint {
  t: string;
  budgetRemaining: number | null;
  burnRate: number | null;
}

/** `GET /slo/:kind/:namespace/:name`. @public */
export interface SloComponentResponse extends SloServiceRow {
  evaluatedAt: string;
  prometheus: SloPrometheusState;
  /** Per SLO, budget remaining and 1h burn rate over the window. */
  history: Record<string, SloHistoryPoint[]>;
  /** The Prometheus rule file generated from the SLOs. */
  rules?: string;
}

/**
 * The component annotation naming its SLO file (OpenSLO or Sloth): a path
 * relative to `conductor.slo.definitionsDir`, or a URL read through the
 * Backstage URL reader.
 *
 * @public
 */
export const SLO_FILE_ANNOTATION = 'conductor.io/slo-file';

/** The component annotation with latency objectives in the seed's form, `read=350 write=700`. @public */
export const SLA_ANNOTATION = 'conductor.io/sla';
