/**
 * The kinds of value a fact may carry. `timestamp` values travel as ISO-8601
 * strings; `object` is any JSON object (for structured facts such as the
 * retention tag of each resource a component uses).
 *
 * @public
 */
export type FactValueType =
  | 'number'
  | 'boolean'
  | 'string'
  | 'timestamp'
  | 'string-list'
  | 'object';

/** @public */
export type FactValue =
  | number
  | boolean
  | string
  | string[]
  | { [key: string]: unknown };

/**
 * One observation of a fact about a catalog entity, as stored.
 *
 * @public
 */
export interface EvidenceFact {
  /** The entity the fact is about, e.g. `component:default/orders-api`. */
  entityRef: string;
  /** Dotted fact name, e.g. `test.coverage`. */
  name: string;
  type: FactValueType;
  value: FactValue;
  /** Who reported it: `ci:<subject>`, `collector:<id>` or `seed:<file>`. */
  source: string;
  /** When the fact was true (ISO-8601), as reported by its source. */
  observedAt: string;
  /** When the backend stored it (ISO-8601). */
  recordedAt: string;
}

/**
 * A fact as submitted, before it is stored.
 *
 * @public
 */
export interface EvidenceFactInput {
  name: string;
  value: unknown;
  /** ISO-8601; defaults to the time the backend receives it. */
  observedAt?: string;
}
