import {
  BackfillJsStep,
  EvidenceCollector,
} from '@internal/plugin-conductor-node';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerConductorActions } from './actions';
import { createAlertsCapability } from './alerts';
import { createBackfillCapability, sloBurnRateSource } from './backfill';
import { createBundleCapability } from './bundle';
import { createDashboardsCapability } from './dashboards';
import { createComplianceCapability } from './compliance';
import { createEvidenceCapability } from './evidence';
import { createFederationCapability } from './federation';
import { createLineageCapability } from './lineage';
import { createReadinessCapability } from './readiness';
import { createRemediationCapability } from './remediation';
import { createSloCapability } from './slo';
import { Capability, ConductorServices } from './shared/capability';

/**
 * CAPABILITIES_LIST: every capability, in the order they are built; each
 * receives the ones built before it that it reads. A new capability adds
 * one line here.
 */
export async function createCapabilities(
  services: ConductorServices,
  extensions: {
    collectors: EvidenceCollector[];
    backfillSteps: BackfillJsStep[];
    /** Conductor's answers as Backstage actions, for agents (MCP). */
    actionsRegistry?: ActionsRegistryService;
  },
): Promise<Capability[]> {
  const evidence = await createEvidenceCapability(services, {
    extraCollectors: extensions.collectors,
  });
  const reads = { evidence: evidence.evidence };
  const remediation = await createRemediationCapability(services, reads);
  const slo = await createSloCapability(services, reads);
  const compliance = await createComplianceCapability(services, {
    ...reads,
    // The bot opens its pull requests after each nightly run.
    afterNightly: remediation.afterComplianceRun,
  });
  const readiness = await createReadinessCapability(services, reads);
  const lineage = await createLineageCapability(services);
  if (extensions.actionsRegistry) {
    registerConductorActions({
      registry: extensions.actionsRegistry,
      permissions: services.permissions,
      readiness: readiness.readiness,
      compliance: compliance.compliance,
      lineage: lineage.lineage,
    });
  }
  return [
    evidence,
    compliance,
    readiness,
    lineage,
    remediation,
    slo,
    await createBackfillCapability(services, {
      ...reads,
      slo: sloBurnRateSource(slo.slo, services.catalogSnapshot),
      jsSteps: extensions.backfillSteps,
    }),
    await createFederationCapability(services, reads),
    await createBundleCapability(services, reads),
    await createDashboardsCapability(services, {
      readinessThreshold: () => readiness.readiness.thresholdFor('production'),
    }),
    await createAlertsCapability(services),
  ];
}
