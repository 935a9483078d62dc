import { Config } from '@backstage/config';
import { AlertSwitch, readAlertSwitch } from '../shared/alertSettings';

/** The "backfill cost spike" guardrail and its alert as config sets them. */
export interface BackfillCostAlertSettings extends AlertSwitch {
  /** `conductor.backfill.costSpikeFactor`: recent cost a row over this many times the run's pauses it. Default 3. */
  spikeFactor: number;
  /** `conductor.backfill.unitCost.perDbSecond`: spikes are measured only when database time has a price. */
  perDbSecond: number;
}

/**
 * Reads the cost guardrail's settings; the runner and the alert settings
 * page both use it. The throttle is also how long after a spike pause
 * another spike may pause the run again. Switching the alert off stops the
 * notification, never the pause.
 */
export function readBackfillCostAlertSettings(
  config: Config,
): BackfillCostAlertSettings {
  const spikeFactor =
    config.getOptionalNumber('conductor.backfill.costSpikeFactor') ?? 3;
  if (!(spikeFactor > 1 && spikeFactor <= 100))
    throw new Error(
      `conductor.backfill.costSpikeFactor: must be a number above 1 and at most 100, got ${spikeFactor}`,
    );
  return {
    ...readAlertSwitch(config, 'backfillCostSpike', 10),
    spikeFactor,
    perDbSecond:
      config.getOptionalNumber('conductor.backfill.unitCost.perDbSecond') ?? 0,
  };
}
