// Demo traffic for the SLO boards: 30 days of history for the demo services
// written as OpenMetrics, turned into blocks by promtool, served by Debian's
// prometheus on 127.0.0.1:9090; from then on a small exporter on
// 127.0.0.1:9091 continues the same counters live, so the boards stay
// current. The insights team is burning budget: reports-api pages (8 % of
// requests failing for two hours), ingest-worker tickets (2.5 % for three
// days). Run by scripts/prometheus.sh.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  CounterSeries,
  startPrometheus,
  timestamps,
  writeOpenMetrics,
} from '../../plugins/conductor-backend/src/slo/traffic';

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;
const dir = process.argv[2] ?? '/tmp/conductor-demo/prometheus';
const port = Number(process.env.CONDUCTOR_DEMO_PROMETHEUS_PORT ?? 9090);
const exporterPort = Number(process.env.CONDUCTOR_DEMO_EXPORTER_PORT ?? 9091);
const NOW = Math.floor(Date.now() / 1000 / MIN) * MIN;

/** Requests per second and the share failing, by service. */
const services: Record<
  string,
  { rps: number; errors: (t: number) => number; costPer1k: number }
> = {
  'orders-api': { rps: 5, errors: () => 0.0004, costPer1k: 0.02 },
  'payments-api': { rps: 2, errors: () => 0.0005, costPer1k: 0.05 },
  'accounts-api': { rps: 4, errors: () => 0.0001, costPer1k: 0.01 },
  'session-service': { rps: 3, errors: () => 0.0002, costPer1k: 0.02 },
  // Fails 8 % since two hours before the demo started (and goes on).
  'reports-api': {
    rps: 1,
    errors: t => (t > NOW - 2 * HOUR ? 0.08 : 0.001),
    costPer1k: 0.15,
  },
  // 2.5 % failing ingestion jobs for three days.
  'ingest-worker': {
    rps: 1,
    errors: t => (t > NOW - 3 * DAY ? 0.025 : 0.002),
    costPer1k: 0.08,
  },
};

/** Share of requests within each latency bucket (seconds), by service and operation. */
const latency: Array<{
  service: string;
  operation: string;
  buckets: Array<[string, number]>;
  rps: number;
}> = [
  {
    service: 'orders-api',
    operation: 'read',
    rps: 4,
    buckets: [
      ['0.05', 0.5],
      ['0.1', 0.8],
      ['0.35', 0.985],
      ['0.7', 0.997],
      ['1', 0.999],
      ['+Inf', 1],
    ],
  },
  {
    service: 'session-service',
    operation: 'read',
    rps: 2,
    buckets: [
      ['0.05', 0.4],
      ['0.1', 0.7],
      ['0.35', 0.97],
      ['0.7', 0.995],
      ['1', 0.999],
      ['+Inf', 1],
    ],
  },
  {
    service: 'session-service',
    operation: 'write',
    rps: 1,
    buckets: [
      ['0.05', 0.1],
      ['0.1', 0.3],
      ['0.35', 0.9],
      ['0.7', 0.97],
      ['1', 0.99],
      ['+Inf', 1],
    ],
  },
];

const series: CounterSeries[] = [];
for (const [service, s] of Object.entries(services)) {
  series.push(
    {
      family: 'http_requests',
      name: 'http_requests_total',
      labels: { service, code: '200' },
      ratePerSecond: t => s.rps * (1 - s.errors(t)),
    },
    {
      family: 'http_requests',
      name: 'http_requests_total',
      labels: { service, code: '500' },
      ratePerSecond: t => s.rps * s.errors(t),
    },
    {
      family: 'cloud_cost_dollars',
      name: 'cloud_cost_dollars_total',
      labels: { service },
      ratePerSecond: () => (s.rps * s.costPer1k) / 1000,
    },
  );
}
for (const l of latency) {
  for (const [le, share] of l.buckets)
    series.push({
      family: 'http_request_duration_seconds',
      name: 'http_request_duration_seconds_bucket',
      labels: { service: l.service, operation: l.operation, le },
      ratePerSecond: () => l.rps * share,
    });
  series.push({
    family: 'http_request_duration_seconds',
    name: 'http_request_duration_seconds_count',
    labels: { service: l.service, operation: l.operation },
    ratePerSecond: () => l.rps,
  });
}

async function main() {
  fs.rmSync(dir, { recursive: true, force: true });
  const span = {
    start: NOW - 31 * DAY,
    end: NOW,
    step: 5 * MIN,
    fineFrom: NOW - 4 * DAY,
    fineStep: MIN,
  };
  const files = writeOpenMetrics(path.join(dir, 'openmetrics'), series, span);

  // The live exporter continues each counter from its last written value.
  const ts = timestamps(span);
  const values = series.map(s => {
    let v = 0;
    for (let i = 1; i < ts.length; i++)
      v += s.ratePerSecond(ts[i]) * (ts[i] - ts[i - 1]);
    return { v: Number(v.toFixed(6)), t: ts[ts.length - 1] };
  });
  const exporter = http.createServer((_req, res) => {
    const now = Date.now() / 1000;
    const lines: string[] = [];
    series.forEach((s, i) => {
      const state = values[i];
      while (state.t < now) {
        const next = Math.min(now, state.t + MIN);
        state.v += s.ratePerSecond(next) * (next - state.t);
        state.t = next;
      }
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      lines.push(`${s.name}{${labels}} ${state.v.toFixed(6)}`);
    });
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>(resolve =>
    exporter.listen(exporterPort, '127.0.0.1', resolve),
  );

  const prometheus = await startPrometheus({
    openMetricsFiles: files,
    port,
    dataDir: path.join(dir, 'tsdb'),
    retention: '400d',
    config: `global:
  scrape_interval: 15s
  evaluation_interval: 1m
scrape_configs:
  - job_name: conductor-demo-traffic
    static_configs:
      - targets: ['127.0.0.1:${exporterPort}']
    # The same series as the generated history: no job or instance label.
    metric_relabel_configs:
      - action: labeldrop
        regex: job|instance
`,
  });
  fs.rmSync(path.join(dir, 'openmetrics'), { recursive: true, force: true });
  console.log(
    `[prometheus] ready on ${prometheus.url} (demo traffic exporter on 127.0.0.1:${exporterPort})`,
  );
  const stop = async () => {
    await prometheus.stop();
    exporter.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(e => {
  console.error(`[prometheus] ${e.message}`);
  process.exit(1);
});
