import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CollectionSummary,
  EvidenceFact,
  EvidenceFieldError,
  EvidencePushResponse,
  typeFactValue,
  validateEvidencePush,
} from '@internal/plugin-conductor-common';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';
import { EvidenceCollection } from './EvidenceCollection';
import { EvidenceRecord, EvidenceStore } from './EvidenceStore';

/** Thrown for a push that fails validation; carries every field error. */
export class EvidenceInputError extends InputError {
  /** 413 when a size bound was exceeded, 400 otherwise. */
  readonly statusCode: number;
  constructor(readonly fieldErrors: EvidenceFieldError[]) {
    super(fieldErrors.map(e => `${e.field}: ${e.message}`).join('; '));
    this.statusCode = fieldErrors.some(e => e.tooLarge) ? 413 : 400;
  }
}

/**
 * The evidence backbone: accepts what CI pushes (validated in full, for an
 * entity in the catalog, all of it or nothing), what collectors and other
 * capabilities observe, and answers reads.
 */
export class EvidenceService implements EvidenceAccess {
  constructor(
    private readonly deps: {
      store: EvidenceStore;
      catalogSnapshot: CatalogSnapshot;
      collection: EvidenceCollection;
      logger: LoggerService;
    },
  ) {}

  async push(body: unknown, source: string): Promise<EvidencePushResponse> {
    const parsed = validateEvidencePush(body);
    if (!parsed.ok) throw new EvidenceInputError(parsed.errors);
    const { exists } = await this.deps.catalogSnapshot.lookup(parsed.entityRef);
    if (!exists) {
      throw new NotFoundError(
        `entityRef: ${parsed.entityRef} is not in the catalog`,
      );
    }
    const stored = await this.deps.store.record(
      parsed.facts.map(f => ({ ...f, entityRef: parsed.entityRef, source })),
    );
    // Which facts became the latest value, and which only added history (an
    // observedAt older than the latest one: a backfill).
    this.deps.logger.info(
      `Recorded ${stored.length} fact(s) for ${parsed.entityRef} from ${source}`,
    );
    return { entityRef: parsed.entityRef, stored };
  }

  latest(entityRef: string): Promise<EvidenceFact[]> {
    return this.deps.store.latest(entityRef);
  }

  latestForEntities(
    entityRefs: string[],
  ): Promise<Map<string, EvidenceFact[]>> {
    return this.deps.store.latestForEntities(entityRefs);
  }

  history(entityRef: string, name: string, options: { limit?: number }) {
    return this.deps.store.history(entityRef, name, options);
  }

  async recordObserved(
    collectorId: string,
    facts: Array<{
      entityRef: string;
      name: string;
      value: unknown;
      observedAt?: string;
    }>,
  ): Promise<void> {
    const now = new Date().toISOString();
    const records: EvidenceRecord[] = facts.map(f => {
      const typed = typeFactValue(f.name, f.value);
      if ('error' in typed) {
        throw new InputError(`${f.entityRef} ${f.name}: ${typed.error}`);
      }
      return {
        entityRef: f.entityRef,
        name: f.name,
        type: typed.type,
        value: typed.value,
        source: `collector:${collectorId}`,
        observedAt: f.observedAt ?? now,
      };
    });
    await this.deps.store.record(records, { onlyChanges: true });
  }

  collect(signal?: AbortSignal): Promise<CollectionSummary> {
    return this.deps.collection.run(signal);
  }
}
