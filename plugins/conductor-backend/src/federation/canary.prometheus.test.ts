// The canary gate against a real Prometheus (Debian's, on loopback) over
// TSDB blocks built with promtool: known error rates for a baseline, a
// healthy canary and a canary 50 % worse.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  LocalPrometheus,
  startPrometheus,
  writeOpenMetrics,
} from '../slo/traffic';

jest.setTimeout(120_000);

/** A free loopback port: bound by the OS, then released for Prometheus. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// Data ends 4 h ago: Prometheus keeps the last ~3 h in its head block, which
// blocks built by promtool do not fill.
const end = Math.floor(Date.now() / 1000 / 60) * 60 - 4 * 3600;
const start = end - 3 * 3600;
/** Deterministic wobble so that samples differ (a real test, not ties). */
const wobble = (t: number, phase: number) =>
  0.15 * Math.sin(t / 420 + phase) + 0.05 * Math.sin(t / 97 + 2 * phase);

describe('conductor gate canary on a real Prometheus', () => {
  let prometheus: LocalPrometheus;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-prom-'));

  beforeAll(async () => {
    const series = (track: string, factor: number, phase: number) => ({
      family: 'http_request_errors',
      name: 'http_request_errors_total',
      labels: { service: 'orders-api', track },
      ratePerSecond: (t: number) => factor * (1 + wobble(t - start, phase)),
    });
    const files = writeOpenMetrics(
      path.join(dir, 'om'),
      [
        series('baseline', 1, 0),
        series('canary', 1.02, 1.3),
        series('canary-bad', 1.5, 2.1),
      ],
      { start, end, step: 30 },
    );
    prometheus = await startPrometheus({
      openMetricsFiles: files,
      port: await freePort(),
      dataDir: path.join(dir, 'data'),
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  async function gate(track: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runConductor(
      [
        'gate',
        'canary',
        '--dir',
        dir,
        '--entity',
        'component:default/orders-api',
        '--prometheus',
        prometheus.url,
        '--canary-query',
        `sum(rate(http_request_errors_total{track="${track}"}[5m]))`,
        '--baseline-query',
        'sum(rate(http_request_errors_total{track="baseline"}[5m]))',
        '--window',
        '60m',
        '--step',
        '60s',
        '--end',
        new Date((end - 600) * 1000).toISOString(),
      ],
      { out: l => out.push(l), err: l => err.push(l) },
    );
    return { code, out, err };
  }

  it('passes a canary within the tolerance of the baseline, with the numbers', async () => {
    const r = await gate('canary');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'PASS canary [ig-ci v1.2.0]: no significant increase: median canary 0.957 vs baseline 0.962 (-0.5%), U=2022, p=0.2049, alpha 0.05, tolerance +10%',
    ]);
  });

  it('fails a canary with 50 % more errors, with U and p', async () => {
    const r = await gate('canary-bad');
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      'FAIL canary [ig-ci v1.2.0]: canary significantly worse (increase): median canary 1.49 vs baseline 0.962 (+54.9%), U=3721, p=0, alpha 0.05, tolerance +10%',
    ]);
    // 61 samples a side over the hour
    const json = await runConductor(
      [
        '--json',
        'gate',
        'canary',
        '--dir',
        dir,
        '--entity',
        'component:default/orders-api',
        '--prometheus',
        prometheus.url,
        '--canary-query',
        'sum(rate(http_request_errors_total{track="canary-bad"}[5m]))',
        '--baseline-query',
        'sum(rate(http_request_errors_total{track="baseline"}[5m]))',
        '--window',
        '60m',
        '--end',
        new Date((end - 600) * 1000).toISOString(),
      ],
      { out: () => {}, err: () => {} },
    );
    expect(json).toBe(1);
    const state = JSON.parse(
      fs.readFileSync(path.join(dir, '.conductor/gates.json'), 'utf8'),
    );
    const canary = state.results.find((x: any) => x.gate === 'canary');
    expect(canary.details.canary.samples).toBe(61);
    expect(canary.details.baseline.samples).toBe(61);
    expect(canary.details.relativeShift).toBeGreaterThan(0.4);
    expect(canary.details.pValue).toBeLessThan(0.001);
  });
});
