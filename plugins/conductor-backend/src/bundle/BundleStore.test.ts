import { TestDatabases } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from '../shared/migrations';
import { BundleStore } from './BundleStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('BundleStore on %s', databaseId => {
  it('stores archives whole, lists newest first without them, finds the previous bundle of a scope', async () => {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations({ getClient: async () => knex } as any);
    const store = new BundleStore(knex);
    const base = {
      entityRefs: ['component:default/orders-api'],
      since: null,
      createdBy: 'user:default/admin',
      keyId: 'k'.repeat(64),
      fileCount: 2,
      sizeBytes: 10,
      archiveSha256: 'a'.repeat(64),
    };
    const entity = {
      kind: 'entity' as const,
      entityRef: 'component:default/orders-api',
    };
    const first = await store.insert({
      ...base,
      scope: entity,
      createdAt: '2026-11-26T10:00:00.000Z',
      archive: 'one\n'.repeat(1000),
    });
    expect(await store.previousOfScope(entity)).toBe(first);
    expect(await store.previousOfScope({ kind: 'all' })).toBeUndefined();
    const second = await store.insert({
      ...base,
      scope: { kind: 'all' },
      since: '2026-11-01T00:00:00.000Z',
      createdAt: '2026-11-26T11:00:00.000Z',
      archive: 'two',
    });
    const list = await store.list(10);
    expect(list.map(b => [b.id, b.scope.kind, b.since])).toEqual([
      [second, 'all', '2026-11-01T00:00:00.000Z'],
      [first, 'entity', null],
    ]);
    expect(list[1]).toEqual({
      ...base,
      id: first,
      scope: entity,
      createdAt: '2026-11-26T10:00:00.000Z',
    });
    expect(await store.archive(first)).toBe('one\n'.repeat(1000));
    expect(await store.get(999)).toBeUndefined();
  });
});
