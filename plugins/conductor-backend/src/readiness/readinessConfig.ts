import { Config } from '@backstage/config';
import {
  DEFAULT_READINESS_POLICY,
  ReadinessPolicy,
  validateReadinessWeights,
} from '@internal/plugin-conductor-common';
import { AlertSwitch, readAlertSwitch } from '../shared/alertSettings';

/** What the gate needs from config, checked at start-up. */
export interface ReadinessSettings {
  policy: ReadinessPolicy;
  /** Minimum score per environment. */
  thresholds: Record<string, number>;
  /** The production threshold, shown beside a score. */
  defaultThreshold: number;
  /** The longest a break-glass override may run (`overrides.maxHours`, default 72). */
  maxOverrideHours: number;
  /** Weights of a component type (`spec.type`) when it has its own. */
  weightsByType: Record<string, ReadinessPolicy['weights']>;
  /** `conductor.alerts.releaseBlocked`: on/off and repeat window (default an hour). */
  blockedAlert: AlertSwitch;
}

function positive(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value > 0))
    throw new Error(
      `conductor.readiness.${key}: must be a number > 0, got ${value}`,
    );
  return value;
}

/**
 * Reads `conductor.readiness`. Throws, naming the key, on weights that are
 * negative, unknown or do not sum to 1 and on thresholds outside [0, 1]: the
 * backend then refuses to start rather than gate on a wrong formula.
 */
export function readReadinessSettings(root: Config): ReadinessSettings {
  const config = root.getOptionalConfig('conductor.readiness');
  if (!config) {
    return {
      policy: DEFAULT_READINESS_POLICY,
      thresholds: { production: 0.9 },
      defaultThreshold: 0.9,
      maxOverrideHours: 72,
      weightsByType: {},
      blockedAlert: readAlertSwitch(root, 'releaseBlocked', 60),
    };
  }
  const weights = validateReadinessWeights(
    config.getOptional<Record<string, unknown>>('weights'),
    DEFAULT_READINESS_POLICY.weights,
  );
  const thresholds: Record<string, number> = { production: 0.9 };
  const thresholdConfig = config.getOptionalConfig('thresholds');
  for (const env of thresholdConfig?.keys() ?? []) {
    const value = thresholdConfig!.getNumber(env);
    if (!(value >= 0 && value <= 1)) {
      throw new Error(
        `conductor.readiness.thresholds.${env}: must be between 0 and 1, got ${value}`,
      );
    }
    thresholds[env] = value;
  }
  return {
    policy: {
      weights,
      recencyHalfLifeDays: positive(
        config,
        'recency.halfLifeDays',
        DEFAULT_READINESS_POLICY.recencyHalfLifeDays,
      ),
      recencyMaxAgeDays: positive(
        config,
        'recency.maxAgeDays',
        DEFAULT_READINESS_POLICY.recencyMaxAgeDays,
      ),
      maxEvidenceAgeDays: positive(
        config,
        'maxEvidenceAgeDays',
        DEFAULT_READINESS_POLICY.maxEvidenceAgeDays,
      ),
      requiredFacts:
        config.getOptionalStringArray('requiredFacts') ??
        DEFAULT_READINESS_POLICY.requiredFacts,
      trustedSources:
        config.getOptionalStringArray('trustedSources') ??
        DEFAULT_READINESS_POLICY.trustedSources,
    },
    thresholds,
    defaultThreshold: thresholds.production,
    maxOverrideHours: positive(config, 'overrides.maxHours', 72),
    weightsByType: Object.fromEntries(
      (config.getOptionalConfig('weightsByType')?.keys() ?? []).map(type => [
        type,
        validateReadinessWeights(
          config.getOptional<Record<string, unknown>>(`weightsByType.${type}`),
          DEFAULT_READINESS_POLICY.weights,
          `conductor.readiness.weightsByType.${type}`,
        ),
      ]),
    ),
    blockedAlert: readAlertSwitch(root, 'releaseBlocked', 60),
  };
}
