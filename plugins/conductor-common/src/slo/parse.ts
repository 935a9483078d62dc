// Reads SLO files in the two formats teams already have: OpenSLO (v1alpha
// and v1, `kind: SLO`) and Sloth's `prometheus/v1` spec. Every problem names
// file, line and field; an SLO with a problem is left out, the others kept.
import {
  Document,
  LineCounter,
  Node,
  YAMLMap,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
} from 'yaml';
import { durationSeconds } from './burn';
import {
  SloAlertSpec,
  SloDefinition,
  SloFileError,
  SloFileParse,
  SloIndicator,
  SloLatency,
} from './types';

/** Bounds on what one file may hold. @public */
export const SLO_FILE_LIMITS = {
  maxBytes: 256 * 1024,
  maxSlos: 100,
  maxQueryLength: 4000,
};

/** Options for reading an SLO file. @public */
export interface ParseSloOptions {
  /** Window for formats without one (Sloth): 28 or 30 days. Default 30. */
  defaultWindowDays?: 28 | 30;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALERT_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/;
const WINDOW_PLACEHOLDER = '{{.window}}';

/** `file:line field: message`, the form every SLO error is printed in. @public */
export function formatSloFileError(e: SloFileError): string {
  return `${e.file}:${e.line} ${e.field}: ${e.message}`;
}

/** Thrown by `parseSloFileOrThrow` with every problem in the message. @public */
export class SloFileInvalidError extends Error {
  constructor(readonly errors: SloFileError[]) {
    super(errors.map(formatSloFileError).join('\n'));
    this.name = 'SloFileInvalidError';
  }
}

class Ctx {
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    readonly errors: SloFileError[],
  ) {}

  line(node: Node | null | undefined): number {
    return this.lines.linePos(node?.range?.[0] ?? 0).line;
  }

  error(node: Node | null | undefined, field: string, message: string) {
    this.errors.push({
      file: this.file,
      line: this.line(node),
      field,
      message,
    });
  }

  node(map: unknown, key: string): Node | undefined {
    return isMap(map) ? (map.get(key, true) as Node | undefined) : undefined;
  }

  map(map: unknown, key: string): YAMLMap | undefined {
    const n = this.node(map, key);
    return isMap(n) ? n : undefined;
  }

  str(map: unknown, key: string): string | undefined {
    const n = this.node(map, key);
    return isScalar(n) && n.value !== null && n.value !== undefined
      ? String(n.value)
      : undefined;
  }

  num(map: unknown, key: string): number | undefined {
    const n = this.node(map, key);
    if (!isScalar(n)) return undefined;
    if (typeof n.value === 'number') return n.value;
    return typeof n.value === 'string' && n.value.trim() !== ''
      ? Number(n.value)
      : NaN;
  }

  /** A map of string labels (or annotations); bad entries reported. */
  labels(
    parent: unknown,
    key: string,
    field: string,
    checkNames: boolean,
  ): Record<string, string> {
    const n = this.node(parent, key);
    if (n === undefined || (isScalar(n) && n.value === null)) return {};
    if (!isMap(n)) {
      this.error(n, field, 'expected a map of strings');
      return {};
    }
    const out: Record<string, string> = {};
    for (const pair of n.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = pair.value;
      if (checkNames && !LABEL_NAME.test(k)) {
        this.error(
          pair.key as Node,
          `${field}.${k}`,
          'label names are letters, digits and _ and do not start with a digit',
        );
        continue;
      }
      if (!isScalar(v) || typeof v.value === 'object') {
        this.error(
          (v as Node) ?? (pair.key as Node),
          `${field}.${k}`,
          'expected a string',
        );
        continue;
      }
      out[k] = String(v.value);
    }
    return out;
  }

  /** A PromQL query with `{{.window}}`, bounded. */
  query(parent: unknown, key: string, field: string): string | undefined {
    const n = this.node(parent, key);
    const q = this.str(parent, key)?.trim();
    if (!q) {
      this.error(n ?? (parent as Node), field, 'required, a PromQL query');
      return undefined;
    }
    if (q.length > SLO_FILE_LIMITS.maxQueryLength) {
      this.error(
        n,
        field,
        `longer than ${SLO_FILE_LIMITS.maxQueryLength} characters`,
      );
      return undefined;
    }
    if (!q.includes(WINDOW_PLACEHOLDER)) {
      this.error(
        n,
        field,
        `must contain ${WINDOW_PLACEHOLDER} where the range goes, e.g. rate(http_requests_total[${WINDOW_PLACEHOLDER}])`,
      );
      return undefined;
    }
    return q;
  }
}

/** Reads one SLO file (OpenSLO or Sloth). @public */
export function parseSloFile(
  file: string,
  text: string,
  options: ParseSloOptions = {},
): SloFileParse {
  const errors: SloFileError[] = [];
  if (text.length > SLO_FILE_LIMITS.maxBytes) {
    return {
      slos: [],
      errors: [
        {
          file,
          line: 1,
          field: '(file)',
          message: `larger than ${SLO_FILE_LIMITS.maxBytes} bytes`,
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const ctx = new Ctx(file, lineCounter, errors);
  for (const doc of list) {
    for (const e of doc.errors) {
      errors.push({
        file,
        line: e.linePos?.[0].line ?? 1,
        field: '(yaml)',
        message: e.message.split('\n')[0],
      });
    }
  }
  if (errors.length) return { slos: [], errors };

  const slos: SloDefinition[] = [];
  // OpenSLO v1 may define the indicator in its own document, referenced by name.
  const indicators = new Map<string, YAMLMap>();
  for (const doc of list) {
    const root = doc.contents;
    if (
      isMap(root) &&
      ctx.str(root, 'kind') === 'SLI' &&
      String(ctx.str(root, 'apiVersion') ?? '').startsWith('openslo/')
    ) {
      const name = ctx.str(ctx.map(root, 'metadata'), 'name');
      if (name) indicators.set(name, root);
    }
  }
  let recognised = 0;
  list.forEach((doc: Document, i) => {
    const root = doc.contents;
    if (root === null) return;
    const where = list.length > 1 ? `[document ${i + 1}]` : '';
    if (!isMap(root)) {
      ctx.error(root as Node, where || '(document)', 'expected a map');
      return;
    }
    const version = ctx.str(root, 'version');
    const apiVersion = ctx.str(root, 'apiVersion');
    if (version !== undefined) {
      recognised++;
      if (version !== 'prometheus/v1') {
        ctx.error(
          root.get('version', true) as Node,
          'version',
          `only Sloth's "prometheus/v1" is read, got "${version}"`,
        );
        return;
      }
      slos.push(...parseSloth(ctx, root, options));
    } else if (apiVersion?.startsWith('openslo/')) {
      recognised++;
      const kind = ctx.str(root, 'kind');
      if (kind !== 'SLO') return; // SLI, Service, AlertPolicy...: read where referenced
      if (apiVersion !== 'openslo/v1alpha' && apiVersion !== 'openslo/v1') {
        ctx.error(
          root.get('apiVersion', true) as Node,
          'apiVersion',
          `openslo/v1alpha or openslo/v1, got "${apiVersion}"`,
        );
        return;
      }
      slos.push(...parseOpenSlo(ctx, root, apiVersion, indicators));
    }
  });
  if (recognised === 0 && list.length > 0) {
    ctx.error(
      list[0].contents as Node,
      '(document)',
      'neither an OpenSLO document (apiVersion: openslo/v1, kind: SLO) nor a Sloth spec (version: prometheus/v1)',
    );
  }
  if (slos.length > SLO_FILE_LIMITS.maxSlos) {
    ctx.error(
      null,
      '(file)',
      `${slos.length} SLOs, at most ${SLO_FILE_LIMITS.maxSlos} per file`,
    );
    return { slos: [], errors };
  }
  const seen = new Map<string, number>();
  for (const slo of slos) {
    if (seen.has(slo.id)) {
      errors.push({
        file,
        line: slo.source.line,
        field: 'name',
        message: `duplicate SLO ${slo.id} (first on line ${seen.get(slo.id)})`,
      });
    } else seen.set(slo.id, slo.source.line);
  }
  return {
    slos: slos.filter((s, i) => slos.findIndex(o => o.id === s.id) === i),
    errors,
  };
}

/** Like `parseSloFile`, but any problem throws `SloFileInvalidError`. @public */
export function parseSloFileOrThrow(
  file: string,
  text: string,
  options?: ParseSloOptions,
): SloDefinition[] {
  const parsed = parseSloFile(file, text, options);
  if (parsed.errors.length) throw new SloFileInvalidError(parsed.errors);
  return parsed.slos;
}

function parseSloth(
  ctx: Ctx,
  root: YAMLMap,
  options: ParseSloOptions,
): SloDefinition[] {
  const out: SloDefinition[] = [];
  const service = ctx.str(root, 'service');
  if (!service || !NAME.test(service)) {
    ctx.error(
      ctx.node(root, 'service') ?? root,
      'service',
      'required: letters, digits, ".", "_" or "-"',
    );
    return out;
  }
  const serviceLabels = ctx.labels(root, 'labels', 'labels', true);
  const list = ctx.node(root, 'slos');
  if (!isSeq(list) || list.items.length === 0) {
    ctx.error(list ?? root, 'slos', 'required: a list of SLOs');
    return out;
  }
  list.items.forEach((item, i) => {
    const f = (rest: string) => `slos[${i}].${rest}`;
    if (!isMap(item)) {
      ctx.error(item as Node, `slos[${i}]`, 'expected a map');
      return;
    }
    const before = ctx.errors.length;
    const name = ctx.str(item, 'name');
    if (!name || !NAME.test(name))
      ctx.error(
        ctx.node(item, 'name') ?? item,
        f('name'),
        'required: letters, digits, ".", "_" or "-"',
      );
    const objective = checkObjective(
      ctx,
      item,
      'objective',
      f('objective'),
      100,
    );
    const sli = ctx.map(item, 'sli');
    let indicator: SloIndicator | undefined;
    if (!sli) {
      ctx.error(
        ctx.node(item, 'sli') ?? item,
        f('sli'),
        'required: events or raw',
      );
    } else if (ctx.map(sli, 'events')) {
      const events = ctx.map(sli, 'events');
      const errorQuery = ctx.query(
        events,
        'error_query',
        f('sli.events.error_query'),
      );
      const totalQuery = ctx.query(
        events,
        'total_query',
        f('sli.events.total_query'),
      );
      if (errorQuery && totalQuery)
        indicator = { type: 'events', errorQuery, totalQuery };
    } else if (ctx.map(sli, 'raw')) {
      const q = ctx.query(
        ctx.map(sli, 'raw'),
        'error_ratio_query',
        f('sli.raw.error_ratio_query'),
      );
      if (q) indicator = { type: 'raw', errorRatioQuery: q };
    } else {
      ctx.error(
        sli,
        f('sli'),
        ctx.node(sli, 'plugin')
          ? 'Sloth SLI plugins are not read; write the plugin as sli.events or sli.raw'
          : 'needs events (error_query, total_query) or raw (error_ratio_query)',
      );
    }
    const alerting = ctx.map(item, 'alerting');
    const alertName = ctx.str(alerting, 'name');
    if (!alertName || !ALERT_NAME.test(alertName))
      ctx.error(
        ctx.node(alerting, 'name') ?? alerting ?? item,
        f('alerting.name'),
        'required: a Prometheus alert name (letters, digits, _ and :)',
      );
    const alertSpec = (key: 'page_alert' | 'ticket_alert'): SloAlertSpec => {
      const a = ctx.map(alerting, key);
      const disable = ctx.node(a, 'disable');
      return {
        disable: isScalar(disable) && disable.value === true,
        labels: ctx.labels(a, 'labels', f(`alerting.${key}.labels`), true),
        annotations: ctx.labels(
          a,
          'annotations',
          f(`alerting.${key}.annotations`),
          false,
        ),
      };
    };
    const labels = {
      ...serviceLabels,
      ...ctx.labels(item, 'labels', f('labels'), true),
    };
    const alertLabels = ctx.labels(
      alerting,
      'labels',
      f('alerting.labels'),
      true,
    );
    const alertAnnotations = ctx.labels(
      alerting,
      'annotations',
      f('alerting.annotations'),
      false,
    );
    const page = alertSpec('page_alert');
    const ticket = alertSpec('ticket_alert');
    if (ctx.errors.length > before || !indicator || objective === undefined)
      return;
    out.push({
      id: `${service}-${name}`,
      service,
      name: name!,
      description: ctx.str(item, 'description'),
      objective,
      windowDays: options.defaultWindowDays ?? 30,
      indicator,
      labels,
      alerting: {
        name: alertName!,
        labels: alertLabels,
        annotations: alertAnnotations,
        page,
        ticket,
      },
      latency: latencyOf(indicator),
      format: 'sloth',
      source: { file: ctx.file, line: ctx.line(item) },
    });
  });
  return out;
}

function checkObjective(
  ctx: Ctx,
  parent: YAMLMap,
  key: string,
  field: string,
  scale: 100 | 1,
): number | undefined {
  const value = ctx.num(parent, key);
  const node = ctx.node(parent, key) ?? parent;
  const example = scale === 100 ? '99.9' : '0.999';
  const unit = scale === 100 ? 'percent' : 'ratio';
  if (value === undefined || !Number.isFinite(value)) {
    ctx.error(node, field, `required: a ${unit} such as ${example}`);
    return undefined;
  }
  if (!(value > 0 && value < scale)) {
    ctx.error(
      node,
      field,
      `must be above 0 and below ${scale} (a ${unit}, e.g. ${example}), got ${value}`,
    );
    return undefined;
  }
  return scale === 100 ? value : Math.round(value * 100 * 1e9) / 1e9;
}

function parseOpenSlo(
  ctx: Ctx,
  root: YAMLMap,
  apiVersion: string,
  indicators: Map<string, YAMLMap>,
): SloDefinition[] {
  const out: SloDefinition[] = [];
  const metadata = ctx.map(root, 'metadata');
  const name = ctx.str(metadata, 'name');
  const spec = ctx.map(root, 'spec');
  const before = ctx.errors.length;
  if (!name || !NAME.test(name))
    ctx.error(
      ctx.node(metadata, 'name') ?? root,
      'metadata.name',
      'required: letters, digits, ".", "_" or "-"',
    );
  if (!spec) {
    ctx.error(root, 'spec', 'required');
    return out;
  }
  const service = ctx.str(spec, 'service');
  if (!service || !NAME.test(service))
    ctx.error(
      ctx.node(spec, 'service') ?? spec,
      'spec.service',
      'required: letters, digits, ".", "_" or "-"',
    );
  const windowDays = openSloWindow(ctx, spec, apiVersion);
  const budgeting = ctx.str(spec, 'budgetingMethod');
  if (budgeting !== undefined && budgeting !== 'Occurrences')
    ctx.error(
      ctx.node(spec, 'budgetingMethod'),
      'spec.budgetingMethod',
      `only Occurrences is measured, got ${budgeting}`,
    );
  const objectives = ctx.node(spec, 'objectives');
  if (!isSeq(objectives) || objectives.items.length === 0) {
    ctx.error(
      objectives ?? spec,
      'spec.objectives',
      'required: a list with a target',
    );
    return out;
  }
  // v1: one indicator for all objectives, inline or by reference.
  let sharedIndicator: SloIndicator | undefined;
  if (apiVersion === 'openslo/v1') {
    let ind = ctx.map(spec, 'indicator');
    const ref = ctx.str(spec, 'indicatorRef');
    if (!ind && ref) {
      ind = indicators.get(ref);
      if (!ind)
        ctx.error(
          ctx.node(spec, 'indicatorRef'),
          'spec.indicatorRef',
          `no kind: SLI named ${ref} in this file`,
        );
    }
    if (!ind && !ref)
      ctx.error(spec, 'spec.indicator', 'required (or spec.indicatorRef)');
    const ratio = ctx.map(ctx.map(ind, 'spec'), 'ratioMetric');
    if (ind && !ratio)
      ctx.error(
        ind,
        'spec.indicator.spec.ratioMetric',
        'required: good or bad, and total (thresholdMetric is not measured)',
      );
    if (ratio)
      sharedIndicator = openSloRatio(
        ctx,
        ratio,
        'spec.indicator.spec.ratioMetric',
        m => ctx.map(ctx.map(m, 'metricSource'), 'spec'),
        '.metricSource.spec.query',
      );
  }
  objectives.items.forEach((item, i) => {
    const f = `spec.objectives[${i}]`;
    if (!isMap(item)) {
      ctx.error(item as Node, f, 'expected a map');
      return;
    }
    const target = checkObjective(ctx, item, 'target', `${f}.target`, 1);
    let indicator = sharedIndicator;
    if (apiVersion === 'openslo/v1alpha') {
      const ratio = ctx.map(item, 'ratioMetrics');
      if (!ratio)
        ctx.error(
          item,
          `${f}.ratioMetrics`,
          'required: good or bad, and total (thresholdMetric is not measured)',
        );
      else
        indicator = openSloRatio(
          ctx,
          ratio,
          `${f}.ratioMetrics`,
          m => m,
          '.query',
        );
    }
    if (ctx.errors.length > before || !indicator || target === undefined)
      return;
    const objectiveName =
      ctx.str(item, 'name') ??
      (objectives.items.length > 1 ? `${name}-${i + 1}` : name!);
    const sloName = objectiveName === name ? name! : `${name}-${objectiveName}`;
    out.push({
      id: `${service}-${sloName}`,
      service: service!,
      name: sloName,
      description:
        ctx.str(spec, 'description') ?? ctx.str(metadata, 'displayName'),
      objective: target,
      windowDays: windowDays!,
      indicator,
      labels: ctx.labels(metadata, 'labels', 'metadata.labels', true),
      alerting: {
        // OpenSLO names no alert; one per SLO keeps promtool's duplicate lint quiet.
        name: `${alertNamePart(service!)}${alertNamePart(
          sloName,
        )}ErrorBudgetBurn`,
        labels: {},
        annotations: {},
        page: { disable: false, labels: {}, annotations: {} },
        ticket: { disable: false, labels: {}, annotations: {} },
      },
      latency: latencyOf(indicator),
      format: 'openslo',
      source: { file: ctx.file, line: ctx.line(item) },
    });
  });
  return out;
}

function openSloWindow(
  ctx: Ctx,
  spec: YAMLMap,
  apiVersion: string,
): 28 | 30 | undefined {
  const key = apiVersion === 'openslo/v1' ? 'timeWindow' : 'timeWindows';
  const list = ctx.node(spec, key);
  const first = isSeq(list) ? list.items[0] : undefined;
  if (!isMap(first) || (isSeq(list) && list.items.length !== 1)) {
    ctx.error(
      list ?? spec,
      `spec.${key}`,
      'required: one rolling window of 28 or 30 days',
    );
    return undefined;
  }
  let days: number | undefined;
  const duration = ctx.str(first, 'duration');
  if (duration !== undefined) {
    try {
      days = durationSeconds(duration) / 86400;
    } catch {
      days = undefined;
    }
  } else {
    const unit = ctx.str(first, 'unit');
    const count = ctx.num(first, 'count');
    if (unit === 'Day' && count !== undefined) days = count;
    if (unit === 'Week' && count !== undefined) days = count * 7;
  }
  const rolling = ctx.node(first, 'isRolling');
  if (isScalar(rolling) && rolling.value === false) {
    ctx.error(
      rolling,
      `spec.${key}[0].isRolling`,
      'calendar windows are not measured; use a rolling window',
    );
    return undefined;
  }
  if (days !== 28 && days !== 30) {
    ctx.error(
      first,
      `spec.${key}[0]`,
      `a rolling window of 28 or 30 days (duration: 28d, or unit: Day with count: 28), got ${
        duration ?? `${ctx.str(first, 'count')} ${ctx.str(first, 'unit')}`
      }`,
    );
    return undefined;
  }
  return days;
}

function openSloRatio(
  ctx: Ctx,
  ratio: YAMLMap,
  field: string,
  querySpec: (metric: YAMLMap | undefined) => YAMLMap | undefined,
  queryPath: string,
): SloIndicator | undefined {
  const q = (key: 'good' | 'bad' | 'total') => {
    const m = ctx.map(ratio, key);
    if (!m) return undefined;
    return ctx.query(querySpec(m), 'query', `${field}.${key}${queryPath}`);
  };
  const has = (key: string) => ctx.node(ratio, key) !== undefined;
  if (!has('total')) {
    ctx.error(ratio, `${field}.total`, 'required');
    return undefined;
  }
  if (has('good') === has('bad')) {
    ctx.error(ratio, field, 'needs exactly one of good and bad, with total');
    return undefined;
  }
  const total = q('total');
  if (has('good')) {
    const good = q('good');
    return good && total
      ? { type: 'good-total', goodQuery: good, totalQuery: total }
      : undefined;
  }
  const bad = q('bad');
  return bad && total
    ? { type: 'events', errorQuery: bad, totalQuery: total }
    : undefined;
}

/**
 * A latency SLI reads a histogram bucket with an `le` matcher (requests at
 * or under the threshold); from it the board asks for the percentile.
 */
export function latencyOf(indicator: SloIndicator): SloLatency | undefined {
  let text: string;
  if (indicator.type === 'raw') text = indicator.errorRatioQuery;
  else if (indicator.type === 'events') text = indicator.errorQuery;
  else text = indicator.goodQuery;
  const m = /([A-Za-z_:][A-Za-z0-9_:]*_bucket)\s*\{([^}]*)\}/.exec(text);
  if (!m) return undefined;
  const matchers = splitMatchers(m[2]);
  const le = matchers.find(x => /^le\s*=/.test(x));
  if (!le) return undefined;
  const value = Number(/"([^"]*)"/.exec(le)?.[1]);
  if (!Number.isFinite(value)) return undefined;
  const inMs = /_(milliseconds|ms)_bucket$/.test(m[1]);
  return {
    thresholdMs: Math.round((inMs ? value : value * 1000) * 1000) / 1000,
    bucketSelector: `${m[1]}{${matchers.filter(x => x !== le).join(',')}}`,
  };
}

/** `a="x",b=~"y,z"` → matchers, commas inside quotes kept. */
function splitMatchers(body: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"' && body[i - 1] !== '\\') quoted = !quoted;
    if (c === ',' && !quoted) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** `orders-api` → `OrdersApi`, for alert names made from SLO names. */
export function alertNamePart(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(w => w[0].toUpperCase() + w.slice(1))
    .join('')
    .replace(/^(\d)/, 'X$1');
}
