import { EvidenceCollector } from '@internal/plugin-conductor-node';
import path from 'node:path';
import { Capability, ConductorServices } from '../shared/capability';
import { CatalogEvidenceCollector } from './collectors/CatalogEvidenceCollector';
import { RepositoryEvidenceCollector } from './collectors/RepositoryEvidenceCollector';
import { EvidenceCollection } from './EvidenceCollection';
import { EvidenceService } from './EvidenceService';
import { EvidenceStore } from './EvidenceStore';
import { createEvidenceRouter } from './router';
import { seedEvidence } from './seed';

export { EvidenceStore } from './EvidenceStore';
export type { EvidenceService } from './EvidenceService';

/**
 * The evidence capability: the store of facts, the CI push API, the
 * collectors on the scheduler. Every other capability reads it through the
 * returned `evidence` service.
 */
export async function createEvidenceCapability(
  services: ConductorServices,
  options: { extraCollectors: EvidenceCollector[] },
): Promise<Capability & { evidence: EvidenceService }> {
  const { config, logger, db, catalogSnapshot } = services;
  const store = new EvidenceStore(db);
  const seedFiles = (
    config.getOptionalStringArray('conductor.evidence.seedFiles') ?? []
  ).map(f => path.resolve(f));
  await seedEvidence(store, seedFiles, logger);

  const collection = new EvidenceCollection({
    catalogSnapshot,
    store,
    logger: logger.child({ task: 'conductor-evidence-collect' }),
    collectors: [
      new CatalogEvidenceCollector(),
      new RepositoryEvidenceCollector(services.urlReader, logger),
      ...options.extraCollectors,
    ],
  });
  const evidence = new EvidenceService({
    store,
    catalogSnapshot,
    collection,
    logger,
  });
  return {
    evidence,
    routers: {
      '/evidence': createEvidenceRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        evidence,
      }),
    },
    tasks: [
      {
        id: 'conductor-evidence-collect',
        configKey: 'conductor.evidence.collect.schedule',
        // Half-hourly: evidence a gate reads should not be a day old.
        defaultSchedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 15 },
        },
        what: 'Evidence collection',
        run: async signal => {
          await collection.run(signal);
        },
      },
    ],
  };
}
