import { READINESS_COMPONENTS, ReadinessWeights } from './types';

/**
 * Checks configured PRS weights: only known components, none negative, sum
 * 1. Returns the weights (defaults filled in for none given at all) or
 * throws naming the config key.
 *
 * @public
 */
export function validateReadinessWeights(
  raw: Record<string, unknown> | undefined,
  defaults: ReadinessWeights,
  configKey = 'conductor.readiness.weights',
): ReadinessWeights {
  if (raw === undefined) return defaults;
  const weights = {} as ReadinessWeights;
  for (const [key, value] of Object.entries(raw)) {
    if (!(READINESS_COMPONENTS as readonly string[]).includes(key)) {
      throw new Error(
        `${configKey}.${key}: unknown PRS component; known: ${READINESS_COMPONENTS.join(
          ', ',
        )}`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(
        `${configKey}.${key}: must be a number >= 0, got ${JSON.stringify(
          value,
        )}`,
      );
    }
    weights[key as keyof ReadinessWeights] = value;
  }
  for (const id of READINESS_COMPONENTS) weights[id] ??= 0;
  const sum = READINESS_COMPONENTS.reduce((s, id) => s + weights[id], 0);
  if (Math.abs(sum - 1) > 1e-6) {
    throw new Error(
      `${configKey}: weights must sum to 1, they sum to ${
        Math.round(sum * 1e6) / 1e6
      }`,
    );
  }
  return weights;
}
