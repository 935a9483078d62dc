import { Command } from 'commander';
import { RemediationRunResponse } from '@internal/plugin-conductor-common';
import { ConductorRequestError } from '../client';
import { CliContext, EXIT } from '../context';
import { remediateDirectory } from './remediate';

const collect = (v: string, all: string[] = []) => [...all, v];

/** `conductor remediate`: the remediation bot offline on a repository. */
export function registerRemediationCommands(program: Command, cli: CliContext) {
  program
    .command('remediate')
    .description(
      "fix failing controls of the repository at --dir: print the diff and the re-check; without --dry-run commit on the branch conductor/remediate-compliance. With --entity, ask the backend's bot to open or update the pull request instead (exit 0 fixed or nothing to fix, 1 a targeted control still fails or a PR could not be opened, 2 error)",
    )
    .option(
      '--dir <dir>',
      'the repository (catalog-info.yaml, optional .conductor.yaml and facts.json)',
    )
    .option(
      '--entity <ref>',
      "run the backend's bot on this entity (repeatable; needs --url and --token)",
      collect,
      [],
    )
    .option('--control <id>', 'only this control (repeatable)', collect, [])
    .option(
      '--controls <file>',
      "controls catalog file (repeatable; default: the repository's, else the baseline)",
      collect,
      [],
    )
    .option('--dry-run', 'print the patch and the re-check; commit nothing')
    .action(
      async (opts: {
        dir?: string;
        entity: string[];
        control: string[];
        controls: string[];
        dryRun?: boolean;
      }) => {
        if (!!opts.dir === opts.entity.length > 0)
          throw new ConductorRequestError(
            0,
            "remediate: give either --dir PATH (offline) or --entity REF (the backend's bot)",
          );
        if (!opts.dir) {
          await remediateThroughBackend(cli, opts);
          return;
        }
        const out = remediateDirectory({
          dir: opts.dir,
          controls: opts.control,
          controlFiles: opts.controls,
          dryRun: !!opts.dryRun,
        });
        const { plan } = out;
        if (cli.global().json) {
          cli.io.out(
            JSON.stringify(
              { ...out, plan: { ...plan, patched: undefined } },
              null,
              2,
            ),
          );
        } else {
          if (plan.diff) cli.io.out(plan.diff.trimEnd());
          const noRecipe = plan.fixes.filter(
            f => f.status === 'no-recipe' && !opts.control.length,
          );
          for (const f of plan.fixes.filter(x => !noRecipe.includes(x)))
            cli.io.out(
              `${f.status.toUpperCase().padEnd(13)} ${f.controlId}: ${
                f.message
              }`,
            );
          if (noRecipe.length)
            cli.io.out(
              `NO-RECIPE     ${noRecipe
                .map(f => f.controlId)
                .join(', ')}: no recipe; fix by hand`,
            );
          for (const o of plan.overrides)
            cli.io.out(
              `OVERRIDE      ${o.kind} ${o.target}${
                o.value ? ` = ${o.value}` : ''
              } (${o.source})`,
            );
          for (const e of out.recheckErrors.concat(plan.invalid))
            cli.io.err(`re-check: ${e}`);
          const passing = out.recheck.filter(
            r =>
              r.status === 'pass' &&
              plan.fixes.some(f => f.controlId === r.controlId),
          );
          cli.io.out(
            `re-check on the patched tree: now passing ${
              passing.map(r => r.controlId).join(', ') || 'none'
            }`,
          );
          if (out.stillFailing.length)
            cli.io.out(`still failing: ${out.stillFailing.join(', ')}`);
          const pct = (s: number | null) =>
            s === null ? 'n/a' : `${(s * 100).toFixed(1)} %`;
          cli.io.out(
            `compliance score ${pct(plan.scoreBefore)} -> ${pct(
              plan.scoreAfter,
            )}`,
          );
          if (out.commit && 'sha' in out.commit)
            cli.io.out(
              `committed ${out.commit.sha.slice(0, 12)} on ${
                out.commit.branch
              }`,
            );
          else if (out.commit)
            cli.io.out(`${out.commit.branch} already holds these fixes`);
          else if (!plan.changes.length) cli.io.out('nothing to change');
        }
        if (out.recheckErrors.length || plan.invalid.length)
          cli.setExitCode(EXIT.ERROR);
        else cli.setExitCode(out.stillFailing.length ? EXIT.FAILED : EXIT.OK);
      },
    );
}

/** `conductor remediate --entity`: the backend's bot opens or updates the PRs. */
async function remediateThroughBackend(
  cli: CliContext,
  opts: { entity: string[]; control: string[]; dryRun?: boolean },
) {
  const response = await cli.call<RemediationRunResponse>(
    'POST',
    '/remediation/runs',
    {
      entityRefs: opts.entity,
      ...(opts.control.length ? { controls: opts.control } : {}),
      ...(opts.dryRun ? { dryRun: true } : {}),
    },
  );
  if (cli.global().json) cli.io.out(JSON.stringify(response, null, 2));
  else
    for (const r of response.results) {
      const where = r.changeRequest?.url ?? r.changeRequest?.branch ?? '';
      cli.io.out(
        `${r.outcome.toUpperCase().padEnd(14)} ${r.entityRef}: ${r.message}${
          where ? ` (${where})` : ''
        }`,
      );
      if (opts.dryRun && r.diff) cli.io.out(r.diff.trimEnd());
    }
  const bad = response.results.some(r =>
    ['failed', 'not-ready', 'blocked', 'rate-limited'].includes(r.outcome),
  );
  cli.setExitCode(bad ? EXIT.FAILED : EXIT.OK);
}
