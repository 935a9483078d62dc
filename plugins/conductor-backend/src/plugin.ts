import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { conductorPermissions } from '@internal/plugin-conductor-common';
import {
  BackfillJsStep,
  EvidenceCollector,
  conductorBackfillStepsExtensionPoint,
  conductorEvidenceCollectorsExtensionPoint,
} from '@internal/plugin-conductor-node';
import { createCapabilities } from './capabilities';
import { createRouter } from './router';
import { scheduleTask } from './shared/schedule';
import { createConductorServices } from './shared/services';

/**
 * Maestro Conductor backend plugin: declares its dependencies and extension
 * points; `capabilities.ts` builds each capability. @public
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
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(conductorPermissions);
        const { services, tasks } = await createConductorServices(deps);

        const capabilities = await createCapabilities(services, {
          collectors: extraCollectors,
          backfillSteps,
          actionsRegistry: deps.actionsRegistry,
        });
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
