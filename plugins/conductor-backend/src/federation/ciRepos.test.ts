// Proof of the CI library on the demo repositories: each is checked out as a
// git repository and runs, through the CLI, the gates its pinned ig-ci
// version runs (lint, tests, SBOM, policy, evidence, readiness), the evidence
// and readiness gates against the conductor backend started here.
import {
  CiLibraryManifest,
  computeDrift,
  findLibraryPins,
  parseCiManifest,
  resolvePin,
} from '@internal/plugin-conductor-common';
// The CLI has no library entry point (its index runs it): the tests drive its program directly.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { checkoutDemoRepo } from '@internal/conductor-cli/src/gates/demoRepos';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { CI_TOKEN, componentEntity, startConductor } from '../__testUtils__';

// Git, npm and a backend start on a shared 2-core machine.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../../..');
const parsed = parseCiManifest(
  fs.readFileSync(path.join(ROOT, 'ci/manifest.json'), 'utf8'),
);
if (!parsed.ok) throw new Error('ci/manifest.json does not parse');
const manifest: CiLibraryManifest = parsed.manifest;
const CONTROLS = path.join(ROOT, 'ci/policy/controls.yaml');

interface GateRun {
  gate: string;
  code: number;
  out: string[];
  err: string[];
  result: {
    status: string;
    libraryVersion: string;
    thresholds: Record<string, number>;
    message: string;
  };
}

/** What the reusable workflow does for one repository and one environment. */
async function runWorkflow(name: string, url: string, env: string) {
  const dir = checkoutDemoRepo(name);
  const workflow = path.join(dir, '.github/workflows/ci.yml');
  const found = findLibraryPins(
    fs.readFileSync(workflow, 'utf8'),
    workflow,
    manifest.library,
  );
  if (!found.ok) throw new Error(found.error.message);
  const [pin] = found.pins;
  const resolved = resolvePin(manifest, pin.ref);
  const gates = computeDrift(manifest, resolved, pin.with).gatesPresent;
  const runs: GateRun[] = [];
  for (const gate of gates) {
    const extra: Record<string, string[]> = {
      policy: ['--controls', CONTROLS],
      readiness: ['--env', env],
    };
    const out: string[] = [];
    const err: string[] = [];
    const code = await runConductor(
      [
        '--url',
        url,
        '--token',
        CI_TOKEN,
        '--json',
        'gate',
        gate,
        '--dir',
        dir,
        '--library-version',
        resolved.version!.version,
        '--entity',
        `component:default/${pin.with.service}`,
        ...(extra[gate] ?? []),
      ],
      { out: l => out.push(l), err: l => err.push(l) },
    );
    const text = [...out, ...err].join('\n');
    runs.push({ gate, code, out, err, result: JSON.parse(text) });
  }
  return { dir, pin, gates, runs };
}

describe('the CI library on the demo repositories', () => {
  let server: any;
  let stop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    ({ server, stop } = await startConductor({
      entities: [
        'orders-api',
        'payments-api',
        'reports-api',
        'refund-worker',
      ].map(n => componentEntity(n)),
      realAuth: true,
      conductor: {
        readiness: { thresholds: { dev: 0.25, staging: 0.5, prod: 0.9 } },
      },
    }));
    await new Promise<void>(resolve =>
      server.listening ? resolve() : server.once('listening', resolve),
    );
    url = `http://127.0.0.1:${server.address().port}`;
  });
  afterAll(() => stop());

  it('three repositories pass every gate of the same version with identical thresholds', async () => {
    const results: Array<
      { name: string } & Awaited<ReturnType<typeof runWorkflow>>
    > = [];
    for (const name of ['orders-api', 'payments-api', 'reports-api']) {
      results.push({ name, ...(await runWorkflow(name, url, 'dev')) });
    }
    for (const r of results) {
      expect({
        repo: r.name,
        failed: r.runs
          .filter(g => g.code !== 0)
          .map(g => `${g.gate}: ${g.result.message}`),
      }).toEqual({
        repo: r.name,
        failed: [],
      });
      expect(r.runs.map(g => g.gate)).toEqual([
        'lint',
        'tests',
        'sbom',
        'policy',
        'evidence',
        'readiness',
      ]);
    }
    // identical gates: same version, same thresholds, gate by gate
    const signature = (r: (typeof results)[number]) =>
      r.runs.map(g => ({
        gate: g.gate,
        version: g.result.libraryVersion,
        thresholds: g.result.thresholds,
      }));
    expect(signature(results[1])).toEqual(signature(results[0]));
    expect(signature(results[2])).toEqual(signature(results[0]));
    expect(results[0].runs[0].result.libraryVersion).toBe('v1.2.0');
    expect(
      results[0].runs.find(g => g.gate === 'tests')!.result.thresholds,
    ).toEqual({ minCoverage: 0.8 });

    // what each gate really did
    const orders = results[0];
    const byGate = Object.fromEntries(orders.runs.map(g => [g.gate, g.result]));
    expect(byGate.tests.message).toBe(
      'tests pass, line coverage 100.0% (19/19 lines, coverage/lcov.info) ≥ 80.0%',
    );
    expect(byGate.sbom.message).toMatch(
      /^CycloneDX 1\.6 SBOM with \d{2,} components written to sbom\.cdx\.json; lists (\d+) of the lockfile's \1 packages$/,
    );
    const bom = JSON.parse(
      fs.readFileSync(path.join(orders.dir, 'sbom.cdx.json'), 'utf8'),
    );
    expect(bom.components.map((c: any) => c.name)).toContain('eslint');
    expect(byGate.policy.message).toBe('6 controls pass');
    expect(byGate.readiness.message).toMatch(
      /^promotion allowed: readiness 0\.\d+ for dev \(threshold 0\.25\)$/,
    );

    // the evidence gate's push is on the backend
    const evidence = await request(server)
      .get('/api/conductor/evidence/component/default/orders-api')
      .set({ Authorization: `Bearer ${CI_TOKEN}` })
      .expect(200);
    const facts = Object.fromEntries(
      evidence.body.facts.map((f: any) => [f.name, f]),
    );
    expect(facts['test.coverage'].value).toBe(1);
    expect(facts['sbom.coverage'].value).toBe(1);
    expect(facts['ci.library_version'].value).toBe('v1.2.0');
    expect(facts['ci.gates'].value).toEqual({
      lint: 'pass',
      tests: 'pass',
      sbom: 'pass',
      policy: 'pass',
    });
    expect(facts['ci.gates'].source).toBe('ci:ci-pipeline');
  }, 180_000);

  it('the broken repository fails the lint gate naming the file, line and rule; its results still reach the board', async () => {
    const broken = await runWorkflow('refund-worker', url, 'dev');
    // drifted: pins v1.0.0, so it runs that version's gates
    expect(broken.pin.ref).toBe('v1.0.0');
    expect(broken.gates).toEqual([
      'lint',
      'tests',
      'sbom',
      'policy',
      'evidence',
      'readiness',
    ]);
    const lint = broken.runs.find(g => g.gate === 'lint')!;
    expect(lint.code).toBe(1);
    expect(lint.result.libraryVersion).toBe('v1.0.0');
    expect(lint.result.message).toContain('npm run lint exited 1');
    expect(lint.result.message).toMatch(
      /src\/index\.js\n\s+5:9\s+error\s+'retryDelayMs' is assigned a value but never used\s+no-unused-vars/,
    );
    // only lint fails
    expect(broken.runs.filter(g => g.code !== 0).map(g => g.gate)).toEqual([
      'lint',
    ]);

    const evidence = await request(server)
      .get('/api/conductor/evidence/component/default/refund-worker')
      .set({ Authorization: `Bearer ${CI_TOKEN}` })
      .expect(200);
    const gates = evidence.body.facts.find((f: any) => f.name === 'ci.gates');
    expect(gates.value).toEqual({
      lint: 'fail',
      tests: 'pass',
      sbom: 'pass',
      policy: 'pass',
    });
  }, 120_000);
});
