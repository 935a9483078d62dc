import { FactValueType } from './types';

/**
 * What the backend knows about a fact name: its type and what it means.
 *
 * @public
 */
export interface KnownFact {
  type: FactValueType;
  description: string;
  /** Inclusive bounds for numeric facts. */
  min?: number;
  max?: number;
  /**
   * The collector that owns the fact (`catalog`, `repository`): only it
   * records it. CI cannot push it, or a pipeline could vouch for an on-call
   * rotation nobody declared.
   */
  collectedBy?: string;
}

/**
 * The facts every Conductor capability reads. A fact not listed here may
 * still be pushed (teams add their own), but a listed fact must have the
 * listed type, so a typo in CI cannot silently store a string coverage.
 *
 * @public
 */
export const KNOWN_FACTS: Readonly<Record<string, KnownFact>> = {
  'test.coverage': {
    type: 'number',
    description: 'Share of lines covered by tests (0..1)',
    min: 0,
    max: 1,
  },
  'sbom.coverage': {
    type: 'number',
    description: 'Share of shipped dependencies listed in the SBOM (0..1)',
    min: 0,
    max: 1,
  },
  'sbom.present': {
    type: 'boolean',
    description: 'An SBOM file exists in the repository',
    collectedBy: 'repository',
  },
  'sbom.generated_at': {
    type: 'timestamp',
    description: 'When the SBOM in the repository was generated',
    collectedBy: 'repository',
  },
  'sbom.components': {
    type: 'number',
    description: 'Number of components listed in the SBOM',
    min: 0,
    collectedBy: 'repository',
  },
  'policy.coverage': {
    type: 'number',
    description: 'Share of endpoints covered by an OPA policy (0..1)',
    min: 0,
    max: 1,
  },
  'k6.last_run': {
    type: 'timestamp',
    description: 'When the last k6 load test passed',
  },
  'chaos.last_run': {
    type: 'timestamp',
    description: 'When the last chaos experiment passed',
  },
  'runbook.url': {
    type: 'string',
    description: 'Link to the on-call runbook',
    collectedBy: 'catalog',
  },
  'slo.adherence': {
    type: 'number',
    description: 'Share of the SLO window within objective (0..1)',
    min: 0,
    max: 1,
  },
  'mfa.enforced': {
    type: 'boolean',
    description: 'MFA is enforced for everyone with deploy rights',
  },
  'resources.retention': {
    type: 'object',
    description:
      'Retention tag of each resource the entity depends on (resource ref -> tag, null when untagged)',
    collectedBy: 'catalog',
  },
  'repo.codeowners': {
    type: 'boolean',
    description: 'The repository has a CODEOWNERS file',
    collectedBy: 'repository',
  },
  'catalog.owner': {
    type: 'string',
    description: 'Owner entity ref as declared in the catalog',
    collectedBy: 'catalog',
  },
  'catalog.owner_is_group': {
    type: 'boolean',
    description: 'The owner resolves to a Group entity in the catalog',
    collectedBy: 'catalog',
  },
  'catalog.lifecycle': {
    type: 'string',
    description: 'Declared lifecycle (experimental, production, ...)',
    collectedBy: 'catalog',
  },
  'catalog.oncall': {
    type: 'string',
    description: 'On-call rotation declared on the entity',
    collectedBy: 'catalog',
  },
  'catalog.provides_apis': {
    type: 'string-list',
    description: 'API entity refs the entity provides',
    collectedBy: 'catalog',
  },
  'alerts.defined': {
    type: 'boolean',
    description: 'Alert rules exist for the service',
    collectedBy: 'repository',
  },
  'dashboards.exported': {
    type: 'boolean',
    description: 'Dashboards are exported as code',
    collectedBy: 'repository',
  },
};

/** Fact names are dotted lower-case words, e.g. `test.coverage`. */
export const FACT_NAME_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;

/**
 * Bounds on what one evidence push may hold: a push beyond them is refused
 * whole, naming the bound, before anything is stored.
 *
 * @public
 */
export const EVIDENCE_LIMITS = {
  factsPerPush: 100,
  nameLength: 128,
  /** Bytes of a value's JSON. */
  valueBytes: 16_384,
  /** Levels of lists and objects in a value. */
  valueDepth: 8,
  entityRefLength: 255,
} as const;
