import { TestDatabases } from '@backstage/backend-test-utils';
import path from 'node:path';
import { LineageEdge } from '@internal/plugin-conductor-common';
import { applyDatabaseMigrations } from '../shared/migrations';
import { LineageStore } from './LineageStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const e = (
  from: string,
  to: string,
  type: LineageEdge['type'],
): LineageEdge => ({
  from,
  to,
  type,
});
const conforms = e(
  'Contract:Asset@v2',
  'GraphQL:reports-graphql/Asset',
  'conformsTo',
);
const exposes = e(
  'GraphQL:reports-graphql/Asset',
  'GraphQL:reports-graphql/Asset.name',
  'exposes',
);
const usedBy = e(
  'GraphQL:reports-graphql/Asset.name',
  'Operation:reports-graphql/export-worker/MonthlyExport.graphql',
  'usedBy',
);

describe.each(databases.eachSupportedId())('LineageStore on %p', databaseId => {
  async function store() {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations({ getClient: async () => knex } as any);
    return { knex, store: new LineageStore(knex) };
  }

  it('replaces a source as a whole and records each edge added or removed as an event', async () => {
    const { store: s } = await store();
    expect(await s.version()).toBe(0);
    expect(
      await s.replaceSource(
        'manifest:component:default/reports-api',
        [conforms, exposes],
        [],
      ),
    ).toEqual({ added: 2, removed: 0 });
    const v1 = await s.version();
    expect(v1).toBeGreaterThan(0);
    // same set again: nothing changes, no event, same version
    expect(
      await s.replaceSource(
        'manifest:component:default/reports-api',
        [exposes, conforms],
        [],
      ),
    ).toEqual({ added: 0, removed: 0 });
    expect(await s.version()).toBe(v1);
    expect(
      await s.replaceSource(
        'manifest:component:default/reports-api',
        [exposes, usedBy],
        [],
      ),
    ).toEqual({ added: 1, removed: 1 });
    const events = await s.events(10);
    expect(events.map(x => [x.change, x.edge])).toEqual([
      ['removed', conforms],
      ['added', usedBy],
      ['added', exposes],
      ['added', conforms],
    ]);
    expect(new Set(events.map(x => x.source))).toEqual(
      new Set(['manifest:component:default/reports-api']),
    );
    expect(events[0].at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('an edge two sources assert is one edge in the graph, and stays while one still asserts it', async () => {
    const { store: s } = await store();
    await s.replaceSource('graphql:api:default/reports-graphql', [exposes], []);
    await s.replaceSource('snapshot', [exposes, conforms], []);
    expect(await s.allEdges()).toEqual([conforms, exposes]);
    await s.replaceSource('snapshot', [], []);
    expect(await s.allEdges()).toEqual([exposes]);
    expect(await s.sources()).toEqual(['graphql:api:default/reports-graphql']);
  });

  it('keeps node details, later writers winning, and drops nodes no edge mentions', async () => {
    const { store: s } = await store();
    await s.replaceSource(
      'catalog',
      [conforms],
      [
        {
          id: 'Contract:Asset@v2',
          kind: 'contract',
          label: 'Asset@v2',
          attributes: { version: '2' },
        },
        { id: 'Tenant:acme', kind: 'tenant', label: 'acme' },
      ],
    );
    expect(await s.nodes(['Contract:Asset@v2'])).toEqual([
      {
        id: 'Contract:Asset@v2',
        kind: 'contract',
        label: 'Asset@v2',
        attributes: { version: '2' },
      },
    ]);
    expect(await s.dropOrphanNodes()).toBe(1);
    expect((await s.allNodes()).map(n => n.id)).toEqual(['Contract:Asset@v2']);
  });

  it('the migration goes down and up again', async () => {
    const { knex } = await store();
    const directory = path.resolve(__dirname, '../../migrations');
    await knex.migrate.down({ directory, name: '20261126100000_lineage.js' });
    expect(await knex.schema.hasTable('conductor_lineage_edges')).toBe(false);
    await knex.migrate.up({ directory, name: '20261126100000_lineage.js' });
    expect(await knex.schema.hasTable('conductor_lineage_edges')).toBe(true);
  });

  it('replaces the operations of one client and counts what was added and removed', async () => {
    const { store: s } = await store();
    const op = (file: string) => ({
      file,
      text: `query ${file.replace(/\W/g, '')} { a }`,
      tenants: ['acme'],
      source: 'ci:pipeline',
    });
    expect(
      await s.replaceOperations('api:default/orders-graphql', 'checkout-web', [
        op('A.graphql'),
        op('B.graphql'),
      ]),
    ).toEqual({ added: 2, removed: 0 });
    await s.replaceOperations('api:default/orders-graphql', 'reports-api', [
      op('C.graphql'),
    ]);
    expect(
      await s.replaceOperations('api:default/orders-graphql', 'checkout-web', [
        op('B.graphql'),
        op('D.graphql'),
      ]),
    ).toEqual({ added: 1, removed: 1 });
    const ops = await s.operationsFor('api:default/orders-graphql');
    expect(ops.map(o => `${o.client}/${o.file}`)).toEqual([
      'checkout-web/B.graphql',
      'checkout-web/D.graphql',
      'reports-api/C.graphql',
    ]);
    expect(ops[0]).toMatchObject({
      apiRef: 'api:default/orders-graphql',
      tenants: ['acme'],
      source: 'ci:pipeline',
    });
    expect(await s.operationClientsOf('ci:pipeline')).toHaveLength(2);
  });
});
