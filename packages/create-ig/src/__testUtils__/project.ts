import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ControlResult,
  EvidenceFact,
  KNOWN_FACTS,
  complianceScore,
  controlSubjectOf,
  evaluateControls,
  loadControlsCatalog,
  treeFacts,
} from '@internal/plugin-conductor-common';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { templatesRoot } from '../goldenPaths';

export const repoRoot = () => path.dirname(templatesRoot());

/**
 * npm as a developer runs it, with a shared cache under .tools/ so a second
 * run installs from the cache (bench/golden-paths measures both).
 */
export function npmEnv(cache = path.join(repoRoot(), '.tools', 'npm-cache')) {
  return {
    ...process.env,
    npm_config_cache: cache,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_prefer_offline: 'true',
    NODE_ENV: '',
    CI: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; never throws, so the test can show what it printed. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Ran> {
  return new Promise(resolve => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 240_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Fails with the command's last output lines when it did not exit 0. */
export function expectSuccess(what: string, ran: Ran) {
  if (ran.code !== 0) {
    const tail = `${ran.stdout}\n${ran.stderr}`.trim().split('\n').slice(-40);
    throw new Error(`${what} exited ${ran.code}:\n${tail.join('\n')}`);
  }
}

/** `create-ig-<kind> <args>` exactly as npx runs it: the package's bin. */
export function createIg(command: string, args: string[], cwd: string) {
  return run(
    process.execPath,
    [path.join(repoRoot(), 'packages/create-ig/bin', command), ...args],
    { cwd },
  );
}

export function tempDir(prefix: string) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts a generated service and waits for its "GraphQL on ..." line. */
export async function startGenerated(dir: string) {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', METRICS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`service did not start:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /GraphQL on (\S+); metrics on :(\d+)\/metrics/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`service exited ${code}:\n${output}`));
    });
  });
  return {
    graphqlUrl: ready[1],
    metricsUrl: `http://127.0.0.1:${ready[2]}/metrics`,
    stop: () =>
      new Promise<void>(resolve => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function readTree(dir: string, prefix = '', into: Record<string, string> = {}) {
  for (const entry of fs.readdirSync(path.join(dir, prefix), {
    withFileTypes: true,
  })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (['node_modules', 'coverage', '.git'].includes(entry.name)) continue;
    if (entry.isDirectory()) readTree(dir, rel, into);
    else into[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
  }
  return into;
}

/**
 * The baseline controls on the generated project, offline, with the facts
 * the portal would hold once the catalog ingests it: what the collectors
 * read from its files (`treeFacts`, as `conductor remediate` re-checks a
 * tree; the owner is a group, checked when the project was created; the
 * provided APIs from catalog-info.yaml) next to what CI measured
 * (facts.json). Evaluated with the same library calls as
 * `conductor controls check`, which refuses collector facts in facts.json.
 */
export function controlsWithTreeFacts(dir: string, now = new Date()) {
  const files = readTree(dir);
  const entities = parseAllDocuments(files['catalog-info.yaml']).map(
    d => d.toJSON() as Entity,
  );
  const measured = JSON.parse(files['facts.json']).evidence;
  const catalog = loadControlsCatalog([
    { file: 'controls.yaml', text: files['controls.yaml'] },
  ]);
  if (catalog.errors.length) throw new Error(JSON.stringify(catalog.errors));
  const component = entities.find(e => e.kind === 'Component')!;
  const ref = stringifyEntityRef(component);
  const results = entities.flatMap(entity => {
    const entityRef = stringifyEntityRef(entity);
    const pushed: EvidenceFact[] = (
      measured.find((m: any) => m.entityRef === entityRef)?.facts ?? []
    ).map((f: any) => ({
      ...f,
      entityRef,
      type: KNOWN_FACTS[f.name].type,
      source: 'ci:test',
      recordedAt: f.observedAt,
    }));
    const facts = treeFacts(files, entity, entities, pushed, now);
    const fact = (name: string, value: unknown): EvidenceFact => ({
      entityRef,
      name,
      type: KNOWN_FACTS[name].type,
      value: value as any,
      source: 'collector:catalog',
      observedAt: now.toISOString(),
      recordedAt: now.toISOString(),
    });
    facts.push(fact('catalog.owner_is_group', true));
    // The repository collector also reads the SBOM's own date and size.
    const sbom = files['sbom.cdx.json'] && JSON.parse(files['sbom.cdx.json']);
    if (sbom?.metadata?.timestamp)
      facts.push(fact('sbom.generated_at', sbom.metadata.timestamp));
    if (entity.kind === 'Component') {
      const apis = ((entity.spec?.providesApis as string[]) ?? []).map(
        a => `api:default/${a}`,
      );
      facts.push(fact('catalog.provides_apis', apis));
    }
    return evaluateControls(catalog.controls, controlSubjectOf(entity), facts, {
      now,
    });
  });
  const own = results.filter(r => r.entityRef === ref);
  return {
    results: own,
    failing: own.filter(r => r.status === 'fail' || r.status === 'error'),
    score: complianceScore(own),
  };
}

/** `conductor controls check --dir <project>` itself, as a developer runs it. */
export async function conductorControlsCheck(dir: string) {
  const ran = await run(
    process.execPath,
    [
      path.join(repoRoot(), 'packages/conductor-cli/bin/conductor'),
      'controls',
      'check',
      '--dir',
      dir,
      '--format',
      'json',
    ],
    { cwd: repoRoot() },
  );
  return {
    exitCode: ran.code,
    stderr: ran.stderr,
    results: ran.code === 2 ? [] : (JSON.parse(ran.stdout) as ControlResult[]),
  };
}

/** Whether a command is on the PATH. */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some(d => d && fs.existsSync(path.join(d, command)));
}

/**
 * Renders a golden path through its npx bin, then runs the project's own
 * `npm install` and `npm run check` (type check, lint, tests, evidence).
 */
export async function createAndCheck(
  parent: string,
  command: string,
  name: string,
  extra: string[] = [],
) {
  const created = await createIg(
    command,
    [
      name,
      '--owner',
      'payments',
      '--system',
      'checkout',
      '--dir',
      parent,
      ...extra,
    ],
    parent,
  );
  expectSuccess(command, created);
  const dir = path.join(parent, name);
  expectSuccess(
    `${name}: npm install`,
    await run('npm', ['install'], { cwd: dir, env: npmEnv() }),
  );
  const check = await run('npm', ['run', 'check'], { cwd: dir, env: npmEnv() });
  expectSuccess(
    `${name}: npm run check (type check, lint, tests, evidence)`,
    check,
  );
  return { dir, check };
}

/** The facts the project's evidence script measured (facts.json). */
export function measuredFacts(dir: string): Record<string, unknown> {
  const file = JSON.parse(
    fs.readFileSync(path.join(dir, 'facts.json'), 'utf8'),
  );
  return Object.fromEntries(
    file.evidence[0].facts.map((f: { name: string; value: unknown }) => [
      f.name,
      f.value,
    ]),
  );
}
