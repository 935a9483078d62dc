// One "Conductor" page in the sidebar; each capability adds a sub-page (a
// tab of that page). The old top-level URLs redirect to their sub-pages
// because docs, notifications and CI output link there.
import {
  PageBlueprint,
  RouteRef,
  SubPageBlueprint,
  useAppLocation,
  useAppNavigate,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { useEffect } from 'react';
import { complianceRouteRef, readinessRouteRef, rootRouteRef } from '../routes';
import { federationSubPage } from '../federation/extensions';
import { bundlesSubPage } from '../bundle/extensions';
import { alertsSubPage } from '../alerts/extensions';
import { dashboardsSubPage } from '../dashboards/extensions';

/** The Conductor page: the capabilities' pages are its tabs. @alpha */
export const conductorPage = PageBlueprint.make({
  params: {
    path: '/conductor',
    title: 'Conductor',
    routeRef: rootRouteRef,
  },
});

const attachTo = { id: 'page:conductor', input: 'pages' };

/** The "Compliance" sub-page: teams ranked by compliance score, with trend. @alpha */
export const teamComplianceSubPage = SubPageBlueprint.make({
  name: 'compliance',
  attachTo,
  params: {
    path: 'compliance',
    title: 'Compliance',
    routeRef: complianceRouteRef,
    loader: () =>
      import('../compliance/TeamCompliancePage').then(m => (
        <m.TeamCompliancePage />
      )),
  },
});

/** The "Readiness" sub-page: PRS by team, ranked, with its trend. @alpha */
export const teamReadinessSubPage = SubPageBlueprint.make({
  name: 'readiness',
  attachTo,
  params: {
    path: 'readiness',
    title: 'Readiness',
    routeRef: readinessRouteRef,
    loader: () =>
      import('../readiness/TeamReadinessPage').then(m => (
        <m.TeamReadinessPage />
      )),
  },
});

/** The "Auto-PRs" sub-page: the remediation bot's log, rate and time to merge. @alpha */
export const autoPrsSubPage = SubPageBlueprint.make({
  name: 'auto-prs',
  attachTo,
  params: {
    path: 'auto-prs',
    title: 'Auto-PRs',
    loader: () =>
      import('../remediation/AutoPrsPage').then(m => <m.AutoPrsPage />),
  },
});

/** The "SLOs" sub-page: teams with SLOs, and a team's board with `?team=`. @alpha */
export const sloSubPage = SubPageBlueprint.make({
  name: 'slo',
  attachTo,
  params: {
    path: 'slo',
    title: 'SLOs',
    loader: () => import('../slo/SloPage').then(m => <m.SloPage />),
  },
});

/** The "Backfills" sub-page: definitions, runs, progress and controls. @alpha */
export const backfillsSubPage = SubPageBlueprint.make({
  name: 'backfills',
  attachTo,
  params: {
    path: 'backfills',
    title: 'Backfills',
    loader: () =>
      import('../backfill/BackfillsPage').then(m => <m.BackfillsPage />),
  },
});

/** Sends an old URL to where the page lives now, keeping query and hash. */
function RedirectTo(props: { routeRef: RouteRef }) {
  const link = useRouteRef(props.routeRef);
  const { search, hash } = useAppLocation();
  const navigate = useAppNavigate();
  const target = link ? `${link()}${search}${hash}` : undefined;
  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [navigate, target]);
  return null;
}

/** A page at an old URL that redirects to a Conductor sub-page. @alpha */
export function redirectPage(name: string, path: string, routeRef: RouteRef) {
  return PageBlueprint.make({
    name,
    params: {
      path,
      noHeader: true,
      loader: async () => <RedirectTo routeRef={routeRef} />,
    },
  });
}

/** Every page, sub-page and redirect, in the order the tabs appear. @alpha */
export const conductorPages = [
  conductorPage,
  // The overview first: /conductor opens on the dashboards.
  dashboardsSubPage,
  teamComplianceSubPage,
  teamReadinessSubPage,
  sloSubPage,
  autoPrsSubPage,
  backfillsSubPage,
  federationSubPage,
  bundlesSubPage,
  alertsSubPage,
  redirectPage('compliance-redirect', '/compliance', complianceRouteRef),
  redirectPage('readiness-redirect', '/readiness', readinessRouteRef),
];
