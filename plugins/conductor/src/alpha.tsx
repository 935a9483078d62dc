import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import SpeedIcon from '@mui/icons-material/Speed';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUser';
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

/** The "Compliance" tab: controls, score, trend. @alpha */
export const entityComplianceContent = EntityContentBlueprint.make({
  name: 'compliance',
  params: {
    path: '/compliance',
    title: 'Compliance',
    filter: 'kind:component',
    loader: () =>
      import('./components/ComplianceContent').then(m => (
        <m.ComplianceContent />
      )),
  },
});

/** The "Readiness" tab: PRS gauge, components, next step, gate decisions. @alpha */
export const entityReadinessContent = EntityContentBlueprint.make({
  name: 'readiness',
  params: {
    path: '/readiness',
    title: 'Readiness',
    filter: 'kind:component',
    loader: () =>
      import('./components/ReadinessContent').then(m => <m.ReadinessContent />),
  },
});

/** Where the Readiness page lives; also what puts it in the sidebar. @alpha */
export const readinessRouteRef = createRouteRef();

/** The "Readiness" page: PRS by team, ranked, with its trend. @alpha */
export const teamReadinessPage = PageBlueprint.make({
  name: 'readiness',
  params: {
    path: '/readiness',
    title: 'Readiness',
    icon: <SpeedIcon fontSize="inherit" />,
    routeRef: readinessRouteRef,
    loader: () =>
      import('./components/TeamReadinessPage').then(m => (
        <m.TeamReadinessPage />
      )),
  },
});

/** Where the Compliance page lives. @alpha */
export const complianceRouteRef = createRouteRef();

/** The "Compliance" page: teams ranked by compliance score, with trend. @alpha */
export const teamCompliancePage = PageBlueprint.make({
  name: 'compliance',
  params: {
    path: '/compliance',
    title: 'Compliance',
    icon: <VerifiedUserIcon fontSize="inherit" />,
    routeRef: complianceRouteRef,
    loader: () =>
      import('./components/TeamCompliancePage').then(m => (
        <m.TeamCompliancePage />
      )),
  },
});

/**
 * Maestro Conductor for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'conductor',
  routes: { readiness: readinessRouteRef, compliance: complianceRouteRef },
  extensions: [
    conductorApi,
    entityEvidenceContent,
    entityComplianceContent,
    entityReadinessContent,
    teamReadinessPage,
    teamCompliancePage,
  ],
});
