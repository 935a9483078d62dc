import type {
  LineageEdge,
  LineageGraphResponse,
  LineageNode,
  LineageNodeKind,
} from '@internal/plugin-conductor-common';

/** Deterministic random numbers, so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A neighbourhood shaped like a large GraphQL API's: the API, its types (6 %
 * of the nodes), fields (60 %), resolvers (12 %), operations (15 %), client
 * services (4 %) and tenants (the rest); edges api→type, type→field,
 * resolver→field, client→api, operation→client, operation→tenant, and
 * field→operation `usedBy` edges until `edgeCount` is reached.
 */
export function syntheticNeighbourhood(
  nodeCount: number,
  edgeCount: number,
  seed = 7,
): LineageGraphResponse {
  const random = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const nodes: LineageNode[] = [];
  const add = (id: string, kind: LineageNodeKind, label: string) => {
    nodes.push({ id, kind, label });
    return id;
  };
  const api = add('api:default/big-graphql', 'api', 'big-graphql');
  const share = (f: number) => Math.max(1, Math.round(nodeCount * f));
  const types = Array.from({ length: share(0.06) }, (_, i) =>
    add(`GraphQL:big-graphql/T${i}`, 'graphql-type', `T${i}`),
  );
  const fields = Array.from({ length: share(0.6) }, (_, i) => {
    const type = i % types.length;
    return add(
      `GraphQL:big-graphql/T${type}.f${i}`,
      'graphql-field',
      `T${type}.f${i}`,
    );
  });
  const resolvers = Array.from({ length: share(0.12) }, (_, i) =>
    add(`Resolver:big-graphql/r${i}`, 'resolver', `r${i}`),
  );
  const operations = Array.from({ length: share(0.15) }, (_, i) =>
    add(`Operation:big-graphql/c/Op${i}.graphql`, 'operation', `Op${i}`),
  );
  const services = Array.from({ length: share(0.04) }, (_, i) =>
    add(`component:default/client-${i}`, 'service', `client-${i}`),
  );
  const tenants: string[] = [];
  while (nodes.length < nodeCount)
    tenants.push(
      add(`Tenant:t${tenants.length}`, 'tenant', `t${tenants.length}`),
    );

  const edges: LineageEdge[] = [];
  const seen = new Set<string>();
  const link = (from: string, to: string, type: LineageEdge['type']) => {
    const key = `${from}|${to}|${type}`;
    if (seen.has(key) || edges.length >= edgeCount) return;
    seen.add(key);
    edges.push({ from, to, type });
  };
  for (const t of types) link(api, t, 'exposes');
  fields.forEach((f, i) => link(types[i % types.length], f, 'exposes'));
  resolvers.forEach((r, i) => link(r, fields[i % fields.length], 'resolves'));
  for (const s of services) link(s, api, 'consumes');
  operations.forEach((o, i) =>
    link(o, services[i % services.length], 'usedBy'),
  );
  if (tenants.length)
    operations.forEach((o, i) =>
      link(o, tenants[i % tenants.length], 'servesTenant'),
    );
  while (edges.length < edgeCount)
    link(pick(fields), pick(operations), 'usedBy');
  return { root: api, depth: 4, nodes, edges, partial: false };
}
