import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Lets `conductor:golden-path:register` register the checkout of a project
 * published to a plain git remote as a `file` location (the catalog accepts
 * only `url` locations through its API by default). Only for portals that
 * publish with `publish:git`: with `file` allowed, anyone who may create
 * locations can point the catalog at files on the backend's host. Portals
 * that publish with `publish:github` register `url` locations and do not
 * add this module.
 *
 * @public
 */
export const catalogModuleGoldenPathLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-path-locations',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
