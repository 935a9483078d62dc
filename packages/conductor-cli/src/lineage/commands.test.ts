import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConductor } from '../program';

const lineage = path.resolve(__dirname, '../../../../examples/lineage');
const schema = (api: string) => path.join(lineage, 'schemas', `${api}.graphql`);
const change = (name: string) => path.join(lineage, 'changes', name);
const operations = (api: string) => path.join(lineage, 'operations', api);

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConductor(argv, {
    out: l => out.push(l),
    err: l => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-cli-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('conductor blast-radius --operations (offline)', () => {
  it('json: changes, impacted operations with file and the changes that break them, services, tenants; exit 1', async () => {
    const r = await run([
      'blast-radius',
      '--base',
      schema('orders-graphql'),
      '--head',
      change('orders-line-items.graphql'),
      '--operations',
      operations('orders-graphql'),
      '--format',
      'json',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    expect(
      report.changes
        .filter((c: any) => c.criticality !== 'safe')
        .map((c: any) => [c.type, c.path, c.criticality, c.usage]),
    ).toEqual([
      ['TYPE_REMOVED', 'OrderItem', 'breaking', 'used'],
      ['FIELD_TYPE_CHANGED', 'Order.items', 'breaking', 'impacting'],
    ]);
    expect(
      report.changes.filter((c: any) => c.criticality === 'safe'),
    ).toHaveLength(7);
    expect(
      report.impactedOperations.map((o: any) => [
        o.file,
        o.operationName,
        o.changes,
      ]),
    ).toEqual([
      ['checkout-web/OrderDetails.graphql', 'OrderDetails', ['Order.items']],
      ['ingest-worker/OrderLines.graphql', 'OrderLines', ['Order.items']],
    ]);
    expect(report.services).toEqual([
      'component:default/checkout-web',
      'component:default/ingest-worker',
    ]);
    expect(report.tenants).toEqual(['acme', 'globex', 'initech']);
    expect(report.partial).toBe(false);
  });

  it('markdown: the PR comment; a removed field nobody selects exits 0', async () => {
    const r = await run([
      'blast-radius',
      '--base',
      schema('orders-graphql'),
      '--head',
      change('orders-remove-tenant-id.graphql'),
      '--operations',
      operations('orders-graphql'),
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('## Blast radius');
    expect(r.out).toContain(
      '- Changes: **1 breaking** (1 unused by any operation), 0 dangerous, 0 safe',
    );
    expect(r.out).toContain('| breaking, unused |');
    expect(r.out).toContain('### Mitigation checklist');
  });

  it('--max-services and --mitigations let a known breaking change through', async () => {
    const base = [
      'blast-radius',
      '--base',
      schema('reports-graphql'),
      '--head',
      change('reports-remove-day.graphql'),
      '--operations',
      operations('reports-graphql'),
      '--format',
      'json',
    ];
    expect((await run(base)).code).toBe(1);
    expect((await run([...base, '--max-services', '1'])).code).toBe(0);
    const mitigations = tmpFile(
      'm.yaml',
      'Period.DAY: insights-web sends WEEK since 2026-11-01\n',
    );
    const r = await run([...base, '--mitigations', mitigations]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).changes[0].mitigated).toBe(
      'insights-web sends WEEK since 2026-11-01',
    );
  });

  it('exit 2 naming file and line:column when a schema or an operation does not parse', async () => {
    const bad = tmpFile(
      'head.graphql',
      'type Query {\n  order(id: ID!: Order\n}\n',
    );
    const r = await run([
      'blast-radius',
      '--base',
      schema('orders-graphql'),
      '--head',
      bad,
      '--operations',
      operations('orders-graphql'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `conductor: ${bad}:2:16: Syntax Error: Expected Name, found ":".`,
    );
    expect(r.out).toBe('');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-ops-'));
    fs.mkdirSync(path.join(dir, 'web'));
    fs.writeFileSync(
      path.join(dir, 'web', 'Broken.graphql'),
      'query Broken {\n  order(id: 1) {\n    id\n',
    );
    const r2 = await run([
      'blast-radius',
      '--base',
      schema('orders-graphql'),
      '--head',
      change('orders-remove-total-cents.graphql'),
      '--operations',
      dir,
    ]);
    expect(r2.code).toBe(2);
    expect(r2.err).toBe(
      'conductor: web/Broken.graphql:4:1: Syntax Error: Expected Name, found <EOF>.',
    );
  });

  it('exit 2 on bad flags, naming the flag', async () => {
    const args = [
      'blast-radius',
      '--base',
      schema('orders-graphql'),
      '--head',
      change('orders-remove-tenant-id.graphql'),
    ];
    expect((await run(args)).err).toBe(
      'conductor: give --operations DIR (offline) or --entity api:namespace/name (operations registered in the backend)',
    );
    const r = await run([
      ...args,
      '--operations',
      operations('orders-graphql'),
      '--format',
      'html',
    ]);
    expect([r.code, r.err]).toEqual([
      2,
      'conductor: --format html: must be markdown or json',
    ]);
    const r2 = await run([
      ...args,
      '--operations',
      operations('orders-graphql'),
      '--max-services',
      '-1',
    ]);
    expect([r2.code, r2.err]).toEqual([
      2,
      'conductor: --max-services -1: must be a whole number, 0 or more',
    ]);
    const r3 = await run([...args, '--operations', '/nonexistent/ops']);
    expect([r3.code, r3.err]).toEqual([
      2,
      'conductor: --operations /nonexistent/ops: not a directory',
    ]);
    const r4 = await run([
      'blast-radius',
      '--base',
      '/nonexistent.graphql',
      '--head',
      change('orders-remove-tenant-id.graphql'),
      '--operations',
      operations('orders-graphql'),
    ]);
    expect([r4.code, r4.err]).toEqual([
      2,
      'conductor: --base /nonexistent.graphql: no such file',
    ]);
  });

  it('accepts a schema with a duplicate field and lists the warning', async () => {
    const head = tmpFile(
      'head.graphql',
      fs
        .readFileSync(schema('orders-graphql'), 'utf8')
        .replace(
          '  status: OrderStatus!\n',
          '  status: OrderStatus!\n  status: OrderStatus!\n',
        ),
    );
    const r = await run([
      'blast-radius',
      '--base',
      schema('orders-graphql'),
      '--head',
      head,
      '--operations',
      operations('orders-graphql'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).warnings).toEqual([
      `${head}:20:3: type Order defines field status twice (first at 19:3); the later definition is used`,
    ]);
  });
});
