/** Where a definition came from, for error messages and the board. @public */
export interface SloSourceLocation {
  file: string;
  line: number;
}

/**
 * How an SLO's error ratio is measured. Queries keep Sloth's `{{.window}}`
 * placeholder, replaced by each window (`5m`, `1h`, `30d`...).
 *
 * - `events`: errors and total (Sloth `error_query`/`total_query`, OpenSLO
 *   `bad`/`total`);
 * - `good-total`: OpenSLO `good`/`total`, the error ratio is `1 - good/total`;
 * - `raw`: Sloth `sli.raw.error_ratio_query`.
 *
 * @public
 */
export type SloIndicator =
  | { type: 'events'; errorQuery: string; totalQuery: string }
  | { type: 'good-total'; goodQuery: string; totalQuery: string }
  | { type: 'raw'; errorRatioQuery: string };

/** Labels and annotations of one of the two Sloth alerts (page, ticket). @public */
export interface SloAlertSpec {
  disable: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * A latency objective expressed as a ratio over histogram buckets: requests
 * slower than `thresholdMs` are errors. Known when the SLO was made from a
 * `--sla` or its query reads a `_bucket` series with an `le` matcher.
 *
 * @public
 */
export interface SloLatency {
  thresholdMs: number;
  /** The histogram bucket selector without `le`, e.g. `http_request_duration_seconds_bucket{service="x"}`. */
  bucketSelector: string;
}

/** One service level objective, whatever file format it came from. @public */
export interface SloDefinition {
  /** `<service>-<name>`, unique per component. */
  id: string;
  service: string;
  name: string;
  description?: string;
  /** Percent in (0, 100), e.g. 99.9. */
  objective: number;
  /** Rolling window in days: 28 or 30. */
  windowDays: 28 | 30;
  indicator: SloIndicator;
  /** Labels added to every generated rule. */
  labels: Record<string, string>;
  alerting: {
    name: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    page: SloAlertSpec;
    ticket: SloAlertSpec;
  };
  latency?: SloLatency;
  format: 'openslo' | 'sloth' | 'sla';
  source: SloSourceLocation;
}

/** A problem in an SLO file, naming file, line and field. @public */
export interface SloFileError {
  file: string;
  line: number;
  /** Dotted path of the field, e.g. `slos[0].objective`. */
  field: string;
  message: string;
}

/** What parsing an SLO file gives: the valid SLOs and every problem. @public */
export interface SloFileParse {
  slos: SloDefinition[];
  errors: SloFileError[];
}

/** The four multi-window multi-burn-rate conditions. @public */
export type BurnAlertId =
  | 'page-fast'
  | 'page-slow'
  | 'ticket-fast'
  | 'ticket-slow';

/** One burn-rate alert condition: both windows must burn faster than `factor`. @public */
export interface BurnAlertWindow {
  id: BurnAlertId;
  severity: 'page' | 'ticket';
  longWindow: string;
  shortWindow: string;
  /** Burn-rate factor: budget share × period / long window. */
  factor: number;
}
