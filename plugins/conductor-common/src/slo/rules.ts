// Prometheus rules for SLOs, exactly in the shape Sloth (v0.11) generates
// them, so dashboards and routing built on Sloth's `sloth_*` labels keep
// working: per SLO a group of error-ratio recording rules (one per window),
// a group of metadata rules, and a group with the page and ticket
// multi-window multi-burn-rate alerts, plus Pyrra's absent-metric alert.
import { stringify } from 'yaml';
import { burnAlertWindows, errorBudget, SLI_WINDOWS } from './burn';
import { SloDefinition } from './types';

/** One Prometheus rule. @public */
export interface PrometheusRule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rule group as Prometheus reads it. @public */
export interface PrometheusRuleGroup {
  name: string;
  rules: PrometheusRule[];
}

/** The query of the SLO's error ratio over one window (`5m`, `30d`...). @public */
export function errorRatioExpr(slo: SloDefinition, window: string): string {
  const w = (q: string) => q.split('{{.window}}').join(window);
  const i = slo.indicator;
  if (i.type === 'events')
    return `(${w(i.errorQuery)})\n/\n(${w(i.totalQuery)})`;
  if (i.type === 'good-total')
    return `1 - ((${w(i.goodQuery)})\n/\n(${w(i.totalQuery)}))`;
  return w(i.errorRatioQuery);
}

/** The query of the SLO's total events over one window (traffic), when it has one. @public */
export function totalExpr(
  slo: SloDefinition,
  window: string,
): string | undefined {
  const i = slo.indicator;
  if (i.type === 'raw') return undefined;
  return i.totalQuery.split('{{.window}}').join(window);
}

/**
 * The metric whose absence means the SLO cannot be measured: the first
 * series selector that takes the window, e.g. `http_requests_total{job="x"}`.
 *
 * @public
 */
export function sloMetricSelector(slo: SloDefinition): string | undefined {
  const i = slo.indicator;
  const text = i.type === 'raw' ? i.errorRatioQuery : i.totalQuery;
  const m =
    /([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^}]*\})?\s*\[\s*\{\{\.window\}\}\s*\]/.exec(
      text,
    );
  return m ? `${m[1]}${m[2] ?? ''}` : undefined;
}

const ratioRecord = (window: string) => `slo:sli_error:ratio_rate${window}`;

function sloLabels(slo: SloDefinition): Record<string, string> {
  return {
    ...slo.labels,
    sloth_id: slo.id,
    sloth_service: slo.service,
    sloth_slo: slo.name,
  };
}

function selector(slo: SloDefinition): string {
  return `{sloth_id="${slo.id}", sloth_service="${slo.service}", sloth_slo="${slo.name}"}`;
}

/** Sorted keys, so the output is stable line for line. */
function sorted(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** The three rule groups (recordings, metadata, alerts) of one SLO. @public */
export function sloRuleGroups(slo: SloDefinition): PrometheusRuleGroup[] {
  const labels = sloLabels(slo);
  const sel = selector(slo);
  const period = `${slo.windowDays}d`;
  const budget = errorBudget(slo.objective);

  const recordings: PrometheusRule[] = SLI_WINDOWS.map(window => ({
    record: ratioRecord(window),
    expr: `${errorRatioExpr(slo, window)}\n`,
    labels: sorted({ ...labels, sloth_window: window }),
  }));
  // The period ratio averages the 5m ratios, as Sloth does: a 30-day rate()
  // per evaluation would be far too expensive.
  recordings.push({
    record: ratioRecord(period),
    expr: `sum_over_time(${ratioRecord(
      '5m',
    )}${sel}[${period}])\n/ ignoring (sloth_window)\ncount_over_time(${ratioRecord(
      '5m',
    )}${sel}[${period}])\n`,
    labels: sorted({ ...labels, sloth_window: period }),
  });

  const meta: PrometheusRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${slo.objective / 100})` },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})` },
    { record: 'slo:time_period:days', expr: `vector(${slo.windowDays})` },
    {
      record: 'slo:current_burn_rate:ratio',
      expr: `${ratioRecord(
        '5m',
      )}${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}\n`,
    },
    {
      record: 'slo:period_burn_rate:ratio',
      expr: `${ratioRecord(
        period,
      )}${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}\n`,
    },
    {
      record: 'slo:period_error_budget_remaining:ratio',
      expr: `1 - slo:period_burn_rate:ratio${sel}`,
    },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: {
        sloth_mode: 'conductor',
        sloth_objective: String(slo.objective),
        sloth_spec: slo.format === 'openslo' ? 'openslo' : 'prometheus/v1',
      },
    },
  ].map(r => ({ ...r, labels: sorted({ ...labels, ...(r.labels ?? {}) }) }));

  const alerts: PrometheusRule[] = [];
  const windows = burnAlertWindows(slo.windowDays);
  for (const severity of ['page', 'ticket'] as const) {
    const spec = slo.alerting[severity];
    if (spec.disable) continue;
    const conditions = windows
      .filter(w => w.severity === severity)
      .map(w => {
        const over = (window: string) =>
          `max(${ratioRecord(window)}${sel} > (${
            w.factor
          } * ${budget})) without (sloth_window)`;
        return `(\n    ${over(w.shortWindow)}\n    and\n    ${over(
          w.longWindow,
        )}\n)`;
      });
    alerts.push({
      alert: slo.alerting.name,
      expr: `${conditions.join('\nor\n')}\n`,
      labels: sorted({
        ...slo.alerting.labels,
        ...spec.labels,
        sloth_severity: severity,
      }),
      annotations: sorted({
        title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
        summary:
          '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
        ...slo.alerting.annotations,
        ...spec.annotations,
      }),
    });
  }
  const metric = sloMetricSelector(slo);
  if (metric) {
    alerts.push({
      alert: 'SLOMetricAbsent',
      expr: `absent(${metric}) == 1\n`,
      for: '2m',
      labels: sorted({ ...labels, severity: 'critical' }),
      annotations: {
        description: `${slo.id} cannot be measured: no series ${metric}.`,
      },
    });
  }
  return [
    { name: `sloth-slo-sli-recordings-${slo.id}`, rules: recordings },
    { name: `sloth-slo-meta-recordings-${slo.id}`, rules: meta },
    { name: `sloth-slo-alerts-${slo.id}`, rules: alerts },
  ];
}

/** A Prometheus rule file (`groups:` YAML) for the SLOs. @public */
export function renderSloRules(slos: SloDefinition[]): string {
  const groups = slos.flatMap(sloRuleGroups);
  return `# Generated by Maestro Conductor in Sloth's format (sloth_* labels).\n# DO NOT EDIT: change the SLO file and generate again.\n${stringify(
    { groups },
    { lineWidth: 0 },
  )}`;
}
