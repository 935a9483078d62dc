import { Command } from 'commander';
import { ConductorRequestError } from '../client';
import type {
  ComplianceChangesResponse,
  ComplianceRunSummary,
  EntityComplianceResponse,
  StoredExemption,
} from '@internal/plugin-conductor-common';
import { CliContext, EXIT, entityPath } from '../context';
import { checkDirectory, formatSarif, formatText } from './controlsCheck';

const percent = (x: number | null) =>
  x === null ? 'n/a' : `${Math.round(x * 1000) / 10} %`;

/**
 * `conductor controls check` (offline on a directory), `conductor compliance
 * run|status|changes` and `conductor exemptions list|request|approve|revoke`.
 */
export function registerComplianceCommands(program: Command, cli: CliContext) {
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
    .option(
      '--controls <file>',
      "a controls catalog file to use instead of the directory's; repeat for more",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .action(
      async (opts: { dir: string; format: string; controls: string[] }) => {
        if (!['text', 'json', 'sarif'].includes(opts.format)) {
          throw new ConductorRequestError(
            0,
            `--format ${opts.format}: must be text, json or sarif`,
          );
        }
        const check = checkDirectory(opts.dir, new Date(), {
          controlFiles: opts.controls,
        });
        if (check.errors.length) {
          for (const e of check.errors) cli.io.err(e);
          cli.setExitCode(EXIT.ERROR);
          return;
        }
        if (opts.format === 'json')
          cli.io.out(JSON.stringify(check.results, null, 2));
        else if (opts.format === 'sarif')
          cli.io.out(JSON.stringify(formatSarif(check), null, 2));
        else formatText(check).forEach(l => cli.io.out(l));
        const failed = check.results.some(
          r => r.status === 'fail' || r.status === 'error',
        );
        cli.setExitCode(failed ? EXIT.FAILED : EXIT.OK);
      },
    );

  const compliance = program
    .command('compliance')
    .description(
      'compliance runs: start one, see where an entity stands, what changed',
    );
  compliance
    .command('run')
    .description('run every control now (an admin or CI)')
    .action(async () => {
      const run = await cli.call<ComplianceRunSummary>(
        'POST',
        '/compliance/runs',
      );
      if (cli.global().json) cli.io.out(JSON.stringify(run, null, 2));
      else {
        cli.io.out(
          `Run ${run.runId}: score ${percent(run.score)} over ${
            run.entities
          } entities and ${run.controls} controls; ${
            run.flipped
          } result(s) flipped, ${run.factsChanged} fact(s) changed`,
        );
        if (run.teamsBelowTarget.length)
          cli.io.out(`Teams below target: ${run.teamsBelowTarget.join(', ')}`);
      }
    });
  compliance
    .command('status')
    .description(
      "an entity's controls in the latest run (exit 1 when one fails)",
    )
    .requiredOption('--entity <ref>', 'entity ref')
    .action(async (opts: { entity: string }) => {
      const res = await cli.call<EntityComplianceResponse>(
        'GET',
        `/compliance/${entityPath(opts.entity)}`,
      );
      if (cli.global().json) cli.io.out(JSON.stringify(res, null, 2));
      else if (res.runId === null)
        cli.io.out(`No compliance run yet: conductor compliance run`);
      else {
        cli.io.out(
          `${res.entityRef}: ${percent(res.score)} in run ${res.runId}${
            res.previousScore === null
              ? ''
              : ` (was ${percent(res.previousScore)})`
          }`,
        );
        for (const r of res.results)
          cli.io.out(
            `  ${r.status.padEnd(14)} ${r.controlId.padEnd(16)} ${r.message}`,
          );
      }
      cli.setExitCode(
        res.results.some(r => r.status === 'fail' || r.status === 'error')
          ? EXIT.FAILED
          : EXIT.OK,
      );
    });
  compliance
    .command('changes')
    .description('controls that flipped and facts that changed in a run')
    .option('--run <id>', 'the run (default: the latest)')
    .action(async (opts: { run?: string }) => {
      const res = await cli.call<ComplianceChangesResponse>(
        'GET',
        `/compliance/changes${
          opts.run ? `?runId=${encodeURIComponent(opts.run)}` : ''
        }`,
      );
      if (cli.global().json) {
        cli.io.out(JSON.stringify(res, null, 2));
        return;
      }
      if (res.runId === null) {
        cli.io.out('No compliance run yet');
        return;
      }
      cli.io.out(
        `Run ${res.runId} against run ${res.previousRunId ?? '(none)'}:`,
      );
      for (const f of res.flips)
        cli.io.out(
          `  ${f.entityRef} ${f.controlId}: ${f.previousStatus} → ${f.status}${
            f.changedFacts?.length
              ? ` (changed: ${f.changedFacts.join(', ')})`
              : ''
          }`,
        );
      for (const c of res.factChanges)
        cli.io.out(
          `  ${c.entityRef} ${c.name}: ${JSON.stringify(
            c.before,
          )} → ${JSON.stringify(c.after)}`,
        );
      if (!res.flips.length && !res.factChanges.length)
        cli.io.out('  nothing changed');
    });

  const exemptions = program
    .command('exemptions')
    .description(
      'exemptions from a control: one person asks, another approves',
    );
  exemptions
    .command('list')
    .requiredOption('--entity <ref>', 'entity ref')
    .action(async (opts: { entity: string }) => {
      const res = await cli.call<{ exemptions: StoredExemption[] }>(
        'GET',
        `/compliance/exemptions?entityRef=${encodeURIComponent(opts.entity)}`,
      );
      if (cli.global().json) cli.io.out(JSON.stringify(res, null, 2));
      else if (res.exemptions.length === 0)
        cli.io.out(`No exemptions for ${opts.entity}`);
      else res.exemptions.forEach(e => cli.io.out(describeExemption(e)));
    });
  exemptions
    .command('request')
    .description(
      "ask for an exemption (a person's token; active once approved)",
    )
    .requiredOption('--entity <ref>', 'entity ref')
    .requiredOption('--control <id>', 'control id, e.g. SEC-MFA-01')
    .requiredOption('--reason <text>', 'why, in at least 10 characters')
    .requiredOption('--until <iso>', 'when it expires (ISO-8601)')
    .action(
      async (opts: {
        entity: string;
        control: string;
        reason: string;
        until: string;
      }) => {
        const e = await cli.call<StoredExemption>(
          'POST',
          '/compliance/exemptions',
          {
            entityRef: opts.entity,
            controlId: opts.control,
            reason: opts.reason,
            expiresAt: opts.until,
          },
        );
        cli.io.out(
          cli.global().json ? JSON.stringify(e, null, 2) : describeExemption(e),
        );
      },
    );
  exemptions
    .command('approve <id>')
    .description("approve someone else's request")
    .action(async (id: string) => {
      const e = await cli.call<StoredExemption>(
        'POST',
        `/compliance/exemptions/${encodeURIComponent(id)}/approve`,
      );
      cli.io.out(
        cli.global().json ? JSON.stringify(e, null, 2) : describeExemption(e),
      );
    });
  exemptions
    .command('revoke <id>')
    .description(
      'revoke an exemption (its requester, its approver or an admin)',
    )
    .action(async (id: string) => {
      await cli.call(
        'DELETE',
        `/compliance/exemptions/${encodeURIComponent(id)}`,
      );
      cli.io.out(`Revoked exemption #${id}`);
    });
}

function describeExemption(e: StoredExemption): string {
  const who =
    e.status === 'requested'
      ? `asked by ${e.createdBy}, waiting for approval`
      : `asked by ${e.createdBy}, approved by ${e.approver}`;
  return `#${e.id} ${e.status} ${e.entityRef} ${e.controlId} until ${e.expiresAt}: ${e.reason} (${who})`;
}
