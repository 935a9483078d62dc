import { Config } from '@backstage/config';
import { AlertSwitch, readAlertSwitch } from '../shared/alertSettings';

/** The "compliance score < target" alert as config sets it. */
export interface ComplianceAlertSettings extends AlertSwitch {
  /** `conductor.compliance.targetScore`, default 0.8. */
  target: number;
}

/** Reads the alert's settings; the run and the alert settings page both use it. */
export function readComplianceAlertSettings(
  config: Config,
): ComplianceAlertSettings {
  const target =
    config.getOptionalNumber('conductor.compliance.targetScore') ?? 0.8;
  if (!(target >= 0 && target <= 1))
    throw new Error(
      `conductor.compliance.targetScore: must be a score from 0 to 1, got ${target}`,
    );
  // Repeats are held back by the score itself (sent again only when it drops).
  return { ...readAlertSwitch(config, 'complianceBelowTarget', 0), target };
}
