import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadControlsCatalog } from '../compliance/catalog';
import { RemediationInputError, YamlFile } from './catalogYaml';
import { readOverrides } from './overrides';
import { planRemediation } from './plan';
import { REMEDIATION_RECIPES } from './recipes';
import {
  remediationBody,
  remediationBranch,
  remediationTitle,
  resultFingerprint,
} from './changeRequest';
import { remediationStats } from './stats';

const baseline = fs.readFileSync(
  path.resolve(__dirname, '../../../../controls/baseline.yaml'),
  'utf8',
);
const controls = loadControlsCatalog([
  { file: 'baseline.yaml', text: baseline },
]).controls;
const now = new Date('2026-11-26T12:00:00Z');

const CATALOG = `# Catalog of orders-api. Keep this comment!
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api   # the public name, do not rename
  annotations:
    github.com/project-slug: acme/orders-api
  links:
  - url: https://runbooks.example.com/orders-api
    title: Runbook
    type: runbook
spec:
  type: service
  lifecycle: production
  owner: payments # team that pages
  dependsOn:
    - resource:orders-db
    - resource:orders-events
---
# The primary database.
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
  tags: ['db', "pii"] # quoted on purpose
spec:
  type: database
  owner: payments
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: { name: orders-events }
spec:
  type: queue
  owner: payments
`;

const evidence = [
  { name: 'catalog.oncall', value: 'P123', type: 'string' },
].map(f => ({
  ...f,
  entityRef: 'component:default/orders-api',
  source: 'ci:x',
  observedAt: now.toISOString(),
  recordedAt: now.toISOString(),
})) as any;

describe('YamlFile', () => {
  it('keeps untouched documents byte for byte and comments of the touched one', () => {
    const file = YamlFile.parse('catalog-info.yaml', CATALOG);
    expect(file.toString()).toBe(CATALOG);
    file.appendTo(1, ['metadata', 'tags'], 'retention:standard-365d');
    const out = file.toString();
    // The component document is untouched: same bytes.
    expect(out.startsWith(CATALOG.slice(0, CATALOG.indexOf('---')))).toBe(true);
    expect(out).toContain('# The primary database.\n');
    expect(out).toContain('# quoted on purpose');
    expect(out).toContain(`"pii"`);
    expect(out.endsWith(CATALOG.slice(CATALOG.lastIndexOf('---')))).toBe(true);
    expect(parseAllDocuments(out)[1].toJSON().metadata.tags).toEqual([
      'db',
      'pii',
      'retention:standard-365d',
    ]);
  });

  it('names file, line and column of a syntax error', () => {
    expect(() =>
      YamlFile.parse('catalog-info.yaml', 'a: 1\nb: [unclosed\n'),
    ).toThrow(RemediationInputError);
    expect(() =>
      YamlFile.parse('catalog-info.yaml', 'a: 1\nb: [unclosed\n'),
    ).toThrow(/^catalog-info\.yaml:\d+:\d+ /);
  });
});

describe('readOverrides', () => {
  it('reads opt-outs and parameters from .conductor.yaml and annotations; the annotation wins', () => {
    const o = readOverrides(
      'remediation:\n  optOut: [OPS-DASH-01]\n  parameters:\n    retention-tags:\n      class: short-30d\n',
      {
        apiVersion: 'v1',
        kind: 'Component',
        metadata: {
          name: 'x',
          annotations: {
            'conductor.io/remediation-opt-out': 'codeowners',
            'conductor.io/remediation.retention-tags.class': 'legal-hold',
          },
        },
      },
    );
    expect(o.optOut).toEqual([
      { id: 'OPS-DASH-01', source: '.conductor.yaml' },
      { id: 'codeowners', source: 'annotation' },
    ]);
    expect(o.parameters['retention-tags'].class).toEqual({
      value: 'legal-hold',
      source: 'annotation',
    });
  });

  it('rejects a parameter of an unknown recipe or name, naming the line', () => {
    const known = { 'retention-tags': ['class'] };
    expect(() =>
      readOverrides(
        'remediation:\n  parameters:\n    retention: { class: x }\n',
        undefined,
        known,
      ),
    ).toThrow(
      '.conductor.yaml:3:5 remediation.parameters.retention: no recipe named retention; recipes: retention-tags',
    );
    expect(() =>
      readOverrides(
        'remediation:\n  parameters:\n    retention-tags:\n      klass: x\n',
        undefined,
        known,
      ),
    ).toThrow(
      '.conductor.yaml:4:7 remediation.parameters.retention-tags.klass: retention-tags has no such parameter; it takes class',
    );
  });

  it('rejects a malformed file naming the line', () => {
    expect(() =>
      readOverrides('remediation:\n  optOut: OPS-DASH-01\n', undefined),
    ).toThrow(
      '.conductor.yaml:2:11 remediation.optOut: expected a list of control or recipe ids',
    );
  });
});

describe('planRemediation', () => {
  it('fixes retention tags, CODEOWNERS, alerts and dashboards in the smallest patch and re-checks them', () => {
    const plan = planRemediation({
      files: { 'catalog-info.yaml': CATALOG, 'README.md': '# x\n' },
      controls,
      evidence,
      now,
    });
    const byId = Object.fromEntries(plan.fixes.map(f => [f.controlId, f]));
    expect(byId['PRIV-RET-01'].status).toBe('fixed');
    expect(byId['OWN-CODEOWNERS-01'].status).toBe('fixed');
    expect(byId['OPS-ALERTS-01'].status).toBe('fixed');
    expect(byId['OPS-DASH-01'].status).toBe('fixed');
    expect(byId['SEC-MFA-01'].status).toBe('no-recipe');
    expect(plan.changes.map(c => c.path)).toEqual([
      '.github/CODEOWNERS',
      'catalog-info.yaml',
      'monitoring/alerts.yaml',
      'monitoring/dashboards/orders-api.json',
    ]);
    expect(plan.patched['.github/CODEOWNERS']).toContain('* @acme/payments\n');
    const cat = plan.patched['catalog-info.yaml'];
    // Comments of the touched documents survive byte for byte; the component document is unchanged.
    expect(cat).toContain('# Catalog of orders-api. Keep this comment!\n');
    expect(cat).toContain('  owner: payments # team that pages\n');
    expect(cat).toContain(
      '  name: orders-api   # the public name, do not rename\n',
    );
    expect(cat).toContain('# quoted on purpose');
    expect(cat).toContain(
      'metadata: { name: orders-events, tags: [ retention:standard-365d ] }',
    );
    // Only two lines of the catalog file change.
    expect(
      plan.diff
        .split('\n')
        .filter(l => /^[+-][^+-]/.test(l) && l.includes('retention')).length,
    ).toBe(2);
    expect(plan.diff).toContain(
      'diff --git a/catalog-info.yaml b/catalog-info.yaml',
    );
    expect(plan.ready).toBe(true);
    expect(plan.scoreAfter! > plan.scoreBefore!).toBe(true);
    for (const id of [
      'PRIV-RET-01',
      'OWN-CODEOWNERS-01',
      'OPS-ALERTS-01',
      'OPS-DASH-01',
    ])
      expect(plan.after.find(r => r.controlId === id)?.status).toBe('pass');
  });

  it('honours opt-outs and parameters from .conductor.yaml and reports them', () => {
    const plan = planRemediation({
      files: {
        'catalog-info.yaml': CATALOG,
        '.conductor.yaml':
          '# team choices\nremediation:\n  optOut: [OPS-DASH-01, codeowners]\n  parameters:\n    retention-tags: { class: legal-hold }\n',
      },
      controls,
      evidence,
      now,
    });
    const byId = Object.fromEntries(plan.fixes.map(f => [f.controlId, f]));
    expect(byId['OPS-DASH-01'].status).toBe('opted-out');
    expect(byId['OWN-CODEOWNERS-01'].status).toBe('opted-out');
    expect(plan.patched['catalog-info.yaml']).toContain('retention:legal-hold');
    expect(plan.changes.map(c => c.path)).not.toContain('.github/CODEOWNERS');
    expect(plan.overrides).toEqual(
      expect.arrayContaining([
        { kind: 'opt-out', target: 'OPS-DASH-01', source: '.conductor.yaml' },
        {
          kind: 'parameter',
          target: 'retention-tags.class',
          value: 'legal-hold',
          source: '.conductor.yaml',
        },
      ]),
    );
    const body = remediationBody(plan);
    expect(body).toContain('opted out of **OPS-DASH-01** (.conductor.yaml)');
    expect(body).toContain('parameter **retention-tags.class** = `legal-hold`');
  });

  it("writes the SLO capability's burn-rate alerts when the repository declares SLOs", () => {
    const sloth = fs.readFileSync(
      path.resolve(__dirname, '../../../../examples/slo/orders-api.sloth.yaml'),
      'utf8',
    );
    const plan = planRemediation({
      files: { 'catalog-info.yaml': CATALOG, 'orders-api.sloth.yaml': sloth },
      controls,
      evidence,
      now,
      onlyControls: ['OPS-ALERTS-01'],
    });
    expect(plan.fixes[0].status).toBe('fixed');
    expect(plan.fixes[0].message).toMatch(
      /burn-rate alerts for \d+ SLOs of orders-api\.sloth\.yaml/,
    );
    expect(plan.patched['monitoring/alerts.yaml']).toContain(
      'OrdersApiHighErrorRate',
    );
    expect(plan.patched['monitoring/alerts.yaml']).toContain('sloth_slo');
  });

  it('targets only the asked controls', () => {
    const plan = planRemediation({
      files: { 'catalog-info.yaml': CATALOG },
      controls,
      evidence,
      now,
      onlyControls: ['OWN-CODEOWNERS-01'],
    });
    expect(plan.fixes.map(f => f.controlId)).toEqual(['OWN-CODEOWNERS-01']);
    expect(plan.changes.map(c => c.path)).toEqual(['.github/CODEOWNERS']);
  });

  it('adds the runbook link and the on-call annotation from parameters and the owner group', () => {
    const noLinks = CATALOG.replace(/ {2}links:\n( {4}.*\n| {2}- .*\n)+/, '');
    const plan = planRemediation({
      files: {
        'catalog-info.yaml': noLinks,
        '.conductor.yaml':
          'remediation:\n  parameters:\n    runbook-link:\n      urlTemplate: https://runbooks.acme.dev/{name}\n',
      },
      controls,
      evidence: [],
      owner: {
        apiVersion: 'v1',
        kind: 'Group',
        metadata: {
          name: 'payments',
          annotations: { 'conductor.io/oncall': 'payments-primary' },
        },
      },
      now,
      onlyControls: ['OPS-RUNBOOK-01', 'OPS-ONCALL-01'],
    });
    expect(plan.fixes.map(f => [f.controlId, f.status])).toEqual([
      ['OPS-RUNBOOK-01', 'fixed'],
      ['OPS-ONCALL-01', 'fixed'],
    ]);
    const doc = parseAllDocuments(
      plan.patched['catalog-info.yaml'],
    )[0].toJSON();
    expect(doc.metadata.links).toEqual([
      {
        url: 'https://runbooks.acme.dev/orders-api',
        title: 'Runbook',
        type: 'runbook',
      },
    ]);
    expect(doc.metadata.annotations['conductor.io/oncall']).toBe(
      'payments-primary',
    );
  });

  it('says why it cannot fix, and is then not ready', () => {
    const noLinks = CATALOG.replace(/ {2}links:\n( {4}.*\n| {2}- .*\n)+/, '');
    const plan = planRemediation({
      files: { 'catalog-info.yaml': noLinks },
      controls,
      evidence,
      now,
      onlyControls: ['OPS-RUNBOOK-01'],
    });
    expect(plan.fixes[0].status).toBe('cannot-fix');
    expect(plan.fixes[0].message).toMatch(/runbook-link\.url/);
    expect(plan.ready).toBe(false);
    expect(plan.changes).toEqual([]);
  });

  it('refuses an unparsable catalog file with its place', () => {
    expect(() =>
      planRemediation({
        files: { 'catalog-info.yaml': 'kind: Component\nmetadata: [\n' },
        controls,
        now,
      }),
    ).toThrow(/^catalog-info\.yaml:\d+:\d+ /);
  });

  it('changes nothing on a second run over its own patch', () => {
    const first = planRemediation({
      files: { 'catalog-info.yaml': CATALOG },
      controls,
      evidence,
      now,
    });
    const second = planRemediation({
      files: first.patched,
      controls,
      evidence,
      now,
    });
    expect(second.changes).toEqual([]);
  });
});

describe('change requests', () => {
  it('has a deterministic branch, title and fingerprint', () => {
    expect(remediationBranch()).toBe('conductor/remediate-compliance');
    expect(remediationTitle('orders-api')).toBe(
      'Conductor: fix failing compliance controls of orders-api',
    );
    const plan = planRemediation({
      files: { 'catalog-info.yaml': CATALOG },
      controls,
      evidence,
      now,
    });
    expect(resultFingerprint(plan, ['OPS-DASH-01', 'OWN-CODEOWNERS-01'])).toBe(
      'OPS-DASH-01=fail:{"dashboards.exported":false}|OWN-CODEOWNERS-01=fail:{"repo.codeowners":false}',
    );
    const body = remediationBody(plan);
    expect(body).toContain('## Controls fixed');
    expect(body).toContain('## Evidence before');
    expect(body).toContain('## Expected score change');
    expect(body).toContain('## Checklist');
    expect(body).toContain('## Dry-run re-check');
    expect(body).toContain('PASS   OWN-CODEOWNERS-01  (was fail)');
  });

  it('computes merge rate and median time to merge per team', () => {
    const cr = (
      team: string,
      state: any,
      openedAt: string,
      mergedAt?: string,
    ) => ({ team, state, openedAt, mergedAt, controls: [] } as any);
    const s = remediationStats([
      cr(
        'group:default/a',
        'merged',
        '2026-11-23T00:00:00Z',
        '2026-11-23T02:00:00Z',
      ),
      cr(
        'group:default/a',
        'merged',
        '2026-11-23T00:00:00Z',
        '2026-11-23T06:00:00Z',
      ),
      cr('group:default/a', 'closed', '2026-11-24T00:00:00Z'),
      cr('group:default/b', 'open', '2026-11-16T00:00:00Z'),
    ]);
    expect(s.teams[0]).toEqual({
      team: 'all',
      opened: 4,
      merged: 2,
      closed: 1,
      open: 1,
      mergeRate: 2 / 3,
      medianHoursToMerge: 4,
    });
    expect(s.teams[1].medianHoursToMerge).toBe(4);
    expect(s.weeks).toEqual([
      { week: '2026-11-16', opened: 1, merged: 0 },
      { week: '2026-11-23', opened: 3, merged: 2 },
    ]);
  });

  it('has six recipes', () => {
    expect(Object.keys(REMEDIATION_RECIPES).sort()).toEqual([
      'alerts',
      'codeowners',
      'conductor-annotations',
      'dashboard-export',
      'retention-tags',
      'runbook-link',
    ]);
  });
});
