import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { computeBlastRadius } from './blastRadius';
import { formatBlastRadiusMarkdown } from './markdown';
import {
  operationSourcesFromFiles,
  parseClientsManifest,
  parseOperations,
} from './operations';
import { loadSchema } from './sdl';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const LINEAGE = path.join(EXAMPLES, 'lineage');

/** The demo APIs' SDL, as the catalog serves it. */
function demoApiSdl(name: string): string {
  const docs = parseAllDocuments(
    fs.readFileSync(path.join(EXAMPLES, 'entities.yaml'), 'utf8'),
  ).map(d => d.toJSON());
  const api = docs.find(d => d?.kind === 'API' && d.metadata.name === name);
  return api.spec.definition;
}

function demoOperations(api: string) {
  const dir = path.join(LINEAGE, 'operations', api);
  const files: Array<{ path: string; text: string }> = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else
        files.push({
          path: r,
          text: fs.readFileSync(path.join(dir, r), 'utf8'),
        });
    }
  };
  walk('');
  const clients = parseClientsManifest(
    fs.readFileSync(path.join(dir, 'clients.yaml'), 'utf8'),
  );
  return parseOperations(operationSourcesFromFiles(files, clients));
}

async function radius(api: string, change: string) {
  return computeBlastRadius({
    base: loadSchema(demoApiSdl(api), `${api}.graphql`),
    head: loadSchema(
      fs.readFileSync(path.join(LINEAGE, 'changes', change), 'utf8'),
      change,
    ),
    operations: demoOperations(api),
  });
}

describe('the demo files', () => {
  it('schemas/*.graphql are the catalog definitions of the demo APIs', () => {
    for (const api of [
      'orders-graphql',
      'payments-graphql',
      'accounts-graphql',
      'reports-graphql',
    ])
      expect(
        fs.readFileSync(
          path.join(LINEAGE, 'schemas', `${api}.graphql`),
          'utf8',
        ),
      ).toBe(demoApiSdl(api));
  });

  it('every demo operation is valid against its API today', async () => {
    for (const api of [
      'orders-graphql',
      'payments-graphql',
      'accounts-graphql',
      'reports-graphql',
    ]) {
      const schema = loadSchema(demoApiSdl(api), api);
      const report = await computeBlastRadius({
        base: schema,
        head: schema,
        operations: demoOperations(api),
      });
      expect(report.skippedOperations).toEqual([]);
      expect(report.changes).toEqual([]);
    }
  });

  it('reads clients and tenants from clients.yaml, narrowed by a # tenants: header', () => {
    const ops = demoOperations('orders-graphql');
    expect(
      ops.map(o => [o.key, o.client, o.service, o.tenants.join(',')]),
    ).toEqual([
      [
        'checkout-web/OrderDetails.graphql',
        'checkout-web',
        'component:default/checkout-web',
        'acme,globex,initech',
      ],
      [
        'checkout-web/OrderSummary.graphql',
        'checkout-web',
        'component:default/checkout-web',
        'acme,globex,initech',
      ],
      [
        'checkout-web/PlaceOrder.graphql',
        'checkout-web',
        'component:default/checkout-web',
        'acme,globex,initech',
      ],
      [
        'ingest-worker/OrderLines.graphql',
        'ingest-worker',
        'component:default/ingest-worker',
        'initech',
      ],
      [
        'reports-api/TenantOrders.graphql',
        'reports-api',
        'component:default/reports-api',
        'acme,globex',
      ],
    ]);
  });
});

describe('blast radius on the demo APIs', () => {
  it('field removal: exactly the operations selecting Order.totalCents', async () => {
    const r = await radius(
      'orders-graphql',
      'orders-remove-total-cents.graphql',
    );
    expect(
      r.changes.map(c => [c.type, c.path, c.criticality, c.usage]),
    ).toEqual([['FIELD_REMOVED', 'Order.totalCents', 'breaking', 'impacting']]);
    expect(
      r.impactedOperations.map(o => [o.file, o.operationName, o.changes]),
    ).toEqual([
      [
        'checkout-web/OrderDetails.graphql',
        'OrderDetails',
        ['Order.totalCents'],
      ],
      [
        'reports-api/TenantOrders.graphql',
        'TenantOrders',
        ['Order.totalCents'],
      ],
    ]);
    expect(r.services).toEqual([
      'component:default/checkout-web',
      'component:default/reports-api',
    ]);
    expect(r.tenants).toEqual(['acme', 'globex', 'initech']);
    expect(r.changes[0].mitigation.map(m => m.kind)).toEqual([
      'deprecation-window',
      'waves',
    ]);
    expect(r.changes[0].mitigation[1].step).toContain(
      'checkout-web, reports-api',
    );
    expect(r.gate.failed).toBe(true);
    expect(r.gate.reasons).toEqual([
      'Order.totalCents: FIELD_REMOVED reaches 2 service(s) (component:default/checkout-web, component:default/reports-api), more than 0, without a recorded mitigation',
    ]);
  });

  it('a field type change breaks the operations it invalidates and not those still valid', async () => {
    const r = await radius('orders-graphql', 'orders-line-items.graphql');
    const items = r.changes.find(c => c.path === 'Order.items')!;
    expect(items).toMatchObject({
      type: 'FIELD_TYPE_CHANGED',
      criticality: 'breaking',
    });
    // OrderSummary selects items { sku quantity }: still valid, so not impacted
    expect(items.selectedBy).toEqual([
      'checkout-web/OrderDetails.graphql',
      'checkout-web/OrderSummary.graphql',
      'ingest-worker/OrderLines.graphql',
    ]);
    expect(items.impactedOperations).toEqual([
      'checkout-web/OrderDetails.graphql',
      'ingest-worker/OrderLines.graphql',
    ]);
    expect(r.impactedOperations.map(o => [o.file, o.changes])).toEqual([
      ['checkout-web/OrderDetails.graphql', ['Order.items']],
      ['ingest-worker/OrderLines.graphql', ['Order.items']],
    ]);
    expect(r.impactedOperations[0].errors).toEqual([
      '9:7: Cannot query field "priceCents" on type "LineItem". Did you mean "price"?',
    ]);
    expect(r.services).toEqual([
      'component:default/checkout-web',
      'component:default/ingest-worker',
    ]);
    expect(r.tenants).toEqual(['acme', 'globex', 'initech']);
    expect(items.mitigation.map(m => m.kind)).toEqual(['shim', 'waves']);
    // OrderItem is gone, but what breaks is explained by Order.items
    expect(r.changes.find(c => c.path === 'OrderItem')).toMatchObject({
      type: 'TYPE_REMOVED',
      usage: 'used',
      impactedOperations: [],
    });
  });

  it('a new required argument breaks every operation calling the field', async () => {
    const r = await radius('orders-graphql', 'orders-required-status.graphql');
    expect(r.changes.map(c => [c.type, c.path, c.criticality])).toEqual([
      ['FIELD_ARGUMENT_ADDED', 'Query.ordersByTenant.status', 'breaking'],
    ]);
    expect(r.impactedOperations.map(o => [o.file, o.changes])).toEqual([
      ['ingest-worker/OrderLines.graphql', ['Query.ordersByTenant.status']],
      ['reports-api/TenantOrders.graphql', ['Query.ordersByTenant.status']],
    ]);
    expect(r.services).toEqual([
      'component:default/ingest-worker',
      'component:default/reports-api',
    ]);
    expect(r.tenants).toEqual(['acme', 'globex', 'initech']);
    expect(r.changes[0].mitigation[0]).toEqual({
      kind: 'shim',
      step: 'Add a shim: make `Query.ordersByTenant.status` optional with a default so operations that do not pass it keep working',
    });
  });

  it('a removed enum value breaks the operation passing it as a literal, not one passing another value or a variable', async () => {
    const r = await radius('reports-graphql', 'reports-remove-day.graphql');
    const day = r.changes.find(c => c.path === 'Period.DAY')!;
    expect(day).toMatchObject({
      type: 'ENUM_VALUE_REMOVED',
      criticality: 'breaking',
      usage: 'impacting',
    });
    expect(
      r.impactedOperations.map(o => [o.file, o.operationName, o.changes]),
    ).toEqual([
      ['insights-web/DailyReport.graphql', 'DailyReport', ['Period.DAY']],
    ]);
    expect(r.services).toEqual(['component:default/insights-web']);
    // DailyReport's header narrows insights-web's three tenants to acme
    expect(r.tenants).toEqual(['acme']);
    expect(r.summary.operationsChecked).toBe(3);
  });

  it('a removed field no operation selects is "breaking, unused" and passes the gate', async () => {
    const r = await radius('orders-graphql', 'orders-remove-tenant-id.graphql');
    expect(
      r.changes.map(c => [
        c.type,
        c.path,
        c.criticality,
        c.usage,
        c.selectedBy,
      ]),
    ).toEqual([['FIELD_REMOVED', 'Order.tenantId', 'breaking', 'unused', []]]);
    expect(r.impactedOperations).toEqual([]);
    expect(r.services).toEqual([]);
    expect(r.tenants).toEqual([]);
    expect(r.summary.breakingUnused).toBe(1);
    expect(r.gate).toEqual({ maxServices: 0, failed: false, reasons: [] });
    expect(formatBlastRadiusMarkdown(r)).toContain(
      "| breaking | `Order.tenantId` Field 'tenantId' was removed from object type 'Order' | breaking, unused | 0 | - |",
    );
  });

  it('a deprecation is safe, impacts nothing, and names the operations still using the field', async () => {
    const r = await radius(
      'orders-graphql',
      'orders-deprecate-total-cents.graphql',
    );
    expect(r.changes.map(c => [c.type, c.path, c.criticality])).toEqual([
      ['FIELD_DEPRECATION_ADDED', 'Order.totalCents', 'safe'],
    ]);
    expect(r.impactedOperations).toEqual([]);
    expect(r.services).toEqual([]);
    expect(r.tenants).toEqual([]);
    expect(r.changes[0].selectedBy).toEqual([
      'checkout-web/OrderDetails.graphql',
      'reports-api/TenantOrders.graphql',
    ]);
    expect(r.changes[0].mitigation).toEqual([
      {
        kind: 'deprecation-window',
        step: 'Keep the deprecation window open until the operations still using `Order.totalCents` (checkout-web/OrderDetails.graphql, reports-api/TenantOrders.graphql) have moved off it; remove it only when none use it',
      },
    ]);
    expect(r.gate.failed).toBe(false);
  });

  it('a recorded mitigation or a higher limit lets a breaking change through', async () => {
    const base = loadSchema(demoApiSdl('orders-graphql'), 'base.graphql');
    const head = loadSchema(
      fs.readFileSync(
        path.join(LINEAGE, 'changes', 'orders-remove-total-cents.graphql'),
        'utf8',
      ),
      'head.graphql',
    );
    const operations = demoOperations('orders-graphql');
    const mitigated = await computeBlastRadius({
      base,
      head,
      operations,
      mitigations: { 'Order.totalCents': 'deprecated since 2026-09, wave 2' },
    });
    expect(mitigated.gate.failed).toBe(false);
    expect(mitigated.changes[0].mitigated).toBe(
      'deprecated since 2026-09, wave 2',
    );
    expect(formatBlastRadiusMarkdown(mitigated)).toContain(
      '  - [x] Extend the deprecation window',
    );
    expect(
      (await computeBlastRadius({ base, head, operations, maxServices: 2 }))
        .gate.failed,
    ).toBe(false);
    expect(
      (await computeBlastRadius({ base, head, operations, maxServices: 1 }))
        .gate.failed,
    ).toBe(true);
  });

  it('an operation invalid against the old schema is reported, not judged', async () => {
    const schema = loadSchema(demoApiSdl('orders-graphql'), 'orders.graphql');
    const r = await computeBlastRadius({
      base: schema,
      head: schema,
      operations: parseOperations([
        { file: 'bad/Q.graphql', text: '{ order(id: 1) { nope } }' },
      ]),
    });
    expect(r.skippedOperations).toEqual([
      {
        file: 'bad/Q.graphql',
        operationName: '(anonymous)',
        reason:
          'invalid against the old schema: 1:18: Cannot query field "nope" on type "Order".',
      },
    ]);
  });

  it('an operation using a type the new schema removed is impacted, naming the type', async () => {
    const base = loadSchema(demoApiSdl('orders-graphql'), 'base.graphql');
    const head = loadSchema(
      demoApiSdl('orders-graphql')
        .replace(
          '  placeOrder(input: PlaceOrderInput!): Order!\n',
          '  placeOrder(tenantId: ID!): Order!\n',
        )
        .replace(/input PlaceOrderInput \{[^}]*\}\n/, ''),
      'head.graphql',
    );
    const r = await computeBlastRadius({
      base,
      head,
      operations: demoOperations('orders-graphql'),
    });
    const placeOrder = r.impactedOperations.find(
      o => o.operationName === 'PlaceOrder',
    )!;
    expect(placeOrder.errors).toContain(
      '1:29: Unknown type "PlaceOrderInput".',
    );
    expect(placeOrder.changes).toContain('PlaceOrderInput');
  });

  it('the markdown comment has the summary, impacted list and checklist', async () => {
    const md = formatBlastRadiusMarkdown(
      await radius('orders-graphql', 'orders-line-items.graphql'),
    );
    expect(md).toContain('❌ **Blocked**');
    expect(md).toContain('- Operations: **2 impacted** of 5 checked');
    expect(md).toContain(
      '| `checkout-web/OrderDetails.graphql` OrderDetails | checkout-web | acme, globex, initech | `Order.items` |',
    );
    expect(md).toContain('### Mitigation checklist');
    expect(md).toContain(
      '  - [ ] Add a shim: keep `Order.items` with its old type',
    );
  });
});

describe('loading SDL and operations', () => {
  it('accepts a type defining a field twice, the later definition winning, with a warning naming both', () => {
    const loaded = loadSchema(
      'type Query {\n  asset: Asset\n}\ntype Asset {\n  id: ID!\n  name: String\n  name: String!\n}\nextend type Asset {\n  id: String\n}\n',
      'big.graphql',
    );
    expect(loaded.warnings).toEqual([
      'big.graphql:7:3: type Asset defines field name twice (first at 6:3); the later definition is used',
      'big.graphql:10:3: type Asset defines field id twice (first at 5:3); the later definition is used',
    ]);
    const asset = loaded.schema.getType('Asset') as any;
    expect(String(asset.getFields().name.type)).toBe('String!');
    expect(String(asset.getFields().id.type)).toBe('String');
  });

  it('a schema that does not parse names the file and line:column', () => {
    expect(() =>
      loadSchema('type Query {\n  a: Int\n  b: \n}\n', 'head.graphql'),
    ).toThrow('head.graphql:4:1: Syntax Error: Expected Name, found "}".');
  });

  it('a schema that does not build names the file and line:column', () => {
    expect(() =>
      loadSchema('type Query {\n  a: Missing\n}\n', 'head.graphql'),
    ).toThrow('head.graphql:2:6: Unknown type "Missing".');
  });

  it('a schema graphql-js would not validate against names the file and line:column', async () => {
    const base = loadSchema('type Query {\n  a: Int\n}\n', 'base.graphql');
    const head = loadSchema(
      'type Query {\n  a: Int\n  b: Empty\n}\ntype Empty\n',
      'head.graphql',
    );
    await expect(
      computeBlastRadius({ base, head, operations: [] }),
    ).rejects.toThrow(
      'head.graphql:5:1: Type Empty must define one or more fields.',
    );
  });

  it('operations that do not parse are all named, and nothing is returned', () => {
    expect(() =>
      parseOperations([
        { file: 'a/One.graphql', text: 'query One { order(id: 1) { id }' },
        { file: 'a/Two.graphql', text: '{ ok }' },
        { file: 'b/Three.graphql', text: 'type X { a: Int }' },
      ]),
    ).toThrow(
      'a/One.graphql:1:32: Syntax Error: Expected Name, found <EOF>.\nb/Three.graphql: holds a ObjectTypeDefinition; an operation document holds operations and fragments only',
    );
  });

  it('a document with two operations gives one operation each, sharing its fragments', () => {
    const ops = parseOperations([
      {
        file: 'c/Both.graphql',
        text: 'query A { order(id: 1) { ...F } }\nquery B { order(id: 2) { id } }\nfragment F on Order { id }',
      },
    ]);
    expect(
      ops.map(o => [o.key, o.operationName, o.document.definitions.length]),
    ).toEqual([
      ['c/Both.graphql#A', 'A', 2],
      ['c/Both.graphql#B', 'B', 2],
    ]);
  });

  it('clients.yaml errors name the file and the key', () => {
    expect(() =>
      parseClientsManifest('web:\n  tenants: acme\n', 'ops/clients.yaml'),
    ).toThrow('ops/clients.yaml: web.tenants: must be a list of tenant names');
    expect(() => parseClientsManifest('web: [\n', 'ops/clients.yaml')).toThrow(
      /^ops\/clients\.yaml:2:1: /,
    );
    expect(parseYaml('a: 1')).toEqual({ a: 1 });
  });
});
