// The world the SLO tests and the benchmark run in: a real Prometheus over
// generated traffic, SLO files on disk, a catalog, the capability built as
// the plugin builds it. Numbers the tests assert are worked out by hand from
// the traffic defined here.
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AlertSender } from '../../shared/AlertSender';
import { ConductorServices, EvidenceAccess } from '../../shared/capability';
import { DefaultCatalogSnapshot } from '../../shared/CatalogSnapshot';
import { applyDatabaseMigrations } from '../../shared/migrations';
import { createSloCapability } from '../index';

/** A component with an SLO file and/or SLA annotation. */
export function sloComponent(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/** A Sloth spec with one availability SLO over `http_requests_total{service}`. */
export function slothAvailability(
  service: string,
  objective: number,
  options: { metric?: string; alertName?: string; errorQuery?: string } = {},
): string {
  const metric = options.metric ?? 'http_requests_total';
  return `version: prometheus/v1
service: ${service}
slos:
  - name: availability
    objective: ${objective}
    sli:
      events:
        error_query: ${
          options.errorQuery ??
          `sum(rate(${metric}{service="${service}",code=~"5.."}[{{.window}}]))`
        }
        total_query: sum(rate(${metric}{service="${service}"}[{{.window}}]))
    alerting:
      name: ${options.alertName ?? 'HighErrorRate'}
      page_alert:
        labels:
          severity: page
`;
}

/** Captures what reaches the notification service and the evidence store. */
export interface Captured {
  notifications: NotificationSendOptions[];
  facts: Array<{
    collectorId: string;
    entityRef: string;
    name: string;
    value: unknown;
  }>;
}

/** Builds the SLO capability over a database, a catalog and SLO files. */
export async function buildSloCapability(options: {
  entities: Entity[];
  files: Record<string, string>;
  db: Knex;
  slo: Record<string, unknown>;
  now?: () => Date;
  naive?: boolean;
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-slo-files-'));
  for (const [name, text] of Object.entries(options.files))
    fs.writeFileSync(path.join(dir, name), text);
  const captured: Captured = { notifications: [], facts: [] };
  // Plain objects rather than jest mocks: the benchmark runs this outside jest.
  const logger: LoggerService = {
    info: () => {},
    warn: () => {},
    error: () => {},
    debug: () => {},
    child: () => logger,
  };
  const notifications = {
    send: async (n: NotificationSendOptions) => {
      captured.notifications.push(n);
    },
  };
  const catalog = catalogServiceMock({ entities: options.entities });
  const auth = mockServices.auth();
  const catalogSnapshot = new DefaultCatalogSnapshot({ catalog, auth, logger });
  await catalogSnapshot.refresh();
  const evidence: EvidenceAccess = {
    latest: async () => [],
    latestForEntities: async () => new Map(),
    recordObserved: async (collectorId, facts) => {
      captured.facts.push(...facts.map(f => ({ collectorId, ...f })));
    },
    collect: async () => undefined,
  };
  const db = await applyDatabaseMigrations({
    getClient: async () => options.db,
  } as DatabaseService);
  const services: ConductorServices = {
    config: mockServices.rootConfig({
      data: { conductor: { slo: { definitionsDir: dir, ...options.slo } } },
    }),
    logger,
    db,
    auth,
    httpAuth: mockServices.httpAuth(),
    permissions: mockServices.permissions(),
    urlReader: {
      readUrl: async () => {
        throw new Error('no URL reader in the SLO tests');
      },
      readTree: async () => {
        throw new Error('no URL reader in the SLO tests');
      },
      search: async () => {
        throw new Error('no URL reader in the SLO tests');
      },
    },
    catalog,
    notifications,
    catalogSnapshot,
    alerts: new AlertSender(notifications, logger, { pauseMs: 0 }),
  };
  const capability = await createSloCapability(services, {
    evidence,
    now: options.now,
    naive: options.naive,
  });
  return { capability, captured, dir, services };
}

/** Waits until the alert sender has sent `n` notifications in all. */
export async function waitForNotifications(captured: Captured, n: number) {
  for (let i = 0; i < 100 && captured.notifications.length < n; i++)
    await new Promise(r => setTimeout(r, 20));
}
