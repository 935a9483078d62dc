import {
  analyzeCanary,
  CiGateName,
  CiGateThresholds,
  CanaryDirection,
  parseCoverageSummary,
  parseLcov,
  PromotionDecision,
  LineCoverage,
  loadControlsCatalog,
  formatCatalogError,
  evaluateControls,
  controlSubjectOf,
  typeFactValue,
  EvidenceFact,
  KNOWN_FACTS,
  sbomCoverage,
  BlastRadiusReport,
  BlastRadiusRequest,
  computeBlastRadius,
  LineageInputError,
  loadSchema,
  operationSourcesFromFiles,
  parseOperations,
} from '@internal/plugin-conductor-common';
import { readOperationsDirectory } from '../lineage/commands';
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConductorRequestError } from '../client';
import { entityPath } from '../context';
import {
  GateError,
  GateResult,
  GateState,
  missingInput,
  onPath,
  packageScripts,
  readState,
  runCommand,
  tail,
} from './support';

/** What every gate is given. */
export interface GateContext {
  dir: string;
  libraryVersion: string;
  thresholds: CiGateThresholds;
  /** Every option given on the command line, by commander's camelCase name. */
  options: Record<string, string | undefined>;
  /** The entity; resolved lazily so gates that do not need it never ask. */
  entity(): string;
  /** Calls `/api/conductor<path>`. */
  call<T>(method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<T>;
  env: NodeJS.ProcessEnv;
}

/** What a gate returns before the CLI stamps gate, version and thresholds. */
export interface GateVerdict {
  status: 'pass' | 'fail';
  message: string;
  details?: Record<string, unknown>;
  facts?: GateState['facts'];
}

const MINUTE = 60_000;

function threshold(ctx: GateContext, name: string, gate: string): number {
  const v = ctx.thresholds[name];
  if (typeof v !== 'number')
    throw new GateError(
      `ig-ci ${ctx.libraryVersion}: the ${gate} gate has no threshold ${name} in the manifest`,
    );
  return v;
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/** Runs an npm script of the repository; GateError when it does not exist. */
async function npmScript(ctx: GateContext, gate: string, script: string) {
  const scripts = packageScripts(ctx.dir);
  if (!scripts[script])
    throw new GateError(
      `conductor gate ${gate}: ${path.join(
        ctx.dir,
        'package.json',
      )} has no "${script}" script`,
    );
  const timeoutMs = Number(ctx.options.timeoutMinutes ?? 15) * MINUTE;
  const run = await runCommand('npm', ['run', '--silent', script], {
    cwd: ctx.dir,
    timeoutMs,
  });
  if (run.notFound) throw new GateError('npm not installed');
  if (run.timedOut)
    return {
      ok: false,
      output: run.output,
      why: `npm run ${script} timed out after ${timeoutMs / MINUTE} min`,
    };
  return {
    ok: run.code === 0,
    output: run.output,
    why: `npm run ${script} exited ${run.code}`,
  };
}

async function lint(ctx: GateContext): Promise<GateVerdict> {
  const run = await npmScript(ctx, 'lint', ctx.options.script ?? 'lint');
  if (run.ok) return { status: 'pass', message: 'lint clean' };
  return {
    status: 'fail',
    message: `${run.why}:\n${tail(run.output).join('\n')}`,
  };
}

/** The coverage report: `--coverage-file`, else the first the runners write by default. */
function readCoverage(ctx: GateContext): {
  file: string;
  coverage: LineCoverage;
} {
  const candidates = ctx.options.coverageFile
    ? [ctx.options.coverageFile]
    : ['coverage/lcov.info', 'coverage/coverage-summary.json'];
  for (const rel of candidates) {
    const file = path.resolve(ctx.dir, rel);
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    try {
      return {
        file: rel,
        coverage: file.endsWith('.json')
          ? parseCoverageSummary(JSON.parse(text))
          : parseLcov(text),
      };
    } catch (e) {
      throw new GateError(`${file}: ${(e as Error).message}`);
    }
  }
  throw new GateError(
    `conductor gate tests: no coverage report at ${candidates.join(
      ' or ',
    )}; make the test script write LCOV (node --test --experimental-test-coverage --test-reporter=lcov) or pass --coverage-file`,
  );
}

async function tests(ctx: GateContext): Promise<GateVerdict> {
  const min = threshold(ctx, 'minCoverage', 'tests');
  for (const rel of ['coverage/lcov.info', 'coverage/coverage-summary.json'])
    fs.rmSync(path.join(ctx.dir, rel), { force: true }); // never read a stale report
  const run = await npmScript(ctx, 'tests', ctx.options.script ?? 'test');
  if (!run.ok)
    return {
      status: 'fail',
      message: `tests failed: ${run.why}:\n${tail(run.output).join('\n')}`,
    };
  const { file, coverage } = readCoverage(ctx);
  if (coverage.ratio === null)
    return {
      status: 'fail',
      message: `${file} covers no line`,
      details: { ...coverage },
    };
  const details = { ...coverage, minCoverage: min };
  const facts = [
    {
      name: 'test.coverage',
      value: Math.round(coverage.ratio * 10000) / 10000,
    },
  ];
  const numbers = `line coverage ${pct(coverage.ratio)} (${coverage.linesHit}/${
    coverage.linesFound
  } lines, ${file})`;
  return coverage.ratio >= min
    ? {
        status: 'pass',
        message: `tests pass, ${numbers} ≥ ${pct(min)}`,
        details,
        facts,
      }
    : {
        status: 'fail',
        message: `${numbers} below ${pct(min)}`,
        details,
        facts,
      };
}

async function sbom(ctx: GateContext): Promise<GateVerdict> {
  const minComponents = threshold(ctx, 'minComponents', 'sbom');
  const output = path.resolve(ctx.dir, ctx.options.output ?? 'sbom.cdx.json');
  // The package exports only its main; its CLI sits next to it.
  const bin = path.join(
    path.dirname(require.resolve('@cyclonedx/cyclonedx-npm')),
    'bin',
    'cyclonedx-npm-cli.js',
  );
  const fromLock = fs.existsSync(path.join(ctx.dir, 'package-lock.json'));
  if (!fromLock && !fs.existsSync(path.join(ctx.dir, 'node_modules')))
    throw new GateError(
      `conductor gate sbom: ${ctx.dir} has neither package-lock.json nor node_modules; run npm install first`,
    );
  // From the lockfile when there is one: the SBOM lists what is declared,
  // whether or not this checkout installed it.
  const args = [bin, '--output-format', 'JSON', '--output-file', output];
  if (fromLock) args.push('--package-lock-only');
  const run = await runCommand(process.execPath, args, {
    cwd: ctx.dir,
    timeoutMs: 5 * MINUTE,
  });
  if (run.code !== 0)
    return {
      status: 'fail',
      message: `cyclonedx-npm exited ${run.code}:\n${tail(run.output).join(
        '\n',
      )}`,
    };
  let doc: any;
  try {
    doc = JSON.parse(fs.readFileSync(output, 'utf8'));
  } catch (e) {
    return {
      status: 'fail',
      message: `${output}: not a JSON SBOM: ${(e as Error).message}`,
    };
  }
  if (doc.bomFormat !== 'CycloneDX' || !Array.isArray(doc.components))
    return {
      status: 'fail',
      message: `${output}: not a CycloneDX document with components`,
    };
  const components = doc.components.length;
  const generatedAt = doc.metadata?.timestamp;
  let coverage: ReturnType<typeof sbomCoverage> | undefined;
  if (fromLock) {
    try {
      coverage = sbomCoverage(
        JSON.parse(
          fs.readFileSync(path.join(ctx.dir, 'package-lock.json'), 'utf8'),
        ),
        doc,
      );
    } catch (e) {
      throw new GateError(
        `${path.join(ctx.dir, 'package-lock.json')}: ${(e as Error).message}`,
      );
    }
  }
  const details = {
    file: path.relative(ctx.dir, output),
    specVersion: doc.specVersion,
    components,
    minComponents,
  };
  const facts = [
    { name: 'sbom.present', value: true },
    { name: 'sbom.components', value: components },
    ...(coverage
      ? [
          {
            name: 'sbom.coverage',
            value: Math.round(coverage.ratio * 10000) / 10000,
          },
        ]
      : []),
    ...(typeof generatedAt === 'string'
      ? [{ name: 'sbom.generated_at', value: generatedAt }]
      : []),
  ];
  return components >= minComponents
    ? {
        status: 'pass',
        message: `CycloneDX ${
          doc.specVersion
        } SBOM with ${components} components written to ${details.file}${
          coverage
            ? `; lists ${coverage.listed} of the lockfile's ${coverage.packages} packages`
            : ''
        }`,
        details,
        facts,
      }
    : {
        status: 'fail',
        message: `SBOM lists ${components} components, fewer than ${minComponents}`,
        details,
        facts,
      };
}

/**
 * The compliance controls (the same CEL engine as `conductor controls check`
 * and the nightly run) on the repository's catalog entity, with the facts
 * this run's gates observed (coverage, SBOM) and what the policy gate sees in
 * the checkout (CODEOWNERS, declared lifecycle). Nothing is written.
 */
async function policy(
  ctx: GateContext,
  state: GateState,
): Promise<GateVerdict> {
  const maxFailures = threshold(ctx, 'maxFailures', 'policy');
  const catalogInfo = path.join(ctx.dir, 'catalog-info.yaml');
  if (!fs.existsSync(catalogInfo))
    throw new GateError(`conductor gate policy: ${catalogInfo} not found`);
  const controlsPath = ctx.options.controls
    ? path.resolve(ctx.options.controls)
    : [
        path.join(ctx.dir, 'controls.yaml'),
        path.join(ctx.dir, 'controls'),
      ].find(f => fs.existsSync(f));
  if (!controlsPath)
    throw missingInput(
      'policy',
      '--controls',
      `or controls.yaml / controls/ in ${ctx.dir}`,
    );
  if (!fs.existsSync(controlsPath))
    throw new GateError(`--controls ${controlsPath}: not found`);
  const controlFiles = fs.statSync(controlsPath).isDirectory()
    ? fs
        .readdirSync(controlsPath)
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
        .map(f => path.join(controlsPath, f))
    : [controlsPath];
  const catalog = loadControlsCatalog(
    controlFiles.map(file => ({ file, text: fs.readFileSync(file, 'utf8') })),
  );
  if (catalog.errors.length)
    throw new GateError(catalog.errors.map(formatCatalogError).join('\n'));

  const doc = parseDocument(fs.readFileSync(catalogInfo, 'utf8'));
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new GateError(
      `${catalogInfo}:${e.linePos?.[0].line ?? 1} ${e.message.split('\n')[0]}`,
    );
  }
  const entity = doc.toJSON() as Entity;
  const entityRef = ctx.entity();
  const observed = new Map<string, unknown>();
  for (const f of state.facts) observed.set(f.name, f.value);
  observed.set(
    'repo.codeowners',
    ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'].some(
      f =>
        fs.existsSync(path.join(ctx.dir, f)) &&
        fs.readFileSync(path.join(ctx.dir, f), 'utf8').trim() !== '',
    ),
  );
  const lifecycle = (entity.spec as { lifecycle?: unknown } | undefined)
    ?.lifecycle;
  if (typeof lifecycle === 'string')
    observed.set('catalog.lifecycle', lifecycle);
  const now = new Date().toISOString();
  const facts: EvidenceFact[] = [];
  for (const [name, value] of observed) {
    const typed = typeFactValue(name, value);
    if ('error' in typed) throw new GateError(`fact ${typed.error}`);
    facts.push({
      entityRef,
      name,
      ...typed,
      source: 'ci:gate',
      observedAt: now,
      recordedAt: now,
    });
  }
  const results = evaluateControls(
    catalog.controls,
    controlSubjectOf(entity),
    facts,
  );
  const failing = results.filter(
    r => r.status === 'fail' || r.status === 'error',
  );
  const passed = results.filter(r => r.status === 'pass').length;
  const details = {
    passed,
    failed: failing.length,
    maxFailures,
    controls: controlFiles.map(f => path.basename(f)),
    failing: failing.map(r => ({ control: r.controlId, message: r.message })),
  };
  const lines = failing.map(r => `${r.controlId}: ${r.message}`);
  return failing.length <= maxFailures
    ? {
        status: 'pass',
        message: `${passed} controls pass${
          lines.length ? `; tolerated: ${lines.join('; ')}` : ''
        }`,
        details,
      }
    : {
        status: 'fail',
        message: `${failing.length} controls fail:\n${lines.join('\n')}`,
        details,
      };
}

/** The schema as it was: `--base` file, else `git show <--base-ref>:<schema>`. */
async function baseSchema(
  ctx: GateContext,
  schemaFile: string,
): Promise<string> {
  if (ctx.options.base) {
    const file = path.resolve(ctx.dir, ctx.options.base);
    if (!fs.existsSync(file)) throw new GateError(`--base ${file}: not found`);
    return fs.readFileSync(file, 'utf8');
  }
  const ref = ctx.options.baseRef;
  if (!ref)
    throw missingInput(
      'schema',
      '--base or --base-ref',
      'the schema before the change, e.g. --base-ref origin/main',
    );
  const rel = path
    .relative(ctx.dir, path.resolve(ctx.dir, schemaFile))
    .split(path.sep)
    .join('/');
  const run = await runCommand('git', ['show', `${ref}:${rel}`], {
    cwd: ctx.dir,
    timeoutMs: MINUTE,
  });
  if (run.code !== 0) {
    // A schema that did not exist before: every type is new, nothing breaks.
    if (/does not exist|exists on disk, but not in/.test(run.output)) return '';
    throw new GateError(
      `git show ${ref}:${rel}: ${tail(run.output, 3).join(' ')}`,
    );
  }
  return run.output;
}

/**
 * The schema change's blast radius, computed by the lineage capability's own
 * code: offline against `--operations` (the same as `conductor blast-radius
 * --operations`), else by the backend against the operations registered for
 * `--api`.
 */
async function schema(ctx: GateContext): Promise<GateVerdict> {
  const maxServices = threshold(ctx, 'maxImpactedServices', 'schema');
  const schemaFile = ctx.options.schema;
  if (!schemaFile)
    throw missingInput('schema', '--schema', 'the changed GraphQL SDL file');
  const headFile = path.resolve(ctx.dir, schemaFile);
  if (!fs.existsSync(headFile))
    throw new GateError(`--schema ${headFile}: not found`);
  const headSdl = fs.readFileSync(headFile, 'utf8');
  const baseSdl = await baseSchema(ctx, schemaFile);
  let report: BlastRadiusReport;
  try {
    if (ctx.options.operations) {
      const { files, clients } = readOperationsDirectory(
        path.resolve(ctx.dir, ctx.options.operations),
      );
      const base = loadSchema(
        baseSdl || 'type Query { _empty: Boolean }',
        `${schemaFile} (base)`,
      );
      report = await computeBlastRadius({
        base,
        // the head reuses the base's unchanged definitions
        head: loadSchema(headSdl, schemaFile, { like: base }),
        operations: parseOperations(operationSourcesFromFiles(files, clients)),
        maxServices,
      });
    } else {
      const api = ctx.options.api;
      if (!api)
        throw missingInput(
          'schema',
          '--operations or --api',
          'the operations to judge the change against',
        );
      loadSchema(headSdl, schemaFile); // a typo is reported before any request
      const body: BlastRadiusRequest = {
        entityRef: api,
        baseSdl,
        headSdl,
        maxServices,
      };
      report = await ctx.call<BlastRadiusReport>(
        'POST',
        '/lineage/blast-radius',
        body,
      );
    }
  } catch (e) {
    if (e instanceof LineageInputError) throw new GateError(e.message);
    throw e;
  }
  const s = report.summary;
  const details = {
    ...s,
    maxServices,
    services: report.services,
    failed: report.gate.failed,
  };
  const numbers = `${s.breaking} breaking, ${s.dangerous} dangerous, ${s.safe} safe changes; ${s.impactedOperations} of ${s.operationsChecked} operations impacted across ${s.services} services`;
  return report.gate.failed
    ? {
        status: 'fail',
        message: `${numbers}\n${report.gate.reasons.join('\n')}`,
        details,
      }
    : { status: 'pass', message: numbers, details };
}

interface SloComponent {
  slos?: Array<{
    id: string;
    name: string;
    state: string;
    reason?: string;
    budgetRemaining: number | null;
  }>;
  cost?: {
    state: string;
    reason?: string;
    perThousandRequests: number | null;
    guardrail?: number;
    currency: string;
  };
}

async function slo(ctx: GateContext): Promise<GateVerdict> {
  const floor = threshold(ctx, 'minErrorBudget', 'slo');
  const board = await ctx.call<SloComponent>(
    'GET',
    `/slo/${entityPath(ctx.entity())}`,
  );
  const slos = board.slos ?? [];
  if (!slos.length)
    return { status: 'fail', message: `${ctx.entity()} has no SLO defined` };
  const problems: string[] = [];
  const budgets: Record<string, number | null> = {};
  for (const s of slos) {
    budgets[s.id] = s.budgetRemaining;
    if (s.budgetRemaining === null || s.state !== 'ok')
      problems.push(
        `${s.name}: no data (${s.state}${s.reason ? `: ${s.reason}` : ''})`,
      );
    else if (s.budgetRemaining < floor)
      problems.push(
        `${s.name}: error budget ${pct(s.budgetRemaining)} left, below ${pct(
          floor,
        )}`,
      );
  }
  const details = { budgets, minErrorBudget: floor };
  return problems.length
    ? { status: 'fail', message: problems.join('\n'), details }
    : {
        status: 'pass',
        message: `error budget above ${pct(floor)} on ${
          slos.length
        } SLOs (lowest ${pct(
          Math.min(...slos.map(s => s.budgetRemaining ?? 0)),
        )})`,
        details,
      };
}

async function cost(ctx: GateContext): Promise<GateVerdict> {
  const allowedOver = threshold(ctx, 'maxOverGuardrail', 'cost');
  const board = await ctx.call<SloComponent>(
    'GET',
    `/slo/${entityPath(ctx.entity())}`,
  );
  const c = board.cost;
  if (!c || c.state !== 'ok' || c.perThousandRequests === null)
    return {
      status: 'fail',
      message: `no unit cost for ${ctx.entity()}${
        c ? ` (${c.state}${c.reason ? `: ${c.reason}` : ''})` : ''
      }`,
    };
  if (c.guardrail === undefined)
    return {
      status: 'fail',
      message: `no cost guardrail configured for ${ctx.entity()}`,
    };
  const limit = c.guardrail * (1 + allowedOver);
  const details = {
    perThousandRequests: c.perThousandRequests,
    guardrail: c.guardrail,
    limit,
    currency: c.currency,
  };
  const numbers = `unit cost ${c.perThousandRequests.toFixed(4)} ${
    c.currency
  } per 1000 requests, guardrail ${c.guardrail}`;
  return c.perThousandRequests <= limit
    ? { status: 'pass', message: `${numbers}: within`, details }
    : {
        status: 'fail',
        message: `${numbers}: over by ${pct(
          c.perThousandRequests / c.guardrail - 1,
        )}`,
        details,
      };
}

async function k6(ctx: GateContext): Promise<GateVerdict> {
  const script = ctx.options.script ?? 'k6/smoke.js';
  const file = path.resolve(ctx.dir, script);
  if (!fs.existsSync(file))
    throw missingInput('k6', '--script', `${file} not found`);
  if (!onPath('k6', ctx.env)) throw new GateError('k6 not installed');
  const summary = path.join(
    os.tmpdir(),
    `k6-summary-${process.pid}-${Date.now()}.json`,
  );
  const run = await runCommand(
    'k6',
    ['run', '--quiet', '--summary-export', summary, file],
    {
      cwd: ctx.dir,
      timeoutMs: Number(ctx.options.timeoutMinutes ?? 10) * MINUTE,
    },
  );
  // k6 exits 99 when a threshold failed; anything else non-zero is an error.
  if (run.code === 99)
    return {
      status: 'fail',
      message: `k6 thresholds failed:\n${tail(run.output).join('\n')}`,
    };
  if (run.code !== 0)
    throw new GateError(
      `k6 exited ${run.code}:\n${tail(run.output).join('\n')}`,
    );
  return {
    status: 'pass',
    message: `k6 smoke passed (${script})`,
    facts: [{ name: 'k6.last_run', value: new Date().toISOString() }],
  };
}

/** The latest chaos experiment recorded as evidence must be recent. */
async function chaos(ctx: GateContext): Promise<GateVerdict> {
  const maxAgeDays = threshold(ctx, 'maxAgeDays', 'chaos');
  const body = await ctx.call<{
    facts?: Array<{ name: string; value: unknown }>;
  }>('GET', `/evidence/${entityPath(ctx.entity())}`);
  const fact = (body.facts ?? []).find(f => f.name === 'chaos.last_run');
  if (!fact || typeof fact.value !== 'string')
    return {
      status: 'fail',
      message: `no chaos experiment recorded for ${ctx.entity()} (fact chaos.last_run)`,
    };
  const ageDays = (Date.now() - Date.parse(fact.value)) / 86_400_000;
  const details = {
    lastRun: fact.value,
    ageDays: Math.round(ageDays * 10) / 10,
    maxAgeDays,
  };
  return ageDays <= maxAgeDays
    ? {
        status: 'pass',
        message: `last chaos experiment ${details.ageDays} days ago (at most ${maxAgeDays})`,
        details,
      }
    : {
        status: 'fail',
        message: `last chaos experiment ${details.ageDays} days ago, more than ${maxAgeDays}`,
        details,
      };
}

/** Samples of one PromQL query over the window, from Prometheus' query_range. */
async function promRange(
  base: string,
  query: string,
  start: number,
  end: number,
  step: number,
) {
  const url = `${base.replace(
    /\/+$/,
    '',
  )}/api/v1/query_range?${new URLSearchParams({
    query,
    start: String(start),
    end: String(end),
    step: String(step),
  })}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new GateError(
      `Cannot reach Prometheus at ${base}: ${
        (e as any).cause?.message ?? (e as Error).message
      }`,
    );
  }
  const body: any = await response.json().catch(() => undefined);
  if (!response.ok || body?.status !== 'success')
    throw new GateError(
      `Prometheus ${response.status} for ${query}: ${
        body?.error ?? response.statusText
      }`,
    );
  const series = body.data?.result ?? [];
  if (series.length > 1)
    throw new GateError(
      `${query} returns ${series.length} series; aggregate it to one (e.g. with sum or histogram_quantile)`,
    );
  return (series[0]?.values ?? []).map((v: [number, string]) => Number(v[1]));
}

const DURATION = /^(\d+)(s|m|h)$/;
function seconds(input: string, name: string): number {
  const m = DURATION.exec(input);
  if (!m) throw new GateError(`${name} ${input}: write it as 30s, 15m or 1h`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

async function canary(ctx: GateContext): Promise<GateVerdict> {
  const o = ctx.options;
  const prometheus = o.prometheus ?? ctx.env.PROMETHEUS_URL;
  if (!prometheus)
    throw missingInput('canary', '--prometheus', 'or PROMETHEUS_URL');
  if (!o.canaryQuery) throw missingInput('canary', '--canary-query');
  if (!o.baselineQuery) throw missingInput('canary', '--baseline-query');
  const direction = (o.direction ?? 'increase') as CanaryDirection;
  if (!['increase', 'decrease'].includes(direction))
    throw new GateError(
      `--direction ${direction}: must be increase (higher is worse) or decrease`,
    );
  const window = seconds(o.window ?? '30m', '--window');
  const step = seconds(o.step ?? '60s', '--step');
  if (window / step > 11_000)
    throw new GateError('--window / --step: at most 11,000 samples');
  const end = o.end ? Date.parse(o.end) / 1000 : Date.now() / 1000;
  if (!Number.isFinite(end))
    throw new GateError(`--end ${o.end}: not an ISO timestamp`);
  const start = end - window;
  const [canarySamples, baselineSamples] = await Promise.all([
    promRange(prometheus, o.canaryQuery, start, end, step),
    promRange(prometheus, o.baselineQuery, start, end, step),
  ]);
  const analysis = analyzeCanary(canarySamples, baselineSamples, {
    direction,
    alpha: threshold(ctx, 'alpha', 'canary'),
    tolerance: threshold(ctx, 'tolerance', 'canary'),
    minSamples: threshold(ctx, 'minSamples', 'canary'),
  });
  return {
    status: analysis.pass ? 'pass' : 'fail',
    message: analysis.reason,
    details: { ...analysis },
  };
}

/** Pushes what this run's gates observed, and their results, as evidence. */
async function evidence(
  ctx: GateContext,
  state: GateState,
): Promise<GateVerdict> {
  const observedAt = new Date().toISOString();
  const gates = Object.fromEntries(state.results.map(r => [r.gate, r.status]));
  // Facts only a collector records (the SBOM's presence, CODEOWNERS) stay
  // local: the backend's repository collector reads them from the repository.
  const local = state.facts.filter(f => KNOWN_FACTS[f.name]?.collectedBy);
  const facts = [
    ...state.facts
      .filter(f => !KNOWN_FACTS[f.name]?.collectedBy)
      .map(f => ({ ...f, observedAt: f.observedAt ?? observedAt })),
    { name: 'ci.gates', value: gates, observedAt },
    { name: 'ci.library_version', value: ctx.libraryVersion, observedAt },
  ];
  const entityRef = ctx.entity();
  await ctx.call('POST', '/evidence', { entityRef, facts });
  return {
    status: 'pass',
    message: `pushed ${facts.length} facts for ${entityRef}: ${facts
      .map(f => f.name)
      .join(', ')}${
      local.length
        ? ` (left to the collectors: ${local.map(f => f.name).join(', ')})`
        : ''
    }`,
    details: { facts: facts.length, gates },
  };
}

async function readiness(ctx: GateContext): Promise<GateVerdict> {
  const environment = ctx.options.env ?? ctx.env.CONDUCTOR_ENV;
  if (!environment)
    throw missingInput(
      'readiness',
      '--env',
      'or CONDUCTOR_ENV: dev, staging or prod',
    );
  const decision = await ctx.call<PromotionDecision>(
    'POST',
    '/promotions/check',
    {
      entityRef: ctx.entity(),
      environment,
      version: ctx.options.releaseVersion,
    },
  );
  const details = {
    score: decision.score,
    threshold: decision.threshold,
    reasons: decision.reasons,
  };
  const head = `readiness ${
    decision.score ?? 'n/a'
  } for ${environment} (threshold ${decision.threshold})`;
  return decision.allowed
    ? { status: 'pass', message: `promotion allowed: ${head}`, details }
    : {
        status: 'fail',
        message: `promotion blocked: ${head}\n${decision.reasons.join('\n')}`,
        details,
      };
}

/** Every gate by name. */
export const GATES: Record<
  CiGateName,
  (ctx: GateContext, state: GateState) => Promise<GateVerdict>
> = {
  lint,
  tests,
  sbom,
  policy,
  schema,
  slo,
  cost,
  k6,
  chaos,
  canary,
  evidence,
  readiness,
};

/** Runs a gate; a backend that answers with an error is an error (exit 2), never a pass. */
export async function runGate(
  name: CiGateName,
  ctx: GateContext,
): Promise<
  Omit<GateResult, 'gate' | 'libraryVersion' | 'thresholds'> & {
    facts?: GateState['facts'];
  }
> {
  try {
    return await GATES[name](ctx, readState(ctx.dir));
  } catch (e) {
    if (e instanceof GateError || e instanceof ConductorRequestError)
      return { status: 'error', message: e.message };
    throw e;
  }
}
