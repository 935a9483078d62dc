import { Command } from 'commander';
import type {
  PromotionDecision,
  PromotionOverride,
} from '@internal/plugin-conductor-common';
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
          // The gate names each weak component in its reasons too: print
          // those once, in the table below.
          const componentIds = new Set<string>(
            decision.components.map(c => c.id),
          );
          for (const r of reasons) {
            if (!componentIds.has(r.split(':')[0])) cli.io.out(`  - ${r}`);
          }
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

  const overrides = program
    .command('overrides')
    .description(
      'break-glass overrides of the promotion gate: one person asks, another approves',
    );
  overrides
    .command('list')
    .description('overrides of an entity, newest first')
    .requiredOption('--entity <ref>', 'entity ref')
    .action(async (opts: { entity: string }) => {
      const res = await cli.call<{ overrides: PromotionOverride[] }>(
        'GET',
        `/promotions/overrides?entityRef=${encodeURIComponent(opts.entity)}`,
      );
      if (cli.global().json) cli.io.out(JSON.stringify(res, null, 2));
      else if (res.overrides.length === 0)
        cli.io.out(`No overrides for ${opts.entity}`);
      else res.overrides.forEach(o => cli.io.out(describeOverride(o)));
    });
  overrides
    .command('request')
    .description("ask for an override (a person's token; active once approved)")
    .requiredOption('--entity <ref>', 'entity ref')
    .requiredOption('--env <environment>', 'environment')
    .requiredOption('--reason <text>', 'why, in at least 10 characters')
    .option('--hours <n>', 'how long, from the approval', '4')
    .action(
      async (opts: {
        entity: string;
        env: string;
        reason: string;
        hours: string;
      }) => {
        const hours = Number(opts.hours);
        if (!(hours > 0)) {
          throw new ConductorRequestError(
            0,
            `--hours ${opts.hours}: must be a positive number`,
          );
        }
        const o = await cli.call<PromotionOverride>(
          'POST',
          '/promotions/overrides',
          {
            entityRef: opts.entity,
            environment: opts.env,
            reason: opts.reason,
            expiresInHours: hours,
          },
        );
        cli.io.out(
          cli.global().json ? JSON.stringify(o, null, 2) : describeOverride(o),
        );
      },
    );
  overrides
    .command('approve <id>')
    .description("approve someone else's request")
    .action(async (id: string) => {
      const o = await cli.call<PromotionOverride>(
        'POST',
        `/promotions/overrides/${encodeURIComponent(id)}/approve`,
      );
      cli.io.out(
        cli.global().json ? JSON.stringify(o, null, 2) : describeOverride(o),
      );
    });
  overrides
    .command('revoke <id>')
    .description('revoke an override (its requester, its approver or an admin)')
    .action(async (id: string) => {
      await cli.call(
        'DELETE',
        `/promotions/overrides/${encodeURIComponent(id)}`,
      );
      cli.io.out(`Revoked override #${id}`);
    });
}

function describeOverride(o: PromotionOverride): string {
  const who =
    o.status === 'requested'
      ? `asked by ${o.createdBy}, waiting for approval`
      : `asked by ${o.createdBy}, approved by ${o.approver}`;
  return `#${o.id} ${o.status} ${o.entityRef} → ${o.environment} until ${o.expiresAt}: ${o.reason} (${who})`;
}
