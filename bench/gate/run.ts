/*
 * Benchmark of the promotion gate: POST /api/conductor/promotions/check on
 * loopback under autocannon at a fixed 500 requests/s, with 10,000 catalog
 * entities and their evidence in the database, on SQLite and on PostgreSQL.
 * The catalog is Backstage's own catalog backend in the same process, as in
 * a portal backend, loaded with the 10,000 components and their 50 owning
 * groups from a file location, on the same database as the plugin. The baseline, measured in the same run at the same rate,
 * is the plugin's health route (same HTTP stack and auth policy, no
 * database work).
 *
 * Usage: bash bench/run.sh gate   (starts PostgreSQL; see bench/README.md)
 */
import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { stringify as stringifyYaml } from 'yaml';
import conductorPlugin from '@internal/plugin-conductor-backend';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const TOKEN = 'bench-ci-token-0123456789';

function makeData(dir: string) {
  const entities: Entity[] = [];
  const evidence = [];
  for (let i = 0; i < ENTITIES; i++) {
    const name = `svc-${i}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/team-${i % 50}`,
      },
      relations: [
        { type: 'ownedBy', targetRef: `group:default/team-${i % 50}` },
      ],
    });
    const r = (i % 100) / 100;
    evidence.push({
      entityRef: `component:default/${name}`,
      source: 'ci:bench',
      facts: [
        { name: 'test.coverage', value: 0.5 + r / 2, observedAt: '-2d' },
        { name: 'slo.adherence', value: 0.98 + r / 50, observedAt: '-1d' },
        { name: 'sbom.coverage', value: 0.9, observedAt: '-3d' },
        { name: 'policy.coverage', value: 0.92, observedAt: '-3d' },
        {
          name: 'k6.last_run',
          value: `-${i % 30}d`,
          observedAt: `-${i % 30}d`,
        },
        {
          name: 'chaos.last_run',
          value: `-${i % 60}d`,
          observedAt: `-${i % 29}d`,
        },
        { name: 'runbook.url', value: `https://runbooks.example.com/${name}` },
        { name: 'catalog.owner', value: `group:default/team-${i % 50}` },
        { name: 'catalog.oncall', value: `P${i}` },
      ],
    });
  }
  const seed = path.join(dir, 'bench-evidence.json');
  fs.writeFileSync(seed, JSON.stringify({ evidence }));
  const groups = Array.from({ length: 50 }, (_, t) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: `team-${t}`, namespace: 'default' },
    spec: { type: 'team', children: [] },
  }));
  const catalogFile = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(
    catalogFile,
    [...entities.map(({ relations, ...e }) => e), ...groups]
      .map(e => stringifyYaml(e))
      .join('---\n'),
  );
  return { entities, seed, catalogFile };
}

/** Waits until the catalog has processed every component, printing progress. */
async function waitForCatalog(base: string, expected: number) {
  const t0 = Date.now();
  for (;;) {
    const res = await fetch(
      `${base}/api/catalog/entities/by-query?limit=1&filter=kind=component`,
      {
        headers: { authorization: `Bearer ${TOKEN}` },
      },
    );
    const { totalItems } = (await res.json()) as { totalItems: number };
    if (totalItems >= expected) return (Date.now() - t0) / 1000;
    process.stderr.write(
      `catalog: ${totalItems} of ${expected} components processed (${(
        (Date.now() - t0) /
        1000
      ).toFixed(0)} s)\n`,
    );
    await new Promise(r => setTimeout(r, 5000));
  }
}

/** Runs autocannon in a child process against `url` and returns its figures. */
type Figures = {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rps: number;
  ok: number;
  errors: number;
};
type Mode = 'burst' | 'paced';

function load(url: string, mode: Mode, withBody = false): Promise<Figures> {
  const options = {
    url,
    mode,
    body: withBody,
    connections: 16,
    rate: RATE,
    seconds: SECONDS,
    token: TOKEN,
    entities: ENTITIES,
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(__dirname, 'load.js'), JSON.stringify(options)],
      { maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    );
  });
}

type Data = ReturnType<typeof makeData>;

/**
 * With BENCH_PROFILE=dir, records a CPU profile of the backend while `fn`
 * runs, to dir/gate-<name>.cpuprofile (summarise with bench/cpuprofile.js).
 */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(dir, `gate-${name.replace(/\W+/g, '-')}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    console.log(`CPU profile: ${file}`);
    session.disconnect();
  }
}

async function benchOne(label: string, database: object, data: Data) {
  const t0 = Date.now();
  const backend = await startTestBackend({
    features: [
      conductorPlugin,
      catalogPlugin,
      authServiceFactory,
      httpAuthServiceFactory,
      databaseServiceFactory,
      // The real scheduler, as in a portal backend (the test default runs nothing on schedule).
      schedulerServiceFactory,
      // BENCH_LOG=info shows the backend's log (the directory rebuilds, for one).
      mockServices.rootLogger.factory({
        level: (process.env.BENCH_LOG as 'info' | undefined) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database,
            auth: {
              externalAccess: [
                { type: 'static', options: { token: TOKEN, subject: 'bench' } },
              ],
            },
          },
          catalog: {
            rules: [{ allow: ['Component', 'Group'] }],
            locations: [{ type: 'file', target: data.catalogFile }],
            processingInterval: { minutes: 60 },
          },
          conductor: {
            evidence: {
              seedFiles: [data.seed],
              collect: {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 24 },
                },
              },
            },
            readiness: {
              snapshot: {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 24 },
                },
              },
              // Rebuilt every minute here (default 5 min), so the load also pays for rebuilds.
              directory: {
                schedule: {
                  frequency: { seconds: 60 },
                  timeout: { minutes: 1 },
                  initialDelay: { seconds: 1 },
                },
              },
            },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as { port: number };
  const ingestSeconds = await waitForCatalog(
    `http://127.0.0.1:${port}`,
    ENTITIES,
  );
  // Let the component directory rebuild once from the complete catalog.
  await new Promise(r => setTimeout(r, 61_000));
  const startSeconds = (Date.now() - t0) / 1000;
  const base = `http://127.0.0.1:${port}/api/conductor`;
  // Warm up both routes.
  await load(`${base}/health`, 'burst');
  await load(`${base}/promotions/check`, 'burst', true);
  const modes: Record<Mode, { baseline: Figures; gate: Figures }> = {} as any;
  for (const mode of ['paced', 'burst'] as const) {
    const baseline = await load(`${base}/health`, mode);
    const gate = await profiled(`${label}-${mode}`, () =>
      load(`${base}/promotions/check`, mode, true),
    );
    modes[mode] = { baseline, gate };
  }
  await backend.stop();
  return { label, startSeconds, ingestSeconds, modes };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-bench-'));
  const data = makeData(dir);
  const runs = [
    await benchOne(
      'SQLite (file)',
      { client: 'better-sqlite3', connection: { directory: dir } },
      data,
    ),
  ];
  const pg = process.env.BENCH_POSTGRES_URL;
  if (pg)
    runs.push(
      await benchOne(
        'PostgreSQL 15',
        { client: 'pg', connection: pg, pluginDivisionMode: 'database' },
        data,
      ),
    );
  else console.log('BENCH_POSTGRES_URL not set: PostgreSQL skipped');

  console.log(
    `\npromotion gate, ${ENTITIES} entities with 9 facts each, ${RATE} req/s for ${SECONDS} s, 16 connections, loopback`,
  );
  console.log(
    "paced: requests spread over each second; burst: autocannon -R, each second's quota sent at once (see load.js)",
  );
  for (const r of runs)
    console.log(
      `${r.label}: start, seed and catalog ready in ${r.startSeconds.toFixed(
        0,
      )} s (catalog ingestion ${r.ingestSeconds.toFixed(0)} s)`,
    );
  console.log(
    'database        | start+seed | load  | route  | p50 ms | p90 ms | p99 ms | max ms | req/s | 2xx    | errors | p99 vs baseline',
  );
  for (const r of runs) {
    for (const mode of ['paced', 'burst'] as const) {
      const { baseline, gate } = r.modes[mode];
      for (const [route, m] of [
        ['health', baseline],
        ['gate', gate],
      ] as const) {
        const cells = [m.p50, m.p90, m.p99, m.max].map(x =>
          String(x).padStart(6),
        );
        console.log(
          `${r.label.padEnd(15)} | ${`${r.startSeconds.toFixed(1)} s`.padStart(
            10,
          )} | ${mode.padEnd(5)} | ${route.padEnd(6)} | ${cells.join(
            ' | ',
          )} | ${m.rps.toFixed(0).padStart(5)} | ${String(m.ok).padStart(
            6,
          )} | ${String(m.errors).padStart(6)} | ${
            route === 'gate'
              ? `${(m.p99 / Math.max(1, baseline.p99)).toFixed(2)}x`
              : '1.00x'
          }`,
        );
      }
      console.log(
        `${r.label}, ${mode}: gate p99 ${gate.p99} ms ${
          gate.p99 < 20 ? 'meets' : 'MISSES'
        } the 20 ms target`,
      );
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
