import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { templatesRoot } from '@internal/create-ig';
import express from 'express';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { scaffolderModuleConductor } from './module';
import { catalogModuleGoldenPathLocations } from './catalogModule';

jest.setTimeout(120_000);

/** Stands in for Conductor's evidence API: records what the action pushes. */
const pushes: { auth?: string; body: any }[] = [];
let collections = 0;
const fakeConductor = createBackendPlugin({
  pluginId: 'conductor',
  register(reg) {
    reg.registerInit({
      deps: { http: coreServices.httpRouter, httpAuth: coreServices.httpAuth },
      async init({ http, httpAuth }) {
        const router = express.Router();
        router.use(express.json());
        router.post('/evidence', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['service'],
          });
          pushes.push({
            auth: (credentials.principal as any).subject,
            body: req.body,
          });
          res.status(201).json({ accepted: req.body.facts.length });
        });
        router.post('/evidence/collect', async (_req, res) => {
          collections++;
          res.json({ entities: 1 });
        });
        http.use(router);
      },
    });
  },
});

describe('a real task: render, publish:git, register', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-task-'));
  const remoteBase = path.join(root, 'remotes');
  const definitionsDir = path.join(root, 'slo');
  const org = path.join(root, 'org.yaml');
  fs.writeFileSync(
    org,
    `apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: checkout }
spec: { owner: group:default/payments }
`,
  );
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('publishes to a bare git repository, registers the component from it, its SLO file and its first evidence', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleTemplateKind,
        catalogModuleGoldenPathLocations,
        scaffolderPlugin,
        scaffolderModuleConductor,
        fakeConductor,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'API',
                    'Group',
                    'System',
                    'Location',
                    'Template',
                  ],
                },
              ],
              locations: [
                { type: 'file', target: org },
                {
                  type: 'file',
                  target: path.join(
                    templatesRoot(),
                    'create-ig-service',
                    'template.yaml',
                  ),
                },
              ],
              processingInterval: { seconds: 1 },
            },
            conductor: {
              goldenPaths: { git: { remoteBase }, catalogWaitSeconds: 60 },
              slo: { definitionsDir },
            },
          },
        }),
      ],
    });
    const auth = mockCredentials.user.header();
    const waitFor = async (url: string) => {
      for (let i = 0; i < 120; i++) {
        const res = await request(server).get(url).set('Authorization', auth);
        if (res.status === 200) return res.body;
        await new Promise(r => setTimeout(r, 500));
      }
      throw new Error(`${url}: not there after 60 s`);
    };
    await waitFor(
      '/api/catalog/entities/by-name/template/default/create-ig-service',
    );
    await waitFor('/api/catalog/entities/by-name/group/default/payments');

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', auth)
      .send({
        templateRef: 'template:default/create-ig-service',
        values: {
          name: 'orders-api',
          owner: 'group:default/payments',
          system: 'checkout',
          slaRead: 350,
          slaWrite: 700,
        },
      });
    expect(created.status).toBe(201);
    let task: any;
    for (let i = 0; i < 200; i++) {
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('Authorization', auth)
      ).body;
      if (task.status === 'completed' || task.status === 'failed') break;
      await new Promise(r => setTimeout(r, 500));
    }
    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', auth);
    const log = events.body
      .map((e: any) => e.body?.message)
      .filter(Boolean)
      .join('\n');
    expect({ status: task.status, log }).toEqual({
      status: 'completed',
      log: expect.stringContaining(
        'First evidence of component:default/orders-api: policy.coverage=1',
      ),
    });

    // The repository, as anyone would clone it.
    const remote = path.join(remoteBase, 'orders-api.git');
    const clone = path.join(root, 'clone');
    execFileSync('git', ['clone', '--quiet', remote, clone]);
    expect(
      fs.readFileSync(path.join(clone, 'slo/orders-api.yaml'), 'utf8'),
    ).toContain('le="0.35"');
    // The component in the catalog, read from the checkout of that repository.
    const entity = await waitFor(
      '/api/catalog/entities/by-name/component/default/orders-api',
    );
    expect(entity.spec).toMatchObject({
      owner: 'group:default/payments',
      system: 'checkout',
    });
    expect(entity.metadata.annotations['conductor.io/slo-file']).toBe(
      'slo/orders-api.yaml',
    );
    // The SLO file where the SLO boards read it, and the first evidence.
    expect(
      fs.readFileSync(path.join(definitionsDir, 'slo/orders-api.yaml'), 'utf8'),
    ).toBe(fs.readFileSync(path.join(clone, 'slo/orders-api.yaml'), 'utf8'));
    expect(pushes).toEqual([
      {
        auth: 'plugin:scaffolder',
        body: {
          entityRef: 'component:default/orders-api',
          facts: [{ name: 'policy.coverage', value: 1 }],
        },
      },
    ]);
    expect(collections).toBe(1);
  });
});
