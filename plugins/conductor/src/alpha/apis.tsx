// One API per capability; each client talks to its own routes under
// /api/conductor through the shared ConductorHttp.
import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { BackfillClient, backfillApiRef } from '../backfill/api';
import { ComplianceClient, complianceApiRef } from '../compliance/api';
import { EvidenceClient, evidenceApiRef } from '../evidence/api';
import { ReadinessClient, readinessApiRef } from '../readiness/api';
import { RemediationClient, remediationApiRef } from '../remediation/api';
import { SloClient, sloApiRef } from '../slo/api';
import { lineageApi } from '../lineage/extensions';
import { federationApi } from '../federation/extensions';
import { bundleApi } from '../bundle/extensions';
import { alertsApi } from '../alerts/extensions';
import { dashboardsApi } from '../dashboards/extensions';
import { ConductorHttp } from '../shared/http';

const deps = { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef };

/** @alpha */
export const evidenceApi = ApiBlueprint.make({
  name: 'evidence',
  params: defineParams =>
    defineParams({
      api: evidenceApiRef,
      deps,
      factory: d => new EvidenceClient(new ConductorHttp(d)),
    }),
});

/** @alpha */
export const complianceApi = ApiBlueprint.make({
  name: 'compliance',
  params: defineParams =>
    defineParams({
      api: complianceApiRef,
      deps,
      factory: d => new ComplianceClient(new ConductorHttp(d)),
    }),
});

/** @alpha */
export const readinessApi = ApiBlueprint.make({
  name: 'readiness',
  params: defineParams =>
    defineParams({
      api: readinessApiRef,
      deps,
      factory: d => new ReadinessClient(new ConductorHttp(d)),
    }),
});

/** @alpha */
export const remediationApi = ApiBlueprint.make({
  name: 'remediation',
  params: defineParams =>
    defineParams({
      api: remediationApiRef,
      deps,
      factory: d => new RemediationClient(new ConductorHttp(d)),
    }),
});

/** @alpha */
export const sloApi = ApiBlueprint.make({
  name: 'slo',
  params: defineParams =>
    defineParams({
      api: sloApiRef,
      deps,
      factory: d => new SloClient(new ConductorHttp(d)),
    }),
});

/** @alpha */
export const backfillApi = ApiBlueprint.make({
  name: 'backfill',
  params: defineParams =>
    defineParams({
      api: backfillApiRef,
      deps,
      factory: d => new BackfillClient(new ConductorHttp(d)),
    }),
});

/** Every capability's API, in the order the plugin installs them. @alpha */
export const conductorApis = [
  evidenceApi,
  complianceApi,
  readinessApi,
  remediationApi,
  sloApi,
  backfillApi,
  federationApi,
  lineageApi,
  bundleApi,
  dashboardsApi,
  alertsApi,
];
