/*
 * Benchmark of lineage walks and blast radius.
 *
 * 1. A synthetic graph of 1,000,000 edges stored in PostgreSQL through the
 *    lineage store's tables; blast-radius walks (impact direction, depth 6)
 *    from 1,000 random start nodes with our implementation (the in-memory
 *    index the backend loads once per graph version) and, in the same run,
 *    the same walks as a recursive CTE in PostgreSQL (how Marquez walks
 *    lineage) as the baseline: p50/p95 of both, the ratio, memory, and a
 *    check that both reach the same nodes.
 * 2. The blast radius of a ~1 MB schema diff against 500 operations.
 *
 * Usage: bash bench/run.sh lineage  (or BENCH_POSTGRES_URL=... node -r
 * @backstage/cli/config/nodeTransform.cjs bench/lineage/run.ts). It creates
 * and drops its own database.
 */
import {
  LINEAGE_EDGE_TYPES,
  LineageEdge,
  LineageIndex,
  LoadedSchema,
  computeBlastRadius,
  judgeOperations,
  loadSchema,
  parseOperations,
} from '@internal/plugin-conductor-common';
import { buildASTSchema, parse } from 'graphql';
import { validateSDL } from 'graphql/validation/validate';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import knexFactory, { Knex } from 'knex';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { LineageStore } from '../../plugins/conductor-backend/src/lineage/LineageStore';

const EDGES = Number(process.env.BENCH_EDGES ?? 1_000_000);
const WALKS = Number(process.env.BENCH_WALKS ?? 1_000);
const DEPTH = 6;
const PG =
  process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:55432';

/** Deterministic random numbers, so runs are comparable. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A graph shaped like a large organisation's: APIs with types and fields,
 * resolvers reading contracts, policies and tests, and operations of many
 * clients selecting fields, serving tenants. Exactly `EDGES` edges.
 */
function syntheticGraph(total: number): LineageEdge[] {
  const rand = rng(42);
  const pick = (n: number) => Math.floor(rand() * n);
  const edges: LineageEdge[] = [];
  const push = (from: string, to: string, type: LineageEdge['type']) => {
    if (edges.length < total) edges.push({ from, to, type });
  };
  const APIS = 100;
  const TYPES = 200;
  const FIELDS = 10;
  const fieldId = (a: number, t: number, f: number) =>
    `GraphQL:api-${a}/T${t}.f${f}`;
  for (let a = 0; a < APIS; a++) {
    push(`component:default/svc-${a}`, `api:default/api-${a}`, 'exposes');
    for (let c = 0; c < 5; c++)
      push(
        `component:default/svc-${(a * 7 + c * 13 + 1) % 1000}`,
        `api:default/api-${a}`,
        'consumes',
      );
    for (let t = 0; t < TYPES; t++) {
      const type = `GraphQL:api-${a}/T${t}`;
      push(`api:default/api-${a}`, type, 'exposes');
      if (t % 4 === 0) push(`Contract:C${a}_${t}@v1`, type, 'conformsTo');
      if (t % 10 === 0) push(type, `Policy:p${pick(50)}`, 'governedBy');
      for (let f = 0; f < FIELDS; f++) {
        push(type, fieldId(a, t, f), 'exposes');
        if (f % 2 === 0) {
          const resolver = `Resolver:api-${a}/T${t}.f${f}`;
          push(resolver, fieldId(a, t, f), 'resolves');
          push(resolver, `Contract:C${a}_${t - (t % 4)}@v1`, 'reads');
          if (f === 0) push(resolver, `Test:t${a}_${t}`, 'testedBy');
        }
      }
    }
  }
  // operations fill the rest: each selects 20 fields of one API
  for (let o = 0; edges.length < total; o++) {
    const a = pick(APIS);
    const client = `component:default/svc-${pick(1000)}`;
    const op = `Operation:api-${a}/${client.slice(18)}/Op${o}.graphql`;
    push(op, client, 'usedBy');
    const tenants = new Set<number>();
    for (let k = 0; k < 1 + pick(3); k++) tenants.add(pick(300));
    for (const tenant of tenants)
      push(op, `Tenant:tenant-${tenant}`, 'servesTenant');
    const fields = new Set<string>();
    while (fields.size < 20) fields.add(fieldId(a, pick(TYPES), pick(FIELDS)));
    for (const f of fields) push(f, op, 'usedBy');
  }
  return edges;
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function insertEdges(knex: Knex, edges: LineageEdge[]) {
  // unnest of arrays: one statement per 50,000 rows
  for (let i = 0; i < edges.length; i += 50_000) {
    const batch = edges.slice(i, i + 50_000);
    await knex.raw(
      `insert into conductor_lineage_edges (source, from_id, to_id, type)
       select 'bench', * from unnest(?::text[], ?::text[], ?::text[]) on conflict do nothing`,
      [batch.map(e => e.from), batch.map(e => e.to), batch.map(e => e.type)],
    );
  }
  await knex.raw('analyze conductor_lineage_edges');
}

const FORWARD = Object.entries(LINEAGE_EDGE_TYPES)
  .filter(([, d]) => d === 'forward')
  .map(([t]) => t);
const REVERSE = Object.entries(LINEAGE_EDGE_TYPES)
  .filter(([, d]) => d === 'reverse')
  .map(([t]) => t);

/** The same walk as a recursive CTE: each node with its shortest depth. */
const CTE = `
with recursive walk(id, depth) as (
  select ?::text, 0
  union
  select x.next, w.depth + 1
  from walk w
  join lateral (
    select e.to_id as next from conductor_lineage_edges e
     where e.from_id = w.id and e.type = any(?::text[])
    union all
    select e.from_id from conductor_lineage_edges e
     where e.to_id = w.id and e.type = any(?::text[])
  ) x on true
  where w.depth < ?
)
select id, min(depth) as depth from walk group by id`;

async function walks(knex: Knex) {
  console.log(
    `load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} CPUs`,
  );
  console.log(
    `\n== Blast-radius walks: ${EDGES.toLocaleString(
      'en-US',
    )} edges in PostgreSQL, ${WALKS} random starts, depth ${DEPTH}`,
  );
  const edges = syntheticGraph(EDGES);
  let t = performance.now();
  await insertEdges(knex, edges);
  console.log(
    `stored ${edges.length.toLocaleString('en-US')} edges in ${(
      (performance.now() - t) /
      1000
    ).toFixed(1)} s`,
  );

  // Starts: impact sources of random edges (weighted by how much they touch).
  const rand = rng(7);
  const starts: string[] = [];
  for (let i = 0; i < WALKS; i++) {
    const e = edges[Math.floor(rand() * edges.length)];
    starts.push(LINEAGE_EDGE_TYPES[e.type] === 'reverse' ? e.to : e.from);
  }
  edges.length = 0; // the index is built from the database, as the backend does

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  const store = new LineageStore(knex);
  const index = LineageIndex.fromEdges(await store.allEdges());
  const loadMs = performance.now() - t;
  global.gc?.();
  const indexBytes = process.memoryUsage().heapUsed - heapBefore;
  console.log(
    `our index: loaded ${index.edgeCount.toLocaleString(
      'en-US',
    )} edges, ${index.nodeCount.toLocaleString(
      'en-US',
    )} nodes from PostgreSQL in ${(loadMs / 1000).toFixed(
      1,
    )} s (once per graph version); heap ${mb(indexBytes)}, rss ${mb(
      process.memoryUsage().rss,
    )}`,
  );

  const ours: number[] = [];
  const reached: number[] = [];
  let partial = 0;
  for (const s of starts) {
    const t0 = performance.now();
    const r = index.walk([s], {
      maxDepth: DEPTH,
      budgetMs: 1000,
      maxNodes: 1e9,
      collectEdges: false,
    });
    ours.push(performance.now() - t0);
    reached.push(r.nodes.length);
    if (r.partial && r.partialReason !== 'depth') partial++;
  }

  const cte: number[] = [];
  let mismatches = 0;
  for (let i = 0; i < starts.length; i++) {
    const t0 = performance.now();
    const rows = (await knex.raw(CTE, [starts[i], FORWARD, REVERSE, DEPTH]))
      .rows as unknown[];
    cte.push(performance.now() - t0);
    if (rows.length !== reached[i]) mismatches++;
  }

  ours.sort((a, b) => a - b);
  cte.sort((a, b) => a - b);
  const sortedReach = [...reached].sort((a, b) => a - b);
  console.log(
    `nodes reached per walk: p50 ${percentile(
      sortedReach,
      50,
    )}, p95 ${percentile(sortedReach, 95)}, max ${
      sortedReach[sortedReach.length - 1]
    }`,
  );
  console.log(
    `ours (in-memory index):     p50 ${ms(percentile(ours, 50))}  p95 ${ms(
      percentile(ours, 95),
    )}  max ${ms(ours[ours.length - 1])}`,
  );
  console.log(
    `baseline (recursive CTE):   p50 ${ms(percentile(cte, 50))}  p95 ${ms(
      percentile(cte, 95),
    )}  max ${ms(cte[cte.length - 1])}`,
  );
  console.log(
    `ratio (CTE / ours): p50 ${(
      percentile(cte, 50) / percentile(ours, 50)
    ).toFixed(0)}x, p95 ${(percentile(cte, 95) / percentile(ours, 95)).toFixed(
      0,
    )}x`,
  );
  console.log(
    `same nodes reached by both: ${starts.length - mismatches}/${
      starts.length
    }; walks cut by the time budget: ${partial}`,
  );
  return { p95: percentile(ours, 95), cteP95: percentile(cte, 95) };
}

/** ~1 MB of SDL: types with 12 fields each, enums, and a Query over all. */
function bigSchema(types: number) {
  const lines: string[] = ['type Query {'];
  for (let t = 0; t < types; t++)
    lines.push(`  item${t}(id: ID!, first: Int = 10): Item${t}`);
  lines.push('}');
  for (let t = 0; t < types; t++) {
    lines.push(
      `"""An item of kind ${t}, with a description as real schemas carry."""`,
      `type Item${t} {`,
    );
    for (let f = 0; f < 12; f++)
      lines.push(
        `  "Field ${f} of item ${t}"`,
        `  field${f}: ${f === 11 ? `Status${t % 50}` : 'String'}`,
      );
    lines.push('}');
  }
  for (let e = 0; e < 50; e++)
    lines.push(`enum Status${e} {`, '  ACTIVE', '  RETIRED', '  PENDING', '}');
  return lines.join('\n');
}

/** The three inputs of the diff benchmark: base, two heads, 500 operations. */
function diffInputs() {
  const TYPES = 1900;
  const base = bigSchema(TYPES);
  // head: 40 fields removed, 40 types changed, 20 required arguments added
  let head = base;
  for (let t = 0; t < 40; t++)
    head = head.replace(`  "Field 3 of item ${t}"\n  field3: String\n`, '');
  for (let t = 100; t < 140; t++)
    head = head.replace(
      `type Item${t} {\n  "Field 0 of item ${t}"\n  field0: String`,
      `type Item${t} {\n  "Field 0 of item ${t}"\n  field0: Int`,
    );
  for (let t = 200; t < 220; t++)
    head = head.replace(
      `  item${t}(id: ID!, first: Int = 10)`,
      `  item${t}(id: ID!, first: Int = 10, tenant: ID!)`,
    );
  // a second change to the same base (the next commit of the pull request):
  // a value removed from 30 enums that operations only read, 10 fields removed
  let head2 = base;
  for (let e = 0; e < 30; e++)
    head2 = head2.replace(
      `enum Status${e} {\n  ACTIVE\n  RETIRED\n`,
      `enum Status${e} {\n  ACTIVE\n`,
    );
  for (let t = 0; t < 10; t++)
    head2 = head2.replace(`  "Field 5 of item ${t}"\n  field5: String\n`, '');
  const rand = rng(99);
  const sources = Array.from({ length: 500 }, (_, i) => {
    const t = i < 300 ? Math.floor(rand() * 250) : Math.floor(rand() * TYPES);
    const fields = Array.from(
      { length: 6 },
      () => `field${Math.floor(rand() * 12)}`,
    );
    return {
      file: `client-${i % 7}/Op${i}.graphql`,
      client: `client-${i % 7}`,
      tenants: [`tenant-${i % 3}`],
      text: `query Op${i}($id: ID!) { item${t}(id: $id) { ${[
        ...new Set(fields),
      ].join(' ')} } }`,
    };
  });
  return { base, head, head2, sources };
}

/** How schemas loaded before: parse with locations, validateSDL, build. */
function loadSchemaAsBefore(sdl: string): LoadedSchema {
  const document = parse(sdl);
  if (validateSDL(document).length) throw new Error('invalid SDL');
  return {
    schema: buildASTSchema(document, { assumeValidSDL: true }),
    document,
    warnings: [],
  };
}

interface DiffRun {
  mode: 'ours' | 'baseline';
  coldCpu: number;
  coldWall: number;
  coldLoad: number;
  warmCpu: number;
  warmWall: number;
  secondCpu: number;
  secondWall: number;
  validatedAgainstNew: number;
  secondValidatedAgainstNew: number;
  summary: string;
  digest: string;
  secondDigest: string;
}

/**
 * One measurement in a fresh process (so neither way runs on the other's
 * warmed-up JIT): a first check (both schemas loaded) and a second check of
 * another head against the same base. Ours keeps the base as the backend's
 * schema cache does (by content hash) and validates only the operations the
 * change can reach; the baseline is the previous pipeline: every schema
 * loaded with locations, every operation validated against both schemas.
 */
async function diffChild(mode: DiffRun['mode']): Promise<DiffRun> {
  const { base, head, head2, sources } = diffInputs();
  const operations = parseOperations(sources);
  // ours loads a head as the CLI does: like its base (unchanged definitions
  // taken from the base's parse)
  const load = (sdl: string, file: string, like?: LoadedSchema) =>
    mode === 'ours' ? loadSchema(sdl, file, { like }) : loadSchemaAsBefore(sdl);
  const validateAll = mode === 'baseline';
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

  global.gc?.();
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  const baseSchema = load(base, 'base.graphql');
  const headSchema = load(head, 'head.graphql', baseSchema);
  const coldLoad = performance.now() - t0;
  const report = await computeBlastRadius({
    base: baseSchema,
    head: headSchema,
    operations,
    validateAll,
  });
  const coldWall = performance.now() - t0;
  const coldCpu = cpuMs(process.cpuUsage(cpu0));

  // the same check again in this now warmed-up process, nothing kept
  global.gc?.();
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  const againBase = load(base, 'base.graphql');
  const again = await computeBlastRadius({
    base: againBase,
    head: load(head, 'head.graphql', againBase),
    operations,
    validateAll,
  });
  const warmWall = performance.now() - t0;
  const warmCpu = cpuMs(process.cpuUsage(cpu0));

  global.gc?.();
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  const second = await computeBlastRadius({
    base: mode === 'ours' ? baseSchema : load(base, 'base.graphql'),
    head: load(head2, 'head2.graphql', baseSchema),
    operations,
    validateAll,
  });
  const secondWall = performance.now() - t0;
  const secondCpu = cpuMs(process.cpuUsage(cpu0));

  const digest = (r: object) =>
    createHash('sha256').update(JSON.stringify(r)).digest('hex').slice(0, 16);
  const count = (h: LoadedSchema) =>
    judgeOperations(baseSchema, h, operations, { validateAll })
      .validatedAgainstNew;
  return {
    mode,
    coldCpu,
    coldWall,
    coldLoad,
    warmCpu,
    warmWall,
    secondCpu,
    secondWall,
    validatedAgainstNew: count(headSchema),
    secondValidatedAgainstNew: count(load(head2, 'head2.graphql')),
    summary: `${report.changes.length} changes (${report.summary.breaking} breaking), ${report.summary.impactedOperations}/${report.summary.operationsChecked} operations impacted; second head: ${second.changes.length} changes, ${second.summary.impactedOperations} impacted`,
    digest:
      JSON.stringify(again) === JSON.stringify(report)
        ? digest(report)
        : 'differs',
    secondDigest: digest(second),
  };
}

function runChild(mode: DiffRun['mode']): DiffRun {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, __filename],
    {
      env: { ...process.env, BENCH_DIFF_CHILD: mode },
      encoding: 'utf8',
      maxBuffer: 1e6,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function schemaDiff() {
  const { base } = diffInputs();
  console.log(
    `\n== Blast radius of a ${(base.length / 1024 / 1024).toFixed(
      2,
    )} MB schema diff against 500 operations (each run in a fresh process)`,
  );
  const runs: DiffRun[] = [];
  const RUNS = Number(process.env.BENCH_DIFF_RUNS ?? 3);
  for (let i = 0; i < RUNS; i++)
    for (const mode of ['baseline', 'ours'] as const) {
      const r = runChild(mode);
      runs.push(r);
      console.log(
        `${mode.padEnd(8)} fresh process ${ms(r.coldCpu)} CPU (${ms(
          r.coldWall,
        )} wall, loading both schemas ${ms(r.coldLoad)}); warm ${ms(
          r.warmCpu,
        )} CPU (${ms(r.warmWall)} wall); base kept ${ms(r.secondCpu)} CPU (${ms(
          r.secondWall,
        )} wall); validated against the new schema ${
          r.validatedAgainstNew
        } and ${r.secondValidatedAgainstNew} of 500`,
      );
    }
  const median = (mode: DiffRun['mode'], k: keyof DiffRun) => {
    const xs = runs
      .filter(r => r.mode === mode)
      .map(r => r[k] as number)
      .sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)];
  };
  const same = runs.every(
    r => r.digest === runs[0].digest && r.secondDigest === runs[0].secondDigest,
  );
  console.log(runs[0].summary);
  for (const k of [
    'coldCpu',
    'coldWall',
    'warmCpu',
    'warmWall',
    'secondCpu',
    'secondWall',
  ] as const)
    console.log(
      `median ${k.padEnd(10)}: baseline ${ms(median('baseline', k))}, ours ${ms(
        median('ours', k),
      )}, ratio ${(median('baseline', k) / median('ours', k)).toFixed(1)}x`,
    );
  console.log(
    `same reports from both ways in every run: ${
      same ? 'yes' : 'NO'
    } (load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')})`,
  );
  return {
    cold: median('ours', 'coldCpu'),
    coldWall: median('ours', 'coldWall'),
    warm: median('ours', 'warmCpu'),
  };
}

async function main() {
  if (process.env.BENCH_DIFF_CHILD) {
    const run = await diffChild(
      process.env.BENCH_DIFF_CHILD as DiffRun['mode'],
    );
    console.log(JSON.stringify(run));
    return;
  }
  const admin = knexFactory({ client: 'pg', connection: PG });
  const dbName = `conductor_bench_lineage_${process.pid}`;
  await admin.raw(`create database ${dbName}`);
  const knex = knexFactory({
    client: 'pg',
    // bench/run.sh gives the server's URL without a database
    connection: Object.assign(new URL(PG), { pathname: `/${dbName}` }).href,
    pool: { min: 1, max: 4 },
  });
  try {
    await knex.migrate.latest({
      directory: path.resolve(
        __dirname,
        '../../plugins/conductor-backend/migrations',
      ),
    });
    // BENCH_PART=diff runs only the schema diff
    const w =
      process.env.BENCH_PART === 'diff'
        ? { p95: NaN, cteP95: NaN }
        : await walks(knex);
    const diff = await schemaDiff();
    console.log('\n== Targets');
    console.log(
      `walk p95 < 50 ms: ${w.p95 < 50 ? 'met' : 'MISSED'} (${ms(
        w.p95,
      )}); at least 10x the CTE: ${
        w.cteP95 / w.p95 >= 10 ? 'met' : 'MISSED'
      } (${(w.cteP95 / w.p95).toFixed(0)}x); 1 MB diff < 1 s of CPU: ${
        diff.warm < 1000 ? 'met' : 'MISSED'
      } in a warm process (${ms(diff.warm)}), ${
        diff.cold < 1000 ? 'met' : 'MISSED'
      } in a fresh one (${ms(
        diff.cold,
      )}, JIT and GC threads included); first check in a fresh process (the CLI in CI) < 1 s of wall time: ${
        diff.coldWall < 1000 ? 'met' : 'MISSED'
      } (${ms(diff.coldWall)})`,
    );
  } finally {
    await knex.destroy();
    await admin.raw(`drop database if exists ${dbName}`);
    await admin.destroy();
  }
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
