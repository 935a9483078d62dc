import {
  CiGateName,
  CiGateThresholds,
  CiLibraryManifest,
  gateThresholds,
  latestVersion,
  parseCiManifest,
} from '@internal/plugin-conductor-common';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The outcome of one gate; the exit code follows from `status`. */
export interface GateResult {
  gate: CiGateName;
  status: 'pass' | 'fail' | 'error';
  message: string;
  /** The CI library version whose thresholds were applied. */
  libraryVersion: string;
  thresholds: CiGateThresholds;
  /** Numbers behind the verdict. */
  details?: Record<string, unknown>;
}

/** A gate that cannot run: bad or missing input, a tool that is absent. Exit 2. */
export class GateError extends Error {}

/** A gate input that was not given, named with where it can come from. */
export function missingInput(
  gate: string,
  input: string,
  from?: string,
): GateError {
  return new GateError(
    `conductor gate ${gate}: missing input ${input}${from ? ` (${from})` : ''}`,
  );
}

/**
 * The library's manifest: `--manifest`, else `CONDUCTOR_CI_MANIFEST`, else
 * `ci/manifest.json` of the checkout this CLI runs from (the library and the
 * CLI are released together).
 */
export function manifestPath(explicit?: string, env = process.env): string {
  if (explicit) return path.resolve(explicit);
  if (env.CONDUCTOR_CI_MANIFEST) return path.resolve(env.CONDUCTOR_CI_MANIFEST);
  // The CLI runs from its source in this monorepo (main: src/index.ts), next
  // to ci/; a published build passes --manifest or CONDUCTOR_CI_MANIFEST.
  // eslint-disable-next-line no-restricted-syntax
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'ci', 'manifest.json');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new GateError(
    'no CI library manifest: pass --manifest or set CONDUCTOR_CI_MANIFEST',
  );
}

export function loadManifest(file: string): CiLibraryManifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new GateError(`${file}: ${(e as Error).message}`);
  }
  const parsed = parseCiManifest(text);
  if (!parsed.ok)
    throw new GateError(
      `${file}: ${parsed.errors
        .map(e => `${e.field}: ${e.message}`)
        .join('; ')}`,
    );
  return parsed.manifest;
}

/** The version whose thresholds apply and the thresholds of this gate in it. */
export function thresholdsFor(
  manifest: CiLibraryManifest,
  version: string | undefined,
  gate: CiGateName,
): { version: string; thresholds: CiGateThresholds } {
  const v = version ?? latestVersion(manifest).version;
  try {
    return { version: v, thresholds: gateThresholds(manifest, v, gate) };
  } catch (e) {
    throw new GateError((e as Error).message);
  }
}

/** Where gates leave their results and facts for the evidence gate. */
export function stateDir(dir: string) {
  return path.join(dir, '.conductor');
}

export interface GateState {
  results: GateResult[];
  facts: Array<{ name: string; value: unknown; observedAt?: string }>;
}

export function readState(dir: string): GateState {
  const file = path.join(stateDir(dir), 'gates.json');
  if (!fs.existsSync(file)) return { results: [], facts: [] };
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      results: Array.isArray(parsed.results) ? parsed.results : [],
      facts: Array.isArray(parsed.facts) ? parsed.facts : [],
    };
  } catch (e) {
    throw new GateError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Most result files `--results-dir` reads (one per gate job and environment). */
const MAX_RESULT_FILES = 200;

/**
 * Merges the `gates.json` files under `from` (what other CI jobs uploaded)
 * into this checkout's state, so one job sees every gate's results and facts.
 */
export function importResults(dir: string, from: string) {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === 'gates.json') files.push(p);
      if (files.length > MAX_RESULT_FILES)
        throw new GateError(
          `--results-dir ${from}: more than ${MAX_RESULT_FILES} gates.json files`,
        );
    }
  };
  if (!fs.existsSync(from))
    throw new GateError(`--results-dir ${from}: not found`);
  walk(from);
  for (const file of files.sort()) {
    let parsed: GateState;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new GateError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    const results = Array.isArray(parsed.results) ? parsed.results : [];
    const facts = Array.isArray(parsed.facts) ? parsed.facts : [];
    if (!results.length) continue; // facts only ever come with a gate's result
    results.forEach((result, i) =>
      recordState(dir, result, i === 0 ? facts : []),
    );
  }
}

/** Keeps the latest result of each gate and the latest value of each fact. */
export function recordState(
  dir: string,
  result: GateResult,
  facts: GateState['facts'] = [],
) {
  const state = readState(dir);
  const results = [
    ...state.results.filter(r => r.gate !== result.gate),
    result,
  ];
  const names = new Set(facts.map(f => f.name));
  const merged = [...state.facts.filter(f => !names.has(f.name)), ...facts];
  fs.mkdirSync(stateDir(dir), { recursive: true });
  fs.writeFileSync(
    path.join(stateDir(dir), 'gates.json'),
    `${JSON.stringify({ results, facts: merged }, null, 2)}\n`,
  );
}

/** The first entity of `catalog-info.yaml` in the directory, as a ref. */
export function entityFromCatalogInfo(dir: string): string | undefined {
  const file = path.join(dir, 'catalog-info.yaml');
  if (!fs.existsSync(file)) return undefined;
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length) {
      throw new GateError(`${file}: ${doc.errors[0].message.split('\n')[0]}`);
    }
    const e = doc.toJSON() as any;
    if (e?.kind && e?.metadata?.name)
      return `${String(e.kind).toLowerCase()}:${
        e.metadata.namespace ?? 'default'
      }/${e.metadata.name}`;
  }
  return undefined;
}

export interface RunOutput {
  code: number | null;
  output: string;
  timedOut: boolean;
  notFound: boolean;
}

/** Most output kept from a tool: its tail is what names the problem. */
const MAX_OUTPUT = 256 * 1024;

/** Runs a command with a timeout, keeping the tail of stdout+stderr. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<RunOutput> {
  return new Promise(resolve => {
    let output = '';
    let timedOut = false;
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    // Under `yarn conductor` these point at yarn; the tools the gates run
    // (npm, cyclonedx-npm) must find npm itself.
    for (const key of Object.keys(env))
      if (/^npm_/i.test(key) || env[key] === undefined) delete env[key];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({
        code: null,
        output: e.message,
        timedOut,
        notFound: e.code === 'ENOENT',
      });
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, output, timedOut, notFound: false });
    });
  });
}

/** Last `n` non-empty lines of a tool's output, for the gate's message. */
export function tail(output: string, n = 15): string[] {
  return output
    .split('\n')
    .map(l => l.trimEnd())
    .filter(l => l.trim() && !/^> /.test(l))
    .slice(-n);
}

/** `package.json` scripts of the repository; GateError naming the file when absent. */
export function packageScripts(dir: string): Record<string, string> {
  const file = path.join(dir, 'package.json');
  if (!fs.existsSync(file)) throw new GateError(`${file}: not found`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')).scripts ?? {};
  } catch (e) {
    throw new GateError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
}

/** Is this executable on PATH? */
export function onPath(name: string, env = process.env): boolean {
  return (env.PATH ?? '')
    .split(path.delimiter)
    .some(d => d && fs.existsSync(path.join(d, name)));
}
