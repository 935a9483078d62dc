import fs from 'node:fs';
import path from 'node:path';
import { EvidenceFact } from '../evidence/types';
import {
  formatCatalogError,
  loadControlsCatalog,
  parseControlsFile,
} from './catalog';
import { factsReadBy } from './celEnvironment';
import { controlSubjectOf, evaluateControls } from './engine';
import { diffFacts, factsBehindFlip } from './diff';

const now = new Date('2026-11-24T00:00:00Z');
const daysAgo = (d: number) =>
  new Date(now.getTime() - d * 86_400_000).toISOString();
const ref = 'component:default/orders-api';
const fact = (
  name: string,
  type: EvidenceFact['type'],
  value: any,
): EvidenceFact => ({
  entityRef: ref,
  name,
  type,
  value,
  source: 'ci:x',
  observedAt: daysAgo(1),
  recordedAt: daysAgo(1),
});
const subject = {
  entityRef: ref,
  kind: 'Component',
  type: 'service',
  lifecycle: 'production',
  owner: 'group:default/payments',
};
const baseline = fs.readFileSync(
  path.resolve(__dirname, '../../../../controls/baseline.yaml'),
  'utf8',
);

describe('controls catalog', () => {
  it('ships the seed controls and at least 15 more, all type-checked', () => {
    const { controls, errors } = parseControlsFile(
      'controls/baseline.yaml',
      baseline,
    );
    expect(errors).toEqual([]);
    expect(controls.length).toBeGreaterThanOrEqual(18);
    expect(controls.map(c => c.id)).toEqual(
      expect.arrayContaining(['SOC2-CC1.4', 'PRIV-RET-01', 'POL-COV-90']),
    );
  });

  it('reports malformed YAML with line and column, and loads nothing', () => {
    const { controls, errors } = parseControlsFile(
      'team.yaml',
      'controls:\n  - id: A\n    check: [unclosed\n',
    );
    expect(controls).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      file: 'team.yaml',
      line: expect.any(Number),
    });
  });

  it('names file, line, column and control id for each bad control and keeps the good ones', () => {
    const text = [
      'controls:',
      '  - id: GOOD-1',
      '    title: fine',
      '    severity: low',
      '    check: test.coverage >= 0.5',
      '  - id: UNKNOWN-FACT',
      '    title: typo',
      '    severity: low',
      '    check: sbom.coverag >= 0.95',
      '  - id: SYNTAX',
      '    title: broken',
      '    severity: low',
      '    check: "test.coverage >= "',
      '  - id: NOT-BOOL',
      '    title: number',
      '    severity: low',
      '    check: test.coverage + 1.0',
      '  - id: GOOD-1',
      '    title: again',
      '    severity: low',
      '    check: mfa.enforced',
      '  - id: BAD-SEVERITY',
      '    title: x',
      '    severity: urgent',
      '    check: mfa.enforced',
    ].join('\n');
    const { controls, errors } = parseControlsFile('team.yaml', text);
    expect(controls.map(c => c.id)).toEqual(['GOOD-1']);
    expect(errors.map(formatCatalogError)).toEqual([
      'team.yaml:9:17 [UNKNOWN-FACT] check: No such key: coverag',
      expect.stringMatching(/^team\.yaml:13:\d+ \[SYNTAX\] check: /),
      'team.yaml:17:12 [NOT-BOOL] check: must be true or false, this expression is a double',
      'team.yaml:18:9 [GOOD-1] id: duplicate control id GOOD-1 (first declared on line 2)',
      'team.yaml:24:15 [BAD-SEVERITY] severity: must be one of critical, high, medium, low',
    ]);
  });

  it('refuses a control id declared in two files', () => {
    const a =
      'controls:\n  - id: X-1\n    title: a\n    severity: low\n    check: mfa.enforced\n';
    const { controls, errors } = loadControlsCatalog([
      { file: 'a.yaml', text: a },
      { file: 'b.yaml', text: a },
    ]);
    expect(controls).toHaveLength(1);
    expect(errors.map(formatCatalogError)).toEqual([
      'b.yaml:2:9 [X-1] id: duplicate control id X-1 (first declared in a.yaml:2)',
    ]);
  });
});

describe('evaluateControls', () => {
  const { controls } = parseControlsFile('controls/baseline.yaml', baseline);
  const pick = (...ids: string[]) => controls.filter(c => ids.includes(c.id));

  it('passes and fails on evidence, saying which values decided', () => {
    const results = evaluateControls(
      pick('SOC2-CC1.4', 'POL-COV-90', 'PRIV-RET-01', 'SBOM-FRESH-30'),
      subject,
      [
        fact('sbom.coverage', 'number', 0.81),
        fact('policy.coverage', 'number', 0.93),
        fact('resources.retention', 'object', {
          'resource:default/db': 'standard-365d',
          'resource:default/cache': null,
        }),
        fact('sbom.generated_at', 'timestamp', daysAgo(10)),
      ],
      { now },
    );
    expect(results.map(r => [r.controlId, r.status, r.message])).toEqual([
      [
        'SOC2-CC1.4',
        'fail',
        'sbom.coverage = 0.81; fails: evidence.sbom_coverage >= 0.95',
      ],
      [
        'PRIV-RET-01',
        'fail',
        `resources.retention = {"resource:default/db":"standard-365d","resource:default/cache":null}; fails: resources.all(r, r.retention in ['short-30d', 'standard-365d', 'legal-hold'])`,
      ],
      [
        'POL-COV-90',
        'pass',
        'policy.coverage = 0.93; meets: policy.coverage >= 0.90',
      ],
      [
        'SBOM-FRESH-30',
        'pass',
        `sbom.generated_at = ${daysAgo(
          10,
        )}; meets: sbom.generated_at_age_days <= 30.0`,
      ],
    ]);
  });

  it('fails, never passes, when evidence is missing', () => {
    const [r] = evaluateControls(pick('SOC2-CC1.4'), subject, [], { now });
    expect(r).toMatchObject({
      status: 'fail',
      message: 'no evidence for sbom.coverage',
    });
  });

  it('is not applicable out of scope', () => {
    const [r] = evaluateControls(
      pick('POL-COV-90'),
      { ...subject, type: 'website' },
      [],
      { now },
    );
    expect(r.status).toBe('not-applicable');
  });

  it('honours an exemption until it expires', () => {
    const exemptions = [
      {
        entityRef: ref,
        controlId: 'SEC-MFA-01',
        reason: 'legacy IdP until migration',
        approver: 'user:default/carol',
        expiresAt: daysAgo(-2),
      },
    ];
    const facts = [fact('mfa.enforced', 'boolean', false)];
    expect(
      evaluateControls(pick('SEC-MFA-01'), subject, facts, {
        now,
        exemptions,
      })[0],
    ).toMatchObject({
      status: 'exempt',
      message: `exempt until ${daysAgo(
        -2,
      )}, approved by user:default/carol: legacy IdP until migration`,
    });
    const later = new Date(now.getTime() + 3 * 86_400_000);
    expect(
      evaluateControls(pick('SEC-MFA-01'), subject, facts, {
        now: later,
        exemptions,
      })[0].status,
    ).toBe('fail');
  });

  it('gives error for that control only when a check throws at run time', () => {
    const { controls: custom } = parseControlsFile(
      'x.yaml',
      [
        'controls:',
        '  - id: DIV',
        '    title: throws',
        '    severity: low',
        '    check: "int(catalog.oncall) > 0"',
        '  - id: OK',
        '    title: fine',
        '    severity: low',
        '    check: mfa.enforced',
      ].join('\n'),
    );
    const results = evaluateControls(
      custom,
      subject,
      [
        fact('catalog.oncall', 'string', 'P-ABC'),
        fact('mfa.enforced', 'boolean', true),
      ],
      { now },
    );
    expect(results.map(r => r.status)).toEqual(['error', 'pass']);
    expect(results[0].message).toMatch(/^check failed to run: /);
  });
});

describe('factsReadBy', () => {
  it('finds facts by namespace, the evidence alias and resources', () => {
    expect(
      factsReadBy('evidence.sbom_coverage >= 0.95 && policy.coverage > 0.5'),
    ).toEqual(['policy.coverage', 'sbom.coverage']);
    expect(factsReadBy("resources.all(r, r.retention != '')")).toEqual([
      'resources.retention',
    ]);
    expect(factsReadBy('k6.last_run_age_days < 30.0')).toEqual(['k6.last_run']);
  });
});

describe('controlSubjectOf', () => {
  it('reads owner and system from relations, else from the spec', () => {
    const base = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x', namespace: 'default' },
    };
    expect(
      controlSubjectOf({
        ...base,
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'payments',
          system: 'checkout',
        },
      }),
    ).toEqual({
      entityRef: 'component:default/x',
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      tags: undefined,
      owner: 'group:default/payments',
      system: 'system:default/checkout',
    });
    const stitched = controlSubjectOf({
      ...base,
      spec: { owner: 'payments' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/platform' },
        { type: 'partOf', targetRef: 'system:default/identity' },
      ],
    });
    expect([stitched.owner, stitched.system]).toEqual([
      'group:default/platform',
      'system:default/identity',
    ]);
  });
});

describe('diffFacts', () => {
  const a = 'component:default/a';
  it('lists facts that appeared, changed and disappeared, by name, and nothing that stayed', () => {
    expect(
      diffFacts(
        a,
        {
          'sbom.coverage': 0.81,
          'mfa.enforced': true,
          'runbook.url': 'https://r',
          'alerts.defined': { count: 2 },
        },
        {
          'sbom.coverage': 0.97,
          'mfa.enforced': true,
          'policy.coverage': 0.9,
          'alerts.defined': { count: 2 },
        },
      ),
    ).toEqual([
      { entityRef: a, name: 'policy.coverage', before: null, after: 0.9 },
      { entityRef: a, name: 'runbook.url', before: 'https://r', after: null },
      { entityRef: a, name: 'sbom.coverage', before: 0.81, after: 0.97 },
    ]);
  });

  it('names the changed facts a flipped control reads, or every change when its reads are unknown', () => {
    const changes = diffFacts(a, { a: 1, b: 1 }, { a: 2, b: 2 });
    expect(factsBehindFlip(changes, ['b', 'c'])).toEqual(['b']);
    expect(factsBehindFlip(changes, undefined)).toEqual(['a', 'b']);
  });
});
