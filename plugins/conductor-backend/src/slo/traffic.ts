// Generated traffic for a real Prometheus: counters written as OpenMetrics,
// turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`,
// served by Debian's `prometheus` on loopback. Used by the tests (known
// traffic, values worked out by hand), the benchmark and the demo.
import { execFile, spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * One counter series: its increase per second over the sample interval
 * ending at a time (seconds since epoch).
 */
export interface CounterSeries {
  /** Metric family, e.g. `http_requests` (samples get `_total`). */
  family: string;
  /** Sample name, e.g. `http_requests_total` or `x_bucket`. */
  name: string;
  labels: Record<string, string>;
  ratePerSecond(t: number): number;
}

/** Sample spacing by age: fine near the end, coarse for the old data. */
export interface TrafficSpan {
  /** Seconds since epoch of the first and last samples. */
  start: number;
  end: number;
  /** Spacing in seconds of the samples older than `fineFrom`. */
  step: number;
  /** From this time on, samples every `fineStep` seconds. */
  fineFrom?: number;
  fineStep?: number;
  /** Finer still from `finestFrom`: every `finestStep` seconds. */
  finestFrom?: number;
  finestStep?: number;
}

export function timestamps(span: TrafficSpan): number[] {
  const out: number[] = [];
  const fineFrom = span.fineFrom ?? Infinity;
  const finestFrom = span.finestFrom ?? Infinity;
  for (let t = span.start; t <= span.end; ) {
    out.push(t);
    if (t >= finestFrom) t += span.finestStep ?? span.step;
    else if (t >= fineFrom) t += span.fineStep ?? span.step;
    else t += span.step;
  }
  return out;
}

const labelText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');

/**
 * Writes the counters as OpenMetrics files, one per `chunkSeconds` of time:
 * timestamps in SECONDS (a millisecond timestamp is silently read as
 * seconds, far in the future), samples of each series in time order, `# EOF`
 * at the end. promtool 2.42 re-reads its whole input for every 2-hour block
 * it writes, so a month in one file takes minutes; a day per file takes
 * seconds. Each sample adds its rate times the time since the previous one.
 * Returns the files written.
 */
export function writeOpenMetrics(
  dir: string,
  series: CounterSeries[],
  span: TrafficSpan,
  chunkSeconds = 86400,
): string[] {
  const ts = timestamps(span);
  const families = new Map<string, CounterSeries[]>();
  for (const s of series) {
    families.set(s.family, [...(families.get(s.family) ?? []), s]);
  }
  // Counter values of every series at every timestamp.
  const values = series.map(s => {
    const out = new Float64Array(ts.length);
    let value = 0;
    for (let i = 0; i < ts.length; i++) {
      // The rate at t applies to the interval that ends at t.
      if (i > 0) value += s.ratePerSecond(ts[i]) * (ts[i] - ts[i - 1]);
      out[i] = Number(value.toFixed(6));
    }
    return out;
  });
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let from = 0; from < ts.length; ) {
    const chunkEnd = ts[from] + chunkSeconds;
    let to = from;
    while (to < ts.length && ts[to] < chunkEnd) to++;
    const file = path.join(dir, `traffic-${ts[from]}.om`);
    const fd = fs.openSync(file, 'w');
    for (const [family, members] of families) {
      const histogram = members.some(m => m.name.endsWith('_bucket'));
      let buf = `# TYPE ${family} ${histogram ? 'histogram' : 'counter'}\n`;
      for (const s of members) {
        const labels = labelText(s.labels);
        const prefix = labels ? `${s.name}{${labels}}` : s.name;
        const v = values[series.indexOf(s)];
        for (let i = from; i < to; i++) {
          buf += `${prefix} ${v[i]} ${ts[i]}\n`;
          if (buf.length > 1 << 20) {
            fs.writeSync(fd, buf);
            buf = '';
          }
        }
      }
      fs.writeSync(fd, buf);
    }
    fs.writeSync(fd, '# EOF\n');
    fs.closeSync(fd);
    files.push(file);
    from = to;
  }
  return files;
}

/** A running Prometheus over generated blocks. */
export interface LocalPrometheus {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Builds TSDB blocks from the OpenMetrics file with promtool and starts
 * `prometheus` on 127.0.0.1:`port` over them, with a retention longer than
 * the data's age (the default 15 d would delete the older blocks at start).
 */
export async function startPrometheus(options: {
  openMetricsFiles: string[];
  port: number;
  dataDir?: string;
  retention?: string;
  log?: string;
  /** prometheus.yml; default: no scrapes, only the generated blocks. */
  config?: string;
}): Promise<LocalPrometheus> {
  const dataDir =
    options.dataDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-prom-'));
  fs.mkdirSync(dataDir, { recursive: true });
  // Two at a time: the machine is shared.
  const queue = [...options.openMetricsFiles];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      await promisify(execFile)(
        'promtool',
        ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', f, dataDir],
        { maxBuffer: 16 * 1024 * 1024 },
      );
    }
  };
  await Promise.all([worker(), worker()]);
  const configFile = path.join(dataDir, 'prometheus.yml');
  fs.writeFileSync(
    configFile,
    options.config ?? 'global:\n  evaluation_interval: 1m\n',
  );
  const url = `http://127.0.0.1:${options.port}`;
  const logFd = fs.openSync(
    options.log ?? path.join(dataDir, 'prometheus.log'),
    'a',
  );
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--storage.tsdb.retention.time=${options.retention ?? '3650d'}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--web.enable-admin-api',
    ],
    { stdio: ['ignore', logFd, logFd] },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>(resolve => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) return { url, dataDir, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 100));
  }
  await stop();
  throw new Error(
    `prometheus did not become ready on ${url}: ${fs
      .readFileSync(options.log ?? path.join(dataDir, 'prometheus.log'), 'utf8')
      .slice(-2000)}`,
  );
}
