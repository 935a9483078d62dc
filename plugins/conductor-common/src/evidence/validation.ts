import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { FACT_NAME_PATTERN, KNOWN_FACTS } from './knownFacts';
import { FactValue, FactValueType } from './types';

/**
 * One problem found in submitted evidence, with the path of the offending
 * field (`facts[2].value`) so that CI output points at it.
 *
 * @public
 */
export interface EvidenceFieldError {
  field: string;
  message: string;
}

/** A fact that passed validation, ready to store. @public */
export interface NormalizedFact {
  name: string;
  type: FactValueType;
  value: FactValue;
  observedAt: string;
}

/** @public */
export type EvidenceValidationResult =
  | { ok: true; entityRef: string; facts: NormalizedFact[] }
  | { ok: false; errors: EvidenceFieldError[] };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type a fact not in the known list gets from its value. */
export function inferFactType(value: unknown): FactValueType | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) ? 'number' : undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) {
    return value.every(v => typeof v === 'string') ? 'string-list' : undefined;
  }
  if (isPlainObject(value)) return 'object';
  return undefined;
}

/**
 * Checks `value` against `type` and returns it in stored form (timestamps
 * normalised to ISO-8601 UTC), or a message saying what is wrong.
 */
export function coerceFactValue(
  name: string,
  type: FactValueType,
  value: unknown,
  bounds: { min?: number; max?: number } = {},
): { value: FactValue } | { error: string } {
  switch (type) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return { error: `${name} must be a number, got ${describe(value)}` };
      }
      if (bounds.min !== undefined && value < bounds.min) {
        return { error: `${name} must be >= ${bounds.min}, got ${value}` };
      }
      if (bounds.max !== undefined && value > bounds.max) {
        return { error: `${name} must be <= ${bounds.max}, got ${value}` };
      }
      return { value };
    }
    case 'boolean':
      return typeof value === 'boolean'
        ? { value }
        : { error: `${name} must be a boolean, got ${describe(value)}` };
    case 'string':
      return typeof value === 'string' && value.length > 0
        ? { value }
        : {
            error: `${name} must be a non-empty string, got ${describe(value)}`,
          };
    case 'timestamp': {
      const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(parsed)
        ? {
            error: `${name} must be an ISO-8601 timestamp, got ${JSON.stringify(
              value,
            )}`,
          }
        : { value: new Date(parsed).toISOString() };
    }
    case 'string-list':
      return Array.isArray(value) && value.every(v => typeof v === 'string')
        ? { value: value as string[] }
        : {
            error: `${name} must be a list of strings, got ${describe(value)}`,
          };
    case 'object':
      return isPlainObject(value)
        ? { value }
        : { error: `${name} must be an object, got ${describe(value)}` };
    default:
      return { error: `${name} has unsupported type ${String(type)}` };
  }
}

/**
 * Types a fact's value: by the known-fact list when the name is known, from
 * the value otherwise; returns it in stored form or says what is wrong. One
 * rule for CI pushes and collectors alike.
 *
 * @public
 */
export function typeFactValue(
  name: string,
  value: unknown,
): { type: FactValueType; value: FactValue } | { error: string } {
  const known = KNOWN_FACTS[name];
  const type = known?.type ?? inferFactType(value);
  if (!type)
    return {
      error: `${name} has a value of unsupported type ${describe(value)}`,
    };
  const coerced = coerceFactValue(name, type, value, known ?? {});
  return 'error' in coerced ? coerced : { type, value: coerced.value };
}

/** Parses and normalises an entity ref, or says why it cannot. */
export function normalizeEntityRef(ref: unknown): string | { error: string } {
  if (typeof ref !== 'string' || ref.length === 0) {
    return {
      error: 'must be an entity ref such as component:default/orders-api',
    };
  }
  try {
    // Kind is required here: evidence about "orders-api" alone is ambiguous.
    if (!ref.includes(':')) {
      return {
        error: `"${ref}" has no kind; write it as component:default/${ref}`,
      };
    }
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (e) {
    return {
      error: `"${ref}" is not a valid entity ref: ${(e as Error).message}`,
    };
  }
}

/**
 * Validates an evidence push in full before anything is stored: every error
 * is reported at once, each naming its field.
 *
 * @public
 */
export function validateEvidencePush(
  body: unknown,
  now: Date = new Date(),
): EvidenceValidationResult {
  const errors: EvidenceFieldError[] = [];
  if (!isPlainObject(body)) {
    return {
      ok: false,
      errors: [
        {
          field: 'body',
          message: 'must be a JSON object with entityRef and facts',
        },
      ],
    };
  }
  const ref = normalizeEntityRef(body.entityRef);
  if (typeof ref !== 'string')
    errors.push({ field: 'entityRef', message: ref.error });

  const facts: NormalizedFact[] = [];
  if (!Array.isArray(body.facts) || body.facts.length === 0) {
    errors.push({
      field: 'facts',
      message: 'must be a non-empty list of {name, value, observedAt?}',
    });
  } else {
    const seen = new Set<string>();
    body.facts.forEach((raw, i) => {
      const at = `facts[${i}]`;
      if (!isPlainObject(raw)) {
        errors.push({
          field: at,
          message: 'must be an object {name, value, observedAt?}',
        });
        return;
      }
      const name = raw.name;
      if (typeof name !== 'string' || !FACT_NAME_PATTERN.test(name)) {
        errors.push({
          field: `${at}.name`,
          message: `must be a dotted lower-case name such as test.coverage, got ${JSON.stringify(
            name,
          )}`,
        });
        return;
      }
      if (seen.has(name)) {
        errors.push({
          field: `${at}.name`,
          message: `${name} appears twice in one push`,
        });
        return;
      }
      seen.add(name);
      const coerced = typeFactValue(name, raw.value);
      if ('error' in coerced) {
        errors.push({ field: `${at}.value`, message: coerced.error });
        return;
      }
      let observedAt = now.toISOString();
      if (raw.observedAt !== undefined) {
        const t =
          typeof raw.observedAt === 'string' ? Date.parse(raw.observedAt) : NaN;
        if (Number.isNaN(t)) {
          errors.push({
            field: `${at}.observedAt`,
            message: `must be an ISO-8601 timestamp, got ${JSON.stringify(
              raw.observedAt,
            )}`,
          });
          return;
        }
        // A clock a little ahead is tolerated; a date in the future is not evidence.
        if (t > now.getTime() + 5 * 60_000) {
          errors.push({
            field: `${at}.observedAt`,
            message: `${raw.observedAt} is in the future`,
          });
          return;
        }
        observedAt = new Date(t).toISOString();
      }
      facts.push({
        name,
        type: coerced.type,
        value: coerced.value,
        observedAt,
      });
    });
  }
  if (errors.length > 0 || typeof ref !== 'string') {
    return { ok: false, errors };
  }
  return { ok: true, entityRef: ref, facts };
}
