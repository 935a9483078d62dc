// The seed's `--sla read=350 write=700`: p95 latency of reads ≤ 350 ms and of
// writes ≤ 700 ms, each expressed as a ratio SLI over histogram buckets
// ("95 % of reads answer within 350 ms"), so it gets the same error budget,
// rules and burn-rate alerts as availability.
import { alertNamePart, latencyOf, SloFileInvalidError } from './parse';
import { SloDefinition, SloFileError } from './types';

/** How the service's latency histogram is named and labelled. @public */
export interface SlaOptions {
  service: string;
  /** `read=350 write=700` (milliseconds per operation). */
  sla: string;
  /** Histogram base name, seconds. Default `http_request_duration_seconds`. */
  metric?: string;
  /** Label carrying the service name. Default `service`. */
  serviceLabel?: string;
  /** Label carrying the operation. Default `operation`. */
  operationLabel?: string;
  /** Share of requests that must be within the threshold, percent. Default 95 (p95). */
  percentile?: number;
  windowDays?: 28 | 30;
  /** Where the SLA was written, for messages (e.g. `annotation conductor.io/sla`). */
  origin?: string;
}

const OPERATION = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** Latency SLOs from an SLA; throws `SloFileInvalidError` naming the entry. @public */
export function slosFromSla(options: SlaOptions): SloDefinition[] {
  const origin = options.origin ?? '--sla';
  const errors: SloFileError[] = [];
  const err = (field: string, message: string) =>
    errors.push({ file: origin, line: 1, field, message });
  const metric = options.metric ?? 'http_request_duration_seconds';
  const serviceLabel = options.serviceLabel ?? 'service';
  const operationLabel = options.operationLabel ?? 'operation';
  const percentile = options.percentile ?? 95;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(options.service))
    err('service', 'letters, digits, ".", "_" or "-"');
  if (!/^[A-Za-z_:][A-Za-z0-9_:]*$/.test(metric))
    err('metric', `not a metric name: ${metric}`);
  if (!(percentile > 0 && percentile < 100))
    err('percentile', `must be above 0 and below 100, got ${percentile}`);
  const entries = options.sla
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (entries.length === 0) err('sla', 'empty; write e.g. read=350 write=700');
  if (entries.length > 20) err('sla', 'at most 20 operations');
  const parsed: Array<{ op: string; ms: number }> = [];
  for (const entry of entries) {
    const m = /^([^=]+)=(\d+(?:\.\d+)?)(ms)?$/.exec(entry);
    if (!m || !OPERATION.test(m[1])) {
      err('sla', `"${entry}": write operation=milliseconds, e.g. read=350`);
      continue;
    }
    const ms = Number(m[2]);
    if (!(ms > 0 && ms <= 600_000)) {
      err(
        `sla.${m[1]}`,
        `threshold must be above 0 and at most 600000 ms, got ${ms}`,
      );
      continue;
    }
    if (parsed.some(p => p.op === m[1])) {
      err(`sla.${m[1]}`, 'listed twice');
      continue;
    }
    parsed.push({ op: m[1], ms });
  }
  if (errors.length) throw new SloFileInvalidError(errors);
  return parsed.map(({ op, ms }) => {
    const sel = `${serviceLabel}="${options.service}",${operationLabel}="${op}"`;
    const le = String(ms / 1000);
    const total = `sum(rate(${metric}_count{${sel}}[{{.window}}]))`;
    const fast = `sum(rate(${metric}_bucket{${sel},le="${le}"}[{{.window}}]))`;
    const indicator = {
      type: 'events' as const,
      // Slow requests: all of them minus those within the threshold bucket.
      errorQuery: `(${total} - ${fast})`,
      totalQuery: total,
    };
    return {
      id: `${options.service}-latency-${op}`,
      service: options.service,
      name: `latency-${op}`,
      description: `p${percentile} ${op} latency within ${ms} ms`,
      objective: percentile,
      windowDays: options.windowDays ?? 30,
      indicator,
      labels: { category: 'latency' },
      alerting: {
        name: `${alertNamePart(options.service)}${alertNamePart(
          op,
        )}LatencyBudgetBurn`,
        labels: { category: 'latency' },
        annotations: {
          summary: `${options.service} ${op} requests slower than ${ms} ms are using the error budget too fast`,
        },
        page: { disable: false, labels: {}, annotations: {} },
        ticket: { disable: false, labels: {}, annotations: {} },
      },
      latency: latencyOf(indicator),
      format: 'sla' as const,
      source: { file: origin, line: 1 },
    };
  });
}
