import {
  CI_GATES,
  CiGateName,
  FederationPinResponse,
  findVersion,
} from '@internal/plugin-conductor-common';
import { Command } from 'commander';
import path from 'node:path';
import { callConductor, ConductorRequestError } from '../client';
import { CliContext, EXIT } from '../context';
import { GateContext, runGate } from './gates';
import {
  entityFromCatalogInfo,
  GateError,
  GateResult,
  importResults,
  loadManifest,
  manifestPath,
  missingInput,
  recordState,
  thresholdsFor,
} from './support';

/** Gate-specific options; every gate also takes the common ones below. */
const GATE_OPTIONS: Record<CiGateName, Array<[string, string]>> = {
  lint: [['--script <name>', 'npm script to run (default lint)']],
  tests: [
    ['--script <name>', 'npm script to run (default test)'],
    [
      '--coverage-file <file>',
      'LCOV or json-summary report (default coverage/lcov.info, coverage/coverage-summary.json)',
    ],
  ],
  sbom: [
    [
      '--output <file>',
      'where to write the CycloneDX SBOM (default sbom.cdx.json)',
    ],
  ],
  policy: [
    [
      '--controls <path>',
      'controls file or directory (default controls.yaml or controls/ in --dir)',
    ],
  ],
  schema: [
    ['--schema <file>', 'the changed GraphQL SDL, relative to --dir'],
    ['--base <file>', 'the schema before the change'],
    ['--base-ref <ref>', 'or: the git ref holding it, e.g. origin/main'],
    [
      '--operations <dir>',
      'judge these operations offline (as conductor blast-radius --operations)',
    ],
    [
      '--api <ref>',
      'or: the API whose registered operations the backend judges',
    ],
  ],
  slo: [],
  cost: [],
  k6: [['--script <file>', 'k6 script (default k6/smoke.js)']],
  chaos: [],
  canary: [
    ['--prometheus <url>', 'Prometheus base URL (env PROMETHEUS_URL)'],
    ['--canary-query <promql>', 'the metric for the canary, one series'],
    [
      '--baseline-query <promql>',
      'the same metric for the baseline, one series',
    ],
    ['--direction <dir>', 'increase (higher is worse, default) or decrease'],
    ['--window <duration>', 'how far back to compare (default 30m)'],
    ['--step <duration>', 'sample spacing (default 60s)'],
    ['--end <iso>', 'end of the window (default now)'],
  ],
  evidence: [],
  readiness: [
    ['--env <environment>', 'dev, staging or prod (env CONDUCTOR_ENV)'],
    ['--release-version <version>', 'the version being promoted'],
  ],
};

const GATE_DESCRIPTIONS: Record<CiGateName, string> = {
  lint: "the repository's lint script",
  tests: 'the test script, then line coverage against the minimum',
  sbom: 'a CycloneDX SBOM generated with @cyclonedx/cyclonedx-npm',
  policy: "the compliance controls on the repository and this run's facts",
  schema: "the schema change's blast radius (lineage)",
  slo: 'error budget remaining above the floor on every SLO',
  cost: 'unit cost within the guardrail',
  k6: 'the k6 smoke test',
  chaos: 'a chaos experiment recorded recently enough',
  canary: 'canary vs baseline from Prometheus (Mann-Whitney U)',
  evidence: "push this run's facts and gate results as evidence",
  readiness: 'the promotion gate for --env',
};

function printResult(cli: CliContext, result: GateResult) {
  if (cli.global().json) {
    cli.io.out(JSON.stringify(result, null, 2));
    return;
  }
  const [first, ...rest] = result.message.split('\n');
  const line = `${result.status.toUpperCase()} ${result.gate} [ig-ci ${
    result.libraryVersion
  }]: ${first}`;
  (result.status === 'pass' ? cli.io.out : cli.io.err)(line);
  for (const l of rest)
    (result.status === 'pass' ? cli.io.out : cli.io.err)(`  ${l}`);
}

/**
 * `conductor gate <name>`: each gate of the CI library. Exit 0 pass, 1 fail,
 * 2 error (missing input, a tool or the backend unavailable). Thresholds come
 * from the library manifest for `--library-version` (env IG_CI_VERSION), so
 * a gate answers the same on a laptop and in any CI.
 */
export function registerGateCommands(program: Command, cli: CliContext) {
  const gate = program
    .command('gate')
    .description(
      'run one gate of the CI library (exit 0 pass, 1 fail, 2 error)',
    );
  for (const name of CI_GATES) {
    const command = gate
      .command(name)
      .description(GATE_DESCRIPTIONS[name])
      .option('--dir <dir>', 'the repository checkout', '.')
      .option(
        '--entity <ref>',
        'entity ref (env CONDUCTOR_ENTITY; default: catalog-info.yaml in --dir)',
      )
      .option(
        '--library-version <version>',
        'CI library version whose thresholds apply (env IG_CI_VERSION; default the newest)',
      )
      .option(
        '--manifest <file>',
        'CI library manifest (env CONDUCTOR_CI_MANIFEST; default ci/manifest.json)',
      )
      .option('--timeout-minutes <n>', 'limit for the tool the gate runs')
      .option(
        '--results-dir <dir>',
        'merge the gates.json files other CI jobs left there first',
      );
    for (const [flags, description] of GATE_OPTIONS[name])
      command.option(flags, description);
    command.action(async (opts: Record<string, string | undefined>) => {
      const dir = path.resolve(opts.dir ?? '.');
      let result: GateResult;
      let facts: Array<{ name: string; value: unknown }> | undefined;
      try {
        if (
          opts.timeoutMinutes !== undefined &&
          !(
            Number(opts.timeoutMinutes) > 0 &&
            Number(opts.timeoutMinutes) <= 120
          )
        )
          throw new GateError(
            `--timeout-minutes ${opts.timeoutMinutes}: between 1 and 120`,
          );
        if (opts.resultsDir) importResults(dir, path.resolve(opts.resultsDir));
        const manifest = loadManifest(manifestPath(opts.manifest));
        const { version, thresholds } = thresholdsFor(
          manifest,
          opts.libraryVersion ?? process.env.IG_CI_VERSION,
          name,
        );
        let entity: string | undefined;
        const ctx: GateContext = {
          dir,
          libraryVersion: version,
          thresholds,
          options: opts,
          env: process.env,
          entity: () => {
            entity ??=
              opts.entity ??
              process.env.CONDUCTOR_ENTITY ??
              entityFromCatalogInfo(dir);
            if (!entity)
              throw missingInput(
                name,
                '--entity',
                `or CONDUCTOR_ENTITY, or a catalog-info.yaml in ${dir}`,
              );
            return entity;
          },
          call: (method, apiPath, body) =>
            callConductor(cli.global(), method, apiPath, body),
        };
        const verdict = await runGate(name, ctx);
        facts = verdict.facts;
        result = {
          gate: name,
          status: verdict.status,
          message: verdict.message,
          libraryVersion: version,
          thresholds,
          ...(verdict.details ? { details: verdict.details } : {}),
        };
      } catch (e) {
        if (!(e instanceof GateError)) throw e;
        result = {
          gate: name,
          status: 'error',
          message: e.message,
          libraryVersion:
            opts.libraryVersion ?? process.env.IG_CI_VERSION ?? 'unknown',
          thresholds: {},
        };
      }
      try {
        recordState(dir, result, facts);
      } catch {
        // A read-only checkout still gets the verdict.
      }
      printResult(cli, result);
      const exitCodes = { pass: EXIT.OK, fail: EXIT.FAILED, error: EXIT.ERROR };
      cli.setExitCode(exitCodes[result.status]);
    });
  }
}

/**
 * `conductor ci pin`: a pull request pinning a repository to another ig-ci
 * version (upgrade, or the runbook's rollback to the previous one). A version
 * the manifest does not list is refused before anything is asked.
 */
export function registerCiCommands(program: Command, cli: CliContext) {
  const ci = program
    .command('ci')
    .description('the federated CI library (ig-ci)');
  ci.command('pin')
    .description(
      'open a pull request that pins a repository to another ig-ci version (exit 0 opened, 2 error)',
    )
    .requiredOption(
      '--entity <ref>',
      'the component, e.g. component:default/orders-api',
    )
    .option(
      '--version <version>',
      'a released version, e.g. v1.1.0 (write --version=v1.1.0: a bare --version is the program-wide one)',
    )
    .option('--to <version>', 'the same as --version')
    .option(
      '--manifest <file>',
      'CI library manifest (env CONDUCTOR_CI_MANIFEST; default ci/manifest.json)',
    )
    .action(
      async (opts: {
        entity: string;
        version?: string;
        to?: string;
        manifest?: string;
      }) => {
        const version = opts.version ?? opts.to;
        if (!version)
          throw new ConductorRequestError(
            0,
            'missing input --version: the released version to pin, e.g. --version=v1.1.0',
          );
        let manifest;
        try {
          manifest = loadManifest(manifestPath(opts.manifest));
        } catch (e) {
          throw new ConductorRequestError(0, (e as Error).message);
        }
        if (!findVersion(manifest, version))
          throw new ConductorRequestError(
            0,
            `--version ${version}: not a released version of ${
              manifest.library
            }; released: ${manifest.versions.map(v => v.version).join(', ')}`,
          );
        const res = await cli.call<FederationPinResponse>(
          'POST',
          '/federation/pin',
          {
            entityRef: opts.entity,
            version,
          },
        );
        if (cli.global().json) cli.io.out(JSON.stringify(res, null, 2));
        else
          cli.io.out(
            `${res.pullRequest.created ? 'Opened' : 'Updated'} ${
              res.pullRequest.url
            } (branch ${res.pullRequest.branch}): ${res.entityRef} ${
              res.from
            } → ${res.to} in ${res.files.join(', ')}`,
          );
        cli.setExitCode(EXIT.OK);
      },
    );
}
