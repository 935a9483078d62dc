import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readConductorRoles } from './config';
import { ConductorPermissionPolicy } from './ConductorPermissionPolicy';

/**
 * Installs Maestro Conductor's permission policy in the permission backend,
 * in place of `@backstage/plugin-permission-backend-module-allow-all-policy`.
 *
 * @public
 */
export const permissionModuleConductorPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'conductor-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        const roles = readConductorRoles(config);
        if (roles.adminGroups.size === 0) {
          logger.warn(
            'conductor.permissions.adminGroups is empty: nobody can start runs, reloads or collections from the portal',
          );
        }
        logger.info(
          `Conductor permission policy: admins ${
            [...roles.adminGroups].join(', ') || '(none)'
          }; approvers ${
            [...roles.approverGroups].join(', ') || '(none)'
          }; open reads ${roles.openReads}`,
        );
        policy.setPolicy(new ConductorPermissionPolicy(roles));
      },
    });
  },
});
