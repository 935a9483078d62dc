import { Config } from '@backstage/config';
import { AlertSwitch, readAlertSwitch } from '../shared/alertSettings';

/** The SLO burn-rate alerts as config sets them. */
export interface SloBurnAlertSettings extends AlertSwitch {
  /** `conductor.slo.defaultWindowDays` (28 or 30): sets the burn-rate factors. Default 30. */
  windowDays: 28 | 30;
}

/**
 * Reads the burn alerts' settings; the SLO boards and the alert settings
 * page both use it. Repeats are held back by state: an alert is sent when
 * its condition starts or stops holding.
 */
export function readSloBurnAlertSettings(config: Config): SloBurnAlertSettings {
  const windowDays =
    config.getOptionalNumber('conductor.slo.defaultWindowDays') ?? 30;
  if (windowDays !== 28 && windowDays !== 30)
    throw new Error(
      `conductor.slo.defaultWindowDays must be 28 or 30, got ${windowDays}`,
    );
  return { ...readAlertSwitch(config, 'sloBurnRate', 0), windowDays };
}
