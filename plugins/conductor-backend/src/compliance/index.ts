import path from 'node:path';
import {
  Capability,
  ConductorServices,
  EvidenceAccess,
} from '../shared/capability';
import { readComplianceAlertSettings } from './alertSettings';
import { ComplianceService } from './ComplianceService';
import { ComplianceStore } from './ComplianceStore';
import { createComplianceRouter } from './router';

export type { ComplianceService } from './ComplianceService';
export { readComplianceAlertSettings } from './alertSettings';

/**
 * Continuous compliance: the controls catalog, nightly and on-demand runs
 * with scores and the evidence diff, dry runs for pull requests, exemptions.
 */
export async function createComplianceCapability(
  services: ConductorServices,
  deps: {
    evidence: EvidenceAccess;
    /** Runs after each nightly run: the bot opens its pull requests. */
    afterNightly?: () => Promise<void>;
  },
): Promise<Capability & { compliance: ComplianceService }> {
  const { config, logger } = services;
  const compliance = new ComplianceService({
    files: (
      config.getOptionalStringArray('conductor.compliance.catalogFiles') ?? []
    ).map(f => path.resolve(f)),
    store: new ComplianceStore(services.db),
    evidence: deps.evidence,
    catalogSnapshot: services.catalogSnapshot,
    logger,
    belowTarget: readComplianceAlertSettings(config),
    alerts: services.alerts,
  });
  await compliance.loadControls({ initial: true });
  return {
    compliance,
    routers: {
      '/compliance': createComplianceRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        compliance,
      }),
    },
    tasks: [
      {
        id: 'conductor-compliance-nightly',
        configKey: 'conductor.compliance.schedule',
        // Nightly, after the evening's CI pushes.
        defaultSchedule: {
          frequency: { cron: '30 2 * * *' },
          timeout: { minutes: 30 },
        },
        what: 'Nightly compliance run',
        run: async signal => {
          // Evidence first, so the run judges what is true tonight.
          await deps.evidence.collect(signal);
          await compliance.run('nightly');
          await deps.afterNightly?.();
        },
      },
    ],
  };
}
