import { BackfillStore } from '../backfill/BackfillStore';
import { ComplianceStore } from '../compliance/ComplianceStore';
import { FederationStore } from '../federation/FederationStore';
import { LineageStore } from '../lineage/LineageStore';
import { ReadinessStore } from '../readiness/ReadinessStore';
import { RemediationStore } from '../remediation/RemediationStore';
import { Capability, ConductorServices } from '../shared/capability';
import { DashboardsService } from './DashboardsService';
import { createDashboardsRouter } from './router';

export type { DashboardsService } from './DashboardsService';

/**
 * The seed's dashboards in one answer: compliance trend, auto-PR rate and
 * merge time, lineage change events, PRS by team, backfill throughput and
 * checkpoints, CI library adoption. Reads the other capabilities' stores;
 * writes nothing.
 */
export async function createDashboardsCapability(
  services: ConductorServices,
  deps: { readinessThreshold: () => number },
): Promise<Capability & { dashboards: DashboardsService }> {
  const { db } = services;
  const dashboards = new DashboardsService({
    catalogSnapshot: services.catalogSnapshot,
    permissions: services.permissions,
    compliance: new ComplianceStore(db),
    remediation: new RemediationStore(db),
    lineage: new LineageStore(db),
    readiness: new ReadinessStore(db),
    backfill: new BackfillStore(db),
    federation: new FederationStore(db),
    targetScore:
      services.config.getOptionalNumber('conductor.compliance.targetScore') ??
      null,
    readinessThreshold: deps.readinessThreshold,
  });
  return {
    dashboards,
    routers: {
      '/dashboards': createDashboardsRouter({
        httpAuth: services.httpAuth,
        dashboards,
      }),
    },
  };
}
