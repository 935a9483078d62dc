import { Config } from '@backstage/config';
import { AlertId } from '@internal/plugin-conductor-common';

/** Whether an alert is on and how often it may repeat for one subject. */
export interface AlertSwitch {
  /** `conductor.alerts.<id>.enabled`, default true. */
  enabled: boolean;
  /** `conductor.alerts.<id>.throttleMinutes` in milliseconds; 0 when repeats are held back by state alone. */
  throttleMs: number;
}

/**
 * Reads `conductor.alerts.<id>`: the one place an alert's on/off switch and
 * repeat window are read, by its sender and by the alert settings alike.
 * A bad value stops the start-up naming the key.
 */
export function readAlertSwitch(
  config: Config,
  id: AlertId,
  defaultThrottleMinutes: number,
): AlertSwitch {
  const enabled =
    config.getOptionalBoolean(`conductor.alerts.${id}.enabled`) ?? true;
  const minutes =
    config.getOptionalNumber(`conductor.alerts.${id}.throttleMinutes`) ??
    defaultThrottleMinutes;
  if (!(minutes >= 0 && minutes <= 7 * 24 * 60))
    throw new Error(
      `conductor.alerts.${id}.throttleMinutes: must be a number of minutes from 0 to 10080 (a week), got ${minutes}`,
    );
  return { enabled, throttleMs: Math.round(minutes * 60_000) };
}
