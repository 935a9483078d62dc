import {
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BlastRadiusAlertStatus,
  BlastRadiusReport,
  BlastRadiusRequest,
  alertLinks,
  ContractBlastRadiusRequest,
  ContractBlastRadiusResponse,
  BlastRadiusResponse,
  LineageEdge,
  LineageGraphResponse,
  LineageIndex,
  LineageIngestResponse,
  LineageInputError,
  LineageNode,
  LineageNodeKind,
  LineageNodeRadiusResponse,
  LineageSnapshot,
  LoadedSchema,
  PushOperationsRequest,
  PushOperationsResponse,
  computeBlastRadius,
  diffContractSchemas,
  lineageIds,
  lineageLabel,
  lineageNodeKind,
  loadSchema,
  mitigationFor,
  operationCoordinates,
  parseOperations,
  schemaTypeMembers,
  validateLineageEdges,
} from '@internal/plugin-conductor-common';
import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { parse as parseYaml } from 'yaml';
import { CatalogSnapshot } from '../shared/capability';
import { LineageStore, StoredOperation } from './LineageStore';
import { LineageManifest, parseManifest } from './manifest';
import { AlertSender } from '../shared/AlertSender';
import { AlertSwitch } from '../shared/alertSettings';
import {
  BLAST_RADIUS_ALERT_CONFIG_KEY,
  blastRadiusOverLimit,
  describeBlastRadiusAlert,
} from './blastRadiusAlert';

/**
 * Where a radius stops: a change reaches the services (and clients, APIs,
 * systems) it breaks, but does not flow on through them into their own APIs;
 * the services an impact reaches come from the impacted operations.
 */
const IMPACT_STOPS: LineageNodeKind[] = ['service', 'client', 'api', 'system'];

/** Settings from `conductor.lineage`. */
export interface LineageSettings {
  /** Services a breaking change may reach without a recorded mitigation (default 0). */
  maxServices: number;
  /** Hops of a blast-radius walk (default 6). */
  maxDepth: number;
  /** Time budget of a walk in ms (default 200). */
  budgetMs: number;
  /** Most nodes a neighbourhood sends to the browser (default 500). */
  maxGraphNodes: number;
}

export const LINEAGE_ANNOTATION = 'conductor.io/lineage';
const SOURCE_LOCATION = 'backstage.io/source-location';
const MAX_MANIFEST_BYTES = 1_000_000;
const MAX_SNAPSHOT_EDGES = 200_000;
const MAX_CACHED_SCHEMAS = 16;
const MAX_CACHED_SCHEMA_CHARS = 8_000_000;

/** `orders-graphql`, or `team-a.orders-graphql` outside the default namespace. */
export function graphqlScope(apiRef: string): string {
  const { namespace, name } = parseEntityRef(apiRef);
  return namespace === 'default' ? name : `${namespace}.${name}`;
}

function entityNode(entity: Entity): LineageNode {
  const ref = stringifyEntityRef(entity);
  const kind = lineageNodeKind(ref) ?? 'service';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  return {
    id: ref,
    kind,
    label: entity.metadata.title ?? entity.metadata.name,
    attributes: {
      ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
      ...(typeof spec.lifecycle === 'string'
        ? { lifecycle: spec.lifecycle }
        : {}),
      ...(typeof spec.owner === 'string' ? { owner: spec.owner } : {}),
    },
  };
}

function node(id: string, attributes?: LineageNode['attributes']): LineageNode {
  return {
    id,
    kind: lineageNodeKind(id)!,
    label: lineageLabel(id),
    ...(attributes ? { attributes } : {}),
  };
}

function refsOf(
  value: unknown,
  defaultKind: string,
  namespace: string,
): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const v of value) {
    if (typeof v !== 'string') continue;
    try {
      out.push(
        stringifyEntityRef(
          parseEntityRef(v, { defaultKind, defaultNamespace: namespace }),
        ),
      );
    } catch {
      // a malformed ref in the catalog is the catalog's problem, not lineage's
    }
  }
  return out;
}

/** The URL an annotation points at: `url:` prefix, absolute, or relative to the source location. */
function manifestUrl(entity: Entity): string | undefined {
  const value = entity.metadata.annotations?.[LINEAGE_ANNOTATION];
  if (!value) return undefined;
  const target = value.replace(/^url:/, '');
  if (/^https?:\/\//.test(target)) return target;
  const base = entity.metadata.annotations?.[SOURCE_LOCATION]?.replace(
    /^url:/,
    '',
  );
  if (!base) return undefined;
  return new URL(target, base.endsWith('/') ? base : `${base}/`).toString();
}

/**
 * The lineage graph: built from the catalog, the repositories' lineage
 * manifests and the operations clients register; walked for neighbourhoods
 * and blast radius from an in-memory index that is rebuilt when the stored
 * graph changes (its version is the newest change event).
 */
export class LineageService {
  private cached?: { version: number; index: LineageIndex };
  // Loaded schemas by content: the catalog definition a blast radius starts
  // from is built once, not on every check (a 1 MB schema takes ~0.5 s).
  private readonly schemas = new Map<string, LoadedSchema>();
  private schemaChars = 0;
  private building?: Promise<{ version: number; index: LineageIndex }>;
  // One validator per JSON Schema dialect a contract may declare in `$schema`.
  private readonly dialects = {
    draft7: new Ajv({ strict: false, validateFormats: false }),
    draft2019: new Ajv2019({ strict: false, validateFormats: false }),
    draft2020: new Ajv2020({ strict: false, validateFormats: false }),
  };

  constructor(
    private readonly deps: {
      store: LineageStore;
      catalogSnapshot: CatalogSnapshot;
      catalog: CatalogService;
      urlReader: UrlReaderService;
      logger: LoggerService;
      settings: LineageSettings;
      /** Sends the alert "blast radius > N services without mitigation"; none in some tests. */
      alerts?: AlertSender;
      /** `conductor.alerts.blastRadius`. */
      blastRadiusAlert?: AlertSwitch;
    },
  ) {}

  /** The entity from the snapshot, else asked of the catalog (registered since the last refresh). */
  private async entityOf(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    return (
      this.deps.catalogSnapshot.get(ref) ??
      (await this.deps.catalog.getEntityByRef(ref, { credentials })) ??
      undefined
    );
  }

  /** `loadSchema`, kept by content hash (and file name, which its messages carry); the most recently used stay. */
  loadSchema(
    sdl: string,
    file: string,
    /** A schema this one is likely a change of: its unchanged definitions are reused. */
    like?: LoadedSchema,
  ): LoadedSchema {
    const key = createHash('sha256')
      .update(file)
      .update('\0')
      .update(sdl)
      .digest('hex');
    const hit = this.schemas.get(key);
    if (hit) {
      this.schemas.delete(key);
      this.schemas.set(key, hit);
      return hit;
    }
    const loaded = loadSchema(sdl, file, { like });
    if (sdl.length <= MAX_CACHED_SCHEMA_CHARS) {
      for (const [old, schema] of this.schemas) {
        if (
          this.schemas.size < MAX_CACHED_SCHEMAS &&
          this.schemaChars + sdl.length <= MAX_CACHED_SCHEMA_CHARS
        )
          break;
        this.schemas.delete(old);
        this.schemaChars -= schema.sdl?.length ?? 0;
      }
      this.schemas.set(key, loaded);
      this.schemaChars += sdl.length;
    }
    return loaded;
  }

  /** The walk index of the stored graph, rebuilt only when the graph changed. */
  async index(): Promise<LineageIndex> {
    const version = await this.deps.store.version();
    if (this.cached?.version === version) return this.cached.index;
    if (!this.building) {
      this.building = (async () => {
        const index = LineageIndex.fromEdges(await this.deps.store.allEdges());
        return { version, index };
      })().finally(() => {
        this.building = undefined;
      });
    }
    this.cached = await this.building;
    return this.cached.index;
  }

  /**
   * Rebuilds the graph from the catalog snapshot, the lineage manifests
   * (read through the UrlReader) and the registered operations. A source
   * that fails (a schema that does not parse, a manifest or contract that is
   * not valid) is named in `problems` and its stored edges stay as they were.
   */
  async ingest(signal?: AbortSignal): Promise<LineageIngestResponse> {
    const { store, catalogSnapshot } = this.deps;
    // see the catalog as it is now, not as of the last snapshot
    await catalogSnapshot.refresh();
    const problems: string[] = [];
    const warnings: string[] = [];
    let added = 0;
    let removed = 0;
    const count = (r: { added: number; removed: number }) => {
      added += r.added;
      removed += r.removed;
    };
    const entities = catalogSnapshot.entities(['Component', 'API', 'System']);
    const liveSources = new Set<string>(['catalog']);

    // 1. Catalog: services, APIs, systems and their relations.
    const catalogEdges: LineageEdge[] = [];
    const catalogNodes: LineageNode[] = [];
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      const ns = entity.metadata.namespace ?? 'default';
      const spec = (entity.spec ?? {}) as Record<string, unknown>;
      catalogNodes.push(entityNode(entity));
      if (typeof spec.system === 'string')
        for (const system of refsOf([spec.system], 'system', ns))
          catalogEdges.push({ from: system, to: ref, type: 'contains' });
      if (entity.kind.toLowerCase() === 'component') {
        for (const api of refsOf(spec.providesApis, 'api', ns))
          catalogEdges.push({ from: ref, to: api, type: 'exposes' });
        for (const api of refsOf(spec.consumesApis, 'api', ns))
          catalogEdges.push({ from: ref, to: api, type: 'consumes' });
      }
    }
    count(await store.replaceSource('catalog', catalogEdges, catalogNodes));

    // 2. GraphQL APIs: types and fields from the definition.
    const schemas = new Map<string, LoadedSchema>();
    for (const api of entities.filter(e => e.kind.toLowerCase() === 'api')) {
      const spec = (api.spec ?? {}) as Record<string, unknown>;
      if (spec.type !== 'graphql' || typeof spec.definition !== 'string')
        continue;
      const apiRef = stringifyEntityRef(api);
      const source = `graphql:${apiRef}`;
      liveSources.add(source);
      try {
        const loaded = this.loadSchema(
          spec.definition,
          `${apiRef} spec.definition`,
        );
        warnings.push(...loaded.warnings);
        schemas.set(apiRef, loaded);
        const { edges, nodes } = this.graphqlGraph(apiRef, loaded);
        count(await store.replaceSource(source, edges, nodes));
      } catch (e) {
        if (!(e instanceof LineageInputError)) throw e;
        problems.push(e.message);
      }
    }

    // 3. Lineage manifests of components.
    for (const entity of entities) {
      signal?.throwIfAborted();
      const url = manifestUrl(entity);
      if (!url) continue;
      const ref = stringifyEntityRef(entity);
      const source = `manifest:${ref}`;
      liveSources.add(source);
      try {
        const { edges, nodes, operations } = await this.manifestGraph(
          entity,
          url,
          signal,
        );
        for (const [apiRef, ops] of operations) {
          const byClient = new Map<string, typeof ops>();
          for (const op of ops)
            byClient.set(op.client, [...(byClient.get(op.client) ?? []), op]);
          for (const [client, list] of byClient)
            await store.replaceOperations(
              apiRef,
              client,
              list.map(o => ({ ...o, source })),
            );
        }
        // clients this manifest no longer declares
        for (const { apiRef, client } of await store.operationClientsOf(source))
          if (!operations.get(apiRef)?.some(o => o.client === client))
            await store.replaceOperations(apiRef, client, []);
        count(await store.replaceSource(source, edges, nodes));
      } catch (e) {
        if (!(e instanceof LineageInputError)) throw e;
        problems.push(`${ref}: ${e.message}`);
      }
    }

    // 4. Operations of each API (pushed by CI or declared in manifests).
    const operations = await store.operationsFor();
    const byApi = new Map<string, StoredOperation[]>();
    for (const op of operations)
      byApi.set(op.apiRef, [...(byApi.get(op.apiRef) ?? []), op]);
    for (const [apiRef, ops] of byApi) {
      const source = `operations:${apiRef}`;
      liveSources.add(source);
      const schema = schemas.get(apiRef);
      if (!schema) {
        problems.push(
          `${apiRef}: operations are registered but the API has no GraphQL definition in the catalog`,
        );
        continue;
      }
      const {
        edges,
        nodes,
        warnings: w,
      } = this.operationsGraph(apiRef, schema, ops);
      warnings.push(...w);
      count(await store.replaceSource(source, edges, nodes));
    }

    // 5. Sources whose entity is gone.
    for (const source of await store.sources())
      if (
        !liveSources.has(source) &&
        source !== 'snapshot' &&
        !source.startsWith('ci:')
      )
        count(await store.replaceSource(source, [], []));
    await store.dropOrphanNodes();

    const index = await this.index();
    return {
      nodes: index.nodeCount,
      edges: index.edgeCount,
      added,
      removed,
      problems,
      warnings,
    };
  }

  private graphqlGraph(apiRef: string, loaded: LoadedSchema) {
    const scope = graphqlScope(apiRef);
    const edges: LineageEdge[] = [];
    const nodes: LineageNode[] = [];
    for (const type of schemaTypeMembers(loaded.schema)) {
      const typeId = lineageIds.type(scope, type.name);
      nodes.push(node(typeId, { api: apiRef }));
      edges.push({ from: apiRef, to: typeId, type: 'exposes' });
      for (const member of type.members) {
        const fieldId = lineageIds.field(scope, type.name, member);
        nodes.push(node(fieldId, { api: apiRef }));
        edges.push({ from: typeId, to: fieldId, type: 'exposes' });
      }
    }
    return { edges, nodes };
  }

  private operationsGraph(
    apiRef: string,
    loaded: LoadedSchema,
    stored: StoredOperation[],
  ) {
    const scope = graphqlScope(apiRef);
    const edges: LineageEdge[] = [];
    const nodes: LineageNode[] = [];
    const warnings: string[] = [];
    for (const s of stored) {
      let parsed;
      try {
        parsed = parseOperations([{ file: s.file, text: s.text }]);
      } catch (e) {
        warnings.push(`${apiRef} ${s.client}: ${(e as Error).message}`);
        continue;
      }
      for (const op of parsed) {
        const opId = lineageIds.operation(scope, s.client, op.key);
        nodes.push({
          id: opId,
          kind: 'operation',
          label: op.operationName,
          attributes: {
            api: apiRef,
            client: s.client,
            file: op.file,
            tenants: s.tenants,
          },
        });
        const { used } = operationCoordinates(loaded.schema, op.document);
        for (const coordinate of used) {
          // fields and enum values: `Type.member`
          if (coordinate.split('.').length !== 2) continue;
          edges.push({
            from: `GraphQL:${scope}/${coordinate}`,
            to: opId,
            type: 'usedBy',
          });
        }
        const clientId = s.service ?? lineageIds.client(s.client);
        if (!s.service) nodes.push(node(clientId));
        edges.push({ from: opId, to: clientId, type: 'usedBy' });
        for (const tenant of s.tenants) {
          nodes.push(node(lineageIds.tenant(tenant)));
          edges.push({
            from: opId,
            to: lineageIds.tenant(tenant),
            type: 'servesTenant',
          });
        }
      }
    }
    return { edges, nodes, warnings };
  }

  private async read(
    url: string,
    what: string,
    signal?: AbortSignal,
  ): Promise<string> {
    let response;
    try {
      response = await this.deps.urlReader.readUrl(url, { signal });
    } catch (e) {
      throw new LineageInputError(`${what} ${url}: ${(e as Error).message}`);
    }
    const buffer = await response.buffer();
    if (buffer.length > MAX_MANIFEST_BYTES * 20)
      throw new LineageInputError(
        `${what} ${url}: ${buffer.length} bytes is too large`,
      );
    return buffer.toString('utf8');
  }

  /** Why a contract is not a valid JSON Schema of the dialect it declares, or undefined. */
  private jsonSchemaProblem(schema: unknown): string | undefined {
    if (!schema || typeof schema !== 'object' || Array.isArray(schema))
      return 'must be an object';
    const dialect = String((schema as { $schema?: unknown }).$schema ?? '');
    let ajv: Ajv = this.dialects.draft2020;
    if (/draft-0[467]/.test(dialect)) ajv = this.dialects.draft7;
    else if (/2019-09/.test(dialect)) ajv = this.dialects.draft2019;
    else if (dialect && !/2020-12/.test(dialect))
      return `$schema ${dialect} is not a dialect this reads (draft-07, 2019-09, 2020-12)`;
    const { $schema, $id, ...rest } = schema as Record<string, unknown>;
    if (!ajv.validateSchema(rest)) return ajv.errorsText(ajv.errors);
    try {
      // compiling catches what the meta-schema does not, e.g. a bad $ref
      ajv.compile(rest);
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  }

  private async manifestGraph(
    entity: Entity,
    url: string,
    signal?: AbortSignal,
  ) {
    const ref = stringifyEntityRef(entity);
    const ns = entity.metadata.namespace ?? 'default';
    const text = await this.read(url, 'lineage manifest', signal);
    const file = url.slice(url.lastIndexOf('/') + 1) || url;
    const manifest: LineageManifest = parseManifest(text, file);
    const edges: LineageEdge[] = [];
    const nodes: LineageNode[] = [];
    const gql = (r: string) => `GraphQL:${r}`;
    const rel = (name: string, governedBy: string[], testedBy: string[]) => {
      for (const p of governedBy)
        edges.push({
          from: name,
          to: lineageIds.policy(p),
          type: 'governedBy',
        });
      for (const t of testedBy)
        edges.push({ from: name, to: lineageIds.test(t), type: 'testedBy' });
    };
    const contractId = (c: string) => {
      const [name, version] = c.split('@');
      return lineageIds.contract(name, version);
    };

    for (const [i, c] of manifest.contracts.entries()) {
      const schemaUrl = new URL(c.schema, url).toString();
      const schemaText = await this.read(
        schemaUrl,
        `contracts[${i}].schema`,
        signal,
      );
      let schema: unknown;
      try {
        schema = /\.json$/i.test(c.schema)
          ? JSON.parse(schemaText)
          : parseYaml(schemaText);
      } catch (e) {
        throw new LineageInputError(
          `${file}: contracts[${i}].schema ${c.schema}: does not parse: ${
            (e as Error).message.split('\n')[0]
          }`,
        );
      }
      const problem = this.jsonSchemaProblem(schema);
      if (problem)
        throw new LineageInputError(
          `${file}: contracts[${i}].schema ${c.schema}: not a valid JSON Schema: ${problem}`,
        );
      const id = lineageIds.contract(c.name, c.version);
      nodes.push(
        node(id, { file: c.schema, version: String(c.version), owner: ref }),
      );
      for (const target of c.conformsTo)
        edges.push({ from: id, to: gql(target), type: 'conformsTo' });
      rel(id, c.governedBy, c.testedBy);
    }
    for (const r of manifest.resolvers) {
      const id = `Resolver:${r.field}`;
      nodes.push(node(id, { service: ref }));
      edges.push({ from: id, to: gql(r.field), type: 'resolves' });
      edges.push({ from: ref, to: id, type: 'exposes' });
      for (const c of r.reads)
        edges.push({ from: id, to: contractId(c), type: 'reads' });
      for (const c of r.writes)
        edges.push({ from: id, to: contractId(c), type: 'writes' });
      rel(id, r.governedBy, r.testedBy);
    }
    for (const g of manifest.graphql)
      rel(gql(g.node), g.governedBy, g.testedBy);
    for (const p of manifest.policies)
      nodes.push(
        node(lineageIds.policy(p.name), {
          ...(p.description ? { description: p.description } : {}),
          ...(p.file ? { file: p.file } : {}),
        }),
      );
    for (const t of manifest.tests)
      nodes.push(
        node(lineageIds.test(t.name), {
          ...(t.description ? { description: t.description } : {}),
          ...(t.file ? { file: t.file } : {}),
        }),
      );

    const operations = new Map<
      string,
      Array<Omit<StoredOperation, 'apiRef' | 'source'>>
    >();
    for (const [i, o] of manifest.operations.entries()) {
      const [apiRef] = refsOf([o.api], 'api', ns);
      if (!apiRef)
        throw new LineageInputError(
          `${file}: operations[${i}].api: ${o.api} is not an entity ref`,
        );
      const client = o.client ?? entity.metadata.name;
      const list = operations.get(apiRef) ?? [];
      for (const f of o.files) {
        const opText = await this.read(
          new URL(f, url).toString(),
          `operations[${i}].files`,
          signal,
        );
        list.push({
          client,
          file: f,
          text: opText,
          ...(o.client ? {} : { service: ref }),
          tenants: o.tenants,
        });
      }
      // an operation that does not parse stops this manifest, naming the file
      parseOperations(list.map(l => ({ file: l.file, text: l.text })));
      operations.set(apiRef, list);
    }
    // Operations are named by file name when that is unique for the client,
    // as CI pushes them; else by the path the manifest gives.
    for (const list of operations.values()) {
      const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
      for (const op of list) {
        const same = list.filter(
          o => o.client === op.client && base(o.file) === base(op.file),
        );
        if (same.length === 1) op.file = base(op.file);
      }
    }
    return { edges, nodes, operations };
  }

  /** The neighbourhood of a node (both directions), capped for the browser. */
  async neighbourhood(
    root: string,
    depth: number,
    maxNodes?: number,
  ): Promise<LineageGraphResponse> {
    const index = await this.index();
    if (!index.has(root))
      throw new NotFoundError(
        `${root} is not in the lineage graph; run an ingest or check the ref`,
      );
    const walk = index.walk([root], {
      undirected: true,
      maxDepth: depth,
      maxNodes: Math.min(
        maxNodes ?? this.deps.settings.maxGraphNodes,
        this.deps.settings.maxGraphNodes,
      ),
      budgetMs: this.deps.settings.budgetMs,
    });
    const ids = walk.nodes.map(n => n.id);
    const known = new Map(
      (await this.deps.store.nodes(ids)).map(n => [n.id, n]),
    );
    const reached = new Set(ids);
    return {
      root,
      depth,
      nodes: walk.nodes.map(n => ({
        ...(known.get(n.id) ?? node(n.id)),
        attributes: { ...(known.get(n.id)?.attributes ?? {}), depth: n.depth },
      })),
      edges: walk.edges.filter(e => reached.has(e.from) && reached.has(e.to)),
      partial: walk.partial,
      ...(walk.partialReason ? { partialReason: walk.partialReason } : {}),
    };
  }

  /** What a change to one node reaches, in the impact direction. */
  async nodeRadius(
    start: string,
    depth?: number,
  ): Promise<LineageNodeRadiusResponse> {
    const index = await this.index();
    if (!index.has(start))
      throw new NotFoundError(`${start} is not in the lineage graph`);
    const walk = index.walk([start], {
      maxDepth: Math.min(depth ?? this.deps.settings.maxDepth, 20),
      budgetMs: this.deps.settings.budgetMs,
      maxNodes: this.deps.settings.maxGraphNodes * 4,
      // the portal highlights this: the same radius a schema check reports
      stopAt: IMPACT_STOPS,
    });
    return {
      start,
      nodes: walk.nodes,
      edges: walk.edges,
      partial: walk.partial,
      ...(walk.partialReason ? { partialReason: walk.partialReason } : {}),
    };
  }

  /**
   * The blast radius of a schema change to an API: judged against the
   * operations given, else those registered for the API; then the graph
   * walked from the changed fields to resolvers, policies, tests and
   * contracts.
   */
  async blastRadius(
    req: BlastRadiusRequest,
    credentials: BackstageCredentials,
  ): Promise<BlastRadiusResponse> {
    const entity = await this.entityOf(req.entityRef, credentials);
    if (!entity)
      throw new NotFoundError(`${req.entityRef} is not in the catalog`);
    const spec = (entity?.spec ?? {}) as Record<string, unknown>;
    const baseSdl =
      req.baseSdl ??
      (typeof spec.definition === 'string' ? spec.definition : undefined);
    if (baseSdl === undefined)
      throw new InputError(
        `baseSdl: ${req.entityRef} has no definition in the catalog; send the old schema`,
      );
    let report;
    try {
      const base = this.loadSchema(
        baseSdl,
        req.baseSdl ? 'baseSdl' : `${req.entityRef} spec.definition`,
      );
      const head = this.loadSchema(req.headSdl, 'headSdl', base);
      const sources = req.operations
        ? req.operations.map(o => ({
            file: o.file,
            text: o.text,
            client: o.client,
            tenants: o.tenants ?? [],
          }))
        : (await this.deps.store.operationsFor(req.entityRef)).map(o => ({
            file: `${o.client}/${o.file}`,
            text: o.text,
            client: o.client,
            service: o.service,
            tenants: o.tenants,
          }));
      report = await computeBlastRadius({
        base,
        head,
        operations: parseOperations(sources),
        mitigations: req.mitigations,
        maxServices: req.maxServices ?? this.deps.settings.maxServices,
      });
    } catch (e) {
      if (e instanceof LineageInputError) throw new InputError(e.message);
      throw e;
    }
    const scope = graphqlScope(req.entityRef);
    const starts = report.changes
      .filter(c => c.criticality !== 'safe')
      .map(c => {
        const parts = c.path.split('.');
        return `GraphQL:${scope}/${parts.slice(0, 2).join('.')}`;
      });
    const index = await this.index();
    const walk = index.walk([...new Set(starts)], {
      maxDepth: this.deps.settings.maxDepth,
      budgetMs: this.deps.settings.budgetMs,
      collectEdges: false,
      stopAt: IMPACT_STOPS,
    });
    // The contracts a changed type conforms to: a change to a field is a
    // change to what the type promises, though it does not flow to the
    // contract along the edge.
    const types = [...new Set(starts.map(id => id.split('.')[0]))];
    const contracts = index
      .walk(types, {
        undirected: true,
        maxDepth: 1,
        budgetMs: this.deps.settings.budgetMs,
      })
      .edges.filter(e => e.type === 'conformsTo' && types.includes(e.to))
      .map(e => ({ id: e.from, depth: 1 }));
    const alert = this.alertIfTooLarge(entity, report, credentials);
    const reached = [...walk.nodes, ...contracts]
      .map(n => ({ ...n, kind: lineageNodeKind(n.id) ?? 'unknown' }))
      .filter(n => ['resolver', 'policy', 'test', 'contract'].includes(n.kind))
      .filter((n, i, all) => all.findIndex(m => m.id === n.id) === i);
    return {
      ...report,
      partial: report.partial || walk.partial,
      ...(walk.partialReason
        ? {
            partialReason: `graph walk stopped at its ${walk.partialReason} limit`,
          }
        : {}),
      reached,
      alert,
    };
  }

  // API ref -> hash of the change set last alerted for it
  private readonly alerted = new Map<string, string>();

  /**
   * The seed's alert "blast radius > N services without mitigation": when a
   * check from CI finds breaking changes reaching more than N services
   * (`conductor.lineage.maxServices`) without a recorded mitigation, one
   * notification to the group owning the API, linking its Lineage tab. An
   * identical change set alerts once; a new one updates the API's
   * notification. A person's check (the portal's "what if") never alerts.
   */
  private alertIfTooLarge(
    entity: Entity,
    report: BlastRadiusReport,
    credentials: BackstageCredentials,
  ): BlastRadiusAlertStatus {
    const apiRef = stringifyEntityRef(entity);
    const { maxServices } = this.deps.settings;
    const enabled = this.deps.blastRadiusAlert?.enabled ?? true;
    const over = blastRadiusOverLimit(report, maxServices);
    const status = (
      notification: BlastRadiusAlertStatus['notification'],
      reason?: string,
    ): BlastRadiusAlertStatus => ({
      maxServices,
      configKey: BLAST_RADIUS_ALERT_CONFIG_KEY,
      enabled,
      changes: over.changes,
      services: over.services,
      notification,
      ...(reason ? { reason } : {}),
    });
    if (!over.changes.length)
      return status(
        'none',
        `no breaking change reaches more than ${maxServices} service(s) without a mitigation`,
      );
    if (!enabled)
      return status('none', 'conductor.alerts.blastRadius.enabled is false');
    if ((credentials.principal as { type?: string }).type !== 'service')
      return status('none', "a person's check does not alert; CI's checks do");
    const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    if (typeof owner !== 'string' || !this.deps.alerts)
      return status('none', `${apiRef} has no owner to tell`);
    if (this.alerted.get(apiRef) === over.changeSetHash)
      return status('already-sent');
    if (this.alerted.size > 10_000) this.alerted.clear();
    this.alerted.set(apiRef, over.changeSetHash);
    const ownerRef = stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
    const key = `conductor.lineage.blast-radius:${apiRef}`;
    this.deps.alerts.enqueue(
      key,
      {
        recipients: { type: 'entity', entityRef: ownerRef },
        payload: {
          title: `Blast radius of a change to ${apiRef}: ${over.services.length} services without mitigation`,
          description: describeBlastRadiusAlert(
            apiRef,
            over,
            report,
            maxServices,
          ),
          link: alertLinks.blastRadius.to(apiRef),
          severity: 'high',
          topic: 'conductor.lineage.blast-radius',
          // one notification per API, updated when a new change set alerts
          scope: key,
        },
      },
      this.deps.blastRadiusAlert?.throttleMs ?? 0,
    );
    return status('queued');
  }

  /**
   * The blast radius of a new version of a data contract: its property
   * changes graded, mapped to the fields of the GraphQL types that conform
   * to it, and walked to the operations reading them, their services and
   * tenants; plus the resolvers reading or writing the contract.
   */
  async contractBlastRadius(
    req: ContractBlastRadiusRequest,
  ): Promise<ContractBlastRadiusResponse> {
    if (lineageNodeKind(req.contract) !== 'contract')
      throw new InputError(
        `contract: ${req.contract} is not a contract id such as Contract:Asset@v2`,
      );
    for (const key of ['baseSchema', 'headSchema'] as const) {
      const problem = this.jsonSchemaProblem(req[key]);
      if (problem)
        throw new InputError(`${key}: not a valid JSON Schema: ${problem}`);
    }
    const index = await this.index();
    if (!index.has(req.contract))
      throw new NotFoundError(`${req.contract} is not in the lineage graph`);
    const limits = { budgetMs: this.deps.settings.budgetMs };
    const around = index.walk([req.contract], {
      ...limits,
      maxDepth: 1,
      undirected: true,
    });
    const types = around.edges
      .filter(e => e.type === 'conformsTo' && e.from === req.contract)
      .map(e => e.to);
    const readers = index
      .walk(
        around.edges
          .filter(
            e =>
              (e.type === 'reads' || e.type === 'writes') &&
              e.to === req.contract,
          )
          .map(e => e.from),
        { ...limits, maxDepth: 1, collectEdges: false },
      )
      .nodes.map(n => n.id);
    let partial = around.partial && around.partialReason !== 'depth';
    const kinds = (ids: string[], kind: string) =>
      [...new Set(ids.filter(id => lineageNodeKind(id) === kind))].sort();
    const maxServices = req.maxServices ?? this.deps.settings.maxServices;
    const MITIGATION_AS: Record<string, string> = {
      PROPERTY_REMOVED: 'FIELD_REMOVED',
      ENUM_VALUE_REMOVED: 'ENUM_VALUE_REMOVED',
      PROPERTY_TYPE_CHANGED: 'FIELD_TYPE_CHANGED',
      PROPERTY_BECAME_REQUIRED: 'FIELD_ARGUMENT_ADDED',
      PROPERTY_ADDED: 'FIELD_ARGUMENT_ADDED',
    };
    const changes = diffContractSchemas(req.baseSchema, req.headSchema).map(
      c => {
        const top = c.path.split('.')[0];
        const fields = types
          .map(t => `${t}.${top}`)
          .filter(id => index.has(id));
        const walk =
          c.criticality === 'safe' || !fields.length
            ? undefined
            : index.walk(fields, {
                ...limits,
                maxDepth: this.deps.settings.maxDepth,
                collectEdges: false,
                stopAt: IMPACT_STOPS,
              });
        if (walk?.partial && walk.partialReason !== 'depth') partial = true;
        const ids = walk?.nodes.map(n => n.id) ?? [];
        const operations = kinds(ids, 'operation');
        const services = [...kinds(ids, 'service'), ...kinds(ids, 'client')];
        return {
          ...c,
          fields,
          operations,
          services,
          tenants: kinds(ids, 'tenant').map(t => t.slice('Tenant:'.length)),
          mitigation: mitigationFor(
            {
              type: MITIGATION_AS[c.type] ?? c.type,
              path: c.path,
              criticality: c.criticality,
            },
            services.map(lineageLabel),
            operations,
          ),
        };
      },
    );
    const reasons = changes
      .filter(
        c => c.criticality === 'breaking' && c.services.length > maxServices,
      )
      .map(
        c =>
          `${c.path}: ${c.type} reaches ${c.services.length} service(s), more than ${maxServices}, without a recorded mitigation`,
      );
    const all = (k: 'operations' | 'services' | 'tenants') =>
      [...new Set(changes.flatMap(c => c[k]))].sort();
    return {
      contract: req.contract,
      types,
      changes,
      operations: all('operations'),
      services: all('services'),
      tenants: all('tenants'),
      reached: readers
        .filter(id =>
          ['resolver', 'policy', 'test'].includes(lineageNodeKind(id) ?? ''),
        )
        .sort(),
      partial,
      gate: { maxServices, failed: reasons.length > 0, reasons },
    };
  }

  /** Registers the full set of operations one client sends to an API (CI). */
  async pushOperations(
    req: PushOperationsRequest,
    source: string,
    credentials: BackstageCredentials,
  ): Promise<PushOperationsResponse> {
    const entity = await this.entityOf(req.entityRef, credentials);
    if (!entity)
      throw new NotFoundError(`${req.entityRef} is not in the catalog`);
    if ((entity?.spec as { type?: string } | undefined)?.type !== 'graphql')
      throw new InputError(`entityRef: ${req.entityRef} is not a GraphQL API`);
    try {
      parseOperations(
        req.operations.map(o => ({ file: o.file, text: o.text })),
      );
    } catch (e) {
      if (e instanceof LineageInputError) throw new InputError(e.message);
      throw e;
    }
    const result = await this.deps.store.replaceOperations(
      req.entityRef,
      req.client,
      req.operations.map(o => ({
        file: o.file,
        text: o.text,
        ...(req.service ? { service: req.service } : {}),
        tenants: o.tenants ?? req.tenants ?? [],
        source,
      })),
    );
    // the graph's operation edges follow at once
    const schemaSpec = (entity?.spec as { definition?: unknown }).definition;
    if (typeof schemaSpec === 'string') {
      try {
        const loaded = this.loadSchema(
          schemaSpec,
          `${req.entityRef} spec.definition`,
        );
        const { edges, nodes } = this.operationsGraph(
          req.entityRef,
          loaded,
          await this.deps.store.operationsFor(req.entityRef),
        );
        await this.deps.store.replaceSource(
          `operations:${req.entityRef}`,
          edges,
          nodes,
        );
      } catch (e) {
        if (!(e instanceof LineageInputError)) throw e;
        this.deps.logger.warn(`Lineage: ${e.message}`);
      }
    }
    return {
      entityRef: req.entityRef,
      client: req.client,
      operations: req.operations.length,
      ...result,
    };
  }

  async snapshot(): Promise<LineageSnapshot> {
    const [nodes, edges] = await Promise.all([
      this.deps.store.allNodes(),
      this.deps.store.allEdges(),
    ]);
    return { version: 1, generatedAt: new Date().toISOString(), nodes, edges };
  }

  /** Imports a snapshot's edges as the `snapshot` source (all or nothing). */
  async importSnapshot(
    edges: unknown,
  ): Promise<{ added: number; removed: number }> {
    const problems = validateLineageEdges(edges);
    if (problems.length) throw new InputError(problems.slice(0, 10).join('; '));
    const list = edges as LineageEdge[];
    if (list.length > MAX_SNAPSHOT_EDGES)
      throw new InputError(
        `edges: ${list.length} is more than the ${MAX_SNAPSHOT_EDGES} one import takes`,
      );
    const ids = [...new Set(list.flatMap(e => [e.from, e.to]))];
    // details the catalog or a manifest gave are kept
    const known = new Set((await this.deps.store.nodes(ids)).map(n => n.id));
    return this.deps.store.replaceSource(
      'snapshot',
      list.map(e => ({ from: e.from, to: e.to, type: e.type })),
      ids.filter(id => !known.has(id)).map(id => node(id)),
    );
  }

  async events(limit: number) {
    return this.deps.store.events(limit);
  }
}
