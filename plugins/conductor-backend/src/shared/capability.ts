import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { EvidenceFact } from '@internal/plugin-conductor-common';
import express from 'express';
import { Knex } from 'knex';
import { AlertSender } from './AlertSender';

/**
 * What the plugin hands every capability: Backstage's services, the
 * migrated database and the cross-cutting pieces of `src/shared`.
 */
export interface ConductorServices {
  config: RootConfigService;
  logger: LoggerService;
  /** The plugin's database, migrated (all capabilities' tables). */
  db: Knex;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  urlReader: UrlReaderService;
  catalog: CatalogService;
  notifications?: NotificationService;
  /** The per-replica snapshot of the catalog every capability reads. */
  catalogSnapshot: CatalogSnapshot;
  /** Backstage notifications sent in the background, de-duplicated. */
  alerts: AlertSender;
}

/**
 * The evidence backbone as other capabilities see it: read the latest facts,
 * and record facts the backend itself observed (SLO adherence, backfill
 * checkpoints...) under a `collector:<id>` source.
 */
export interface EvidenceAccess {
  latest(entityRef: string): Promise<EvidenceFact[]>;
  latestForEntities(entityRefs: string[]): Promise<Map<string, EvidenceFact[]>>;
  /**
   * Records facts observed by the backend itself, typed and validated like a
   * CI push; all or nothing. `collectorId` becomes the source
   * `collector:<collectorId>`, which readiness trusts.
   */
  recordObserved(
    collectorId: string,
    facts: Array<{
      entityRef: string;
      name: string;
      value: unknown;
      observedAt?: string;
    }>,
  ): Promise<void>;
  /** Runs every evidence collector now. */
  collect(signal?: AbortSignal): Promise<unknown>;
}

/** A scheduled task of a capability; the plugin schedules it. */
export interface CapabilityTask {
  /** Stable task id, e.g. `conductor-slo-burn-alerts`. */
  id: string;
  /** Config key holding its schedule, e.g. `conductor.slo.alerts.schedule`. */
  configKey: string;
  /** Used when the config key is absent. */
  defaultSchedule: SchedulerServiceTaskScheduleDefinition;
  /** For the log line when it fails, e.g. "SLO burn alerts". */
  what: string;
  run(signal?: AbortSignal): Promise<void>;
  /** 'local' for work every replica must do itself, whatever the config says. */
  scope?: 'local';
}

/**
 * What a capability's `index.ts` returns: its routers by mount prefix and its
 * scheduled tasks. `src/router.ts` mounts the routers; `src/plugin.ts`
 * schedules the tasks.
 */
export interface Capability {
  /** Routers by mount prefix, e.g. `{ '/lineage': router }`. */
  routers: Record<string, express.Router>;
  tasks?: CapabilityTask[];
  /**
   * The largest JSON body its routes take, when more than the plugin's
   * 1 MB (a schema diff of a large public API is several megabytes).
   */
  bodyLimit?: string;
}

/**
 * One read of the catalog shared by every capability: components, APIs,
 * resources, systems, groups and users, kept per replica and rebuilt on a
 * schedule (and on demand before a run that must see the catalog as it is).
 */
export interface CatalogSnapshot {
  /** Re-reads the catalog; the previous snapshot serves until it is done. */
  refresh(): Promise<number>;
  /** Builds the snapshot at first use; later calls use the current one. */
  ensure(): Promise<void>;
  /** Every entity of the given kinds (case-insensitive), in catalog order. */
  entities(kinds?: string[]): Entity[];
  /** One entity by normalised ref, from the snapshot. */
  get(entityRef: string): Entity | undefined;
  /** The owner ref of an entity in the snapshot. */
  ownerOf(entityRef: string): string | undefined;
  /**
   * Whether the entity exists, and its owner: from the snapshot, else asked
   * of the catalog at once, as the plugin itself (a component registered
   * since the last refresh). Throws when the catalog cannot be asked.
   */
  lookup(entityRef: string): Promise<{ exists: boolean; owner?: string }>;
  /** The whole entity: from the snapshot, else from the catalog, as the plugin itself. */
  fetch(entityRef: string): Promise<Entity | undefined>;
  /** Refs of the groups a user belongs to (direct `memberOf`, then parents). */
  groupsOf(userEntityRef: string): string[];
}
