import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { EVIDENCE_LIMITS, FACT_NAME_PATTERN, KNOWN_FACTS } from './knownFacts';
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
  /** True when a size bound was exceeded (answered 413, not 400). */
  tooLarge?: boolean;
}

/** A fact that passed validation, ready to store. @public */
export interface NormalizedFact {
  name: string;
  type: FactValueType;
  value: FactValue;
  /** Never later than the time of the push. */
  observedAt: string;
}

/** @public */
export type EvidenceValidationResult =
  | { ok: true; entityRef: string; facts: NormalizedFact[] }
  | { ok: false; errors: EvidenceFieldError[] };

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Timestamps before this are not plausible evidence. */
const EARLIEST = Date.UTC(2000, 0, 1);
/** Clocks of CI runners drift; later than this ahead of us is the future. */
const SKEW_MS = 5 * 60_000;

/**
 * Parses a strict ISO-8601 date-time with an offset (`2026-11-24T10:00:00Z`):
 * not `"1"`, not RFC 2822, not `2026-02-30`, nothing before 2000. Returns
 * epoch milliseconds or a message.
 *
 * @public
 */
export function parseIsoTimestamp(value: unknown): number | { error: string } {
  const shown = JSON.stringify(value)?.slice(0, 60);
  const m = typeof value === 'string' ? ISO_8601.exec(value) : null;
  if (!m) {
    return {
      error: `must be an ISO-8601 timestamp, got ${shown}`,
    };
  }
  const [, y, mo, d, h, mi, sec] = m.map(Number);
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (
    day.getUTCMonth() !== mo - 1 ||
    day.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    (sec || 0) > 59
  ) {
    return { error: `${shown} is not a real date and time` };
  }
  const t = Date.parse(value as string);
  if (t < EARLIEST) return { error: `${shown} is before the year 2000` };
  return t;
}

/**
 * Levels of lists and objects in a value (a scalar is 0), counted no further
 * than `limit + 1`: a hostile value may be nested 100,000 deep, and walking
 * (or stringifying) it all would overflow the stack.
 */
function depthOf(value: unknown, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  if (limit <= 0) return 1;
  let deepest = 0;
  for (const v of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(v, limit - 1));
    if (deepest >= limit) break;
  }
  return deepest + 1;
}

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
      const parsed = parseIsoTimestamp(value);
      return typeof parsed === 'number'
        ? { value: new Date(parsed).toISOString() }
        : { error: `${name} ${parsed.error}` };
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
  if (ref.length > EVIDENCE_LIMITS.entityRefLength) {
    return {
      error: `is ${ref.length} characters long; at most ${EVIDENCE_LIMITS.entityRefLength}`,
    };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(ref)) {
    return { error: 'must not contain control characters' };
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
  options: {
    /** Seeds may set collector-owned facts; CI pushes may not. */
    allowCollectorFacts?: boolean;
  } = {},
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
  } else if (body.facts.length > EVIDENCE_LIMITS.factsPerPush) {
    errors.push({
      field: 'facts',
      message: `holds ${body.facts.length} facts; at most ${EVIDENCE_LIMITS.factsPerPush} per push`,
      tooLarge: true,
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
      if (
        typeof name === 'string' &&
        name.length > EVIDENCE_LIMITS.nameLength
      ) {
        errors.push({
          field: `${at}.name`,
          message: `is ${name.length} characters long; at most ${EVIDENCE_LIMITS.nameLength}`,
        });
        return;
      }
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
      const owner = KNOWN_FACTS[name]?.collectedBy;
      if (owner && !options.allowCollectorFacts) {
        errors.push({
          field: `${at}.name`,
          message: `${name} is recorded by the ${owner} collector only; CI cannot push it`,
        });
        return;
      }
      if (
        depthOf(raw.value, EVIDENCE_LIMITS.valueDepth + 1) >
        EVIDENCE_LIMITS.valueDepth
      ) {
        errors.push({
          field: `${at}.value`,
          message: `is nested more than ${EVIDENCE_LIMITS.valueDepth} levels deep`,
        });
        return;
      }
      const bytes = JSON.stringify(raw.value ?? null)?.length ?? 0;
      if (bytes > EVIDENCE_LIMITS.valueBytes) {
        errors.push({
          field: `${at}.value`,
          message: `is ${bytes} bytes of JSON; at most ${EVIDENCE_LIMITS.valueBytes}`,
          tooLarge: true,
        });
        return;
      }
      const coerced = typeFactValue(name, raw.value);
      if ('error' in coerced) {
        errors.push({ field: `${at}.value`, message: coerced.error });
        return;
      }
      // A run dated in the future would buy full recency forever.
      if (
        coerced.type === 'timestamp' &&
        Date.parse(coerced.value as string) > now.getTime() + SKEW_MS
      ) {
        errors.push({
          field: `${at}.value`,
          message: `${name} ${coerced.value} is in the future`,
        });
        return;
      }
      let observedAt = now.toISOString();
      if (raw.observedAt !== undefined) {
        const t = parseIsoTimestamp(raw.observedAt);
        if (typeof t !== 'number') {
          errors.push({ field: `${at}.observedAt`, message: t.error });
          return;
        }
        // A clock a little ahead is tolerated; a date in the future is not evidence.
        if (t > now.getTime() + SKEW_MS) {
          errors.push({
            field: `${at}.observedAt`,
            message: `${raw.observedAt} is in the future`,
          });
          return;
        }
        // Within the tolerance, a clock ahead of ours is read as now: a stored
        // time in the future would pin the latest value against later pushes.
        observedAt = new Date(Math.min(t, now.getTime())).toISOString();
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
