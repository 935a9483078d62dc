import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { parse as parseYaml } from 'yaml';
import { EvidenceFact } from '../evidence/types';
import { KNOWN_FACTS } from '../evidence/knownFacts';

/** A repository's files: posix path -> text. @public */
export type RepoFiles = Record<string, string>;

/** Where GitHub, GitLab and Bitbucket look for CODEOWNERS (the repository collector reads the same). @public */
export const CODEOWNERS_PATHS = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
];
/** CycloneDX SBOM names the repository collector reads. */
const SBOM_PATHS = ['sbom.cdx.json', 'bom.json'];
/** Prometheus rule files the bot writes and reads. @public */
export const ALERT_RULE_PATHS = [
  'monitoring/alerts.yaml',
  'monitoring/alerts.yml',
];
/** Folder of Grafana dashboard JSON exports. @public */
export const DASHBOARDS_DIR = 'monitoring/dashboards/';

/** Whether a text is a Prometheus rule file with at least one alerting rule. */
export function hasAlertRules(text: string | undefined): boolean {
  if (!text) return false;
  try {
    const doc = parseYaml(text);
    return (doc?.groups ?? []).some((g: any) =>
      (g?.rules ?? []).some(
        (r: any) => typeof r?.alert === 'string' && typeof r?.expr === 'string',
      ),
    );
  } catch {
    return false;
  }
}

/** Whether a text is a Grafana dashboard export (a title and panels). */
export function isDashboardExport(text: string | undefined): boolean {
  if (!text) return false;
  try {
    const doc = JSON.parse(text);
    return (
      typeof doc?.title === 'string' &&
      Array.isArray(doc?.panels) &&
      doc.panels.length > 0
    );
  } catch {
    return false;
  }
}

/** The `retention:<class>` tag of a resource, null when untagged. @public */
export function retentionTagOf(resource: Entity): string | null {
  const tag = (resource.metadata.tags ?? []).find(t =>
    t.startsWith('retention:'),
  );
  return tag ? tag.slice('retention:'.length) : null;
}

/**
 * The facts a repository's files decide, as the catalog and repository
 * collectors would read them once the catalog ingests `catalog-info.yaml`
 * and the repository is read: CODEOWNERS, SBOM presence, runbook link,
 * on-call annotation, lifecycle, the retention tag of each resource the
 * component depends on that the file declares, alert rules and dashboard
 * exports. Pure: used to re-check a patched tree before anything is pushed.
 *
 * @public
 */
export function treeFacts(
  files: RepoFiles,
  component: Entity,
  declared: Entity[],
  previous: EvidenceFact[],
  now: Date,
): EvidenceFact[] {
  const entityRef = stringifyEntityRef(component);
  const observedAt = now.toISOString();
  const out = new Map<string, EvidenceFact>();
  for (const f of previous) out.set(f.name, f);
  const set = (name: string, value: any) =>
    out.set(name, {
      entityRef,
      name,
      type: KNOWN_FACTS[name]?.type ?? 'object',
      value,
      source: 'file:repository',
      observedAt,
      recordedAt: observedAt,
    });

  set(
    'repo.codeowners',
    CODEOWNERS_PATHS.some(p => !!files[p]?.trim()),
  );
  set(
    'sbom.present',
    SBOM_PATHS.some(p => files[p] !== undefined),
  );
  set(
    'alerts.defined',
    ALERT_RULE_PATHS.some(p => hasAlertRules(files[p])),
  );
  set(
    'dashboards.exported',
    Object.keys(files).some(
      p =>
        p.startsWith(DASHBOARDS_DIR) &&
        p.endsWith('.json') &&
        isDashboardExport(files[p]),
    ),
  );

  const spec = (component.spec ?? {}) as Record<string, unknown>;
  const namespace = component.metadata.namespace ?? 'default';
  if (typeof spec.lifecycle === 'string')
    set('catalog.lifecycle', spec.lifecycle);
  if (typeof spec.owner === 'string')
    set(
      'catalog.owner',
      stringifyEntityRef(
        parseEntityRef(spec.owner, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        }),
      ),
    );
  const runbook = (component.metadata.links ?? []).find(
    l => l.type === 'runbook' || /runbook/i.test(l.title ?? ''),
  );
  if (runbook) set('runbook.url', runbook.url);
  else out.delete('runbook.url');
  const annotations = component.metadata.annotations ?? {};
  const oncall = [
    'conductor.io/oncall',
    'pagerduty.com/service-id',
    'opsgenie.com/team',
  ]
    .map(a => annotations[a])
    .find(Boolean);
  if (oncall) set('catalog.oncall', oncall);

  const dependsOn = Array.isArray(spec.dependsOn)
    ? (spec.dependsOn as string[])
    : [];
  const resources = dependsOn
    .map(r =>
      stringifyEntityRef(parseEntityRef(r, { defaultNamespace: namespace })),
    )
    .filter(r => r.startsWith('resource:'));
  if (resources.length) {
    const before = (out.get('resources.retention')?.value ?? {}) as Record<
      string,
      string | null
    >;
    const retention: Record<string, string | null> = {};
    for (const ref of resources.sort()) {
      const inFile = declared.find(e => stringifyEntityRef(e) === ref);
      retention[ref] = inFile ? retentionTagOf(inFile) : before[ref] ?? null;
    }
    set('resources.retention', retention);
  }
  return [...out.values()];
}
