import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Conductor page; its sub-pages are the capabilities' pages. @alpha */
export const rootRouteRef = createRouteRef();

/** The Compliance sub-page: teams ranked by compliance score. @alpha */
export const complianceRouteRef = createRouteRef();

/** The Readiness sub-page: production readiness by team. @alpha */
export const readinessRouteRef = createRouteRef();
