import { BackfillStore } from '../backfill/BackfillStore';
import { ComplianceStore } from '../compliance/ComplianceStore';
import { readFederationSettings } from '../federation';
import { FederationStore } from '../federation/FederationStore';
import { readLineageSettings } from '../lineage';
import { LineageService } from '../lineage/LineageService';
import { LineageStore } from '../lineage/LineageStore';
import { ReadinessStore } from '../readiness/ReadinessStore';
import { RemediationStore } from '../remediation/RemediationStore';
import {
  Capability,
  ConductorServices,
  EvidenceAccess,
} from '../shared/capability';
import { BundleService } from './BundleService';
import { BundleStore } from './BundleStore';
import { createBundleRouter } from './router';

export type { BundleService } from './BundleService';

/**
 * Evidence bundles: one signed archive (in-toto statement in a DSSE envelope,
 * Ed25519 from `conductor.bundle.signingKey`) of what every capability holds
 * for an entity, a team or everything. Reads the other capabilities through
 * their read paths; writes only its own table.
 */
export async function createBundleCapability(
  services: ConductorServices,
  deps: { evidence: EvidenceAccess },
): Promise<Capability & { bundles: BundleService }> {
  const { db } = services;
  const bundles = new BundleService({
    store: new BundleStore(db),
    config: services.config,
    logger: services.logger,
    sources: {
      catalogSnapshot: services.catalogSnapshot,
      evidence: deps.evidence,
      compliance: new ComplianceStore(db),
      readiness: new ReadinessStore(db),
      remediation: new RemediationStore(db),
      backfill: new BackfillStore(db),
      federation: new FederationStore(db),
      lineage: new LineageService({
        store: new LineageStore(db),
        catalogSnapshot: services.catalogSnapshot,
        catalog: services.catalog,
        urlReader: services.urlReader,
        logger: services.logger,
        settings: readLineageSettings(services.config),
      }),
      ciManifest: readFederationSettings(services.config).manifest,
    },
  });
  return {
    bundles,
    routers: {
      '/bundles': createBundleRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        bundles,
      }),
    },
  };
}
