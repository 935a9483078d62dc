// The evidence bundles' extensions; src/alpha lists them.
import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { BundleClient, bundleApiRef } from './api';

/** @alpha */
export const bundleApi = ApiBlueprint.make({
  name: 'bundle',
  params: defineParams =>
    defineParams({
      api: bundleApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: d => new BundleClient(d),
    }),
});

/** The "Bundles" sub-page: signed evidence bundles. @alpha */
export const bundlesSubPage = SubPageBlueprint.make({
  name: 'bundles',
  attachTo: { id: 'page:conductor', input: 'pages' },
  params: {
    path: 'bundles',
    title: 'Bundles',
    loader: () => import('./BundlesPage').then(m => <m.BundlesPage />),
  },
});
