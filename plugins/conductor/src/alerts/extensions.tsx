// The alert settings' extensions; src/alpha lists them.
import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { ConductorHttp } from '../shared/http';
import { AlertsClient, alertsApiRef } from './api';

/** @alpha */
export const alertsApi = ApiBlueprint.make({
  name: 'alerts',
  params: defineParams =>
    defineParams({
      api: alertsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: d => new AlertsClient(new ConductorHttp(d)),
    }),
});

/** The "Alerts" sub-page: which alerts are on, their thresholds and recipients. @alpha */
export const alertsSubPage = SubPageBlueprint.make({
  name: 'alerts',
  attachTo: { id: 'page:conductor', input: 'pages' },
  params: {
    path: 'alerts',
    title: 'Alerts',
    loader: () => import('./AlertsPage').then(m => <m.AlertsPage />),
  },
});
