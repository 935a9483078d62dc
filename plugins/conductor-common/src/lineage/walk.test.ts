import { LineageEdge, lineageNodeKind, validateLineageEdges } from './model';
import { LineageIndex } from './walk';

// contract → type → field → operation → client → tenant, and a resolver
// (resolves points from the resolver to the field) governed by a policy
const edges: LineageEdge[] = [
  {
    from: 'Contract:Asset@v2',
    to: 'GraphQL:reports-graphql/Asset',
    type: 'conformsTo',
  },
  {
    from: 'api:default/reports-graphql',
    to: 'GraphQL:reports-graphql/Asset',
    type: 'exposes',
  },
  {
    from: 'GraphQL:reports-graphql/Asset',
    to: 'GraphQL:reports-graphql/Asset.name',
    type: 'exposes',
  },
  {
    from: 'GraphQL:reports-graphql/Asset.name',
    to: 'Operation:reports-graphql/export-worker/MonthlyExport',
    type: 'usedBy',
  },
  {
    from: 'Operation:reports-graphql/export-worker/MonthlyExport',
    to: 'component:default/export-worker',
    type: 'usedBy',
  },
  {
    from: 'Operation:reports-graphql/export-worker/MonthlyExport',
    to: 'Tenant:globex',
    type: 'servesTenant',
  },
  {
    from: 'Resolver:reports-graphql/Asset.name',
    to: 'GraphQL:reports-graphql/Asset.name',
    type: 'resolves',
  },
  {
    from: 'Resolver:reports-graphql/Asset.name',
    to: 'Policy:tenant-isolation',
    type: 'governedBy',
  },
  {
    from: 'component:default/insights-web',
    to: 'api:default/reports-graphql',
    type: 'consumes',
  },
];

describe('LineageIndex', () => {
  const index = LineageIndex.fromEdges(edges);

  it('walks a change in its impact direction: contract to tenant, resolver and its policy', () => {
    const r = index.walk(['Contract:Asset@v2']);
    expect(Object.fromEntries(r.nodes.map(n => [n.id, n.depth]))).toEqual({
      'Contract:Asset@v2': 0,
      'GraphQL:reports-graphql/Asset': 1,
      'GraphQL:reports-graphql/Asset.name': 2,
      'Operation:reports-graphql/export-worker/MonthlyExport': 3,
      'Resolver:reports-graphql/Asset.name': 3,
      'component:default/export-worker': 4,
      'Tenant:globex': 4,
      'Policy:tenant-isolation': 4,
    });
    // edges come back as stored, whatever the walk's direction
    expect(r.edges).toContainEqual(edges[6]);
    expect(r.partial).toBe(false);
  });

  it('an API change reaches its consumers; a field change does not reach the API', () => {
    expect(
      index.walk(['api:default/reports-graphql']).nodes.map(n => n.id),
    ).toContain('component:default/insights-web');
    expect(
      index.walk(['GraphQL:reports-graphql/Asset.name']).nodes.map(n => n.id),
    ).not.toContain('api:default/reports-graphql');
  });

  it('says partial and why when the depth limit cuts the walk', () => {
    const r = index.walk(['Contract:Asset@v2'], { maxDepth: 2 });
    expect(r.nodes).toHaveLength(3);
    expect(r).toMatchObject({ partial: true, partialReason: 'depth' });
    // exactly deep enough is not partial
    expect(index.walk(['Contract:Asset@v2'], { maxDepth: 4 }).partial).toBe(
      false,
    );
  });

  it('says partial when the node cap or the time budget cuts the walk', () => {
    expect(index.walk(['Contract:Asset@v2'], { maxNodes: 3 })).toMatchObject({
      partial: true,
      partialReason: 'nodes',
    });
    const chain: LineageEdge[] = [];
    for (let i = 0; i < 200_000; i++)
      chain.push({
        from: `Tenant:t${i}`,
        to: `Tenant:t${i + 1}`,
        type: 'usedBy',
      });
    const long = LineageIndex.fromEdges(chain);
    expect(
      long.walk(['Tenant:t0'], { budgetMs: 0, maxDepth: 1e9, maxNodes: 1e9 }),
    ).toMatchObject({
      partial: true,
      partialReason: 'time',
    });
  });

  it('the neighbourhood walks both directions and returns each edge once', () => {
    const r = index.walk(['GraphQL:reports-graphql/Asset'], {
      undirected: true,
      maxDepth: 1,
    });
    expect(r.nodes.map(n => n.id).sort()).toEqual([
      'Contract:Asset@v2',
      'GraphQL:reports-graphql/Asset',
      'GraphQL:reports-graphql/Asset.name',
      'api:default/reports-graphql',
    ]);
    expect(r.edges).toHaveLength(3);
  });

  it('reaches but does not walk past the kinds it is told to stop at', () => {
    const all = index
      .walk(['api:default/reports-graphql'])
      .nodes.map(n => n.id);
    expect(all).toContain('GraphQL:reports-graphql/Asset.name');
    const stopped = index
      .walk(['Contract:Asset@v2'], { stopAt: ['operation'] })
      .nodes.map(n => n.id);
    expect(stopped).toContain(
      'Operation:reports-graphql/export-worker/MonthlyExport',
    );
    expect(stopped).not.toContain('Tenant:globex');
  });

  it('names start nodes it does not know', () => {
    expect(index.walk(['GraphQL:reports-graphql/Nope']).unknownStarts).toEqual([
      'GraphQL:reports-graphql/Nope',
    ]);
  });
});

describe('lineage ids and snapshot records', () => {
  it('tells the kind from the id', () => {
    expect(
      [
        'GraphQL:orders-graphql/Order',
        'GraphQL:orders-graphql/Order.items',
        'Contract:Asset@v2',
        'component:default/orders-api',
        'api:default/orders-graphql',
        'Tenant:acme',
        'GraphQL:Asset',
        'GraphQL:orders-graphql/Order.items.x',
        'Widget:x',
      ].map(lineageNodeKind),
    ).toEqual([
      'graphql-type',
      'graphql-field',
      'contract',
      'service',
      'api',
      'tenant',
      'graphql-type',
      undefined,
      undefined,
    ]);
  });

  it('accepts the seed edge record and names each bad record by index', () => {
    expect(validateLineageEdges(edges)).toEqual([]);
    expect(
      validateLineageEdges([
        { from: 'Contract:Asset@v2', to: 'GraphQL:Asset', type: 'conformsTo' },
        { from: 'Tenant:a', to: 'Graph:b', type: 'likes' },
      ]),
    ).toEqual([
      'edges[1].to: "Graph:b" is not a lineage node id (e.g. GraphQL:orders-graphql/Order, Contract:Asset@v2, component:default/orders-api)',
      'edges[1].type: "likes" is not one of conformsTo, exposes, resolves, reads, writes, governedBy, testedBy, consumes, usedBy, servesTenant, contains',
    ]);
  });
});
