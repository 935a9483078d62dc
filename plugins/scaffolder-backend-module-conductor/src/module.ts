import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishGitAction } from './actions/publishGit';
import { createRegisterAction } from './actions/register';
import { createRenderAction } from './actions/render';

/**
 * The golden paths' scaffolder actions: `conductor:golden-path:render`,
 * `publish:git` and `conductor:golden-path:register`.
 *
 * @public
 */
export const scaffolderModuleConductor = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'conductor',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, catalog, auth, discovery, logger }) {
        scaffolder.addActions(
          createRenderAction({ catalog }),
          createPublishGitAction({ config }),
          createRegisterAction({ config, catalog, auth, discovery, logger }),
        );
      },
    });
  },
});
