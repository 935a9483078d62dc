import { Capability, ConductorServices } from '../shared/capability';
import { createAlertsRouter } from './router';
import { readAlertSettings } from './settings';

export { readAlertSettings } from './settings';

/**
 * Alert settings: which of the seed's alerts (and the SLO burn alerts) are
 * on, their thresholds and repeat windows, who receives them and the page
 * they link to. The alerts themselves are sent by their capabilities.
 */
export async function createAlertsCapability(
  services: ConductorServices,
): Promise<Capability> {
  return {
    routers: {
      '/alerts': createAlertsRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        settings: readAlertSettings(services.config),
      }),
    },
  };
}
