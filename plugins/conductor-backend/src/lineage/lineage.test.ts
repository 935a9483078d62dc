import { Entity } from '@backstage/catalog-model';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { CI_TOKEN, serveFolder, startConductor } from '../__testUtils__';

jest.setTimeout(60_000);

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const LINEAGE = path.join(EXAMPLES, 'lineage');
const auth = { Authorization: `Bearer ${CI_TOKEN}` };
const later = {
  frequency: { hours: 24 },
  timeout: { minutes: 1 },
  initialDelay: { hours: 24 },
};

/** The demo catalog, its lineage annotations pointing at a server of `root`. */
function demoEntities(base: string): Entity[] {
  const text = fs
    .readFileSync(path.join(EXAMPLES, 'entities.yaml'), 'utf8')
    .replaceAll('http://localhost:7007/api/demo-repos/lineage/', `${base}/`);
  return parseAllDocuments(text)
    .map(d => d.toJSON())
    .filter(Boolean)
    .map((e: Entity) => ({
      ...e,
      metadata: { namespace: 'default', ...e.metadata },
    }));
}

function change(name: string) {
  return fs.readFileSync(path.join(LINEAGE, 'changes', name), 'utf8');
}

async function cli(server: http.Server, argv: string[]) {
  const { port } = server.address() as { port: number };
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConductor(
    ['--url', `http://127.0.0.1:${port}`, '--token', CI_TOKEN, ...argv],
    { out: l => out.push(l), err: l => err.push(l) },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lineage through the conductor plugin', () => {
  let folder: { server: http.Server; base: string };
  let conductor: { server: http.Server; stop: () => Promise<void> };
  let root: string;

  beforeAll(async () => {
    // a copy of examples/lineage, so one test can break a contract
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-http-'));
    fs.cpSync(LINEAGE, root, { recursive: true });
    folder = await serveFolder(root);
    conductor = await startConductor({
      entities: demoEntities(folder.base),
      realAuth: true,
      urlReader: true,
      ciSubject: 'orders-pipeline',
      backend: { reading: { allow: [{ host: new URL(folder.base).host }] } },
      conductor: { lineage: { ingest: { schedule: later } } },
    });
  });

  afterAll(async () => {
    await conductor?.stop();
    folder?.server.close();
  });

  it('ingests the demo catalog, manifests, contracts and operations', async () => {
    const res = await request(conductor.server)
      .post('/api/conductor/lineage/ingest')
      .set(auth)
      .expect(200);
    expect(res.body.problems).toEqual([]);
    expect(res.body.nodes).toBeGreaterThan(100);
    expect(res.body.added).toBe(res.body.edges);

    const snapshot = await request(conductor.server)
      .get('/api/conductor/lineage/snapshot')
      .set(auth)
      .expect(200);
    // the seed's record, and contract → type → resolver → policy
    expect(snapshot.body.edges).toEqual(
      expect.arrayContaining([
        {
          from: 'Contract:Asset@v2',
          to: 'GraphQL:reports-graphql/Asset',
          type: 'conformsTo',
        },
        {
          from: 'Resolver:reports-graphql/Query.assets',
          to: 'GraphQL:reports-graphql/Query.assets',
          type: 'resolves',
        },
        {
          from: 'Resolver:reports-graphql/Query.assets',
          to: 'Policy:tenant-isolation',
          type: 'governedBy',
        },
        {
          from: 'Resolver:reports-graphql/Query.assets',
          to: 'Contract:Asset@v2',
          type: 'reads',
        },
        {
          from: 'component:default/checkout-web',
          to: 'api:default/orders-graphql',
          type: 'consumes',
        },
        {
          from: 'GraphQL:orders-graphql/Order.totalCents',
          to: 'Operation:orders-graphql/checkout-web/OrderDetails.graphql',
          type: 'usedBy',
        },
        {
          from: 'Operation:reports-graphql/insights-web/DailyReport.graphql',
          to: 'Tenant:acme',
          type: 'servesTenant',
        },
        {
          from: 'GraphQL:reports-graphql/Period.DAY',
          to: 'Operation:reports-graphql/insights-web/DailyReport.graphql',
          type: 'usedBy',
        },
      ]),
    );
    const events = await request(conductor.server)
      .get('/api/conductor/lineage/events?limit=5')
      .set(auth)
      .expect(200);
    expect(events.body.events).toHaveLength(5);
    expect(events.body.events[0]).toMatchObject({ change: 'added' });

    // a second ingest of the same inputs changes nothing
    const again = await request(conductor.server)
      .post('/api/conductor/lineage/ingest')
      .set(auth)
      .expect(200);
    expect([again.body.added, again.body.removed]).toEqual([0, 0]);
  });

  it('serves an entity neighbourhood, capped and marked partial when cut', async () => {
    const res = await request(conductor.server)
      .get('/api/conductor/lineage/graph/api/default/reports-graphql?depth=1')
      .set(auth)
      .expect(200);
    const ids = res.body.nodes.map((n: { id: string }) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'api:default/reports-graphql',
        'component:default/reports-api',
        'component:default/insights-web',
        'system:default/insights',
        'GraphQL:reports-graphql/Asset',
      ]),
    );
    expect(res.body.partial).toBe(true);
    expect(
      res.body.nodes.find(
        (n: any) => n.id === 'component:default/insights-web',
      ),
    ).toMatchObject({
      kind: 'service',
      label: 'insights-web',
    });
    const capped = await request(conductor.server)
      .get(
        '/api/conductor/lineage/graph/system/default/insights?depth=6&maxNodes=10',
      )
      .set(auth)
      .expect(200);
    expect(capped.body.nodes).toHaveLength(10);
    expect(capped.body).toMatchObject({
      partial: true,
      partialReason: 'nodes',
    });
    await request(conductor.server)
      .get('/api/conductor/lineage/graph/api/default/nope?depth=1')
      .set(auth)
      .expect(404);
  });

  it('the blast radius of a picked contract reaches its type, fields, operations and tenants', async () => {
    const res = await request(conductor.server)
      .get('/api/conductor/lineage/radius/api/default/reports-graphql')
      .query({ node: 'Contract:Asset@v2' })
      .set(auth)
      .expect(200);
    const ids = res.body.nodes.map((n: { id: string }) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'GraphQL:reports-graphql/Asset.name',
        'Operation:reports-graphql/export-worker/MonthlyExport.graphql',
        'component:default/export-worker',
        'Tenant:globex',
        'Resolver:reports-graphql/Query.assets',
      ]),
    );
    expect(ids).not.toContain('component:default/insights-web');
  });

  it('blast radius against the registered operations: services, tenants, and what the walk reaches', async () => {
    const res = await request(conductor.server)
      .post('/api/conductor/lineage/blast-radius')
      .set(auth)
      .send({
        entityRef: 'api:default/orders-graphql',
        headSdl: change('orders-remove-total-cents.graphql'),
      })
      .expect(200);
    expect(
      res.body.impactedOperations.map((o: any) => [
        o.client,
        o.operationName,
        o.changes,
      ]),
    ).toEqual([
      ['checkout-web', 'OrderDetails', ['Order.totalCents']],
      ['reports-api', 'TenantOrders', ['Order.totalCents']],
    ]);
    expect(res.body.services).toEqual([
      'component:default/checkout-web',
      'component:default/reports-api',
    ]);
    expect(res.body.tenants).toEqual(['acme', 'globex', 'initech']);
    expect(res.body.reached.map((n: any) => n.id).sort()).toEqual([
      'Contract:Order@v3',
      'Policy:pci-amounts',
    ]);
    expect(res.body.gate.failed).toBe(true);
    expect(res.body.partial).toBe(false);

    const items = await request(conductor.server)
      .post('/api/conductor/lineage/blast-radius')
      .set(auth)
      .send({
        entityRef: 'api:default/orders-graphql',
        headSdl: change('orders-line-items.graphql'),
      })
      .expect(200);
    expect(items.body.services).toEqual([
      'component:default/checkout-web',
      'component:default/ingest-worker',
    ]);
    expect(items.body.tenants).toEqual(['acme', 'globex', 'initech']);
    expect(items.body.reached.map((n: any) => n.id).sort()).toEqual([
      'Contract:Order@v3',
      'Resolver:orders-graphql/Order.items',
      'Test:order-resolver-test',
    ]);

    const day = await request(conductor.server)
      .post('/api/conductor/lineage/blast-radius')
      .set(auth)
      .send({
        entityRef: 'api:default/reports-graphql',
        headSdl: change('reports-remove-day.graphql'),
      })
      .expect(200);
    expect(
      day.body.impactedOperations.map((o: any) => o.operationName),
    ).toEqual(['DailyReport']);
    expect(day.body.services).toEqual(['component:default/insights-web']);
    expect(day.body.tenants).toEqual(['acme']);
  });

  it('a new contract version: the fields exposing a changed property, the operations reading them, services and tenants', async () => {
    const v2 = JSON.parse(
      fs.readFileSync(
        path.join(LINEAGE, 'contracts', 'asset.v2.schema.json'),
        'utf8',
      ),
    );
    const v3 = JSON.parse(JSON.stringify(v2));
    delete v3.properties.name;
    v3.required = ['id', 'owner'];
    const res = await request(conductor.server)
      .post('/api/conductor/lineage/contract-blast-radius')
      .set(auth)
      .send({ contract: 'Contract:Asset@v2', baseSchema: v2, headSchema: v3 })
      .expect(200);
    expect(res.body.types).toEqual(['GraphQL:reports-graphql/Asset']);
    expect(
      res.body.changes.map((c: any) => [
        c.type,
        c.path,
        c.criticality,
        c.fields,
      ]),
    ).toEqual([
      [
        'PROPERTY_REMOVED',
        'name',
        'breaking',
        ['GraphQL:reports-graphql/Asset.name'],
      ],
    ]);
    expect(res.body.operations).toEqual([
      'Operation:reports-graphql/export-worker/MonthlyExport.graphql',
    ]);
    expect(res.body.services).toEqual(['component:default/export-worker']);
    expect(res.body.tenants).toEqual(['globex', 'initech']);
    expect(res.body.reached).toEqual([
      'Policy:tenant-isolation',
      'Resolver:reports-graphql/Query.assets',
      'Test:asset-contract-test',
    ]);
    expect(res.body.changes[0].mitigation.map((m: any) => m.kind)).toEqual([
      'deprecation-window',
      'waves',
    ]);
    expect(res.body.gate.failed).toBe(true);
    const bad = await request(conductor.server)
      .post('/api/conductor/lineage/contract-blast-radius')
      .set(auth)
      .send({
        contract: 'Contract:Asset@v2',
        baseSchema: v2,
        headSchema: { type: 'objekt' },
      })
      .expect(400);
    expect(bad.body.error.message).toMatch(
      /^headSchema: not a valid JSON Schema: /,
    );
  });

  it('the CLI asks the backend for an entity, and pushes operations CI registers', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-push-'));
    fs.writeFileSync(
      path.join(dir, 'Totals.graphql'),
      'query Totals($id: ID!) { order(id: $id) { totalCents } }\n',
    );
    const push = await cli(conductor.server, [
      'lineage',
      'operations',
      'push',
      '--entity',
      'api:default/orders-graphql',
      '--client',
      'mobile-app',
      '--tenants',
      'hooli',
      '--dir',
      dir,
    ]);
    expect(push).toEqual({
      code: 0,
      out: 'mobile-app → api:default/orders-graphql: 1 operation(s) registered (1 added, 0 removed)',
      err: '',
    });

    const base = path.join(LINEAGE, 'schemas', 'orders-graphql.graphql');
    const r = await cli(conductor.server, [
      'blast-radius',
      '--base',
      base,
      '--head',
      path.join(LINEAGE, 'changes', 'orders-remove-total-cents.graphql'),
      '--entity',
      'api:default/orders-graphql',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(report.services).toEqual([
      'component:default/checkout-web',
      'component:default/reports-api',
      'mobile-app',
    ]);
    expect(report.tenants).toEqual(['acme', 'globex', 'hooli', 'initech']);
    const ok = await cli(conductor.server, [
      'blast-radius',
      '--base',
      base,
      '--head',
      path.join(LINEAGE, 'changes', 'orders-deprecate-total-cents.graphql'),
      '--entity',
      'api:default/orders-graphql',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('## Blast radius of api:default/orders-graphql');
    // the operation is in the graph at once
    const radius = await request(conductor.server)
      .get('/api/conductor/lineage/radius/api/default/orders-graphql')
      .query({ node: 'GraphQL:orders-graphql/Order.totalCents' })
      .set(auth)
      .expect(200);
    const reached = radius.body.nodes.map((n: any) => n.id);
    expect(reached).toEqual(
      expect.arrayContaining(['Client:mobile-app', 'Tenant:hooli']),
    );
    // It reaches the services a change breaks and stops there, as a schema
    // check does: nothing of reports-api's own API lights up.
    expect(reached).toContain('component:default/reports-api');
    expect(
      reached.filter((id: string) => id.startsWith('GraphQL:reports-graphql')),
    ).toEqual([]);
  });

  it('bad input: 400 naming the field and line:column, 404 for an unknown entity, nothing stored', async () => {
    const before = await request(conductor.server)
      .get('/api/conductor/lineage/snapshot')
      .set(auth);
    const bad = await request(conductor.server)
      .post('/api/conductor/lineage/blast-radius')
      .set(auth)
      .send({
        entityRef: 'api:default/orders-graphql',
        headSdl: 'type Query {\n  a: \n}',
      })
      .expect(400);
    expect(bad.body.error.message).toBe(
      'headSdl:3:1: Syntax Error: Expected Name, found "}".',
    );
    await request(conductor.server)
      .post('/api/conductor/lineage/blast-radius')
      .set(auth)
      .send({ entityRef: 'api:default/nope', headSdl: 'type Query { a: Int }' })
      .expect(404);
    const push = await request(conductor.server)
      .post('/api/conductor/lineage/operations')
      .set(auth)
      .send({
        entityRef: 'api:default/orders-graphql',
        client: 'web',
        operations: [{ file: 'A.graphql', text: 'query {' }],
      })
      .expect(400);
    expect(push.body.error.message).toBe(
      'A.graphql:1:8: Syntax Error: Expected Name, found <EOF>.',
    );
    const snapshot = await request(conductor.server)
      .post('/api/conductor/lineage/snapshot')
      .set(auth)
      .send({
        edges: [
          {
            from: 'Contract:Asset@v2',
            to: 'GraphQL:Asset',
            type: 'conformsTo',
          },
          { from: 'x', to: 'Tenant:a', type: 'usedBy' },
        ],
      })
      .expect(400);
    expect(snapshot.body.error.message).toContain(
      'edges[1].from: "x" is not a lineage node id',
    );
    const after = await request(conductor.server)
      .get('/api/conductor/lineage/snapshot')
      .set(auth);
    expect(after.body.edges).toEqual(before.body.edges);
  });

  it('a contract that is not valid JSON Schema is named, and that manifest keeps its stored edges', async () => {
    fs.writeFileSync(
      path.join(root, 'contracts', 'asset.v2.schema.json'),
      '{ "type": "objekt" }',
    );
    const res = await request(conductor.server)
      .post('/api/conductor/lineage/ingest')
      .set(auth)
      .expect(200);
    expect(res.body.problems).toEqual([
      expect.stringMatching(
        /^component:default\/reports-api: reports-api\.yaml: contracts\[1\]\.schema \.\.\/contracts\/asset\.v2\.schema\.json: not a valid JSON Schema: /,
      ),
    ]);
    expect(res.body.removed).toBe(0);
    const snapshot = await request(conductor.server)
      .get('/api/conductor/lineage/snapshot')
      .set(auth);
    expect(snapshot.body.edges).toContainEqual({
      from: 'Contract:Asset@v2',
      to: 'GraphQL:reports-graphql/Asset',
      type: 'conformsTo',
    });
  });

  it('only a service token pushes operations', async () => {
    await request(conductor.server)
      .post('/api/conductor/lineage/operations')
      .send({
        entityRef: 'api:default/orders-graphql',
        client: 'web',
        operations: [],
      })
      .expect(401);
    const stored = await request(conductor.server)
      .post('/api/conductor/lineage/blast-radius')
      .set(auth)
      .send({
        entityRef: 'api:default/orders-graphql',
        headSdl: change('orders-remove-total-cents.graphql'),
      });
    expect(
      stored.body.impactedOperations.map((o: any) => o.client),
    ).not.toContain('web');
  });
});
