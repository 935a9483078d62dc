// The federation board's extensions; src/alpha lists them.
import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { ConductorHttp } from '../shared/http';
import { FederationClient, federationApiRef } from './api';

/** @alpha */
export const federationApi = ApiBlueprint.make({
  name: 'federation',
  params: defineParams =>
    defineParams({
      api: federationApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: d => new FederationClient(new ConductorHttp(d)),
    }),
});

/** The "CI library" sub-page: the federation board. @alpha */
export const federationSubPage = SubPageBlueprint.make({
  name: 'ci-library',
  attachTo: { id: 'page:conductor', input: 'pages' },
  params: {
    path: 'ci-library',
    title: 'CI library',
    loader: () => import('./FederationPage').then(m => <m.FederationPage />),
  },
});
