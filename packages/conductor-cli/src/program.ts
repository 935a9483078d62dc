import { Command } from 'commander';
import { ConductorRequestError, callConductor } from './client';
import { parseFactArgument } from './facts';
import { checkDirectory, formatSarif, formatText } from './controlsCheck';
import type { PromotionDecision } from '@internal/plugin-conductor-common';

/** Exit codes CI scripts can rely on. */
export const EXIT = { OK: 0, FAILED: 1, ERROR: 2 } as const;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

function entityPath(ref: string): string {
  const m = /^([^:]+):(?:([^/]+)\/)?(.+)$/.exec(ref);
  if (!m)
    throw new ConductorRequestError(
      0,
      `--entity ${ref}: write it as kind:namespace/name, e.g. component:default/orders-api`,
    );
  return [m[1], m[2] ?? 'default', m[3]].map(encodeURIComponent).join('/');
}

/**
 * Builds the `conductor` command. Returns the exit code instead of exiting,
 * so that tests run it in-process against a real backend.
 */
export async function runConductor(
  argv: string[],
  io: Io = { out: console.log, err: console.error },
): Promise<number> {
  let exitCode: number = EXIT.OK;
  const program = new Command('conductor')
    .description('Maestro Conductor client for CI and people')
    .option('--url <url>', 'backend base URL (env CONDUCTOR_URL)')
    .option('--token <token>', 'service token (env CONDUCTOR_TOKEN)')
    .option('--json', 'print JSON instead of text')
    .exitOverride()
    .configureOutput({
      writeOut: s => io.out(s.trimEnd()),
      writeErr: s => io.err(s.trimEnd()),
    });

  const evidence = program
    .command('evidence')
    .description('push and read evidence facts');

  evidence
    .command('push')
    .description('record facts about an entity (CI)')
    .requiredOption(
      '--entity <ref>',
      'entity ref, e.g. component:default/orders-api',
    )
    .option(
      '--fact <name=value>',
      'a fact; repeat for more (name:=<json> for lists and objects)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--observed-at <iso>',
      'when the facts were observed (default: now)',
    )
    .action(
      async (opts: { entity: string; fact: string[]; observedAt?: string }) => {
        const global = program.opts();
        if (opts.fact.length === 0)
          throw new ConductorRequestError(
            0,
            'give at least one --fact name=value',
          );
        const facts = opts.fact
          .map(parseFactArgument)
          .map(f => ({ ...f, observedAt: opts.observedAt }));
        const result = await callConductor<{
          entityRef: string;
          stored: Array<{ name: string; value: unknown; type: string }>;
        }>(global, 'POST', '/evidence', { entityRef: opts.entity, facts });
        if (global.json) io.out(JSON.stringify(result, null, 2));
        else {
          io.out(
            `Recorded ${result.stored.length} fact(s) for ${result.entityRef}:`,
          );
          for (const f of result.stored)
            io.out(`  ${f.name} = ${JSON.stringify(f.value)} (${f.type})`);
        }
      },
    );

  evidence
    .command('get')
    .description('show the latest facts about an entity')
    .requiredOption('--entity <ref>', 'entity ref')
    .action(async (opts: { entity: string }) => {
      const global = program.opts();
      const result = await callConductor<{
        entityRef: string;
        facts: Array<{
          name: string;
          value: unknown;
          source: string;
          observedAt: string;
        }>;
      }>(global, 'GET', `/evidence/${entityPath(opts.entity)}`);
      if (global.json) io.out(JSON.stringify(result, null, 2));
      else if (result.facts.length === 0)
        io.out(`No evidence about ${result.entityRef}`);
      else
        for (const f of result.facts)
          io.out(
            `${f.name} = ${JSON.stringify(f.value)}  [${f.source}, ${
              f.observedAt
            }]`,
          );
    });

  program
    .command('prs-check')
    .description(
      'ask the promotion gate whether a release may be promoted (exit 0 allowed, 1 blocked, 2 error)',
    )
    .requiredOption(
      '--entity <ref>',
      'entity ref, e.g. component:default/orders-api',
    )
    .option('--env <environment>', 'target environment', 'production')
    .option('--version <version>', 'the version being promoted')
    .option(
      '--min <score>',
      'a stricter minimum this pipeline requires (never laxer than the gate)',
    )
    .action(
      async (opts: {
        entity: string;
        env: string;
        version?: string;
        min?: string;
      }) => {
        const global = program.opts();
        const min = opts.min === undefined ? undefined : Number(opts.min);
        if (min !== undefined && !(min >= 0 && min <= 1)) {
          throw new ConductorRequestError(
            0,
            `--min ${opts.min}: must be a number between 0 and 1`,
          );
        }
        const decision = await callConductor<PromotionDecision>(
          global,
          'POST',
          '/promotions/check',
          {
            entityRef: opts.entity,
            environment: opts.env,
            version: opts.version,
          },
        );
        const reasons = [...decision.reasons];
        let allowed = decision.allowed;
        if (allowed && min !== undefined && (decision.score ?? 0) < min) {
          allowed = false;
          reasons.push(`below --min ${min} required by this pipeline`);
        }
        if (global.json) {
          io.out(JSON.stringify({ ...decision, allowed, reasons }, null, 2));
        } else {
          io.out(
            `${allowed ? 'ALLOWED' : 'BLOCKED'} ${decision.entityRef} → ${
              decision.environment
            }: readiness ${decision.score ?? 'n/a'} (threshold ${
              decision.threshold
            })`,
          );
          for (const r of reasons) io.out(`  - ${r}`);
          for (const c of decision.components) {
            io.out(
              `  ${c.id.padEnd(14)} ${c.value.toFixed(3)} × ${
                c.weight
              } = ${c.contribution.toFixed(4)}${
                c.missing ? '  (missing)' : ''
              }  ${c.explanation}`,
            );
          }
        }
        exitCode = allowed ? EXIT.OK : EXIT.FAILED;
      },
    );

  const controls = program
    .command('controls')
    .description('compliance controls');
  controls
    .command('check')
    .description(
      'evaluate controls offline on a directory (exit 0 all pass, 1 a control fails, 2 error)',
    )
    .requiredOption(
      '--dir <dir>',
      'directory with catalog-info.yaml, controls.yaml or controls/, facts.json',
    )
    .option('--format <format>', 'text, json or sarif', 'text')
    .action(async (opts: { dir: string; format: string }) => {
      if (!['text', 'json', 'sarif'].includes(opts.format)) {
        throw new ConductorRequestError(
          0,
          `--format ${opts.format}: must be text, json or sarif`,
        );
      }
      const check = checkDirectory(opts.dir);
      if (check.errors.length) {
        for (const e of check.errors) io.err(e);
        exitCode = EXIT.ERROR;
        return;
      }
      if (opts.format === 'json')
        io.out(JSON.stringify(check.results, null, 2));
      else if (opts.format === 'sarif')
        io.out(JSON.stringify(formatSarif(check), null, 2));
      else formatText(check).forEach(l => io.out(l));
      const failed = check.results.some(
        r => r.status === 'fail' || r.status === 'error',
      );
      exitCode = failed ? EXIT.FAILED : EXIT.OK;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const err = e as Error & { code?: string; exitCode?: number };
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version'
    )
      return EXIT.OK;
    if (err.code?.startsWith('commander.')) return EXIT.ERROR; // usage error, already printed
    io.err(`conductor: ${err.message}`);
    exitCode = EXIT.ERROR;
  }
  return exitCode;
}
