import { Command } from 'commander';
import type { PromotionDecision } from '@internal/plugin-conductor-common';
import { ConductorRequestError, callConductor } from '../client';
import { CliContext, EXIT } from '../context';

/** `conductor prs-check`: the promotion gate. */
export function registerReadinessCommands(program: Command, cli: CliContext) {
  program
    .command('prs-check')
    .description(
      'ask the promotion gate whether a release may be promoted (exit 0 allowed, 1 blocked, 2 could not judge or error)',
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
        const global = cli.global();
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
          cli.io.out(
            JSON.stringify({ ...decision, allowed, reasons }, null, 2),
          );
        } else {
          cli.io.out(
            `${allowed ? 'ALLOWED' : 'BLOCKED'} ${decision.entityRef} → ${
              decision.environment
            }: readiness ${decision.score ?? 'n/a'} (threshold ${
              decision.threshold
            })`,
          );
          for (const r of reasons) cli.io.out(`  - ${r}`);
          for (const c of decision.components) {
            cli.io.out(
              `  ${c.id.padEnd(14)} ${c.value.toFixed(3)} × ${
                c.weight
              } = ${c.contribution.toFixed(4)}${
                c.missing ? '  (missing)' : ''
              }  ${c.explanation}`,
            );
          }
        }
        // Not judged (unknown entity or environment, gate error): a typo must
        // not read as a real block.
        if (decision.judged === false) cli.setExitCode(EXIT.ERROR);
        else cli.setExitCode(allowed ? EXIT.OK : EXIT.FAILED);
      },
    );
}
