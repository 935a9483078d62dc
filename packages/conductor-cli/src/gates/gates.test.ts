import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runConductor } from '../program';
import { checkoutDemoRepo } from './demoRepos';

async function run(
  args: string[],
  env: Record<string, string | undefined> = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env))
    if (v === undefined) delete process.env[k];
  try {
    const code = await runConductor(args, {
      out: l => out.push(l),
      err: l => err.push(l),
    });
    return { code, out, err };
  } finally {
    process.env = saved;
  }
}

const noEnv = {
  CONDUCTOR_ENTITY: undefined,
  CONDUCTOR_ENV: undefined,
  IG_CI_VERSION: undefined,
  PROMETHEUS_URL: undefined,
};

describe('conductor gate: inputs', () => {
  let repo: string;
  beforeAll(() => {
    repo = checkoutDemoRepo('orders-api');
  });

  it('a missing input is named and exits 2', async () => {
    expect(
      await run(['gate', 'readiness', '--dir', repo], noEnv),
    ).toMatchObject({
      code: 2,
      err: [
        'ERROR readiness [ig-ci v1.2.0]: conductor gate readiness: missing input --env (or CONDUCTOR_ENV: dev, staging or prod)',
      ],
    });
    expect((await run(['gate', 'canary', '--dir', repo], noEnv)).err[0]).toBe(
      'ERROR canary [ig-ci v1.2.0]: conductor gate canary: missing input --prometheus (or PROMETHEUS_URL)',
    );
    expect(
      (
        await run(
          [
            'gate',
            'canary',
            '--dir',
            repo,
            '--prometheus',
            'http://127.0.0.1:1',
          ],
          noEnv,
        )
      ).err[0],
    ).toContain('missing input --canary-query');
    expect(
      (await run(['gate', 'schema', '--dir', repo], noEnv)).err[0],
    ).toContain('missing input --schema');
    const noCatalog = fs.mkdtempSync(path.join(path.dirname(repo), 'empty-'));
    expect(
      (await run(['gate', 'evidence', '--dir', noCatalog], noEnv)).err[0],
    ).toBe(
      `ERROR evidence [ig-ci v1.2.0]: conductor gate evidence: missing input --entity (or CONDUCTOR_ENTITY, or a catalog-info.yaml in ${noCatalog})`,
    );
  });

  it('a library version that was never released is refused naming the released ones', async () => {
    const r = await run(
      ['gate', 'lint', '--dir', repo, '--library-version', 'v1.3.0'],
      noEnv,
    );
    expect(r.code).toBe(2);
    expect(r.err[0]).toBe(
      'ERROR lint [ig-ci v1.3.0]: intelgraph/ig-ci@v1.3.0 is not a released version; released: v1.0.0, v1.1.0, v1.2.0',
    );
    // a gate the pinned version does not ship yet
    expect(
      (
        await run(
          ['gate', 'k6', '--dir', repo, '--library-version', 'v1.0.0'],
          noEnv,
        )
      ).err[0],
    ).toBe(
      'ERROR k6 [ig-ci v1.0.0]: intelgraph/ig-ci@v1.0.0 has no k6 gate (added later)',
    );
  });

  it('k6 without a k6 binary is an error, never a pass', async () => {
    fs.mkdirSync(path.join(repo, 'k6'), { recursive: true });
    fs.writeFileSync(
      path.join(repo, 'k6/smoke.js'),
      'export default function () {}\n',
    );
    const r = await run(['gate', 'k6', '--dir', repo], {
      ...noEnv,
      PATH: path.dirname(process.execPath),
    });
    expect(r).toMatchObject({
      code: 2,
      err: ['ERROR k6 [ig-ci v1.2.0]: k6 not installed'],
    });
  });

  it('the thresholds are those of the pinned version: coverage 75 % passes v1.0.0 and fails v1.2.0', async () => {
    const partial = checkoutDemoRepo('payments-api');
    // a helper no test calls: its lines are not covered
    fs.appendFileSync(
      path.join(partial, 'src/index.js'),
      [
        'function formatCents(cents) {',
        '  const euros = Math.floor(cents / 100);',
        '  const rest = cents % 100;',
        "  const padded = String(rest).padStart(2, '0');",
        '  return `${euros}.${padded}`;',
        '}',
        'module.exports.formatCents = formatCents;',
        '',
      ].join('\n'),
    );
    const v1 = await run(
      ['gate', 'tests', '--dir', partial, '--library-version', 'v1.0.0'],
      noEnv,
    );
    const v12 = await run(
      ['gate', 'tests', '--dir', partial, '--library-version', 'v1.2.0'],
      noEnv,
    );
    expect(v1.code).toBe(0);
    expect(v1.out[0]).toMatch(
      /^PASS tests \[ig-ci v1\.0\.0\]: tests pass, line coverage 7\d\.\d% \(\d+\/\d+ lines, coverage\/lcov\.info\) ≥ 70\.0%$/,
    );
    expect(v12.code).toBe(1);
    expect(v12.err[0]).toMatch(
      /^FAIL tests \[ig-ci v1\.2\.0\]: line coverage 7\d\.\d% .* below 80\.0%$/,
    );
  }, 60_000);

  it('the policy gate fails naming the control when CODEOWNERS is missing', async () => {
    const noOwners = checkoutDemoRepo('reports-api');
    fs.rmSync(path.join(noOwners, '.github/CODEOWNERS'));
    const controls = path.resolve(
      __dirname,
      '../../../../ci/policy/controls.yaml',
    );
    expect((await run(['gate', 'tests', '--dir', noOwners], noEnv)).code).toBe(
      0,
    );
    expect((await run(['gate', 'sbom', '--dir', noOwners], noEnv)).code).toBe(
      0,
    );
    const r = await run(
      ['gate', 'policy', '--dir', noOwners, '--controls', controls],
      noEnv,
    );
    expect(r).toMatchObject({
      code: 1,
      err: [
        'FAIL policy [ig-ci v1.2.0]: 1 controls fail:',
        '  OWN-CODEOWNERS-01: repo.codeowners = false; fails: repo.codeowners',
      ],
    });
  }, 60_000);
});

/**
 * Prometheus' `GET /api/v1/query_range` as documented
 * (https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries),
 * replayed: one matrix series per query, values as strings.
 */
function fakePrometheus(series: Record<string, number[]>) {
  const requests: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(url.searchParams);
    const values = series[url.searchParams.get('query')!];
    res.setHeader('content-type', 'application/json');
    if (!values) {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'bad_data',
          error: 'unknown metric',
        }),
      );
      return;
    }
    const start = Number(url.searchParams.get('start'));
    res.end(
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: {},
              values: values.map((v, i) => [start + i * 60, String(v)]),
            },
          ],
        },
      }),
    );
  });
  return new Promise<{
    url: string;
    requests: URLSearchParams[];
    close(): void;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () => server.close(),
      }),
    ),
  );
}

describe('conductor gate canary', () => {
  const baseline = [120, 118, 125, 119, 121, 122, 117, 124, 120, 123, 119, 121];
  let prom: Awaited<ReturnType<typeof fakePrometheus>>;
  let repo: string;
  beforeAll(async () => {
    repo = checkoutDemoRepo('orders-api');
    prom = await fakePrometheus({
      'p95:baseline': baseline,
      'p95:good': baseline.map(v => v + 1),
      'p95:slow': baseline.map(v => v * 1.4),
      'p95:quiet': [NaN, NaN, NaN, 120],
    });
  });
  afterAll(() => prom.close());

  const canary = (query: string) =>
    run(
      [
        'gate',
        'canary',
        '--dir',
        repo,
        '--prometheus',
        prom.url,
        '--canary-query',
        query,
        '--baseline-query',
        'p95:baseline',
        '--window',
        '12m',
        '--step',
        '60s',
      ],
      noEnv,
    );

  it('passes a canary like the baseline, with the numbers', async () => {
    const r = await canary('p95:good');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(
      /^PASS canary \[ig-ci v1\.2\.0\]: (no significant increase|canary within tolerance): median canary 121\.5 vs baseline 120\.5 \(\+0\.8%\), U=\d+(\.\d+)?, p=[\d.]+, alpha 0\.05, tolerance \+10%$/,
    );
    expect(prom.requests.at(-1)!.get('step')).toBe('60');
    expect(
      Number(prom.requests.at(-1)!.get('end')) -
        Number(prom.requests.at(-1)!.get('start')),
    ).toBe(720);
  });

  it('fails a canary 40 % slower, with U and p', async () => {
    const r = await canary('p95:slow');
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe(
      'FAIL canary [ig-ci v1.2.0]: canary significantly worse (increase): median canary 168.7 vs baseline 120.5 (+40%), U=144, p=0, alpha 0.05, tolerance +10%',
    );
  });

  it('fails closed without data, and errors on a query Prometheus refuses', async () => {
    expect((await canary('p95:quiet')).err[0]).toBe(
      'FAIL canary [ig-ci v1.2.0]: not enough data: canary 1, baseline 12 samples, need 10 each',
    );
    const bad = await canary('p95:nope');
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toBe(
      'ERROR canary [ig-ci v1.2.0]: Prometheus 400 for p95:nope: unknown metric',
    );
  });
});

describe('conductor gate schema (the lineage blast radius)', () => {
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'pipe',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    });
  const base =
    'type Query {\n  order(id: ID!): Order\n}\ntype Order {\n  id: ID!\n  totalCents: Int!\n}\n';

  async function schemaGate(head: string) {
    const repo = checkoutDemoRepo('orders-api');
    fs.writeFileSync(path.join(repo, 'schema.graphql'), base);
    fs.mkdirSync(path.join(repo, 'operations/checkout-web'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(repo, 'operations/checkout-web/order.graphql'),
      'query Order($id: ID!) { order(id: $id) { id totalCents } }\n',
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'schema');
    fs.writeFileSync(path.join(repo, 'schema.graphql'), head);
    return run(
      [
        'gate',
        'schema',
        '--dir',
        repo,
        '--schema',
        'schema.graphql',
        '--base-ref',
        'HEAD',
        '--operations',
        'operations',
      ],
      noEnv,
    );
  }

  it('passes an additive change', async () => {
    const r = await schemaGate(
      base.replace(
        '  totalCents: Int!\n',
        '  totalCents: Int!\n  currency: String\n',
      ),
    );
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(
      /^PASS schema \[ig-ci v1\.2\.0\]: 0 breaking, \d+ dangerous, 1 safe changes; 0 of 1 operations impacted across 0 services$/,
    );
  });

  it('fails a removed field an operation reads, naming it', async () => {
    const r = await schemaGate(base.replace('  totalCents: Int!\n', ''));
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(
      /^FAIL schema \[ig-ci v1\.2\.0\]: 1 breaking, 0 dangerous, 0 safe changes; 1 of 1 operations impacted/,
    );
    expect(r.err.join('\n')).toContain('Order.totalCents');
  });
});

/**
 * The conductor backend's SLO and evidence routes replayed from their typed
 * contracts (`SloComponentResponse`, the latest facts): the slo, cost and
 * chaos gates read nothing else.
 */
function fakeConductor(routes: Record<string, unknown>) {
  const server = http.createServer((req, res) => {
    const body = routes[req.url!];
    res.setHeader('content-type', 'application/json');
    if (req.headers.authorization !== 'Bearer t') {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { message: 'no token' } }));
      return;
    }
    if (!body) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { message: `${req.url} not found` } }));
      return;
    }
    res.end(JSON.stringify(body));
  });
  return new Promise<{ url: string; close(): void }>(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    ),
  );
}

describe('conductor gate slo, cost and chaos', () => {
  const slo = (id: string, budgetRemaining: number | null, state = 'ok') => ({
    id,
    name: id,
    service: 'orders-api',
    objective: 0.999,
    windowDays: 30,
    format: 'openslo',
    source: { file: 'slo.yaml', line: 1 },
    state,
    sli: 0.9995,
    budgetRemaining,
    burnRates: {},
    alerts: [],
  });
  const daysAgo = (d: number) =>
    new Date(Date.now() - d * 86_400_000).toISOString();
  let backend: Awaited<ReturnType<typeof fakeConductor>>;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gates-api-'));
    backend = await fakeConductor({
      '/api/conductor/slo/component/default/healthy': {
        slos: [slo('availability', 0.62), slo('latency', 0.41)],
        cost: {
          state: 'ok',
          perThousandRequests: 0.0123,
          guardrail: 0.02,
          exceeded: false,
          currency: 'USD',
        },
      },
      '/api/conductor/slo/component/default/burning': {
        slos: [slo('availability', 0.12), slo('latency', null, 'no-data')],
        cost: {
          state: 'ok',
          perThousandRequests: 0.03,
          guardrail: 0.02,
          exceeded: true,
          currency: 'USD',
        },
      },
      '/api/conductor/evidence/component/default/healthy': {
        facts: [{ name: 'chaos.last_run', value: daysAgo(3) }],
      },
      '/api/conductor/evidence/component/default/burning': {
        facts: [{ name: 'chaos.last_run', value: daysAgo(20) }],
      },
    });
  });
  afterAll(() => backend.close());
  const gate = (name: string, entity: string) =>
    run(
      [
        '--url',
        backend.url,
        '--token',
        't',
        'gate',
        name,
        '--dir',
        dir,
        '--entity',
        `component:default/${entity}`,
      ],
      noEnv,
    );

  it('slo: every SLO keeps at least 25 % of its error budget; no data fails', async () => {
    expect(await gate('slo', 'healthy')).toMatchObject({
      code: 0,
      out: [
        'PASS slo [ig-ci v1.2.0]: error budget above 25.0% on 2 SLOs (lowest 41.0%)',
      ],
    });
    expect(await gate('slo', 'burning')).toMatchObject({
      code: 1,
      err: [
        'FAIL slo [ig-ci v1.2.0]: availability: error budget 12.0% left, below 25.0%',
        '  latency: no data (no-data)',
      ],
    });
  });

  it('cost: unit cost within the guardrail', async () => {
    expect((await gate('cost', 'healthy')).out).toEqual([
      'PASS cost [ig-ci v1.2.0]: unit cost 0.0123 USD per 1000 requests, guardrail 0.02: within',
    ]);
    expect(await gate('cost', 'burning')).toMatchObject({
      code: 1,
      err: [
        'FAIL cost [ig-ci v1.2.0]: unit cost 0.0300 USD per 1000 requests, guardrail 0.02: over by 50.0%',
      ],
    });
  });

  it('chaos: the last experiment at most 14 days old; an unknown entity is an error', async () => {
    expect((await gate('chaos', 'healthy')).code).toBe(0);
    expect((await gate('chaos', 'burning')).err[0]).toMatch(
      /^FAIL chaos \[ig-ci v1\.2\.0\]: last chaos experiment 20 days ago, more than 14$/,
    );
    expect(await gate('chaos', 'nope')).toMatchObject({
      code: 2,
      err: [
        'ERROR chaos [ig-ci v1.2.0]: 404 /api/conductor/evidence/component/default/nope not found',
      ],
    });
  });
});
