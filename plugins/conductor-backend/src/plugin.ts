import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { conductorPermissions } from '@internal/plugin-conductor-common';
import {
  BackfillJsStep,
  EvidenceCollector,
  conductorBackfillStepsExtensionPoint,
  conductorEvidenceCollectorsExtensionPoint,
} from '@internal/plugin-conductor-node';
import { createBackfillCapability, sloBurnRateSource } from './backfill';
import { createBundleCapability } from './bundle';
import { createComplianceCapability } from './compliance';
import { createEvidenceCapability } from './evidence';
import { createFederationCapability } from './federation';
import { createLineageCapability } from './lineage';
import { createReadinessCapability } from './readiness';
import { createRemediationCapability } from './remediation';
import { createRouter } from './router';
import { createSloCapability } from './slo';
import { Capability } from './shared/capability';
import { scheduleTask } from './shared/schedule';
import { createConductorServices } from './shared/services';

/**
 * Maestro Conductor backend plugin. Each capability is built by its folder's
 * `index.ts`; this file only wires them. @public
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
    const backfillSteps: BackfillJsStep[] = [];
    env.registerExtensionPoint(conductorBackfillStepsExtensionPoint, {
      addStep(...steps) {
        backfillSteps.push(...steps);
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
        deps.permissionsRegistry.addPermissions(conductorPermissions);
        const { services, tasks } = await createConductorServices(deps);

        // CAPABILITIES_LIST: in the order they are built; each receives the
        // capabilities built before it that it reads.
        const evidence = await createEvidenceCapability(services, {
          extraCollectors,
        });
        const reads = { evidence: evidence.evidence };
        const remediation = await createRemediationCapability(services, reads);
        const slo = await createSloCapability(services, reads);
        const capabilities: Capability[] = [
          evidence,
          await createComplianceCapability(services, {
            ...reads,
            afterNightly: remediation.afterComplianceRun,
          }),
          await createReadinessCapability(services, reads),
          await createLineageCapability(services),
          remediation,
          slo,
          await createBackfillCapability(services, {
            ...reads,
            slo: sloBurnRateSource(slo.slo, services.catalogSnapshot),
            jsSteps: backfillSteps,
          }),
          await createFederationCapability(services, reads),
          await createBundleCapability(services, reads),
        ];

        for (const task of [
          ...tasks,
          ...capabilities.flatMap(c => c.tasks ?? []),
        ]) {
          await scheduleTask(deps, task);
        }
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(createRouter(capabilities));
      },
    });
  },
});
