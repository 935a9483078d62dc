import { Config } from '@backstage/config';
import {
  AlertSetting,
  AlertThreshold,
  alertLinks,
  burnAlertWindows,
} from '@internal/plugin-conductor-common';
import { readBackfillCostAlertSettings } from '../backfill';
import { readComplianceAlertSettings } from '../compliance';
import { readFederationSettings } from '../federation';
import { readBlastRadiusAlertSettings, readLineageSettings } from '../lineage';
import { readReadinessSettings } from '../readiness/readinessConfig';
import { AlertSwitch } from '../shared/alertSettings';
import { readSloBurnAlertSettings } from '../slo';

const percent = (score: number) => `${Math.round(score * 1000) / 10} %`;
const plural = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

function repeat(s: AlertSwitch) {
  return {
    enabled: s.enabled,
    throttleMinutes: s.throttleMs > 0 ? s.throttleMs / 60_000 : null,
  };
}

/**
 * Every alert as the settings section shows it, read through the same
 * functions its sender reads (so the page cannot disagree with what is
 * sent). Throws, naming the key, on a bad value: the backend refused to
 * start on it already.
 */
export function readAlertSettings(config: Config): AlertSetting[] {
  const compliance = readComplianceAlertSettings(config);
  const federation = readFederationSettings(config);
  const readiness = readReadinessSettings(config);
  const backfill = readBackfillCostAlertSettings(config);
  const lineage = readLineageSettings(config);
  const blastRadius = readBlastRadiusAlertSettings(config);
  const slo = readSloBurnAlertSettings(config);

  const readinessThresholds: AlertThreshold[] = Object.entries(
    readiness.thresholds,
  ).map(([environment, threshold]) => ({
    label: `readiness below, releasing to ${environment}`,
    value: String(threshold),
    configKey: `conductor.readiness.thresholds.${environment}`,
  }));
  const windows = burnAlertWindows(slo.windowDays);
  const burn = (severity: 'page' | 'ticket') =>
    windows
      .filter(w => w.severity === severity)
      .map(w => `${w.longWindow}/${w.shortWindow} ×${w.factor}`)
      .join(', ');

  return [
    {
      id: 'complianceBelowTarget',
      name: 'Compliance score below target',
      condition:
        "After a compliance run, a team's score is below the target score.",
      ...repeat(compliance),
      thresholds: [
        {
          label: 'team score below',
          value: percent(compliance.target),
          configKey: 'conductor.compliance.targetScore',
        },
      ],
      dedupe:
        'Once when the team falls below the target; again only when its score drops further.',
      recipients: 'Members of the team',
      link: alertLinks.complianceBelowTarget.pattern,
      topic: 'conductor.compliance.below-target',
    },
    {
      id: 'ciLibraryMismatch',
      name: 'CI library mismatch',
      condition:
        'A repository pins a CI library release further behind the newest than allowed.',
      ...repeat(federation.mismatchAlert),
      thresholds: [
        {
          label: 'releases behind the newest, more than',
          value: plural(federation.maxVersionsBehind, 'release'),
          configKey: 'conductor.federation.maxVersionsBehind',
        },
      ],
      dedupe: 'One notification per repository, sent again after the throttle.',
      recipients: "Members of the group that owns the repository's component",
      link: alertLinks.ciLibraryMismatch.pattern,
      topic: 'conductor.federation.mismatch',
    },
    {
      id: 'releaseBlocked',
      name: 'Release blocked: readiness below threshold',
      condition:
        "The promotion gate refuses a release: readiness (PRS) below the environment's threshold, or evidence missing or stale.",
      ...repeat(readiness.blockedAlert),
      thresholds: readinessThresholds,
      dedupe:
        'One notification per service and environment, sent again after the throttle.',
      recipients: 'Members of the group that owns the service',
      link: alertLinks.releaseBlocked.pattern,
      topic: 'conductor.promotion.blocked',
    },
    {
      id: 'backfillCostSpike',
      name: 'Backfill cost spike',
      condition:
        "A backfill's recent batches cost far more a row than the run so far, or its projected cost is over its budget: the run is paused.",
      ...repeat(backfill),
      thresholds: [
        {
          label: 'recent database time a row, over the run average ×',
          value: String(backfill.spikeFactor),
          configKey: 'conductor.backfill.costSpikeFactor',
        },
        {
          label: 'price of a second of database time (0: spikes not measured)',
          value: String(backfill.perDbSecond),
          configKey: 'conductor.backfill.unitCost.perDbSecond',
        },
        {
          label: 'projected cost over',
          value: "each definition's cost_budget",
          configKey: 'cost_budget (backfill definition)',
        },
      ],
      dedupe:
        'One notification per run; a resumed run is paused and told again only after the throttle.',
      recipients: "Members of the group that owns the backfill's owner",
      link: alertLinks.backfillCostSpike.pattern,
      topic: 'conductor.backfill.cost',
    },
    {
      id: 'blastRadius',
      name: 'Blast radius too large without mitigation',
      condition:
        'A breaking contract change reaches more services than allowed and no mitigation is recorded.',
      ...repeat(blastRadius),
      thresholds: [
        {
          label: 'services reached, more than',
          value: plural(lineage.maxServices, 'service'),
          configKey: 'conductor.lineage.maxServices',
        },
      ],
      dedupe:
        "Once per change set; a new change set for the same API updates its one notification. Only checks by CI alert, never a person's what-if.",
      recipients: 'Members of the group that owns the changed API',
      link: alertLinks.blastRadius.pattern,
      topic: 'conductor.lineage.blast-radius',
    },
    {
      id: 'sloBurnRate',
      name: 'SLO error budget burning too fast',
      condition:
        "A service's error budget burns faster than the multiwindow burn-rate thresholds (page and ticket).",
      ...repeat(slo),
      thresholds: [
        {
          label: 'page: long/short window × burn rate',
          value: burn('page'),
          configKey: 'conductor.slo.defaultWindowDays',
        },
        {
          label: 'ticket: long/short window × burn rate',
          value: burn('ticket'),
          configKey: 'conductor.slo.defaultWindowDays',
        },
      ],
      dedupe:
        'Once when the condition starts to hold and once when it stops, per SLO and severity.',
      recipients: 'Members of the group that owns the service',
      link: alertLinks.sloBurnRate.pattern,
      topic: 'conductor.slo.burn-rate',
    },
  ];
}
