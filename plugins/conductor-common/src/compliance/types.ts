/** @public */
export type ControlSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * Which entities a control applies to; every listed criterion must match,
 * and within one criterion any listed value.
 *
 * @public
 */
export interface ControlScope {
  kind?: string[];
  type?: string[];
  lifecycle?: string[];
  tags?: string[];
  owner?: string[];
}

/**
 * One control of the controls catalog: an id, a check in CEL over the
 * entity's latest evidence, and what it applies to.
 *
 * @public
 */
export interface ControlDefinition {
  id: string;
  title: string;
  description?: string;
  severity: ControlSeverity;
  appliesTo?: ControlScope;
  /** A CEL expression that is true when the control passes. */
  check: string;
  /** Id of the remediation the auto-remediation bot applies when it fails. */
  remediation?: string;
  level?: string;
  /** Where it was declared, for error messages. */
  source?: { file: string; line: number; column: number };
}

/** @public */
export type ControlStatus =
  | 'pass'
  | 'fail'
  | 'not-applicable'
  | 'exempt'
  | 'error';

/** The outcome of one control on one entity, with the values that decided it. @public */
export interface ControlResult {
  controlId: string;
  entityRef: string;
  status: ControlStatus;
  severity: ControlSeverity;
  /** Why, in words: e.g. "sbom.coverage = 0.81; check: evidence.sbom_coverage >= 0.95". */
  message: string;
  /** The fact values the check read, by fact name. */
  values: Record<string, unknown>;
  remediation?: string;
}

/** A problem in a controls catalog file, with its place. @public */
export interface ControlsCatalogError {
  file: string;
  line: number;
  column: number;
  controlId?: string;
  message: string;
}
