import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ConductorClient, conductorApiRef } from './api';

/** @alpha */
export const conductorApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: conductorApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ConductorClient(deps),
    }),
});

/** The "Evidence" tab on components. @alpha */
export const entityEvidenceContent = EntityContentBlueprint.make({
  name: 'evidence',
  params: {
    path: '/evidence',
    title: 'Evidence',
    filter: 'kind:component',
    loader: () =>
      import('./components/EvidenceContent').then(m => <m.EvidenceContent />),
  },
});

/**
 * Maestro Conductor for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'conductor',
  extensions: [conductorApi, entityEvidenceContent],
});
