import { Command } from 'commander';
import type { CollectionSummary } from '@internal/plugin-conductor-common';
import { ConductorRequestError, callConductor } from '../client';
import { CliContext, entityPath } from '../context';
import { parseFactArgument } from '../facts';

/** `conductor evidence push|get|collect`. */
export function registerEvidenceCommands(program: Command, cli: CliContext) {
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
        const global = cli.global();
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
        if (global.json) cli.io.out(JSON.stringify(result, null, 2));
        else {
          cli.io.out(
            `Recorded ${result.stored.length} fact(s) for ${result.entityRef}:`,
          );
          for (const f of result.stored)
            cli.io.out(`  ${f.name} = ${JSON.stringify(f.value)} (${f.type})`);
        }
      },
    );

  evidence
    .command('get')
    .description('show the latest facts about an entity')
    .requiredOption('--entity <ref>', 'entity ref')
    .action(async (opts: { entity: string }) => {
      const global = cli.global();
      const result = await callConductor<{
        entityRef: string;
        facts: Array<{
          name: string;
          value: unknown;
          source: string;
          observedAt: string;
        }>;
      }>(global, 'GET', `/evidence/${entityPath(opts.entity)}`);
      if (global.json) cli.io.out(JSON.stringify(result, null, 2));
      else if (result.facts.length === 0)
        cli.io.out(`No evidence about ${result.entityRef}`);
      else
        for (const f of result.facts)
          cli.io.out(
            `${f.name} = ${JSON.stringify(f.value)}  [${f.source}, ${
              f.observedAt
            }]`,
          );
    });

  evidence
    .command('collect')
    .description('run every evidence collector now (an admin or CI)')
    .action(async () => {
      const summary = await cli.call<CollectionSummary>(
        'POST',
        '/evidence/collect',
      );
      if (cli.global().json) cli.io.out(JSON.stringify(summary, null, 2));
      else
        cli.io.out(
          `Collected ${summary.facts} fact(s) about ${
            summary.entities
          } entities; ${summary.rejected} rejected${
            summary.failedCollectors.length
              ? `; failed collectors: ${summary.failedCollectors.join(', ')}`
              : ''
          }`,
        );
    });
}
