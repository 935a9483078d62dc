import {
  Capability,
  ConductorServices,
  EvidenceAccess,
} from '../shared/capability';
import path from 'node:path';
import { readSloBurnAlertSettings } from './alertSettings';
import { PrometheusClient } from './PrometheusClient';
import { SloAlertStore } from './SloAlertStore';
import { SloDefinitions } from './SloDefinitions';
import { SloCostSettings, SloService } from './SloService';
import { createSloRouter } from './router';

export type { SloService } from './SloService';
export { readSloBurnAlertSettings } from './alertSettings';

/**
 * Team SLO boards from Prometheus: SLO files (OpenSLO, Sloth) named by
 * component annotations, board data from batched PromQL, burn alerts sent
 * as notifications and `slo.adherence` recorded as evidence on the
 * scheduler.
 */
export async function createSloCapability(
  services: ConductorServices,
  deps: {
    evidence: EvidenceAccess;
    /** Evaluation clock (tests and the benchmark read generated history). */
    now?: () => Date;
    /** One query per number instead of batches (the benchmark's baseline). */
    naive?: boolean;
  },
): Promise<Capability & { slo: SloService }> {
  const { config, logger } = services;
  const c = config.getOptionalConfig('conductor.slo');
  const cacheTtlMs = (c?.getOptionalNumber('cacheTtlSeconds') ?? 30) * 1000;
  const url = c?.getOptionalString('prometheus.url');
  const burnAlert = readSloBurnAlertSettings(config);
  const windowDays = burnAlert.windowDays;
  const costConfig = c?.getOptionalConfig('cost');
  const cost: SloCostSettings | undefined = costConfig
    ? {
        query: costConfig.getString('query'),
        requestsQuery: costConfig.getString('requestsQuery'),
        serviceLabel: costConfig.getOptionalString('serviceLabel') ?? 'service',
        guardrailPerThousandRequests: costConfig.getOptionalNumber(
          'guardrailPerThousandRequests',
        ),
        currency: costConfig.getOptionalString('currency') ?? 'USD',
      }
    : undefined;
  const definitionsDir = c?.getOptionalString('definitionsDir');
  const slo = new SloService({
    prometheus: url
      ? new PrometheusClient({
          url,
          timeoutMs: c?.getOptionalNumber('prometheus.timeoutMs'),
          cacheTtlMs,
        })
      : undefined,
    definitions: new SloDefinitions({
      definitionsDir: definitionsDir ? path.resolve(definitionsDir) : undefined,
      urlReader: services.urlReader,
      defaultWindowDays: windowDays,
      sla: {
        metric: c?.getOptionalString('sla.metric'),
        serviceLabel: c?.getOptionalString('sla.serviceLabel'),
        operationLabel: c?.getOptionalString('sla.operationLabel'),
      },
      cacheTtlMs: Math.max(cacheTtlMs, 60_000),
      logger,
    }),
    catalogSnapshot: services.catalogSnapshot,
    evidence: deps.evidence,
    alerts: services.alerts,
    burnAlert,
    alertStore: new SloAlertStore(services.db),
    logger,
    cost,
    now: deps.now,
    cacheTtlMs,
    naive: deps.naive,
    batchSize: c?.getOptionalNumber('batchSize'),
  });
  if (!url)
    logger.info(
      'SLO boards: no conductor.slo.prometheus.url, boards will say no Prometheus is configured',
    );
  return {
    slo,
    routers: {
      '/slo': createSloRouter({
        httpAuth: services.httpAuth,
        permissions: services.permissions,
        catalogSnapshot: services.catalogSnapshot,
        catalog: services.catalog,
        slo,
      }),
    },
    tasks: [
      {
        id: 'conductor-slo-burn-alerts',
        configKey: 'conductor.slo.alerts.schedule',
        // As often as the fastest page condition's short window.
        defaultSchedule: {
          frequency: { minutes: 5 },
          timeout: { minutes: 4 },
          initialDelay: { minutes: 1 },
        },
        what: 'SLO burn alerts and adherence',
        run: async () => {
          await slo.runAlertsAndAdherence();
        },
      },
    ],
  };
}
