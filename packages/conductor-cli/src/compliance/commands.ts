import { Command } from 'commander';
import { ConductorRequestError } from '../client';
import { CliContext, EXIT } from '../context';
import { checkDirectory, formatSarif, formatText } from './controlsCheck';

/** `conductor controls check`: controls offline on a directory. */
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
    .action(async (opts: { dir: string; format: string }) => {
      if (!['text', 'json', 'sarif'].includes(opts.format)) {
        throw new ConductorRequestError(
          0,
          `--format ${opts.format}: must be text, json or sarif`,
        );
      }
      const check = checkDirectory(opts.dir);
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
    });
}
