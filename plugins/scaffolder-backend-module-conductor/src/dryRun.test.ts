import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { renderGoldenPath, templatesRoot } from '@internal/create-ig';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderModuleConductor } from './module';

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: 'group:default/payments' },
  },
];

function template(name: string) {
  return parse(
    fs.readFileSync(path.join(templatesRoot(), name, 'template.yaml'), 'utf8'),
  );
}

describe('golden paths through the scaffolder dry-run API', () => {
  const remoteBase = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-remotes-'));
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleConductor,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: { conductor: { goldenPaths: { git: { remoteBase } } } },
        }),
      ],
    });
    server = backend.server;
  });
  afterAll(() => fs.rmSync(remoteBase, { recursive: true, force: true }));

  const dryRun = (name: string, values: object) =>
    request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template: template(name), values, directoryContents: [] });

  it.each([
    ['create-ig-service', { slaRead: 350, slaWrite: 700 }],
    ['create-ig-worker', {}],
    ['create-ig-frontend', {}],
  ])(
    '%s renders exactly what the npx command renders; publishing is skipped',
    async (name, extra) => {
      const values = {
        name: 'orders-api',
        description: 'Orders',
        owner: 'group:default/payments',
        system: 'checkout',
        ...extra,
      };
      const res = await dryRun(name, values);
      expect(res.status).toBe(200);
      const rendered = Object.fromEntries(
        res.body.directoryContents.map((f: any) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ]),
      );
      const npx = await renderGoldenPath({
        template: name as any,
        input: values,
      });
      expect(rendered).toEqual(
        Object.fromEntries(npx.files.map(f => [f.path, f.content])),
      );
      const log = res.body.log.map((l: any) => l.body.message).join('\n');
      expect(log).toContain(`Rendered ${name} for orders-api`);
      expect(log).toContain(
        'Skipping because publish:git does not support dry-run',
      );
      expect(log).toContain('Would register component:default/orders-api from');
      expect(res.body.output.links).toEqual([
        {
          title: 'Open in the catalog',
          icon: 'catalog',
          entityRef: 'component:default/orders-api',
        },
      ]);
      expect(fs.readdirSync(remoteBase)).toEqual([]);
    },
  );

  it('refuses an owner that is not a group of the catalog, with the reason', async () => {
    const res = await dryRun('create-ig-service', {
      name: 'orders-api',
      owner: 'group:default/ghosts',
      system: 'checkout',
      slaRead: 350,
      slaWrite: 700,
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: 'owner: group:default/ghosts is not a group in the catalog',
    });
  });

  it('refuses parameters out of bounds before any step runs', async () => {
    const res = await dryRun('create-ig-service', {
      name: 'Orders_API',
      owner: 'group:default/payments',
      system: 'checkout',
      slaRead: 350,
      slaWrite: 700,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.stack)).toEqual([
      'instance.name does not match pattern "^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"',
    ]);
    const sla = await dryRun('create-ig-service', {
      name: 'orders-api',
      owner: 'group:default/payments',
      system: 'checkout',
      slaRead: 5,
      slaWrite: 700,
    });
    expect(sla.status).toBe(400);
    expect(sla.body.errors.map((e: any) => e.stack)).toEqual([
      'instance.slaRead must be greater than or equal to 10',
    ]);
  });
});
