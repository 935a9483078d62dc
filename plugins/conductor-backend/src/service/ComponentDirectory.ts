import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** The ref of the entity's owner, from its ownedBy relation. */
export const ownerOf = (e: Entity) =>
  e.relations?.find(r => r.type === 'ownedBy')?.targetRef;

/**
 * Which components exist and who owns them, for the promotion gate.
 *
 * The gate answers hundreds of calls a second, and each catalog lookup is an
 * HTTP round trip through auth, the catalog's database and JSON (measured:
 * it alone kept the gate from 500 req/s). So every replica keeps a snapshot
 * of all components' owners, rebuilt from the catalog on a schedule, and asks
 * the catalog only about refs the snapshot does not know (a component
 * registered since, or another kind). A component deleted from the catalog
 * stays known until the next rebuild; its evidence is still judged as usual.
 */
export class ComponentDirectory {
  private owners = new Map<string, string | undefined>();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** Rebuilds the snapshot from the catalog; the old one serves until it is done. */
  async rebuild(): Promise<number> {
    const next = new Map<string, string | undefined>();
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    for await (const page of this.deps.catalog.streamEntities(
      {
        filter: { kind: 'Component' },
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials },
    )) {
      for (const e of page) next.set(stringifyEntityRef(e), ownerOf(e));
    }
    this.owners = next;
    return next.size;
  }

  /**
   * Whether the entity is in the catalog, and its owner. Throws when the
   * catalog cannot be asked (the gate then fails closed).
   */
  async lookup(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ exists: boolean; owner?: string }> {
    if (this.owners.has(entityRef))
      return { exists: true, owner: this.owners.get(entityRef) };
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) return { exists: false };
    const owner = ownerOf(entity);
    this.owners.set(entityRef, owner);
    return { exists: true, owner };
  }
}
