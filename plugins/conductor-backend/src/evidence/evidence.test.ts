import { Entity } from '@backstage/catalog-model';
// The CLI has no library entry point (its index runs it): the tests drive its program directly.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { CI_TOKEN, serveFolder, startConductor } from '../__testUtils__';

function component(
  name: string,
  extra: Partial<Entity['metadata']> = {},
  relations: Entity['relations'] = [],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...extra },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
    relations,
  };
}

describe('conductor backend plugin', () => {
  let repoRoot: string;
  let repoServer: { server: http.Server; base: string };

  beforeAll(async () => {
    repoRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-repos-'));
    fs.mkdirSync(path.join(repoRoot, 'orders-api/.github'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(repoRoot, 'orders-api/.github/CODEOWNERS'),
      '* @example/payments\n',
    );
    fs.writeFileSync(
      path.join(repoRoot, 'orders-api/sbom.cdx.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        metadata: { timestamp: '2026-11-20T08:00:00Z' },
        components: [{ name: 'a' }, { name: 'b' }],
      }),
    );
    fs.mkdirSync(path.join(repoRoot, 'orders-api/monitoring'));
    fs.writeFileSync(
      path.join(repoRoot, 'orders-api/monitoring/alerts.yaml'),
      'groups:\n  - name: orders-api\n    rules:\n      - alert: OrdersApiDown\n        expr: up{job="orders-api"} == 0\n',
    );
    fs.mkdirSync(path.join(repoRoot, 'refund-worker'));
    repoServer = await serveFolder(repoRoot);
  });
  afterAll(() => repoServer.server.close());

  async function start() {
    const entities: Entity[] = [
      component(
        'orders-api',
        {
          annotations: {
            'backstage.io/source-location': `url:${repoServer.base}/orders-api/`,
          },
          links: [
            {
              url: 'https://runbooks.example.com/orders-api',
              title: 'Runbook',
            },
          ],
        },
        [
          { type: 'ownedBy', targetRef: 'group:default/payments' },
          { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
          { type: 'dependsOn', targetRef: 'resource:default/orders-cache' },
        ],
      ),
      component(
        'refund-worker',
        {
          annotations: {
            'backstage.io/source-location': `url:${repoServer.base}/refund-worker/`,
          },
        },
        [{ type: 'ownedBy', targetRef: 'group:default/ghosts' }],
      ),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'orders-db',
          namespace: 'default',
          tags: ['retention:standard-365d'],
        },
        spec: { type: 'database', owner: 'payments' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'orders-cache', namespace: 'default' },
        spec: { type: 'cache', owner: 'payments' },
      },
    ];
    const { server } = await startConductor({
      entities,
      realAuth: true,
      ciSubject: 'orders-pipeline',
      urlReader: true,
      backend: {
        reading: { allow: [{ host: new URL(repoServer.base).host }] },
      },
    });
    return server;
  }

  const auth = { Authorization: `Bearer ${CI_TOKEN}` };

  it('stores facts pushed with a CI token and serves latest and history', async () => {
    const server = await start();
    await request(server)
      .post('/api/conductor/evidence')
      .set(auth)
      .send({
        entityRef: 'component:default/orders-api',
        facts: [
          {
            name: 'test.coverage',
            value: 0.7,
            observedAt: '2026-11-01T00:00:00Z',
          },
        ],
      })
      .expect(201);
    const pushed = await request(server)
      .post('/api/conductor/evidence')
      .set(auth)
      .send({
        entityRef: 'component:default/orders-api',
        facts: [
          { name: 'test.coverage', value: 0.83 },
          { name: 'k6.last_run', value: '2026-11-20T10:00:00Z' },
        ],
      });
    expect(pushed.status).toBe(201);
    expect(
      pushed.body.stored.map((f: any) => [f.name, f.value, f.source]),
    ).toEqual([
      ['test.coverage', 0.83, 'ci:orders-pipeline'],
      ['k6.last_run', '2026-11-20T10:00:00.000Z', 'ci:orders-pipeline'],
    ]);

    const latest = await request(server)
      .get('/api/conductor/evidence/component/default/orders-api')
      .set(auth)
      .expect(200);
    expect(latest.body.facts.map((f: any) => [f.name, f.value])).toEqual([
      ['k6.last_run', '2026-11-20T10:00:00.000Z'],
      ['test.coverage', 0.83],
    ]);
    const history = await request(server)
      .get(
        '/api/conductor/evidence/component/default/orders-api/history/test.coverage',
      )
      .set(auth)
      .expect(200);
    expect(history.body.history.map((f: any) => f.value)).toEqual([0.83, 0.7]);
  });

  it('answers bad input with 400/404/401 naming the field, and stores nothing', async () => {
    const server = await start();
    const wrongType = await request(server)
      .post('/api/conductor/evidence')
      .set(auth)
      .send({
        entityRef: 'component:default/orders-api',
        facts: [
          { name: 'sbom.coverage', value: 0.9 },
          { name: 'test.coverage', value: 'high' },
        ],
      });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toBe(
      'facts[1].value: test.coverage must be a number, got string',
    );

    const malformed = await request(server)
      .post('/api/conductor/evidence')
      .set(auth)
      .send({ entityRef: 42 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^entityRef: .*; facts: must be a non-empty list/,
    );

    const unknown = await request(server)
      .post('/api/conductor/evidence')
      .set(auth)
      .send({
        entityRef: 'component:default/nope',
        facts: [{ name: 'test.coverage', value: 0.5 }],
      });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'entityRef: component:default/nope is not in the catalog',
    );

    await request(server)
      .post('/api/conductor/evidence')
      .send({
        entityRef: 'component:default/orders-api',
        facts: [{ name: 'test.coverage', value: 0.5 }],
      })
      .expect(401);
    await request(server)
      .post('/api/conductor/evidence')
      .set({ Authorization: 'Bearer not-the-token' })
      .send({
        entityRef: 'component:default/orders-api',
        facts: [{ name: 'test.coverage', value: 0.5 }],
      })
      .expect(401);

    const latest = await request(server)
      .get('/api/conductor/evidence/component/default/orders-api')
      .set(auth)
      .expect(200);
    expect(latest.body.facts).toEqual([]);
    await request(server)
      .get('/api/conductor/evidence/component/default/orders-api')
      .expect(401);
  });

  it('collects catalog and repository evidence through the real UrlReader', async () => {
    const server = await start();
    const run = await request(server)
      .post('/api/conductor/evidence/collect')
      .set(auth)
      .expect(200);
    expect(run.body).toMatchObject({
      entities: 5,
      rejected: 0,
      failedCollectors: [],
    });

    const orders = await request(server)
      .get('/api/conductor/evidence/component/default/orders-api')
      .set(auth);
    const facts = Object.fromEntries(
      orders.body.facts.map((f: any) => [f.name, [f.value, f.source]]),
    );
    expect(facts).toEqual({
      'catalog.owner': ['group:default/payments', 'collector:catalog'],
      'catalog.owner_is_group': [true, 'collector:catalog'],
      'catalog.lifecycle': ['production', 'collector:catalog'],
      'catalog.provides_apis': [[], 'collector:catalog'],
      // Alert rules are committed; no dashboard export is.
      'alerts.defined': [true, 'collector:repository'],
      'dashboards.exported': [false, 'collector:repository'],
      'runbook.url': [
        'https://runbooks.example.com/orders-api',
        'collector:catalog',
      ],
      'resources.retention': [
        {
          'resource:default/orders-cache': null,
          'resource:default/orders-db': 'standard-365d',
        },
        'collector:catalog',
      ],
      'repo.codeowners': [true, 'collector:repository'],
      'sbom.present': [true, 'collector:repository'],
      'sbom.components': [2, 'collector:repository'],
      'sbom.generated_at': ['2026-11-20T08:00:00.000Z', 'collector:repository'],
    });

    const worker = await request(server)
      .get('/api/conductor/evidence/component/default/refund-worker')
      .set(auth);
    const workerFacts = Object.fromEntries(
      worker.body.facts.map((f: any) => [f.name, f.value]),
    );
    expect(workerFacts['catalog.owner_is_group']).toBe(false); // group:default/ghosts is not in the catalog
    expect(workerFacts['repo.codeowners']).toBe(false);
    expect(workerFacts['sbom.present']).toBe(false);
  });

  it('is driven by the conductor CLI, with exit codes CI can rely on', async () => {
    const server = await start();
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
    };

    expect(
      await runConductor(
        [
          '--url',
          url,
          '--token',
          CI_TOKEN,
          'evidence',
          'push',
          '--entity',
          'component:default/orders-api',
          '--fact',
          'test.coverage=0.91',
          '--fact',
          'mfa.enforced=true',
        ],
        io,
      ),
    ).toBe(0);
    expect(out).toEqual([
      'Recorded 2 fact(s) for component:default/orders-api:',
      '  test.coverage = 0.91 (number)',
      '  mfa.enforced = true (boolean)',
    ]);

    expect(
      await runConductor(
        [
          '--url',
          url,
          '--token',
          CI_TOKEN,
          'evidence',
          'push',
          '--entity',
          'component:default/orders-api',
          '--fact',
          'test.coverage=high',
        ],
        io,
      ),
    ).toBe(2);
    expect(err.pop()).toBe(
      'conductor: 400 facts[0].value: test.coverage must be a number, got string',
    );

    expect(
      await runConductor(
        [
          '--url',
          url,
          '--token',
          'wrong-token',
          'evidence',
          'get',
          '--entity',
          'component:default/orders-api',
        ],
        io,
      ),
    ).toBe(2);
    expect(err.pop()).toMatch(/^conductor: 401 /);

    expect(
      await runConductor(
        [
          '--url',
          'http://127.0.0.1:1',
          '--token',
          CI_TOKEN,
          'evidence',
          'get',
          '--entity',
          'component:default/orders-api',
        ],
        io,
      ),
    ).toBe(2);
    expect(err.pop()).toMatch(/^conductor: Cannot reach http:\/\/127.0.0.1:1/);

    out.length = 0;
    expect(
      await runConductor(
        [
          '--url',
          url,
          '--token',
          CI_TOKEN,
          'evidence',
          'get',
          '--entity',
          'component:default/orders-api',
        ],
        io,
      ),
    ).toBe(0);
    expect(out.map(l => l.split('  ')[0])).toEqual([
      'mfa.enforced = true',
      'test.coverage = 0.91',
    ]);
  });
});
