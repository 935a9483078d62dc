// The lineage capability's extensions; src/alpha lists them.
import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ConductorHttp } from '../shared/http';
import { LineageClient, lineageApiRef } from './api';

/** The lineage API client. @alpha */
export const lineageApi = ApiBlueprint.make({
  name: 'lineage',
  params: defineParams =>
    defineParams({
      api: lineageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: d => new LineageClient(new ConductorHttp(d)),
    }),
});

/** The "Lineage" tab on APIs, components and systems. @alpha */
export const entityLineageContent = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: '/lineage',
    title: 'Lineage',
    group: 'conductor',
    filter: { kind: { $in: ['api', 'component', 'system'] } },
    loader: () => import('./LineageContent').then(m => <m.LineageContent />),
  },
});
