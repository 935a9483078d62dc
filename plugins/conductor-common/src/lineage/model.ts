/**
 * The lineage graph: one graph across catalog entities (services, APIs,
 * systems), GraphQL types and fields, resolvers, data contracts, policies,
 * tests, operations, clients and tenants.
 *
 * Node ids are strings in the seed's `Kind:name` form. GraphQL ids carry the
 * API they belong to, because every API has its own `Query` and types of the
 * same name in two APIs are different things:
 *
 * | kind            | id                                             |
 * | --------------- | ---------------------------------------------- |
 * | service         | `component:default/orders-api` (entity ref)    |
 * | api             | `api:default/orders-graphql` (entity ref)      |
 * | system          | `system:default/checkout` (entity ref)         |
 * | graphql-type    | `GraphQL:orders-graphql/Order` (the seed's unscoped `GraphQL:Asset` is read too) |
 * | graphql-field   | `GraphQL:orders-graphql/Order.items`           |
 * | resolver        | `Resolver:orders-graphql/Order.items`          |
 * | contract        | `Contract:Asset@v2`                            |
 * | policy          | `Policy:tenant-isolation`                      |
 * | test            | `Test:orders-contract-test`                    |
 * | operation       | `Operation:orders-graphql/checkout-web/OrderDetails` |
 * | client          | `Client:mobile-app` (a client not in the catalog) |
 * | tenant          | `Tenant:acme`                                  |
 */

/** @public */
export const LINEAGE_NODE_KINDS = [
  'service',
  'api',
  'system',
  'graphql-type',
  'graphql-field',
  'resolver',
  'contract',
  'policy',
  'test',
  'operation',
  'client',
  'tenant',
] as const;

/** @public */
export type LineageNodeKind = (typeof LINEAGE_NODE_KINDS)[number];

/**
 * Edge types, and which way a change travels along each: `forward` when a
 * change to `from` reaches `to`, `reverse` when a change to `to` reaches
 * `from`. A blast-radius walk follows edges only in their impact direction,
 * so starting from a field reaches the operations that select it, not every
 * consumer of the whole API.
 *
 * @public
 */
export const LINEAGE_EDGE_TYPES = {
  /** `Contract:Asset@v2 → GraphQL:reports-graphql/Asset`: the type implements the contract. */
  conformsTo: 'forward',
  /** API → type, type → field, service → API it provides. */
  exposes: 'forward',
  /** `Resolver:… → GraphQL:…field`: a field change reaches its resolver. */
  resolves: 'reverse',
  /** Resolver or service → contract it reads: a contract change reaches the reader. */
  reads: 'reverse',
  /** Resolver or service → contract it writes. */
  writes: 'reverse',
  /** Type, field, resolver or contract → policy that governs it. */
  governedBy: 'forward',
  /** Type, field, resolver or contract → test that covers it. */
  testedBy: 'forward',
  /** Service → API it consumes: an API change reaches its consumers. */
  consumes: 'reverse',
  /** Field → operation selecting it; operation → client or service sending it. */
  usedBy: 'forward',
  /** Operation or client → tenant it serves. */
  servesTenant: 'forward',
  /** System → its components and APIs (for the neighbourhood view). */
  contains: 'forward',
} as const;

/** @public */
export type LineageEdgeType = keyof typeof LINEAGE_EDGE_TYPES;

/** The seed's edge record, and the snapshot format. @public */
export interface LineageEdge {
  from: string;
  to: string;
  type: LineageEdgeType;
}

/** @public */
export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  /** Short name for the view, e.g. `Order.items`. */
  label: string;
  /** Kind-specific details: file, api, client, version, source... */
  attributes?: Record<string, string | number | boolean | string[]>;
}

/** The JSON snapshot: nodes and edges in the seed's edge-record shape. @public */
export interface LineageSnapshot {
  version: 1;
  generatedAt?: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

const ENTITY_KIND_TO_NODE: Record<string, LineageNodeKind> = {
  component: 'service',
  api: 'api',
  system: 'system',
};

const PREFIX_TO_NODE: Record<string, LineageNodeKind> = {
  Resolver: 'resolver',
  Contract: 'contract',
  Policy: 'policy',
  Test: 'test',
  Operation: 'operation',
  Client: 'client',
  Tenant: 'tenant',
};

/**
 * The kind of a node from its id, or undefined when the id is not one the
 * graph knows (see the table above).
 *
 * @public
 */
export function lineageNodeKind(id: string): LineageNodeKind | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return undefined;
  const prefix = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (prefix === 'GraphQL') {
    // `GraphQL:api/Type.field`, or the seed's unscoped `GraphQL:Type.field`
    const name = rest.slice(rest.indexOf('/') + 1);
    if (!/^[_A-Za-z]\w*(\.[_A-Za-z]\w*)?$/.test(name)) return undefined;
    return name.includes('.') ? 'graphql-field' : 'graphql-type';
  }
  const entityKind = ENTITY_KIND_TO_NODE[prefix.toLocaleLowerCase('en-US')];
  if (entityKind) return /^[^/]+\/.+$/.test(rest) ? entityKind : undefined;
  return PREFIX_TO_NODE[prefix];
}

/** Ids of GraphQL nodes. @public */
export const lineageIds = {
  type: (api: string, type: string) => `GraphQL:${api}/${type}`,
  field: (api: string, type: string, field: string) =>
    `GraphQL:${api}/${type}.${field}`,
  resolver: (api: string, type: string, field: string) =>
    `Resolver:${api}/${type}.${field}`,
  contract: (name: string, version: string | number) =>
    `Contract:${name}@v${String(version).replace(/^v/, '')}`,
  policy: (name: string) => `Policy:${name}`,
  test: (name: string) => `Test:${name}`,
  operation: (api: string, client: string, name: string) =>
    `Operation:${api}/${client}/${name}`,
  client: (name: string) => `Client:${name}`,
  tenant: (name: string) => `Tenant:${name}`,
};

/** A short label for a node id, e.g. `Order.items` or `orders-api`. @public */
export function lineageLabel(id: string): string {
  const colon = id.indexOf(':');
  const rest = id.slice(colon + 1);
  const kind = lineageNodeKind(id);
  if (kind === 'service' || kind === 'api' || kind === 'system')
    return rest.slice(rest.indexOf('/') + 1);
  if (
    kind === 'graphql-type' ||
    kind === 'graphql-field' ||
    kind === 'resolver'
  )
    return rest.slice(rest.indexOf('/') + 1);
  if (kind === 'operation') return rest.slice(rest.lastIndexOf('/') + 1);
  return rest;
}

/**
 * Checks a snapshot's edge records: known edge types and node ids whose kind
 * can be told from the id. Returns the problems, each naming the record by
 * its index (`edges[3].type: ...`); empty when the snapshot is good.
 *
 * @public
 */
export function validateLineageEdges(edges: unknown): string[] {
  if (!Array.isArray(edges)) return ['edges: must be a list of edge records'];
  const problems: string[] = [];
  edges.forEach((e, i) => {
    if (!e || typeof e !== 'object') {
      problems.push(`edges[${i}]: must be {from, to, type}`);
      return;
    }
    const { from, to, type } = e as Record<string, unknown>;
    for (const [key, value] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (typeof value !== 'string' || !lineageNodeKind(value))
        problems.push(
          `edges[${i}].${key}: ${JSON.stringify(
            value,
          )} is not a lineage node id (e.g. GraphQL:orders-graphql/Order, Contract:Asset@v2, component:default/orders-api)`,
        );
    }
    if (
      typeof type !== 'string' ||
      !Object.prototype.hasOwnProperty.call(LINEAGE_EDGE_TYPES, type)
    )
      problems.push(
        `edges[${i}].type: ${JSON.stringify(type)} is not one of ${Object.keys(
          LINEAGE_EDGE_TYPES,
        ).join(', ')}`,
      );
  });
  return problems;
}
