import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  permissionsThatSay,
  routerTestApp,
} from '../__testUtils__/routerTestApp';
import { BundleService } from './BundleService';
import { StoredBundle } from './BundleStore';
import { createBundleRouter } from './router';

const stored = (id: number, entityRefs: string[]): StoredBundle => ({
  id,
  scope: { kind: 'all' },
  entityRefs,
  since: null,
  createdAt: '2026-11-26T10:00:00.000Z',
  createdBy: 'user:default/admin',
  keyId: 'k'.repeat(64),
  fileCount: 3,
  sizeBytes: 10,
  archiveSha256: 'a'.repeat(64),
});

function setup(permissions = permissionsThatSay(true)) {
  const bundles = {
    entitiesOf: jest.fn(async () => ['component:default/a']),
    create: jest.fn(async () => ({ id: 1 })),
    list: jest.fn(async () => [
      stored(2, ['component:default/a', 'component:default/secret']),
      stored(1, ['component:default/a']),
    ]),
    get: jest.fn(async (id: number) =>
      id === 2
        ? stored(2, ['component:default/a', 'component:default/secret'])
        : undefined,
    ),
    archive: jest.fn(async () => 'archive\n'),
  };
  const app = routerTestApp(
    createBundleRouter({
      httpAuth: mockServices.httpAuth(),
      permissions,
      bundles: bundles as unknown as BundleService,
    }),
  );
  return { app, bundles };
}

const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

describe('bundle router', () => {
  it('creates only with conductor.bundle.create, collecting nothing otherwise', async () => {
    const denied = setup(permissionsThatSay(false));
    const res = await request(denied.app)
      .post('/')
      .set(alice)
      .send({ all: true })
      .expect(403);
    expect(res.body.error.message).toBe(
      'Creating evidence bundles is for admins (conductor.bundle.create)',
    );
    expect(denied.bundles.create).not.toHaveBeenCalled();
    const allowed = setup();
    await request(allowed.app)
      .post('/')
      .set(alice)
      .send({ entityRef: 'Component:default/A', since: '2026-11-01T00:00:00Z' })
      .expect(201);
    expect(allowed.bundles.create).toHaveBeenCalledWith(
      { kind: 'entity', entityRef: 'component:default/a' },
      ['component:default/a'],
      new Date('2026-11-01T00:00:00Z'),
      'user:default/alice',
    );
  });

  it('lists and serves only bundles whose every entity the caller may read', async () => {
    // Evidence read on component:default/a only; not on the secret one, not create.
    const permissions = mockServices.permissions.mock({
      // A decision per entity (as "entities your team owns" would be).
      authorizeConditional: async (queries: any[]) =>
        queries.map(() => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: ['group:default/a-team'] },
          },
        })),
      authorize: async (requests: any[]) =>
        requests.map(r => ({
          result:
            r.resourceRef === 'component:default/a'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    } as any);
    const { app } = setup(permissions as any);
    const list = await request(app).get('/').set(alice).expect(200);
    expect(list.body.canCreate).toBe(false);
    expect(list.body.bundles.map((b: any) => [b.id, b.downloadPath])).toEqual([
      [1, '/bundles/1/download'],
    ]);
    expect(list.body.bundles[0].entityRefs).toBeUndefined();
    await request(app).get('/2/download').set(alice).expect(404);
    await request(app).get('/x/download').set(alice).expect(400);
  });

  it('serves the archive as stored, as an attachment', async () => {
    const { app } = setup();
    const res = await request(app).get('/2/download').set(alice).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="conductor-bundle-2.jsonl"',
    );
    expect(res.text).toBe('archive\n');
  });
});
