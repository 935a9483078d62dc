import { Capability, ConductorServices } from '../shared/capability';
import { LineageService, LineageSettings } from './LineageService';
import { LineageStore } from './LineageStore';
import { createLineageRouter } from './router';
import { AlertSwitch, readAlertSwitch } from '../shared/alertSettings';

export type { LineageService } from './LineageService';

/** Reads `conductor.lineage`; a bad value stops the start-up naming the key. */
export function readLineageSettings(
  config: ConductorServices['config'],
): LineageSettings {
  const int = (key: string, fallback: number, min: number, max: number) => {
    const value =
      config.getOptionalNumber(`conductor.lineage.${key}`) ?? fallback;
    if (!Number.isInteger(value) || value < min || value > max)
      throw new Error(
        `conductor.lineage.${key}: must be a whole number from ${min} to ${max}, got ${value}`,
      );
    return value;
  };
  return {
    maxServices: int('maxServices', 0, 0, 100_000),
    maxDepth: int('walk.maxDepth', 6, 1, 20),
    budgetMs: int('walk.budgetMs', 200, 1, 60_000),
    maxGraphNodes: int('graph.maxNodes', 500, 10, 2000),
  };
}

/**
 * The "blast radius > N services without mitigation" alert's switch and
 * repeat window (N is `maxServices` of the lineage settings): read here for
 * the sender and the alert settings page alike.
 */
export function readBlastRadiusAlertSettings(
  config: ConductorServices['config'],
): AlertSwitch {
  return readAlertSwitch(config, 'blastRadius', 0);
}

/**
 * Contract lineage and blast radius: the graph across services, APIs,
 * GraphQL types and fields, resolvers, contracts, policies, tests,
 * operations and tenants; ingested on the scheduler and on demand.
 */
export async function createLineageCapability(
  services: ConductorServices,
): Promise<Capability & { lineage: LineageService }> {
  const lineage = new LineageService({
    store: new LineageStore(services.db),
    catalogSnapshot: services.catalogSnapshot,
    catalog: services.catalog,
    urlReader: services.urlReader,
    logger: services.logger,
    settings: readLineageSettings(services.config),
    alerts: services.alerts,
    blastRadiusAlert: readBlastRadiusAlertSettings(services.config),
  });
  return {
    lineage,
    bodyLimit: '25mb',
    routers: {
      '/lineage': createLineageRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        lineage,
      }),
    },
    tasks: [
      {
        id: 'conductor-lineage-ingest',
        configKey: 'conductor.lineage.ingest.schedule',
        defaultSchedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 30 },
        },
        what: 'Lineage ingest',
        run: async signal => {
          const r = await lineage.ingest(signal);
          services.logger.info(
            `Lineage ingest: ${r.nodes} nodes, ${r.edges} edges (${
              r.added
            } added, ${r.removed} removed)${
              r.problems.length
                ? `; ${r.problems.length} problem(s): ${r.problems.join(' | ')}`
                : ''
            }`,
          );
        },
      },
    ],
  };
}
