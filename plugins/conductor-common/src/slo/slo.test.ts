import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  budgetRemaining,
  burnAlertWindows,
  burnRate,
  costPerThousand,
  errorBudget,
  measured,
  sliFromErrorRatio,
  wouldFire,
} from './burn';
import { formatSloFileError, parseSloFile } from './parse';
import {
  errorRatioExpr,
  renderSloRules,
  sloMetricSelector,
  sloRuleGroups,
} from './rules';
import { slosFromSla } from './sla';

const examples = path.resolve(__dirname, '../../../../examples/slo');
const read = (f: string) => fs.readFileSync(path.join(examples, f), 'utf8');

describe('burn-rate arithmetic', () => {
  it('gives the SRE Workbook factors for 30 days and scales them for 28', () => {
    expect(
      burnAlertWindows(30).map(w => [
        w.id,
        w.longWindow,
        w.shortWindow,
        w.factor,
      ]),
    ).toEqual([
      ['page-fast', '1h', '5m', 14.4],
      ['page-slow', '6h', '30m', 6],
      ['ticket-fast', '1d', '2h', 3],
      ['ticket-slow', '3d', '6h', 1],
    ]);
    expect(burnAlertWindows(28).map(w => w.factor)).toEqual([
      13.44, 5.6, 2.8, 0.9333,
    ]);
  });

  it('computes budget, burn rate, budget remaining and the SLI', () => {
    expect(errorBudget(99.9)).toBe(0.001);
    expect(errorBudget(95)).toBe(0.05);
    expect(burnRate(0.0144, 99.9)).toBeCloseTo(14.4, 10);
    expect(budgetRemaining(0.00025, 99.9)).toBeCloseTo(0.75, 10);
    // Overspent budget stays negative so the board can say by how much.
    expect(budgetRemaining(0.003, 99.9)).toBeCloseTo(-2, 10);
    expect(sliFromErrorRatio(0.00025)).toBeCloseTo(0.99975, 10);
  });

  it('treats no traffic (NaN) as no data, never as healthy', () => {
    expect(measured(NaN)).toBeNull();
    expect(measured(Infinity)).toBeNull();
    expect(measured(undefined)).toBeNull();
    expect(burnRate(null, 99.9)).toBeNull();
    expect(budgetRemaining(null, 99.9)).toBeNull();
    expect(sliFromErrorRatio(null)).toBeNull();
    expect(wouldFire(null, 0.5, 14.4, 99.9)).toBeNull();
  });

  it('fires only when both windows exceed factor × budget', () => {
    // threshold 14.4 × 0.001 = 0.0144
    expect(wouldFire(0.02, 0.02, 14.4, 99.9)).toBe(true);
    expect(wouldFire(0.02, 0.01, 14.4, 99.9)).toBe(false); // short window recovered
    expect(wouldFire(0.01, 0.02, 14.4, 99.9)).toBe(false); // a blip, long window fine
    expect(wouldFire(0.0144, 0.0144, 14.4, 99.9)).toBe(false); // equal is not over
  });

  it('computes cost per 1,000 requests, none without traffic', () => {
    expect(costPerThousand(0.002, 10)).toBeCloseTo(0.2, 10);
    expect(costPerThousand(0.002, 0)).toBeNull();
    expect(costPerThousand(null, 10)).toBeNull();
  });
});

describe('SLO files', () => {
  it('reads a Sloth prometheus/v1 spec with events, labels and alerting', () => {
    const { slos, errors } = parseSloFile(
      'orders-api.sloth.yaml',
      read('orders-api.sloth.yaml'),
    );
    expect(errors).toEqual([]);
    expect(slos.map(s => s.id)).toEqual([
      'orders-api-requests-availability',
      'orders-api-read-latency',
    ]);
    const [avail, latency] = slos;
    expect(avail).toMatchObject({
      service: 'orders-api',
      objective: 99.9,
      windowDays: 30,
      format: 'sloth',
      labels: { owner: 'payments', tier: '1' },
      alerting: {
        name: 'OrdersApiHighErrorRate',
        labels: { category: 'availability' },
        page: { labels: { severity: 'pageteam', routing_key: 'payments' } },
      },
      source: { file: 'orders-api.sloth.yaml', line: 8 },
    });
    expect(avail.latency).toBeUndefined();
    expect(latency.latency).toEqual({
      thresholdMs: 350,
      bucketSelector:
        'http_request_duration_seconds_bucket{service="orders-api",operation="read"}',
    });
  });

  it('reads OpenSLO v1 (good/total, 28 d) and v1alpha (bad/total, timeWindows)', () => {
    const v1 = parseSloFile('p.yaml', read('payments-api.openslo.yaml'));
    expect(v1.errors).toEqual([]);
    expect(v1.slos[0]).toMatchObject({
      id: 'payments-api-requests-availability',
      objective: 99.9,
      windowDays: 28,
      indicator: { type: 'good-total' },
      format: 'openslo',
    });
    expect(errorRatioExpr(v1.slos[0], '5m')).toBe(
      '1 - ((sum(rate(http_requests_total{service="payments-api",code!~"5.."}[5m])))\n/\n(sum(rate(http_requests_total{service="payments-api"}[5m]))))',
    );
    const v1alpha = parseSloFile(
      'a.yaml',
      `apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: availability
spec:
  service: reports-api
  timeWindows:
    - unit: Day
      count: 30
      isRolling: true
  objectives:
    - displayName: good enough
      target: 0.995
      ratioMetrics:
        counter: true
        bad:
          source: prometheus
          query: sum(rate(http_requests_total{service="reports-api",code=~"5.."}[{{.window}}]))
        total:
          source: prometheus
          query: sum(rate(http_requests_total{service="reports-api"}[{{.window}}]))
`,
    );
    expect(v1alpha.errors).toEqual([]);
    expect(v1alpha.slos[0]).toMatchObject({
      id: 'reports-api-availability',
      objective: 99.5,
      windowDays: 30,
      indicator: { type: 'events' },
    });
  });

  it('names file, line and field for every problem and keeps the valid SLOs', () => {
    const text = `version: prometheus/v1
service: orders-api
slos:
  - name: ok
    objective: 99
    sli:
      raw:
        error_ratio_query: sum(rate(errors_total[{{.window}}])) / sum(rate(requests_total[{{.window}}]))
    alerting:
      name: Ok
  - name: too-high
    objective: 100
    sli:
      events:
        error_query: sum(rate(errors_total[5m]))
        total_query: sum(rate(requests_total[{{.window}}]))
    alerting:
      name: TooHigh
  - name: zero
    objective: 0
    sli:
      plugin:
        id: sloth-common/availability
    alerting:
      page_alert:
        labels:
          bad-label: x
`;
    const { slos, errors } = parseSloFile('svc.yaml', text);
    expect(slos.map(s => s.name)).toEqual(['ok']);
    expect(errors.map(formatSloFileError)).toEqual([
      'svc.yaml:12 slos[1].objective: must be above 0 and below 100 (a percent, e.g. 99.9), got 100',
      'svc.yaml:15 slos[1].sli.events.error_query: must contain {{.window}} where the range goes, e.g. rate(http_requests_total[{{.window}}])',
      'svc.yaml:20 slos[2].objective: must be above 0 and below 100 (a percent, e.g. 99.9), got 0',
      'svc.yaml:22 slos[2].sli: Sloth SLI plugins are not read; write the plugin as sli.events or sli.raw',
      'svc.yaml:25 slos[2].alerting.name: required: a Prometheus alert name (letters, digits, _ and :)',
      'svc.yaml:27 slos[2].alerting.page_alert.labels.bad-label: label names are letters, digits and _ and do not start with a digit',
    ]);
  });

  it('refuses an OpenSLO target given as a percent and windows other than 28 or 30 days', () => {
    const { slos, errors } = parseSloFile(
      'o.yaml',
      read('payments-api.openslo.yaml')
        .replace('target: 0.999', 'target: 99.9')
        .replace('duration: 28d', 'duration: 7d'),
    );
    expect(slos).toEqual([]);
    expect(errors.map(formatSloFileError)).toEqual([
      'o.yaml:12 spec.timeWindow[0]: a rolling window of 28 or 30 days (duration: 28d, or unit: Day with count: 28), got 7d',
      'o.yaml:32 spec.objectives[0].target: must be above 0 and below 1 (a ratio, e.g. 0.999), got 99.9',
    ]);
  });

  it('reports malformed YAML and unknown documents with their line', () => {
    expect(
      parseSloFile('x.yaml', 'service: [unclosed\n').errors[0],
    ).toMatchObject({
      file: 'x.yaml',
      field: '(yaml)',
    });
    expect(
      parseSloFile('x.yaml', 'kind: Component\n').errors.map(
        formatSloFileError,
      ),
    ).toEqual([
      'x.yaml:1 (document): neither an OpenSLO document (apiVersion: openslo/v1, kind: SLO) nor a Sloth spec (version: prometheus/v1)',
    ]);
    expect(
      parseSloFile('x.yaml', 'x'.repeat(300 * 1024)).errors[0].message,
    ).toMatch(/larger than/);
  });
});

describe('latency objectives from --sla', () => {
  it('turns read=350 write=700 into p95 ratio SLIs over histogram buckets', () => {
    const slos = slosFromSla({
      service: 'orders-api',
      sla: 'read=350 write=700',
    });
    expect(slos.map(s => [s.id, s.objective, s.latency?.thresholdMs])).toEqual([
      ['orders-api-latency-read', 95, 350],
      ['orders-api-latency-write', 95, 700],
    ]);
    expect(errorRatioExpr(slos[0], '1h')).toBe(
      '((sum(rate(http_request_duration_seconds_count{service="orders-api",operation="read"}[1h])) - sum(rate(http_request_duration_seconds_bucket{service="orders-api",operation="read",le="0.35"}[1h]))))\n/\n(sum(rate(http_request_duration_seconds_count{service="orders-api",operation="read"}[1h])))',
    );
  });

  it('refuses a malformed SLA naming the entry', () => {
    expect(() =>
      slosFromSla({ service: 'x', sla: 'read=fast write=0' }),
    ).toThrow(
      '--sla:1 sla: "read=fast": write operation=milliseconds, e.g. read=350\n--sla:1 sla.write: threshold must be above 0 and at most 600000 ms, got 0',
    );
  });
});

describe('rules in Sloth format', () => {
  const [avail] = parseSloFile('o.yaml', read('orders-api.sloth.yaml')).slos;

  it('records the error ratio per window and the period ratio from the 5m ratios', () => {
    const [recordings, meta] = sloRuleGroups(avail);
    expect(recordings.name).toBe(
      'sloth-slo-sli-recordings-orders-api-requests-availability',
    );
    expect(
      recordings.rules.map(r => [r.record, r.labels?.sloth_window]),
    ).toEqual([
      ['slo:sli_error:ratio_rate5m', '5m'],
      ['slo:sli_error:ratio_rate30m', '30m'],
      ['slo:sli_error:ratio_rate1h', '1h'],
      ['slo:sli_error:ratio_rate2h', '2h'],
      ['slo:sli_error:ratio_rate6h', '6h'],
      ['slo:sli_error:ratio_rate1d', '1d'],
      ['slo:sli_error:ratio_rate3d', '3d'],
      ['slo:sli_error:ratio_rate30d', '30d'],
    ]);
    expect(recordings.rules[0].labels).toEqual({
      owner: 'payments',
      sloth_id: 'orders-api-requests-availability',
      sloth_service: 'orders-api',
      sloth_slo: 'requests-availability',
      sloth_window: '5m',
      tier: '1',
    });
    expect(meta.rules.map(r => [r.record, r.expr])).toContainEqual([
      'slo:error_budget:ratio',
      'vector(0.001)',
    ]);
  });

  it("pages on 1h/5m ×14.4 or 6h/30m ×6, tickets on 1d/2h ×3 or 3d/6h ×1, with the spec's names and labels", () => {
    const alerts = sloRuleGroups(avail)[2].rules;
    expect(
      alerts.map(a => [
        a.alert,
        a.labels?.sloth_severity ?? a.labels?.severity,
      ]),
    ).toEqual([
      ['OrdersApiHighErrorRate', 'page'],
      ['OrdersApiHighErrorRate', 'ticket'],
      ['SLOMetricAbsent', 'critical'],
    ]);
    const sel =
      '{sloth_id="orders-api-requests-availability", sloth_service="orders-api", sloth_slo="requests-availability"}';
    const cond = (w: string, f: number) =>
      `max(slo:sli_error:ratio_rate${w}${sel} > (${f} * 0.001)) without (sloth_window)`;
    expect(alerts[0].expr).toBe(
      `(\n    ${cond('5m', 14.4)}\n    and\n    ${cond(
        '1h',
        14.4,
      )}\n)\nor\n(\n    ${cond('30m', 6)}\n    and\n    ${cond('6h', 6)}\n)\n`,
    );
    expect(alerts[1].expr).toContain(cond('2h', 3));
    expect(alerts[1].expr).toContain(cond('3d', 1));
    expect(alerts[0].labels).toEqual({
      category: 'availability',
      routing_key: 'payments',
      severity: 'pageteam',
      sloth_severity: 'page',
    });
    expect(alerts[0].annotations?.runbook).toBe(
      'https://runbooks.example.com/orders-api',
    );
    expect(alerts[2].expr).toBe(
      'absent(http_requests_total{service="orders-api"}) == 1\n',
    );
  });

  it('uses the 28-day factors for a 28-day SLO and leaves out a disabled alert', () => {
    const [p] = parseSloFile('p.yaml', read('payments-api.openslo.yaml')).slos;
    const groups = sloRuleGroups({
      ...p,
      alerting: {
        ...p.alerting,
        ticket: { ...p.alerting.ticket, disable: true },
      },
    });
    expect(groups[0].rules.at(-1)?.record).toBe('slo:sli_error:ratio_rate28d');
    const alerts = groups[2].rules;
    expect(alerts.map(a => a.labels?.sloth_severity ?? a.alert)).toEqual([
      'page',
      'SLOMetricAbsent',
    ]);
    expect(alerts[0].expr).toContain('> (13.44 * 0.001)');
    expect(alerts[0].expr).toContain('> (5.6 * 0.001)');
  });

  it('renders a groups: file that parses back', () => {
    const text = renderSloRules([avail]);
    const parsed = parse(text);
    expect(parsed.groups).toHaveLength(3);
    expect(sloMetricSelector(avail)).toBe(
      'http_requests_total{service="orders-api"}',
    );
  });
});
