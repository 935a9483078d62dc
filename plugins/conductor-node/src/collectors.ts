import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/**
 * A fact produced by a collector about one entity.
 *
 * @public
 */
export interface CollectedFact {
  entityRef: string;
  name: string;
  value: unknown;
  /** Defaults to the time of the collection run. */
  observedAt?: string;
}

/**
 * Everything a collector is handed for one run.
 *
 * @public
 */
export interface EvidenceCollectorContext {
  /** The catalog entities evidence is collected for (components, APIs, ...). */
  entities: Entity[];
  /** Looks up any catalog entity by ref, from the same catalog snapshot. */
  getEntity(ref: string): Entity | undefined;
  /** Aborted when the scheduled task times out. */
  signal?: AbortSignal;
}

/**
 * Collects evidence on the Backstage scheduler. Built in: the catalog
 * collector (ownership, lifecycle, links, retention tags) and the repository
 * collector (CODEOWNERS, SBOM through the UrlReader). Modules add more
 * through {@link conductorEvidenceCollectorsExtensionPoint}.
 *
 * @public
 */
export interface EvidenceCollector {
  /** Stable id; stored as the source `collector:<id>` of every fact. */
  readonly id: string;
  collect(context: EvidenceCollectorContext): Promise<CollectedFact[]>;
}

/** @public */
export interface ConductorEvidenceCollectorsExtensionPoint {
  addCollector(...collectors: EvidenceCollector[]): void;
}

/**
 * Lets backend modules add evidence collectors to the conductor plugin.
 *
 * @public
 */
export const conductorEvidenceCollectorsExtensionPoint =
  createExtensionPoint<ConductorEvidenceCollectorsExtensionPoint>({
    id: 'conductor.evidence-collectors',
  });
