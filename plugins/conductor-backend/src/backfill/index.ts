import { BackfillJsStep } from '@internal/plugin-conductor-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  Capability,
  ConductorServices,
  EvidenceAccess,
} from '../shared/capability';
import { readBackfillCostAlertSettings } from './alertSettings';
import { BackfillRunner, BackfillSloSource } from './BackfillRunner';
import { BackfillService } from './BackfillService';
import { BackfillStore } from './BackfillStore';
import { createBackfillRouter } from './router';
import { BackfillTargets } from './targets';

export type { BackfillService } from './BackfillService';
export type { BackfillSloSource } from './BackfillRunner';
export { sloBurnRateSource } from './sloSource';
export { readBackfillCostAlertSettings } from './alertSettings';

/**
 * Backfill runner: definitions from files named in config or registered by
 * CI, runs driven by the scheduler on every replica (leases keep replicas
 * off each other's runs), control routes and the cost guardrail.
 */
export async function createBackfillCapability(
  services: ConductorServices,
  deps: {
    evidence: EvidenceAccess;
    /** Burn rates from the SLO boards, when installed. */
    slo?: BackfillSloSource;
    /** JS steps registered by backend modules. */
    jsSteps?: BackfillJsStep[];
  },
): Promise<
  Capability & { backfills: BackfillService; runner: BackfillRunner }
> {
  const { config, logger, db } = services;
  const store = new BackfillStore(db);
  const targets = new BackfillTargets(
    config.getOptionalConfig('conductor.backfill.connections'),
    db,
  );
  const costAlert = readBackfillCostAlertSettings(config);
  const unitCost = {
    perMillionRows:
      config.getOptionalNumber('conductor.backfill.unitCost.perMillionRows') ??
      0,
    perDbSecond: costAlert.perDbSecond,
  };
  const jsSteps = new Map((deps.jsSteps ?? []).map(s => [s.id, s]));
  const runner = new BackfillRunner({
    store,
    targets,
    evidence: deps.evidence,
    logger: logger.child({ task: 'conductor-backfill-runner' }),
    alerts: services.alerts,
    ownerOf: ref => services.catalogSnapshot.ownerOf(ref),
    slo: deps.slo,
    prometheusUrl: config.getOptionalString(
      'conductor.backfill.prometheus.url',
    ),
    unitCost,
    costAlert,
    jsSteps,
    leaseTtlMs: config.getOptionalNumber('conductor.backfill.leaseSeconds')
      ? config.getNumber('conductor.backfill.leaseSeconds') * 1000
      : undefined,
  });
  const backfills = new BackfillService({
    store,
    targets,
    runner,
    logger,
    unitCost,
    files: (
      config.getOptionalStringArray('conductor.backfill.definitionFiles') ?? []
    ).map(f => path.resolve(f)),
    jsSteps: new Set(jsSteps.keys()),
    sloInstalled: Boolean(deps.slo),
  });
  await seedDemoTables(services, targets);
  await backfills.load();
  return {
    backfills,
    runner,
    routers: {
      '/backfills': createBackfillRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        backfills,
      }),
    },
    tasks: [
      {
        id: 'conductor-backfill-runner',
        configKey: 'conductor.backfill.schedule',
        // Every replica ticks; a run's lease keeps the others off it, and a
        // crashed holder's lease expires so another replica resumes it.
        defaultSchedule: {
          frequency: { seconds: 10 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 5 },
        },
        what: 'Backfill runner',
        scope: 'local',
        run: signal => runner.tick(signal),
      },
    ],
  };
}

/**
 * Demo only: SQL files run once at start on a connection
 * (`conductor.backfill.connections.<name>.seedFiles`), e.g. to create and
 * fill the demo table. Each file must be safe to run again.
 */
async function seedDemoTables(
  services: ConductorServices,
  targets: BackfillTargets,
) {
  for (const name of targets.names()) {
    const files = services.config.getOptionalStringArray(
      `conductor.backfill.connections.${name}.seedFiles`,
    );
    for (const file of files ?? []) {
      const sql = await fs.readFile(path.resolve(file), 'utf8');
      const db = targets.get(name).db;
      for (const statement of sql
        .split(/;\s*$/m)
        .map(s => s.trim())
        .filter(Boolean)) {
        await db.raw(statement);
      }
      services.logger.info(`Backfill demo: ran ${file} on ${name}`);
    }
  }
}
