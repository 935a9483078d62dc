/*
 * Benchmark of the SLO boards against a real Prometheus (Debian's, on
 * 127.0.0.1:19095, over blocks promtool builds from generated traffic):
 * the board of one team of 50 services and of all 200 services, backend
 * time with a cold and a warm cache and the number of Prometheus queries,
 * against the naive approach (one query per number) in the same run.
 * Usage: bash bench/run.sh slo
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { Entity } from '@backstage/catalog-model';
import {
  CounterSeries,
  startPrometheus,
  writeOpenMetrics,
} from '../../plugins/conductor-backend/src/slo/traffic';
import {
  buildSloCapability,
  slothAvailability,
  sloComponent,
} from '../../plugins/conductor-backend/src/slo/__testUtils__/world';

const SERVICES = Number(process.env.BENCH_SLO_SERVICES ?? 200);
const TEAM_SIZE = 50;
const PORT = 19095;
const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
const T = Math.floor(Date.now() / 1000 / HOUR) * HOUR - 6 * HOUR;
const REPEAT = Number(process.env.BENCH_SLO_REPEAT ?? 5);

const name = (i: number) => `svc-${String(i).padStart(3, '0')}`;
const team = (i: number) => `group:default/team-${Math.floor(i / TEAM_SIZE)}`;

function traffic(): CounterSeries[] {
  const out: CounterSeries[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const service = name(i);
    const errors = 0.0002 + (i % 10) * 0.0001;
    const rps = 1 + (i % 7);
    out.push(
      {
        family: 'http_requests',
        name: 'http_requests_total',
        labels: { service, code: '200' },
        ratePerSecond: () => rps * (1 - errors),
      },
      {
        family: 'http_requests',
        name: 'http_requests_total',
        labels: { service, code: '500' },
        ratePerSecond: () => rps * errors,
      },
      {
        family: 'cloud_cost_dollars',
        name: 'cloud_cost_dollars_total',
        labels: { service },
        ratePerSecond: () => rps * 0.00003,
      },
    );
  }
  return out;
}

/**
 * Prometheus compacts the hundreds of 2-hour blocks promtool wrote into
 * larger ones after it starts; measuring during that would measure the
 * compaction. Waits until the loaded block count holds still for 20 s.
 */
async function waitForCompaction(url: string) {
  let last = '';
  let stableSince = Date.now();
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const blocks =
      /^prometheus_tsdb_blocks_loaded (\S+)/m.exec(text)?.[1] ?? '';
    if (blocks !== last) {
      last = blocks;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 20_000) return Number(blocks);
    await new Promise(r => setTimeout(r, 2000));
  }
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(
  label: string,
  options: {
    owner: (i: number) => string;
    teamRef: string;
    naive: boolean;
    batchSize?: number;
  },
  prometheusUrl: string,
) {
  const entities: Entity[] = [];
  const files: Record<string, string> = {};
  for (let i = 0; i < SERVICES; i++) {
    entities.push(
      sloComponent(name(i), options.owner(i), {
        'conductor.io/slo-file': `${name(i)}.yaml`,
      }),
    );
    files[`${name(i)}.yaml`] = slothAvailability(name(i), 99.9);
  }
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const { capability } = await buildSloCapability({
    entities,
    files,
    db,
    naive: options.naive,
    now: () => new Date(T * 1000),
    slo: {
      prometheus: { url: prometheusUrl, timeoutMs: 60_000 },
      cacheTtlSeconds: 600,
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      cost: {
        query: 'sum by (service) (rate(cloud_cost_dollars_total[1h]))',
        requestsQuery: 'sum by (service) (rate(http_requests_total[1h]))',
        guardrailPerThousandRequests: 0.1,
      },
    },
  });
  const all = async (refs: string[]) => new Set(refs);
  // Cold: a new client each time (empty cache); warm: the same board again.
  const cold: number[] = [];
  let queriesCold = 0;
  let services = 0;
  let sample;
  for (let r = 0; r < REPEAT; r++) {
    (capability.slo as any).deps.prometheus.clearCache();
    const t0 = performance.now();
    const board = await capability.slo.board(options.teamRef, all);
    cold.push(performance.now() - t0);
    queriesCold = board.queries;
    services = board.services.length;
    sample = board.services[0].slos[0];
  }
  const warm: number[] = [];
  let queriesWarm = 0;
  for (let r = 0; r < REPEAT; r++) {
    const t0 = performance.now();
    const board = await capability.slo.board(options.teamRef, all);
    warm.push(performance.now() - t0);
    queriesWarm = board.queries;
  }
  await db.destroy();
  const row = {
    label,
    services,
    cold: median(cold),
    warm: median(warm),
    queriesCold,
    queriesWarm,
    sample,
  };
  console.log(
    `${label.padEnd(34)} ${String(services).padStart(
      4,
    )} services  cold ${row.cold
      .toFixed(0)
      .padStart(6)} ms (${queriesCold} queries)  warm ${row.warm
      .toFixed(1)
      .padStart(6)} ms (${queriesWarm} queries)`,
  );
  return row;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-bench-slo-'));
  const t0 = performance.now();
  const files = writeOpenMetrics(path.join(dir, 'om'), traffic(), {
    start: T - 31 * DAY,
    end: T,
    step: 30 * MIN,
    fineFrom: T - 3 * DAY - HOUR,
    fineStep: 5 * MIN,
    finestFrom: T - HOUR,
    finestStep: MIN,
  });
  const prometheus = await startPrometheus({
    openMetricsFiles: files,
    port: PORT,
    dataDir: path.join(dir, 'tsdb'),
  });
  const blocks = await waitForCompaction(prometheus.url);
  const took = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(
    `Prometheus ${prometheus.url} over ${SERVICES} services × 3 series, 31 days (built and compacted to ${blocks} blocks in ${took} s)`,
  );
  console.log(
    `median of ${REPEAT} boards each; cold = empty cache, warm = the same board again\n`,
  );
  try {
    const teamBoard = { owner: team, teamRef: team(0) };
    const allBoard = {
      owner: () => 'group:default/everyone',
      teamRef: 'group:default/everyone',
    };
    const a = await measure(
      'team of 50, batched',
      { ...teamBoard, naive: false },
      prometheus.url,
    );
    const b = await measure(
      'team of 50, one query per number',
      { ...teamBoard, naive: true },
      prometheus.url,
    );
    const c = await measure(
      `all ${SERVICES}, batched`,
      { ...allBoard, naive: false },
      prometheus.url,
    );
    const d = await measure(
      `all ${SERVICES}, one query per number`,
      { ...allBoard, naive: true },
      prometheus.url,
    );
    const e = await measure(
      `all ${SERVICES}, one query per window`,
      { ...allBoard, naive: false, batchSize: SERVICES },
      prometheus.url,
    );
    if (JSON.stringify(a.sample) !== JSON.stringify(b.sample))
      throw new Error('batched and naive boards disagree');
    console.log('');
    for (const [x, y, what] of [
      [a, b, 'team of 50'],
      [c, d, `all ${SERVICES}`],
      [e, d, `all ${SERVICES} in one query per window`],
    ] as const) {
      console.log(
        `${what}: naive / batched = ${(y.cold / x.cold).toFixed(
          1,
        )}× time cold, ${(y.queriesCold / x.queriesCold).toFixed(
          0,
        )}× queries (${y.queriesCold} vs ${
          x.queriesCold
        }); warm ${x.warm.toFixed(1)} ms ${
          x.warm < 1000 ? 'meets' : 'misses'
        } the 1 s target`,
      );
    }
  } finally {
    await prometheus.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
