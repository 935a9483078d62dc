import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Measured,
  SLI_WINDOWS,
  SloBoardResponse,
  SloBurnAlertStatus,
  SloComponentResponse,
  SloDefinition,
  SloHistoryPoint,
  SloPrometheusState,
  SloServiceRow,
  SloStatus,
  SloTeamsResponse,
  SloUnitCost,
  budgetRemaining,
  burnAlertWindows,
  burnRate,
  costPerThousand,
  errorBudget,
  measured,
  renderSloRules,
  sliFromErrorRatio,
  sloMetricSelector,
  wouldFire,
  alertLinks,
} from '@internal/plugin-conductor-common';
import { AlertSender } from '../shared/AlertSender';
import { AlertSwitch } from '../shared/alertSettings';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';
import {
  PromQLError,
  PrometheusClient,
  PrometheusUnavailableError,
} from './PrometheusClient';
import { SloAlertState, SloAlertStore } from './SloAlertStore';
import { ComponentSlos, SloDefinitions, hasSlos } from './SloDefinitions';

/** Unit cost settings (`conductor.slo.cost`). */
export interface SloCostSettings {
  /** Cost per second by service, e.g. `sum by (service) (rate(cloud_cost_dollars_total[1h]))`. */
  query: string;
  /** Requests per second by service over the same window. */
  requestsQuery: string;
  serviceLabel: string;
  guardrailPerThousandRequests?: number;
  currency: string;
}

/** One SLO of one component, as the batched queries see it. */
interface Item {
  key: string;
  slo: SloDefinition;
  component: ComponentSlos;
}

/** A value per item, or why there is none. */
type Answer = { value: Measured; missing?: boolean } | { error: string };

/** The window the latency percentile is measured over. */
const LATENCY_WINDOW = '1h';

/** Notification severity of a firing alert. */
const SEVERITY = { page: 'critical', ticket: 'high' } as const;

/** The label each SLO's answer is tagged with in a batched query. */
const KEY_LABEL = 'conductor_slo';

/**
 * The error ratio as the board asks for it: a missing error series means no
 * errors yet (counters appear on their first increment), not "no data", so
 * errors default to 0 while the total decides whether there was traffic.
 */
export function boardErrorRatioExpr(
  slo: SloDefinition,
  window: string,
): string {
  const w = (q: string) => q.split('{{.window}}').join(window);
  const i = slo.indicator;
  if (i.type === 'events')
    return `((${w(i.errorQuery)}) or on() vector(0))\n/\n(${w(i.totalQuery)})`;
  if (i.type === 'good-total')
    return `1 - (((${w(i.goodQuery)}) or on() vector(0))\n/\n(${w(
      i.totalQuery,
    )}))`;
  return w(i.errorRatioQuery);
}

/**
 * The SLO boards: every number on a board comes from a handful of batched
 * Prometheus queries (one per window across the board's SLOs, one for the
 * latency percentiles, two for unit cost), each cached for a short time.
 */
export class SloService {
  constructor(
    private readonly deps: {
      prometheus?: PrometheusClient;
      definitions: SloDefinitions;
      catalogSnapshot: CatalogSnapshot;
      evidence: EvidenceAccess;
      alerts: AlertSender;
      /** On/off of the burn alerts (`readSloBurnAlertSettings`). */
      burnAlert?: AlertSwitch;
      alertStore: SloAlertStore;
      logger: LoggerService;
      cost?: SloCostSettings;
      /** Evaluation time; boards share it for `cacheTtlMs` so they share the cache. */
      now?: () => Date;
      cacheTtlMs: number;
      /** One query per number instead of batches (the benchmark's baseline). */
      naive?: boolean;
      /** Most SLOs in one query (default 50); bigger boards send several side by side. */
      batchSize?: number;
    },
  ) {}

  /** Queries sent to Prometheus so far. */
  get prometheusQueries(): number {
    return this.deps.prometheus?.queries ?? 0;
  }

  private evaluationTime(): number {
    const now = (this.deps.now?.() ?? new Date()).getTime();
    const step = Math.max(1000, this.deps.cacheTtlMs);
    // Aligned so that boards asked within one cache period share answers.
    return this.deps.now ? now / 1000 : Math.floor(now / step) * (step / 1000);
  }

  private prometheusState(): SloPrometheusState {
    return this.deps.prometheus
      ? { configured: true, state: 'ok', url: this.deps.prometheus.url }
      : {
          configured: false,
          state: 'not-configured',
          reason:
            'No Prometheus is configured (conductor.slo.prometheus.url); no numbers are shown.',
        };
  }

  /** Components with SLO annotations, optionally of one owner. */
  private async components(team?: string): Promise<Entity[]> {
    const { catalogSnapshot } = this.deps;
    // Right after start the snapshot may not be built yet.
    await catalogSnapshot.ensure();
    return catalogSnapshot
      .entities(['component'])
      .filter(hasSlos)
      .filter(
        e =>
          team === undefined ||
          catalogSnapshot.ownerOf(stringifyEntityRef(e)) === team,
      );
  }

  /** Teams (owners) of components with SLOs, for the SLO page. */
  async teams(
    allowed: (refs: string[]) => Promise<Set<string>>,
  ): Promise<SloTeamsResponse> {
    const entities = await this.components();
    const ok = await allowed(entities.map(e => stringifyEntityRef(e)));
    const byTeam = new Map<string, { services: number; slos: number }>();
    for (const entity of entities) {
      const ref = stringifyEntityRef(entity);
      if (!ok.has(ref)) continue;
      const owner = this.deps.catalogSnapshot.ownerOf(ref) ?? 'unowned';
      const defs = await this.deps.definitions.forComponent(entity, owner);
      const t = byTeam.get(owner) ?? { services: 0, slos: 0 };
      t.services++;
      t.slos += defs.slos.length;
      byTeam.set(owner, t);
    }
    return {
      prometheus: this.prometheusState(),
      teams: [...byTeam.entries()]
        .map(([team, t]) => ({ team, title: this.titleOf(team), ...t }))
        .sort((a, b) => a.team.localeCompare(b.team)),
    };
  }

  private titleOf(ref: string): string | undefined {
    const e = this.deps.catalogSnapshot.get(ref);
    return (
      e?.metadata.title ??
      (e?.spec?.profile as { displayName?: string } | undefined)?.displayName
    );
  }

  /** The board of one team: every service it owns that has SLOs. */
  async board(
    team: string,
    allowed: (refs: string[]) => Promise<Set<string>>,
  ): Promise<SloBoardResponse> {
    const entities = await this.components(team);
    const ok = await allowed(entities.map(e => stringifyEntityRef(e)));
    const defs = await Promise.all(
      entities
        .filter(e => ok.has(stringifyEntityRef(e)))
        .map(e => this.deps.definitions.forComponent(e, team)),
    );
    const before = this.prometheusQueries;
    const time = this.evaluationTime();
    const { rows, prometheus } = await this.evaluate(defs, time);
    return {
      team,
      title: this.titleOf(team),
      evaluatedAt: new Date(time * 1000).toISOString(),
      prometheus,
      services: rows,
      queries: this.prometheusQueries - before,
    };
  }

  /** One component's SLOs with the burn-down and burn-rate history and its rules. */
  async component(entity: Entity): Promise<SloComponentResponse> {
    const ref = stringifyEntityRef(entity);
    const defs = await this.deps.definitions.forComponent(
      entity,
      this.deps.catalogSnapshot.ownerOf(ref),
    );
    const time = this.evaluationTime();
    const { rows, prometheus } = await this.evaluate([defs], time);
    const history: Record<string, SloHistoryPoint[]> = {};
    if (prometheus.state === 'ok') {
      for (const status of rows[0].slos) {
        if (status.state !== 'ok') continue;
        const slo = defs.slos.find(s => s.id === status.id)!;
        try {
          history[slo.id] = await this.history(slo, time);
        } catch (e) {
          if (e instanceof PrometheusUnavailableError) break;
          if (!(e instanceof PromQLError)) throw e;
        }
      }
    }
    return {
      ...rows[0],
      evaluatedAt: new Date(time * 1000).toISOString(),
      prometheus,
      history,
      rules: defs.slos.length ? renderSloRules(defs.slos) : undefined,
    };
  }

  /**
   * Over the SLO's window: the error budget left (ratio over the rolling
   * window at each point) and the 6h burn rate, each point covering the 6
   * hours before it so that no hour is skipped.
   */
  private async history(
    slo: SloDefinition,
    time: number,
  ): Promise<SloHistoryPoint[]> {
    const prometheus = this.deps.prometheus!;
    const period = slo.windowDays * 86400;
    const step = 6 * 3600;
    const start = time - period;
    const [budget, burn] = await Promise.all([
      prometheus.range(
        boardErrorRatioExpr(slo, `${slo.windowDays}d`),
        start,
        time,
        step * 2,
      ),
      prometheus.range(boardErrorRatioExpr(slo, '6h'), start, time, step),
    ]);
    const byTime = new Map<number, SloHistoryPoint>();
    const point = (t: number) => {
      const p = byTime.get(t) ?? {
        t: new Date(t * 1000).toISOString(),
        budgetRemaining: null,
        burnRate: null,
      };
      byTime.set(t, p);
      return p;
    };
    for (const [t, v] of budget[0]?.points ?? [])
      point(t).budgetRemaining = budgetRemaining(measured(v), slo.objective);
    for (const [t, v] of burn[0]?.points ?? [])
      point(t).burnRate = burnRate(measured(v), slo.objective);
    return [...byTime.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
  }

  /**
   * Runs one batched query: each item's expression tagged with its key and
   * joined with `or`. When Prometheus refuses the batch, it is split in
   * halves until the refused SLO is alone, so only that SLO shows the error.
   */
  private async batch(
    items: Item[],
    exprOf: (item: Item) => string,
    time: number,
  ): Promise<Map<string, Answer>> {
    const out = new Map<string, Answer>();
    if (items.length === 0) return out;
    // Prometheus evaluates one query on one core: past `batchSize` SLOs the
    // batch is split into queries it can run side by side.
    const size = this.deps.naive ? 1 : this.deps.batchSize ?? 50;
    if (items.length > size) {
      const chunks: Item[][] = [];
      for (let i = 0; i < items.length; i += size)
        chunks.push(items.slice(i, i + size));
      const parts = await Promise.all(
        chunks.map(c => this.batch(c, exprOf, time)),
      );
      for (const p of parts) for (const [k, v] of p) out.set(k, v);
      return out;
    }
    const query = items
      .map(
        i =>
          `label_replace((${exprOf(i)}), "${KEY_LABEL}", "${i.key.replace(
            /["\\]/g,
            '',
          )}", "", "")`,
      )
      .join('\nor\n');
    let samples;
    try {
      samples = await this.deps.prometheus!.instant(query, time);
    } catch (e) {
      if (!(e instanceof PromQLError)) throw e;
      if (items.length === 1) {
        out.set(items[0].key, {
          error: `Prometheus refused the query of ${items[0].slo.id} (${
            items[0].slo.source.file
          }): ${e.reason}. Query: ${exprOf(items[0])}`,
        });
        return out;
      }
      // Halves until the refused SLO is alone: a few queries, not one per SLO.
      const half = Math.floor(items.length / 2);
      const parts = await Promise.all([
        this.batch(items.slice(0, half), exprOf, time),
        this.batch(items.slice(half), exprOf, time),
      ]);
      for (const p of parts) for (const [k, v] of p) out.set(k, v);
      return out;
    }
    const counts = new Map<string, number>();
    for (const s of samples) {
      const key = s.labels[KEY_LABEL];
      counts.set(key, (counts.get(key) ?? 0) + 1);
      out.set(key, { value: measured(s.value) });
    }
    for (const item of items) {
      if ((counts.get(item.key) ?? 0) > 1)
        out.set(item.key, {
          error: `the query of ${item.slo.id} returns ${counts.get(
            item.key,
          )} series; aggregate it to one with sum()`,
        });
      if (!out.has(item.key)) out.set(item.key, { value: null, missing: true });
    }
    return out;
  }

  /**
   * Measures the SLOs of the components at `time`. Prometheus down marks
   * every SLO "data unavailable" with the reason; a refused query marks only
   * its SLO.
   */
  async evaluate(
    components: ComponentSlos[],
    time: number,
  ): Promise<{ rows: SloServiceRow[]; prometheus: SloPrometheusState }> {
    const prometheus = this.prometheusState();
    const items: Item[] = components.flatMap(component =>
      component.slos.map(slo => ({
        key: `${component.entityRef}#${slo.id}`,
        slo,
        component,
      })),
    );
    const periods = [...new Set(items.map(i => `${i.slo.windowDays}d`))];
    const windows = [...SLI_WINDOWS, ...periods];
    let ratios = new Map<string, Map<string, Answer>>();
    let latency = new Map<string, Answer>();
    let costs: Map<string, SloUnitCost> | undefined;
    let unavailable: string | undefined;
    if (this.deps.prometheus && items.length) {
      try {
        const [r, l, c] = await Promise.all([
          Promise.all(
            windows.map(w =>
              this.batch(
                items.filter(
                  i => SLI_WINDOWS.includes(w) || `${i.slo.windowDays}d` === w,
                ),
                i => boardErrorRatioExpr(i.slo, w),
                time,
              ),
            ),
          ),
          this.batch(
            items.filter(i => i.slo.latency),
            i =>
              `histogram_quantile(${i.slo.objective / 100}, sum by (le) (rate(${
                i.slo.latency!.bucketSelector
              }[${LATENCY_WINDOW}])))`,
            time,
          ),
          this.unitCosts(components, time),
        ]);
        ratios = new Map(windows.map((w, n) => [w, r[n]]));
        latency = l;
        costs = c;
      } catch (e) {
        if (!(e instanceof PrometheusUnavailableError)) throw e;
        unavailable = e.message;
      }
    }
    const rows = components.map(component => {
      const slos = component.slos.map(slo =>
        this.status(
          slo,
          `${component.entityRef}#${slo.id}`,
          ratios,
          latency,
          unavailable,
        ),
      );
      const firing = (sev: string) =>
        slos.some(s => s.alerts.some(a => a.severity === sev && a.firing));
      let alertState: SloServiceRow['alertState'] = 'no-data';
      if (firing('page')) alertState = 'page';
      else if (firing('ticket')) alertState = 'ticket';
      else if (slos.some(s => s.state === 'ok')) alertState = 'ok';
      const row: SloServiceRow = {
        entityRef: component.entityRef,
        name: component.entity.metadata.name,
        title: component.entity.metadata.title,
        owner: component.owner,
        sloFile: component.sloFile,
        slos,
        fileErrors: component.errors,
        alertState,
      };
      const cost = this.costFor(component, costs, unavailable);
      if (cost) row.cost = cost;
      return row;
    });
    return {
      rows,
      prometheus: unavailable
        ? { ...prometheus, state: 'unavailable', reason: unavailable }
        : prometheus,
    };
  }

  private status(
    slo: SloDefinition,
    key: string,
    ratios: Map<string, Map<string, Answer>>,
    latency: Map<string, Answer>,
    unavailable: string | undefined,
  ): SloStatus {
    const base: SloStatus = {
      id: slo.id,
      name: slo.name,
      service: slo.service,
      description: slo.description,
      objective: slo.objective,
      windowDays: slo.windowDays,
      format: slo.format,
      source: slo.source,
      state: 'ok',
      sli: null,
      budgetRemaining: null,
      burnRates: {},
      alerts: burnAlertWindows(slo.windowDays).map(w => ({
        ...w,
        longBurnRate: null,
        shortBurnRate: null,
        firing: null,
      })),
      latency: slo.latency
        ? {
            thresholdMs: slo.latency.thresholdMs,
            percentile: slo.objective,
            valueMs: null,
          }
        : undefined,
    };
    if (!this.deps.prometheus)
      return {
        ...base,
        state: 'not-configured',
        reason: 'no Prometheus is configured',
      };
    if (unavailable)
      return { ...base, state: 'unavailable', reason: unavailable };
    const ratioAt = (w: string): Measured => {
      const a = ratios.get(w)?.get(key);
      return a && 'value' in a ? a.value : null;
    };
    const errors = [...ratios.values()]
      .map(m => m.get(key))
      .filter((a): a is { error: string } => !!a && 'error' in a);
    if (errors.length)
      return { ...base, state: 'error', reason: errors[0].error };
    const period = `${slo.windowDays}d`;
    const periodAnswer = ratios.get(period)?.get(key);
    const burnRates: Record<string, Measured> = {};
    for (const w of [...SLI_WINDOWS, period])
      burnRates[w] = burnRate(ratioAt(w), slo.objective);
    const alerts: SloBurnAlertStatus[] = base.alerts.map(a => ({
      ...a,
      longBurnRate: burnRates[a.longWindow],
      shortBurnRate: burnRates[a.shortWindow],
      firing: wouldFire(
        ratioAt(a.longWindow),
        ratioAt(a.shortWindow),
        a.factor,
        slo.objective,
      ),
    }));
    const lat = latency.get(key);
    const latencyValue =
      base.latency && lat && 'value' in lat && lat.value !== null
        ? {
            ...base.latency,
            valueMs: Math.round(lat.value * 1000 * 1000) / 1000,
          }
        : base.latency;
    const out: SloStatus = {
      ...base,
      sli: sliFromErrorRatio(ratioAt(period)),
      budgetRemaining: budgetRemaining(ratioAt(period), slo.objective),
      burnRates,
      alerts,
      latency: latencyValue,
    };
    if (periodAnswer && 'missing' in periodAnswer && periodAnswer.missing) {
      const metric = sloMetricSelector(slo);
      return {
        ...out,
        state: 'absent',
        absentMetric: metric,
        reason: `no series ${
          metric ?? 'for the SLO query'
        } in the last ${period}: the metric is absent`,
      };
    }
    if (ratioAt(period) === null)
      return {
        ...out,
        state: 'no-data',
        reason: `no traffic in the last ${period}`,
      };
    return out;
  }

  private async unitCosts(
    components: ComponentSlos[],
    time: number,
  ): Promise<Map<string, SloUnitCost> | undefined> {
    const cost = this.deps.cost;
    if (!cost || components.length === 0) return undefined;
    const out = new Map<string, SloUnitCost>();
    const answer = async (q: string) => {
      try {
        return { samples: await this.deps.prometheus!.instant(q, time) };
      } catch (e) {
        if (e instanceof PromQLError)
          return {
            error: `Prometheus refused the cost query: ${e.reason}. Query: ${q}`,
          };
        throw e;
      }
    };
    const [c, r] = await Promise.all([
      answer(cost.query),
      answer(cost.requestsQuery),
    ]);
    const byService = (
      samples?: Array<{ labels: Record<string, string>; value: number }>,
    ) =>
      new Map((samples ?? []).map(s => [s.labels[cost.serviceLabel], s.value]));
    const costBy = byService(c.samples);
    const reqBy = byService(r.samples);
    for (const component of components) {
      const service = serviceOf(component);
      const base = {
        guardrail: cost.guardrailPerThousandRequests,
        currency: cost.currency,
        exceeded: false,
      };
      const error = c.error ?? r.error;
      if (error) {
        out.set(component.entityRef, {
          ...base,
          state: 'error',
          reason: error,
          perThousandRequests: null,
        });
        continue;
      }
      if (!costBy.has(service)) {
        out.set(component.entityRef, {
          ...base,
          state: 'absent',
          reason: `no cost series with ${cost.serviceLabel}="${service}"`,
          perThousandRequests: null,
        });
        continue;
      }
      const per = costPerThousand(
        measured(costBy.get(service)),
        measured(reqBy.get(service)),
      );
      out.set(component.entityRef, {
        ...base,
        state: per === null ? 'no-data' : 'ok',
        reason: per === null ? 'no requests to divide the cost by' : undefined,
        perThousandRequests: per,
        exceeded:
          per !== null &&
          cost.guardrailPerThousandRequests !== undefined &&
          per > cost.guardrailPerThousandRequests,
      });
    }
    return out;
  }

  private costFor(
    component: ComponentSlos,
    costs: Map<string, SloUnitCost> | undefined,
    unavailable: string | undefined,
  ): SloUnitCost | undefined {
    const cost = this.deps.cost;
    if (!cost) return undefined;
    if (unavailable)
      return {
        state: 'unavailable',
        reason: unavailable,
        perThousandRequests: null,
        guardrail: cost.guardrailPerThousandRequests,
        exceeded: false,
        currency: cost.currency,
      };
    return costs?.get(component.entityRef);
  }

  /**
   * The scheduled pass: measures every SLO, sends each burn alert that
   * started firing once to the owning group and its resolution once, and
   * records each component's `slo.adherence`. Nothing is sent or recorded
   * without data.
   */
  async runAlertsAndAdherence(): Promise<{
    fired: string[];
    resolved: string[];
    adherence: Record<string, number>;
    unavailable?: string;
  }> {
    const time = this.evaluationTime();
    const defs = await Promise.all(
      (
        await this.components()
      ).map(e =>
        this.deps.definitions.forComponent(
          e,
          this.deps.catalogSnapshot.ownerOf(stringifyEntityRef(e)),
        ),
      ),
    );
    const { rows, prometheus } = await this.evaluate(defs, time);
    if (prometheus.state !== 'ok') {
      this.deps.logger.warn(
        `SLO burn alerts and adherence skipped: ${prometheus.reason}`,
      );
      return {
        fired: [],
        resolved: [],
        adherence: {},
        unavailable: prometheus.reason,
      };
    }
    const fired: string[] = [];
    const resolved: string[] = [];
    const states = await this.deps.alertStore.all();
    const observedAt = new Date(time * 1000).toISOString();
    for (const row of rows) {
      for (const slo of row.slos) {
        if (slo.state !== 'ok') continue;
        for (const severity of ['page', 'ticket'] as const) {
          const conditions = slo.alerts.filter(a => a.severity === severity);
          if (conditions.every(a => a.firing === null)) continue; // no data: no change
          const firing = conditions.some(a => a.firing === true);
          const alertKey = `conductor-slo:${row.entityRef}:${slo.id}:${severity}`;
          const prev = states.get(alertKey);
          if (firing === (prev?.firing ?? false)) continue;
          const state: SloAlertState = {
            alertKey,
            entityRef: row.entityRef,
            sloId: slo.id,
            severity,
            firing,
            since: observedAt,
          };
          await this.deps.alertStore.set(state);
          (firing ? fired : resolved).push(alertKey);
          this.notify(row, slo, severity, firing, conditions);
        }
      }
    }
    const adherence = await this.adherence(defs, rows, time);
    const facts = Object.entries(adherence).map(([entityRef, value]) => ({
      entityRef,
      name: 'slo.adherence',
      value,
      observedAt,
    }));
    if (facts.length) await this.deps.evidence.recordObserved('slo', facts);
    return { fired, resolved, adherence };
  }

  private notify(
    row: SloServiceRow,
    slo: SloStatus,
    severity: 'page' | 'ticket',
    firing: boolean,
    conditions: SloBurnAlertStatus[],
  ) {
    // Switched off: the state is still tracked, so nothing is sent late when switched on.
    if (!row.owner || this.deps.burnAlert?.enabled === false) return;
    const alertKey = `conductor-slo:${row.entityRef}:${slo.id}:${severity}`;
    const which = conditions
      .filter(c => c.firing)
      .map(
        c =>
          `${c.longWindow}/${c.shortWindow} burning ${c.longBurnRate?.toFixed(
            1,
          )}× and ${c.shortBurnRate?.toFixed(1)}× (over ${c.factor}×)`,
      )
      .join('; ');
    this.deps.alerts.enqueue(alertKey, {
      recipients: { type: 'entity', entityRef: row.owner },
      payload: {
        title: firing
          ? `SLO ${slo.id} of ${row.name}: error budget burning too fast (${severity})`
          : `SLO ${slo.id} of ${row.name}: burn rate back to normal (${severity} resolved)`,
        description: firing
          ? `${which}. Budget left: ${
              slo.budgetRemaining === null
                ? 'no data'
                : `${(slo.budgetRemaining * 100).toFixed(1)} %`
            } of ${slo.windowDays} days.`
          : `No ${severity} burn-rate condition holds any more.`,
        link: alertLinks.sloBurnRate.to(row.owner),
        severity: firing ? SEVERITY[severity] : 'low',
        topic: 'conductor.slo.burn-rate',
        scope: alertKey,
      },
    });
  }

  /**
   * `slo.adherence`: per SLO the share of the window's hours whose 1h error
   * ratio stayed within the budget (hours without traffic not counted);
   * per component the worst of its SLOs with data. No data, no fact.
   */
  private async adherence(
    defs: ComponentSlos[],
    rows: SloServiceRow[],
    time: number,
  ): Promise<Record<string, number>> {
    const okKeys = new Set(
      rows.flatMap(r =>
        r.slos.filter(s => s.state === 'ok').map(s => `${r.entityRef}#${s.id}`),
      ),
    );
    const items: Item[] = defs.flatMap(component =>
      component.slos
        .map(slo => ({
          key: `${component.entityRef}#${slo.id}`,
          slo,
          component,
        }))
        .filter(i => okKeys.has(i.key)),
    );
    const answers = new Map<string, Answer>();
    for (const period of [...new Set(items.map(i => i.slo.windowDays))]) {
      const part = await this.batch(
        items.filter(i => i.slo.windowDays === period),
        i => {
          const r = `(${boardErrorRatioExpr(i.slo, '1h')})`;
          return `avg_over_time(((${r} <= bool ${errorBudget(
            i.slo.objective,
          )}) and (${r} == ${r}))[${period}d:1h])`;
        },
        time,
      );
      for (const [k, v] of part) answers.set(k, v);
    }
    const out: Record<string, number> = {};
    for (const item of items) {
      const a = answers.get(item.key);
      if (!a || !('value' in a) || a.value === null) continue;
      const ref = item.component.entityRef;
      const v = Math.max(0, Math.min(1, a.value));
      out[ref] = Math.min(out[ref] ?? 1, Math.round(v * 1e4) / 1e4);
    }
    return out;
  }
}

/** The service label value of a component: its SLOs' service, else its name. */
export function serviceOf(component: ComponentSlos): string {
  return component.slos[0]?.service ?? component.entity.metadata.name;
}
