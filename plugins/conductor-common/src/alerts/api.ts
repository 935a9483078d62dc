// The alert settings' HTTP contract (`/api/conductor/alerts/settings`),
// shared by the backend router and the portal's Alerts page.

/**
 * The seed's alerts, and the SLO burn alerts, by the name their
 * `conductor.alerts.<id>` config keys use.
 *
 * @public
 */
export const ALERT_IDS = [
  'complianceBelowTarget',
  'ciLibraryMismatch',
  'releaseBlocked',
  'backfillCostSpike',
  'blastRadius',
  'sloBurnRate',
] as const;

/** @public */
export type AlertId = (typeof ALERT_IDS)[number];

/** One threshold of an alert, with the config key it is read from. @public */
export interface AlertThreshold {
  /** What it bounds, in the user's words, e.g. "team score below". */
  label: string;
  /** As shown, e.g. "80 %", "1 version", "×3 the run's cost a row". */
  value: string;
  /** Where to change it, e.g. `conductor.compliance.targetScore`. */
  configKey: string;
}

/** One alert as the settings section shows it. @public */
export interface AlertSetting {
  id: AlertId;
  /** In the user's words, e.g. "Compliance score below target". */
  name: string;
  /** When it fires. */
  condition: string;
  /** `conductor.alerts.<id>.enabled`; true unless config says false. */
  enabled: boolean;
  thresholds: AlertThreshold[];
  /** How repeats are held back, e.g. "once per team until its score drops further". */
  dedupe: string;
  /** The least time between two sends for the same subject (`conductor.alerts.<id>.throttleMinutes`); null when only a change of state sends again. */
  throttleMinutes: number | null;
  /** Who receives it, e.g. "members of the team that owns the service". */
  recipients: string;
  /** The page the notification links to, as a portal path pattern, e.g. `/conductor/ci-library`. */
  link: string;
  /** The notification topic, to filter or mute it in Backstage's notification settings. */
  topic: string;
}

/** `GET /alerts/settings`. @public */
export interface AlertSettingsResponse {
  alerts: AlertSetting[];
}
