// The dashboards' extensions; src/alpha lists them.
import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ConductorHttp } from '../shared/http';
import { DashboardsClient, dashboardsApiRef } from './api';

/** @alpha */
export const dashboardsApi = ApiBlueprint.make({
  name: 'dashboards',
  params: defineParams =>
    defineParams({
      api: dashboardsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: d => new DashboardsClient(new ConductorHttp(d)),
    }),
});

/** The "Dashboards" sub-page: the seed's dashboards, every team or `?team=`. @alpha */
export const dashboardsSubPage = SubPageBlueprint.make({
  name: 'dashboards',
  attachTo: { id: 'page:conductor', input: 'pages' },
  params: {
    path: 'dashboards',
    title: 'Dashboards',
    loader: () => import('./DashboardsPage').then(m => <m.DashboardsPage />),
  },
});

/** The "Dashboards" tab of a team: the same dashboards, of that team. @alpha */
export const entityTeamDashboardsContent = EntityContentBlueprint.make({
  name: 'team-dashboards',
  params: {
    path: '/dashboards',
    title: 'Dashboards',
    filter: { kind: 'group' },
    loader: () =>
      import('./DashboardsPage').then(m => <m.TeamDashboardsContent />),
  },
});
