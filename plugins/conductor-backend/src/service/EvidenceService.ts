import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EvidenceFact,
  EvidenceFieldError,
  validateEvidencePush,
} from '@internal/plugin-conductor-common';
import { EvidenceStore } from '../database/EvidenceStore';

/** Thrown for a push that fails validation; carries every field error. */
export class EvidenceInputError extends InputError {
  constructor(readonly fieldErrors: EvidenceFieldError[]) {
    super(fieldErrors.map(e => `${e.field}: ${e.message}`).join('; '));
  }
}

/**
 * Accepts evidence pushed by CI: validates it in full, checks the entity is
 * in the catalog, and stores all of it or nothing.
 */
export class EvidenceService {
  constructor(
    private readonly store: EvidenceStore,
    private readonly catalog: CatalogService,
    private readonly logger: LoggerService,
  ) {}

  async push(
    body: unknown,
    source: string,
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; stored: EvidenceFact[] }> {
    const parsed = validateEvidencePush(body);
    if (!parsed.ok) throw new EvidenceInputError(parsed.errors);
    const entity = await this.catalog.getEntityByRef(parsed.entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `entityRef: ${parsed.entityRef} is not in the catalog`,
      );
    }
    const stored = await this.store.record(
      parsed.facts.map(f => ({ ...f, entityRef: parsed.entityRef, source })),
    );
    this.logger.info(
      `Recorded ${stored.length} fact(s) for ${parsed.entityRef} from ${source}`,
    );
    return { entityRef: parsed.entityRef, stored };
  }
}
