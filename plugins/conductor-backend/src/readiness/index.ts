import {
  Capability,
  ConductorServices,
  EvidenceAccess,
} from '../shared/capability';
import { readReadinessSettings } from './readinessConfig';
import { ReadinessService } from './ReadinessService';
import { ReadinessStore } from './ReadinessStore';
import { createPromotionsRouter, createReadinessRouter } from './router';

export type { ReadinessService } from './ReadinessService';

/**
 * Production readiness: the weighted score per component, the daily snapshot
 * for the team trend, and the promotion gate CI calls.
 */
export async function createReadinessCapability(
  services: ConductorServices,
  deps: { evidence: EvidenceAccess },
): Promise<Capability & { readiness: ReadinessService }> {
  const { logger, catalogSnapshot } = services;
  // Bad readiness config stops the start-up here, naming the key.
  const settings = readReadinessSettings(services.config);
  const readiness = new ReadinessService({
    catalogSnapshot,
    evidence: deps.evidence,
    store: new ReadinessStore(services.db),
    settings,
    logger,
    alerts: services.alerts,
  });
  const routerDeps = {
    httpAuth: services.httpAuth,
    permissions: services.permissions,
    readiness,
  };
  return {
    readiness,
    routers: {
      '/promotions': createPromotionsRouter(routerDeps),
      '/readiness': createReadinessRouter(routerDeps),
    },
    tasks: [
      {
        id: 'conductor-readiness-snapshot',
        configKey: 'conductor.readiness.snapshot.schedule',
        // Daily: the team trend needs one score per component per day.
        defaultSchedule: {
          frequency: { hours: 24 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 2 },
        },
        what: 'Readiness snapshot',
        run: async () => {
          const n = await readiness.snapshot();
          logger.info(`Readiness snapshot: scored ${n} component(s)`);
        },
      },
    ],
  };
}
