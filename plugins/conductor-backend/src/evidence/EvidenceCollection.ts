import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CollectionSummary,
  typeFactValue,
} from '@internal/plugin-conductor-common';
import { EvidenceCollector } from '@internal/plugin-conductor-node';
import { CatalogSnapshot } from '../shared/capability';
import { EvidenceRecord, EvidenceStore } from './EvidenceStore';

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
      catalogSnapshot: CatalogSnapshot;
      store: EvidenceStore;
      collectors: EvidenceCollector[];
      logger: LoggerService;
    },
  ) {}

  async run(signal?: AbortSignal): Promise<CollectionSummary> {
    const { catalogSnapshot, store, collectors, logger } = this.options;
    // Collect from the catalog as it is now, not as it was at the last refresh.
    await catalogSnapshot.refresh();
    const all = catalogSnapshot.entities(KINDS);
    const context = {
      entities: all,
      getEntity: (ref: string) => catalogSnapshot.get(ref),
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
