import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Document } from 'yaml';
import { parseSloFile, renderSloRules } from '../slo';
import { YamlFile } from './catalogYaml';
import {
  ALERT_RULE_PATHS,
  CODEOWNERS_PATHS,
  DASHBOARDS_DIR,
  RepoFiles,
  hasAlertRules,
  isDashboardExport,
  retentionTagOf,
} from './treeFacts';

/** What a recipe is given: the files and the parsed catalog file it may edit. @public */
export interface RecipeContext {
  files: RepoFiles;
  /** `catalog-info.yaml`, edited in place through the document API. */
  catalog: YamlFile;
  /** Index of the component's document in `catalog`. */
  componentIndex: number;
  component: Entity;
  /** Every entity the catalog file declares. */
  declared: Entity[];
  /** The owner group's entity when the caller knows it (catalog or file). */
  owner?: Entity;
  /** Parameters after defaults, bot config and local overrides. */
  params: Record<string, string>;
}

/** What a recipe did. @public */
export interface RecipeResult {
  status: 'changed' | 'nothing-to-do' | 'cannot-fix';
  /** In words, for the log and the PR body. */
  message: string;
  /** Files the recipe creates (a recipe never rewrites a file someone wrote). */
  create?: RepoFiles;
}

/** One fix, named by a control's `remediation` id. @public */
export interface Recipe {
  id: string;
  title: string;
  parameters: Array<{ name: string; description: string; default?: string }>;
  apply(ctx: RecipeContext): RecipeResult;
}

/** SLO files in a repository: `*.sloth.yaml`, `*.openslo.yaml`, `slo.yaml`, `slos/*.yaml`. */
const SLO_FILE = /(^|\/)([^/]+\.(sloth|openslo)|slos?|slos?\/[^/]+)\.ya?ml$/;

/** Retention classes the privacy control accepts. */
export const RETENTION_CLASSES = ['short-30d', 'standard-365d', 'legal-hold'];

const refOf = (raw: string, ns: string, kind?: string) =>
  stringifyEntityRef(
    parseEntityRef(raw, { defaultKind: kind, defaultNamespace: ns }),
  );

const retentionTags: Recipe = {
  id: 'retention-tags',
  title: 'Tag each resource with a retention class',
  parameters: [
    {
      name: 'class',
      description: `retention class: ${RETENTION_CLASSES.join(', ')}`,
      default: 'standard-365d',
    },
  ],
  apply(ctx) {
    const cls = ctx.params.class;
    if (!RETENTION_CLASSES.includes(cls))
      return {
        status: 'cannot-fix',
        message: `retention class "${cls}" is not one of ${RETENTION_CLASSES.join(
          ', ',
        )}`,
      };
    const ns = ctx.component.metadata.namespace ?? 'default';
    const spec = (ctx.component.spec ?? {}) as { dependsOn?: string[] };
    const resources = (spec.dependsOn ?? [])
      .map(r => refOf(r, ns))
      .filter(r => r.startsWith('resource:'));
    const tagged: string[] = [];
    const elsewhere: string[] = [];
    for (const ref of resources) {
      const found = ctx.catalog
        .entities()
        .find(e => stringifyEntityRef(e.entity) === ref);
      if (!found) {
        elsewhere.push(ref);
        continue;
      }
      if (retentionTagOf(found.entity) !== null) continue;
      ctx.catalog.appendTo(
        found.index,
        ['metadata', 'tags'],
        `retention:${cls}`,
      );
      tagged.push(ref);
    }
    const away = elsewhere.length
      ? `; not declared in this repository, tag them where they are: ${elsewhere.join(
          ', ',
        )}`
      : '';
    if (tagged.length)
      return {
        status: 'changed',
        message: `tagged ${tagged.join(', ')} with retention:${cls}${away}`,
      };
    return elsewhere.length
      ? {
          status: 'cannot-fix',
          message: `no untagged resource declared here${away}`,
        }
      : {
          status: 'nothing-to-do',
          message: 'every resource declared here has a retention tag',
        };
  },
};

const codeowners: Recipe = {
  id: 'codeowners',
  title: 'Add a CODEOWNERS file from the catalog owner',
  parameters: [
    {
      name: 'owner',
      description:
        'CODEOWNERS owner, e.g. @org/team (default: the catalog owner)',
    },
    {
      name: 'path',
      description: 'where to write it',
      default: '.github/CODEOWNERS',
    },
  ],
  apply(ctx) {
    if (CODEOWNERS_PATHS.some(p => ctx.files[p]?.trim()))
      return { status: 'nothing-to-do', message: 'a CODEOWNERS file exists' };
    const owner = (ctx.component.spec as any)?.owner;
    if (!ctx.params.owner && typeof owner !== 'string')
      return {
        status: 'cannot-fix',
        message: 'the component has no spec.owner to take the owner from',
      };
    const ownerRef =
      typeof owner === 'string'
        ? refOf(owner, ctx.component.metadata.namespace ?? 'default', 'group')
        : '';
    const slug =
      ctx.component.metadata.annotations?.['github.com/project-slug'];
    const org = slug?.split('/')[0];
    const team = parseEntityRef(ownerRef || 'group:x').name;
    const handle = ctx.params.owner ?? (org ? `@${org}/${team}` : `@${team}`);
    const path = ctx.params.path;
    return {
      status: 'changed',
      message: `${path} assigns every file to ${handle}`,
      create: {
        [path]: `# Owners of every file, from the catalog owner${
          ownerRef ? ` ${ownerRef}` : ''
        }.\n# Written by the Conductor remediation bot; edit freely.\n* ${handle}\n`,
      },
    };
  },
};

const runbookLink: Recipe = {
  id: 'runbook-link',
  title: 'Link the runbook from the catalog entity',
  parameters: [
    { name: 'url', description: 'the runbook address (https)' },
    {
      name: 'urlTemplate',
      description:
        'address with {name} for the component name, e.g. https://runbooks.example.com/{name}',
    },
  ],
  apply(ctx) {
    const links = ctx.component.metadata.links ?? [];
    if (
      links.some(
        l =>
          (l.type === 'runbook' || /runbook/i.test(l.title ?? '')) &&
          l.url.startsWith('https://'),
      )
    )
      return { status: 'nothing-to-do', message: 'a runbook is linked' };
    if (links.some(l => l.type === 'runbook' || /runbook/i.test(l.title ?? '')))
      return {
        status: 'cannot-fix',
        message:
          'a runbook link exists but is not https; the bot does not replace links people wrote',
      };
    const url =
      ctx.params.url ??
      ctx.params.urlTemplate?.replace('{name}', ctx.component.metadata.name);
    if (!url || !/^https:\/\/[^\s]+$/.test(url))
      return {
        status: 'cannot-fix',
        message:
          'no https runbook address: set remediation.parameters.runbook-link.url (or urlTemplate) in .conductor.yaml',
      };
    ctx.catalog.appendTo(ctx.componentIndex, ['metadata', 'links'], {
      url,
      title: 'Runbook',
      type: 'runbook',
    });
    return { status: 'changed', message: `linked the runbook ${url}` };
  },
};

const alerts: Recipe = {
  id: 'alerts',
  title: 'Add Prometheus alert rules for the service',
  parameters: [
    {
      name: 'job',
      description:
        'Prometheus job label of the service (default: the component name)',
    },
    {
      name: 'errorRatio',
      description:
        'error ratio that pages (availability objective 99.5 % burning ×10)',
      default: '0.05',
    },
  ],
  apply(ctx) {
    if (ALERT_RULE_PATHS.some(p => hasAlertRules(ctx.files[p])))
      return { status: 'nothing-to-do', message: 'alert rules exist' };
    if (ALERT_RULE_PATHS.some(p => ctx.files[p] !== undefined))
      return {
        status: 'cannot-fix',
        message: `${ALERT_RULE_PATHS.find(
          p => ctx.files[p] !== undefined,
        )} exists without an alerting rule; the bot does not rewrite it`,
      };
    const ratio = Number(ctx.params.errorRatio);
    if (!(ratio > 0 && ratio < 1))
      return {
        status: 'cannot-fix',
        message: `errorRatio ${ctx.params.errorRatio} must be between 0 and 1`,
      };
    const name = ctx.component.metadata.name;
    // The service's SLO files (OpenSLO or Sloth): the SLO capability's
    // multi-window burn-rate rules.
    const sloFiles = Object.keys(ctx.files)
      .filter(p => SLO_FILE.test(p))
      .sort();
    if (sloFiles.length) {
      const slos = [];
      for (const file of sloFiles) {
        const parsed = parseSloFile(file, ctx.files[file]);
        if (parsed.errors.length) {
          const e = parsed.errors[0];
          return {
            status: 'cannot-fix',
            message: `${e.file}:${e.line} ${e.field}: ${e.message}`,
          };
        }
        slos.push(...parsed.slos);
      }
      if (slos.length)
        return {
          status: 'changed',
          message: `${ALERT_RULE_PATHS[0]}: burn-rate alerts for ${
            slos.length
          } SLOs of ${sloFiles.join(', ')}`,
          create: { [ALERT_RULE_PATHS[0]]: renderSloRules(slos) },
        };
    }
    const job = ctx.params.job ?? name;
    // No SLO declared: a minimal availability pair.
    const doc = new Document({
      groups: [
        {
          name: `${name}-availability`,
          rules: [
            {
              alert: 'ServiceDown',
              expr: `up{job="${job}"} == 0 or absent(up{job="${job}"})`,
              for: '5m',
              labels: { severity: 'page', service: name },
              annotations: { summary: `${name} is down or not scraped` },
            },
            {
              alert: 'HighErrorRatio',
              expr: `sum(rate(http_requests_total{job="${job}",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="${job}"}[5m])) > ${ratio}`,
              for: '10m',
              labels: { severity: 'page', service: name },
              annotations: {
                summary: `${name} answers more than ${ratio * 100} % errors`,
              },
            },
          ],
        },
      ],
    });
    doc.commentBefore = ` Alert rules for ${name}, written by the Conductor remediation bot.\n Check them with: promtool check rules ${ALERT_RULE_PATHS[0]}`;
    return {
      status: 'changed',
      message: `${ALERT_RULE_PATHS[0]}: ServiceDown and HighErrorRatio for job ${job}`,
      create: { [ALERT_RULE_PATHS[0]]: doc.toString() },
    };
  },
};

const dashboardExport: Recipe = {
  id: 'dashboard-export',
  title: 'Export a Grafana dashboard for the service',
  parameters: [
    {
      name: 'job',
      description: 'Prometheus job label (default: the component name)',
    },
  ],
  apply(ctx) {
    if (
      Object.keys(ctx.files).some(
        p => p.startsWith(DASHBOARDS_DIR) && isDashboardExport(ctx.files[p]),
      )
    )
      return { status: 'nothing-to-do', message: 'a dashboard export exists' };
    const name = ctx.component.metadata.name;
    const job = ctx.params.job ?? name;
    const path = `${DASHBOARDS_DIR}${name}.json`;
    if (ctx.files[path] !== undefined)
      return {
        status: 'cannot-fix',
        message: `${path} exists but is not a dashboard export`,
      };
    const panel = (
      id: number,
      title: string,
      expr: string,
      unit: string,
      y: number,
    ) => ({
      id,
      type: 'timeseries',
      title,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 24, x: 0, y },
      fieldConfig: { defaults: { unit }, overrides: [] },
      targets: [{ refId: 'A', expr }],
    });
    const dashboard = {
      uid: `conductor-${name}`.slice(0, 40),
      title: `${name} service`,
      tags: ['conductor', name],
      schemaVersion: 39,
      time: { from: 'now-24h', to: 'now' },
      templating: {
        list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }],
      },
      panels: [
        panel(
          1,
          'Requests per second',
          `sum(rate(http_requests_total{job="${job}"}[5m]))`,
          'reqps',
          0,
        ),
        panel(
          2,
          'Error ratio',
          `sum(rate(http_requests_total{job="${job}",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="${job}"}[5m]))`,
          'percentunit',
          8,
        ),
        panel(
          3,
          'Latency p99',
          `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="${job}"}[5m])))`,
          's',
          16,
        ),
      ],
    };
    return {
      status: 'changed',
      message: `${path}: requests, errors and p99 latency for job ${job}`,
      create: { [path]: `${JSON.stringify(dashboard, null, 2)}\n` },
    };
  },
};

const ONCALL_ANNOTATION = 'conductor.io/oncall';
const conductorAnnotations: Recipe = {
  id: 'conductor-annotations',
  title: 'Add the missing Conductor annotations',
  parameters: [
    {
      name: 'oncall',
      description: `on-call rotation for ${ONCALL_ANNOTATION} (default: the owner group's)`,
    },
  ],
  apply(ctx) {
    const annotations = ctx.component.metadata.annotations ?? {};
    if (
      [ONCALL_ANNOTATION, 'pagerduty.com/service-id', 'opsgenie.com/team'].some(
        a => annotations[a],
      )
    )
      return {
        status: 'nothing-to-do',
        message: 'an on-call rotation is annotated',
      };
    const value =
      ctx.params.oncall ?? ctx.owner?.metadata.annotations?.[ONCALL_ANNOTATION];
    if (!value)
      return {
        status: 'cannot-fix',
        message: `no on-call rotation known: annotate the owner group with ${ONCALL_ANNOTATION} or set remediation.parameters.conductor-annotations.oncall in .conductor.yaml`,
      };
    ctx.catalog.setIn(
      ctx.componentIndex,
      ['metadata', 'annotations', ONCALL_ANNOTATION],
      value,
    );
    return {
      status: 'changed',
      message: `${ONCALL_ANNOTATION}: ${value}${
        ctx.params.oncall ? '' : " (the owner group's rotation)"
      }`,
    };
  },
};

/** Every recipe, by the `remediation` id controls name. @public */
export const REMEDIATION_RECIPES: Readonly<Record<string, Recipe>> =
  Object.fromEntries(
    [
      retentionTags,
      codeowners,
      runbookLink,
      alerts,
      dashboardExport,
      conductorAnnotations,
    ].map(r => [r.id, r]),
  );
