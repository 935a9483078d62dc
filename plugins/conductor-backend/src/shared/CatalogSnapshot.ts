import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  RELATION_CHILD_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CapabilityTask, CatalogSnapshot } from './capability';

/** The ref of the entity's owner, from its ownedBy relation. */
export const ownerOf = (e: Entity) =>
  e.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef;

/** The kinds Conductor reads: what it judges and what it looks up. */
export const SNAPSHOT_KINDS = [
  'Component',
  'API',
  'Resource',
  'System',
  'Group',
  'User',
];

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * One read of the catalog shared by every capability, kept per replica.
 *
 * The promotion gate answers hundreds of calls a second, and each catalog
 * lookup is an HTTP round trip through auth, the catalog's database and JSON
 * (measured: it alone kept the gate from 500 req/s). So every replica keeps
 * a snapshot of the entities Conductor reads, rebuilt from the catalog on a
 * schedule, and asks the catalog only about refs it does not know (a
 * component registered since, or another kind). Runs that must see the
 * catalog as it is now (evidence collection, a compliance run) refresh it
 * first. A component deleted from the catalog stays known until the next
 * refresh; its evidence is still judged as usual.
 */
export class DefaultCatalogSnapshot implements CatalogSnapshot {
  private byRef = new Map<string, Entity>();
  private all: Entity[] = [];
  /** Entities learnt from lookups of refs the snapshot did not hold. */
  private looked = new Map<string, Entity>();
  private built = false;
  private refreshing?: Promise<number>;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** Re-reads the catalog; the previous snapshot serves until it is done. */
  refresh(): Promise<number> {
    // Concurrent callers share one read.
    this.refreshing ??= this.read().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Builds the snapshot at first use; later calls use the current one. */
  async ensure(): Promise<void> {
    if (!this.built) await this.refresh();
  }

  private async read(): Promise<number> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const all: Entity[] = [];
    for await (const page of this.deps.catalog.streamEntities(
      { filter: { kind: SNAPSHOT_KINDS } },
      { credentials },
    )) {
      all.push(...page);
    }
    this.all = all;
    this.byRef = new Map(all.map(e => [stringifyEntityRef(e), e]));
    this.looked = new Map();
    this.built = true;
    return all.length;
  }

  entities(kinds?: string[]): Entity[] {
    if (!kinds) return this.all;
    const wanted = new Set(kinds.map(lower));
    return this.all.filter(e => wanted.has(lower(e.kind)));
  }

  get(entityRef: string): Entity | undefined {
    const ref = lower(entityRef);
    return this.byRef.get(ref) ?? this.looked.get(ref);
  }

  ownerOf(entityRef: string): string | undefined {
    const entity = this.get(entityRef);
    return entity ? ownerOf(entity) : undefined;
  }

  async lookup(
    entityRef: string,
  ): Promise<{ exists: boolean; owner?: string }> {
    const ref = lower(entityRef);
    const known = this.get(ref);
    if (known) return { exists: true, owner: ownerOf(known) };
    const entity = await this.fetchFromCatalog(ref);
    if (!entity) return { exists: false };
    this.looked.set(ref, entity);
    return { exists: true, owner: ownerOf(entity) };
  }

  async fetch(entityRef: string): Promise<Entity | undefined> {
    return this.get(entityRef) ?? this.fetchFromCatalog(lower(entityRef));
  }

  /**
   * Asked as the plugin itself: a CI token restricted to conductor cannot be
   * passed on to the catalog, and whether an entity exists is not the
   * caller's to see or hide.
   */
  private async fetchFromCatalog(ref: string): Promise<Entity | undefined> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    return this.deps.catalog.getEntityByRef(ref, { credentials });
  }

  groupsOf(userEntityRef: string): string[] {
    const user = this.get(userEntityRef);
    const direct = (user?.relations ?? [])
      .filter(r => r.type === RELATION_MEMBER_OF)
      .map(r => r.targetRef);
    // Parents too: a member of a sub-team belongs to the team above.
    const seen = new Set<string>();
    const queue = [...direct];
    while (queue.length) {
      const group = queue.shift()!;
      if (seen.has(group)) continue;
      seen.add(group);
      for (const r of this.get(group)?.relations ?? []) {
        if (r.type === RELATION_CHILD_OF) queue.push(r.targetRef);
      }
    }
    return [...seen];
  }
}

/**
 * Every 5 minutes by default: how long a new owner or a deleted component
 * takes to reach the gate (new components are looked up at once). Every
 * replica keeps its own snapshot, so the task runs on each.
 */
export function catalogSnapshotTask(
  snapshot: CatalogSnapshot,
  logger: LoggerService,
): CapabilityTask {
  return {
    id: 'conductor-component-directory',
    configKey: 'conductor.readiness.directory.schedule',
    defaultSchedule: {
      frequency: { minutes: 5 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 10 },
    },
    what: 'Rebuilding the catalog snapshot',
    scope: 'local',
    run: async () => {
      const t0 = Date.now();
      const n = await snapshot.refresh();
      logger.info(
        `Catalog snapshot: ${n} entities, rebuilt in ${Date.now() - t0} ms`,
      );
    },
  };
}
