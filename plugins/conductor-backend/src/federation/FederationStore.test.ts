import { TestDatabases } from '@backstage/backend-test-utils';
import { FederationRepository } from '@internal/plugin-conductor-common';
import path from 'node:path';
import { applyDatabaseMigrations } from '../shared/migrations';
import { FederationStore } from './FederationStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const repo = (
  name: string,
  version: string | undefined,
  status: FederationRepository['status'],
): FederationRepository => ({
  entityRef: `component:default/${name}`,
  status,
  version,
  ref: version,
  drift: version
    ? {
        latest: 'v1.2.0',
        versionsBehind: version === 'v1.2.0' ? 0 : 2,
        gatesAddedSince: [],
        gatesPresent: ['lint'],
        gatesMissing: [],
      }
    : undefined,
  errors: [],
  scannedAt: '2026-11-26T10:00:00.000Z',
});

describe.each(databases.eachSupportedId())(
  'FederationStore on %p',
  databaseId => {
    async function store() {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations({ getClient: async () => knex } as any);
      return { knex, store: new FederationStore(knex) };
    }

    it('keeps the last scan per repository and one adoption row per repository and day', async () => {
      const { store: s } = await store();
      await s.saveScan(
        [repo('a', 'v1.0.0', 'mismatch'), repo('b', 'v1.2.0', 'current')],
        '2026-11-25',
        true,
      );
      await s.saveScan(
        [repo('a', 'v1.2.0', 'current'), repo('b', 'v1.2.0', 'current')],
        '2026-11-26',
        true,
      );
      // a second scan the same day replaces that day's row
      await s.saveScan(
        [repo('a', 'v1.2.0', 'current'), repo('b', undefined, 'unreadable')],
        '2026-11-26',
        true,
      );
      expect(
        (await s.repositories()).map(r => [r.entityRef, r.status, r.version]),
      ).toEqual([
        ['component:default/a', 'current', 'v1.2.0'],
        ['component:default/b', 'unreadable', undefined],
      ]);
      expect((await s.repository('component:default/a'))?.scannedAt).toBe(
        '2026-11-26T10:00:00.000Z',
      );
      const all = new Set(['component:default/a', 'component:default/b']);
      expect(await s.adoption('2026-11-01', all)).toEqual([
        {
          day: '2026-11-25',
          byVersion: { 'v1.0.0': 1, 'v1.2.0': 1 },
          total: 2,
        },
        {
          day: '2026-11-26',
          byVersion: { 'v1.2.0': 1, unreadable: 1 },
          total: 2,
        },
      ]);
      // only the repositories the caller may read, and only since the given day
      expect(
        await s.adoption('2026-11-26', new Set(['component:default/a'])),
      ).toEqual([{ day: '2026-11-26', byVersion: { 'v1.2.0': 1 }, total: 1 }]);
    });

    it('a full scan drops repositories no longer in the catalog; history stays', async () => {
      const { store: s } = await store();
      await s.saveScan(
        [repo('a', 'v1.0.0', 'mismatch'), repo('gone', 'v1.2.0', 'current')],
        '2026-11-25',
        true,
      );
      await s.saveScan([repo('a', 'v1.0.0', 'mismatch')], '2026-11-26', true);
      expect((await s.repositories()).map(r => r.entityRef)).toEqual([
        'component:default/a',
      ]);
      expect(await s.repository('component:default/gone')).toBeUndefined();
      expect(
        (await s.adoption('2026-11-25', new Set(['component:default/gone'])))[0]
          .byVersion,
      ).toEqual({ 'v1.2.0': 1 });
    });

    it('migrates down and up again', async () => {
      const { knex } = await store();
      const directory = path.resolve(__dirname, '../../migrations');
      await knex.migrate.down({
        directory,
        name: '20261126140000_federation_repositories.js',
      });
      expect(
        await knex.schema.hasTable('conductor_federation_repositories'),
      ).toBe(false);
      await knex.migrate.up({
        directory,
        name: '20261126140000_federation_repositories.js',
      });
      expect(await knex.schema.hasTable('conductor_federation_adoption')).toBe(
        true,
      );
    });
  },
);
