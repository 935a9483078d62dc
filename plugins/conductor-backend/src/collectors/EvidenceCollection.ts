import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { typeFactValue } from '@internal/plugin-conductor-common';
import { EvidenceCollector } from '@internal/plugin-conductor-node';
import { EvidenceRecord, EvidenceStore } from '../database/EvidenceStore';

/** What one collection run did, for logs and for the API caller. */
export interface CollectionSummary {
  entities: number;
  facts: number;
  rejected: number;
  failedCollectors: string[];
}

/** Entity kinds evidence is collected for, plus those collectors look up. */
const KINDS = ['Component', 'API', 'Resource', 'Group', 'System'];

/**
 * One evidence collection run: reads the catalog once, hands it to every
 * collector, checks what each returns like a CI push would be checked, and
 * stores it. A collector that throws is logged and skipped; the others' facts
 * are still stored.
 */
export class EvidenceCollection {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: EvidenceStore;
      collectors: EvidenceCollector[];
      logger: LoggerService;
    },
  ) {}

  async run(signal?: AbortSignal): Promise<CollectionSummary> {
    const { catalog, auth, store, collectors, logger } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const all: Entity[] = [];
    for await (const page of catalog.streamEntities(
      { filter: { kind: KINDS } },
      { credentials },
    )) {
      all.push(...page);
    }
    const byRef = new Map(all.map(e => [stringifyEntityRef(e), e]));
    const context = {
      entities: all,
      getEntity: (ref: string) => byRef.get(ref.toLocaleLowerCase('en-US')),
      signal,
    };
    const now = new Date().toISOString();
    const summary: CollectionSummary = {
      entities: all.length,
      facts: 0,
      rejected: 0,
      failedCollectors: [],
    };
    for (const collector of collectors) {
      let facts;
      try {
        facts = await collector.collect(context);
      } catch (e) {
        logger.error(
          `Evidence collector ${collector.id} failed: ${(e as Error).message}`,
        );
        summary.failedCollectors.push(collector.id);
        continue;
      }
      const records: EvidenceRecord[] = [];
      for (const fact of facts) {
        const coerced = typeFactValue(fact.name, fact.value);
        if ('error' in coerced) {
          summary.rejected++;
          logger.warn(
            `Collector ${collector.id} produced a bad fact for ${fact.entityRef}: ${coerced.error}`,
          );
          continue;
        }
        records.push({
          entityRef: fact.entityRef,
          name: fact.name,
          type: coerced.type,
          value: coerced.value,
          source: `collector:${collector.id}`,
          observedAt: fact.observedAt ?? now,
        });
      }
      await store.record(records, { onlyChanges: true });
      summary.facts += records.length;
    }
    logger.info(
      `Evidence collection: ${summary.facts} fact(s) about ${summary.entities} entities, ${summary.rejected} rejected`,
    );
    return summary;
  }
}
