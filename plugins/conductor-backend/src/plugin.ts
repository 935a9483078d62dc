import {
  SchedulerServiceTaskScheduleDefinition,
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { conductorPermissions } from '@internal/plugin-conductor-common';
import {
  EvidenceCollector,
  conductorEvidenceCollectorsExtensionPoint,
} from '@internal/plugin-conductor-node';
import path from 'node:path';
import { CatalogEvidenceCollector } from './collectors/CatalogEvidenceCollector';
import { EvidenceCollection } from './collectors/EvidenceCollection';
import { RepositoryEvidenceCollector } from './collectors/RepositoryEvidenceCollector';
import { EvidenceStore } from './database/EvidenceStore';
import { applyDatabaseMigrations } from './shared/migrations';
import { EvidenceService } from './service/EvidenceService';
import { ReadinessStore } from './database/ReadinessStore';
import { AlertSender } from './shared/AlertSender';
import { ComponentDirectory } from './service/ComponentDirectory';
import { ReadinessService } from './service/ReadinessService';
import { readReadinessSettings } from './service/readinessConfig';
import { ComplianceStore } from './database/ComplianceStore';
import { ComplianceService } from './service/ComplianceService';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createRouter } from './service/router';
import { seedEvidence } from './service/seed';

/** Half-hourly by default: evidence a gate reads should not be a day old. */
const DEFAULT_COLLECT_SCHEDULE = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};

/** Daily: the team trend needs one score per component per day. */
const DEFAULT_SNAPSHOT_SCHEDULE = {
  frequency: { hours: 24 },
  timeout: { minutes: 15 },
  initialDelay: { minutes: 2 },
};

/**
 * Every 5 minutes: how long a new owner or a deleted component takes to
 * reach the gate (new components are looked up at once).
 */
const DEFAULT_DIRECTORY_SCHEDULE = {
  frequency: { minutes: 5 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 10 },
};

/** Nightly, after the evening's CI pushes. */
const DEFAULT_COMPLIANCE_SCHEDULE = {
  frequency: { cron: '30 2 * * *' },
  timeout: { minutes: 30 },
};

/**
 * Maestro Conductor backend plugin: the evidence backbone (store, CI push
 * API, scheduled collectors) that compliance, readiness, SLO and lineage
 * read.
 *
 * @public
 */
export const conductorPlugin = createBackendPlugin({
  pluginId: 'conductor',
  register(env) {
    const extraCollectors: EvidenceCollector[] = [];
    env.registerExtensionPoint(conductorEvidenceCollectorsExtensionPoint, {
      addCollector(...collectors) {
        extraCollectors.push(...collectors);
      },
    });

    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, scheduler, catalog } = deps;
        deps.permissionsRegistry.addPermissions(conductorPermissions);
        // Bad readiness config stops the start-up here, naming the key.
        const readinessSettings = readReadinessSettings(config);

        const db = await applyDatabaseMigrations(deps.database);
        const store = new EvidenceStore(db);
        const readinessStore = new ReadinessStore(db);
        const seedFiles = (
          config.getOptionalStringArray('conductor.evidence.seedFiles') ?? []
        ).map(f => path.resolve(f));
        await seedEvidence(store, seedFiles, logger);

        const collection = new EvidenceCollection({
          catalog,
          auth: deps.auth,
          store,
          logger: logger.child({ task: 'conductor-evidence-collect' }),
          collectors: [
            new CatalogEvidenceCollector(),
            new RepositoryEvidenceCollector(deps.urlReader, logger),
            ...extraCollectors,
          ],
        });
        /**
         * Schedules a task whose schedule is read from `configKey` (else
         * `fallback`); the body logs its own failure and never throws out.
         */
        const schedule = (
          id: string,
          configKey: string,
          fallback: SchedulerServiceTaskScheduleDefinition,
          what: string,
          body: (signal?: AbortSignal) => Promise<void>,
          /** 'local' for work every replica must do itself, whatever the config says. */
          forceScope?: 'local',
        ) => {
          const configured = config.getOptionalConfig(configKey);
          return scheduler.scheduleTask({
            id,
            ...(configured
              ? readSchedulerServiceTaskScheduleDefinitionFromConfig(configured)
              : fallback),
            ...(forceScope ? { scope: forceScope } : {}),
            fn: async signal => {
              try {
                await body(signal);
              } catch (e) {
                logger.error(`${what} failed: ${(e as Error).message}`);
              }
            },
          });
        };

        await schedule(
          'conductor-evidence-collect',
          'conductor.evidence.collect.schedule',
          DEFAULT_COLLECT_SCHEDULE,
          'Evidence collection',
          async signal => {
            await collection.run(signal);
          },
        );

        const alerts = new AlertSender(deps.notifications, logger);
        const directory = new ComponentDirectory({
          catalog,
          auth: deps.auth,
          logger,
        });
        // Every replica keeps its own snapshot, so this task runs on each.
        await schedule(
          'conductor-component-directory',
          'conductor.readiness.directory.schedule',
          DEFAULT_DIRECTORY_SCHEDULE,
          'Rebuilding the component directory',
          async () => {
            const t0 = Date.now();
            const n = await directory.rebuild();
            logger.info(
              `Component directory: ${n} component(s), rebuilt in ${
                Date.now() - t0
              } ms`,
            );
          },
          'local',
        );
        const readiness = new ReadinessService({
          directory,
          evidence: store,
          store: readinessStore,
          catalog,
          settings: readinessSettings,
          logger,
          alerts,
        });
        await schedule(
          'conductor-readiness-snapshot',
          'conductor.readiness.snapshot.schedule',
          DEFAULT_SNAPSHOT_SCHEDULE,
          'Readiness snapshot',
          async () => {
            const n = await readiness.snapshot(
              await deps.auth.getOwnServiceCredentials(),
            );
            logger.info(`Readiness snapshot: scored ${n} component(s)`);
          },
        );

        const complianceStore = new ComplianceStore(db);
        const compliance = new ComplianceService({
          files: (
            config.getOptionalStringArray(
              'conductor.compliance.catalogFiles',
            ) ?? []
          ).map(f => path.resolve(f)),
          store: complianceStore,
          evidence: store,
          catalog,
          logger,
          targetScore: config.getOptionalNumber(
            'conductor.compliance.targetScore',
          ),
          alerts,
        });
        await compliance.loadControls({ initial: true });
        await schedule(
          'conductor-compliance-nightly',
          'conductor.compliance.schedule',
          DEFAULT_COMPLIANCE_SCHEDULE,
          'Nightly compliance run',
          async signal => {
            // Evidence first, so the run judges what is true tonight.
            await collection.run(signal);
            await compliance.run(
              'nightly',
              await deps.auth.getOwnServiceCredentials(),
            );
          },
        );

        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            store,
            evidence: new EvidenceService(store, catalog, logger),
            collection,
            readinessStore,
            readiness,
            compliance,
            complianceStore,
          }),
        );
      },
    });
  },
});
