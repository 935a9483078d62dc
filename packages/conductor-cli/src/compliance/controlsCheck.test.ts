import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runConductor } from '../program';

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-controls-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api
spec:
  type: service
  lifecycle: production
  owner: payments
`;
const controls = `controls:
  - id: SOC2-CC1.4
    title: SBOM coverage
    severity: high
    check: evidence.sbom_coverage >= 0.95
  - id: POL-COV-90
    title: policy coverage
    severity: high
    appliesTo: { type: [service] }
    check: policy.coverage >= 0.90
`;
const facts = (sbom: number) =>
  JSON.stringify({
    evidence: [
      {
        entityRef: 'component:default/orders-api',
        facts: [
          { name: 'sbom.coverage', value: sbom },
          { name: 'policy.coverage', value: 0.93 },
        ],
      },
    ],
  });

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConductor(args, {
    out: l => out.push(l),
    err: l => err.push(l),
  });
  return { code, out, err };
}

describe('conductor controls check (offline)', () => {
  it('exits 0 when every control passes', async () => {
    const dir = repo({
      'catalog-info.yaml': catalogInfo,
      'controls.yaml': controls,
      'facts.json': facts(0.97),
    });
    expect(await run(['controls', 'check', '--dir', dir])).toEqual({
      code: 0,
      err: [],
      out: ['2 passed, 0 failed, 0 errors, 0 exempt, 0 not applicable'],
    });
  });

  it('exits 1 with the failing control and its values, also as SARIF', async () => {
    const dir = repo({
      'catalog-info.yaml': catalogInfo,
      'controls/base.yaml': controls,
      'facts.json': facts(0.81),
    });
    const text = await run(['controls', 'check', '--dir', dir]);
    expect(text.code).toBe(1);
    expect(text.out[0]).toBe(
      'FAIL  SOC2-CC1.4 component:default/orders-api: sbom.coverage = 0.81; fails: evidence.sbom_coverage >= 0.95',
    );
    const sarif = await run([
      'controls',
      'check',
      '--dir',
      dir,
      '--format',
      'sarif',
    ]);
    expect(sarif.code).toBe(1);
    const doc = JSON.parse(sarif.out.join('\n'));
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0].results).toEqual([
      expect.objectContaining({
        ruleId: 'SOC2-CC1.4',
        level: 'error',
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'catalog-info.yaml' },
            },
          },
        ],
      }),
    ]);
  });

  it('exits 2 naming file, line and column of a bad control', async () => {
    const dir = repo({
      'catalog-info.yaml': catalogInfo,
      'controls.yaml': controls.replace(
        'policy.coverage >= 0.90',
        'policy.coverge >= 0.90',
      ),
      'facts.json': facts(0.97),
    });
    const result = await run(['controls', 'check', '--dir', dir]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([
      `${path.join(
        dir,
        'controls.yaml',
      )}:10:19 [POL-COV-90] check: No such key: coverge`,
    ]);
  });

  it('reads facts.json as conductor --json evidence get prints it, and catalog facts from catalog-info.yaml', async () => {
    const dir = repo({
      'catalog-info.yaml': `${catalogInfo.replace(
        'metadata:\n  name: orders-api',
        'metadata:\n  name: orders-api\n  links:\n    - url: https://runbooks/orders\n      title: Runbook',
      )}`,
      'controls.yaml': `${controls}  - id: OPS-RUNBOOK-01
    title: runbook linked
    severity: medium
    check: has(runbook.url)
  - id: OWN-CODEOWNERS-01
    title: CODEOWNERS
    severity: medium
    check: repo.codeowners
`,
      '.github/CODEOWNERS': '* @payments\n',
      // What `conductor --json evidence get` prints, source and all.
      'facts.json': JSON.stringify({
        entityRef: 'component:default/orders-api',
        facts: [
          {
            name: 'sbom.coverage',
            value: 0.97,
            type: 'number',
            source: 'ci:build',
            observedAt: '2026-11-20T00:00:00.000Z',
            recordedAt: '2026-11-20T00:00:00.000Z',
          },
          {
            name: 'policy.coverage',
            value: 0.93,
            type: 'number',
            source: 'ci:build',
            observedAt: '2026-11-20T00:00:00.000Z',
            recordedAt: '2026-11-20T00:00:00.000Z',
          },
        ],
      }),
    });
    const { code, out } = await run(['controls', 'check', '--dir', dir]);
    expect(out.at(-1)).toBe(
      '4 passed, 0 failed, 0 errors, 0 exempt, 0 not applicable',
    );
    expect(code).toBe(0);
  });

  it('says so when facts.json is present but not understood', async () => {
    const dir = repo({
      'catalog-info.yaml': catalogInfo,
      'controls.yaml': controls,
      'facts.json': JSON.stringify([{ sbom: 1 }]),
    });
    const { code, err } = await run(['controls', 'check', '--dir', dir]);
    expect(code).toBe(2);
    expect(err[0]).toMatch(/facts\.json: present but not understood/);
  });

  it('takes the controls from --controls for a shipped demo repository', async () => {
    const root = path.resolve(__dirname, '../../../..');
    const { code, out } = await run([
      'controls',
      'check',
      '--dir',
      path.join(root, 'examples/repos/orders-api'),
      '--controls',
      path.join(root, 'controls/baseline.yaml'),
    ]);
    expect(code).toBe(1);
    expect(out.at(-1)).toMatch(/^\d+ passed, \d+ failed, 0 errors/);
    expect(out).not.toContainEqual(expect.stringMatching(/RUNBOOK/));
  });
});
