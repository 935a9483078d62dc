import {
  SloDefinition,
  SloFileInvalidError,
  formatSloFileError,
  parseSloFile,
  renderSloRules,
  slosFromSla,
} from '@internal/plugin-conductor-common';
import { Command } from 'commander';
import fs from 'node:fs';
import { CliContext, EXIT } from '../context';

interface RulesOptions {
  file?: string[];
  sla?: string;
  service?: string;
  window?: string;
  metric?: string;
}

/**
 * The SLOs of the files and SLA given; every problem in the files is
 * printed as `file:line field: message`.
 */
export function loadSlos(opts: RulesOptions): {
  slos: SloDefinition[];
  errors: string[];
} {
  const errors: string[] = [];
  const slos: SloDefinition[] = [];
  const windowDays = (
    { '28d': 28, '28': 28, '30d': 30, '30': 30 } as Record<string, 28 | 30>
  )[opts.window ?? '30d'];
  if (windowDays === undefined) {
    return { slos, errors: [`--window ${opts.window}: 28d or 30d`] };
  }
  for (const file of opts.file ?? []) {
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > 256 * 1024) {
        errors.push(`${file}: larger than 262144 bytes`);
        continue;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      errors.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    const parsed = parseSloFile(file, text, { defaultWindowDays: windowDays });
    errors.push(...parsed.errors.map(formatSloFileError));
    slos.push(...parsed.slos);
  }
  if (opts.sla !== undefined) {
    if (!opts.service) {
      errors.push('--sla needs --service, the service label value');
    } else {
      try {
        slos.push(
          ...slosFromSla({
            service: opts.service,
            sla: opts.sla,
            metric: opts.metric,
            windowDays,
          }),
        );
      } catch (e) {
        if (e instanceof SloFileInvalidError)
          errors.push(...e.errors.map(formatSloFileError));
        else throw e;
      }
    }
  }
  if (!opts.file?.length && opts.sla === undefined)
    errors.push('give --file FILE (OpenSLO or Sloth) or --sla with --service');
  return { slos, errors };
}

/** `conductor slo rules`: Prometheus rules from SLO files, offline. */
export function registerSloCommands(program: Command, cli: CliContext) {
  const slo = program
    .command('slo')
    .description('service level objectives: rules and boards');
  slo
    .command('rules')
    .description(
      'print Prometheus rule groups (Sloth format: error-ratio recordings, page and ticket burn-rate alerts, absent-metric alert) for SLO files; exit 2 naming file, line and field on a bad file',
    )
    .option(
      '--file <file...>',
      'SLO file: OpenSLO (kind: SLO) or Sloth (version: prometheus/v1)',
    )
    .option(
      '--sla <sla>',
      'latency objectives in the seed\'s form, e.g. "read=350 write=700" (p95, milliseconds)',
    )
    .option('--service <name>', 'service label value for --sla')
    .option(
      '--metric <name>',
      'latency histogram for --sla (default http_request_duration_seconds)',
    )
    .option(
      '--window <days>',
      'SLO window for Sloth files and --sla: 28d or 30d',
      '30d',
    )
    .action((opts: RulesOptions) => {
      const { slos, errors } = loadSlos(opts);
      if (errors.length) {
        for (const e of errors) cli.io.err(`conductor: ${e}`);
        cli.setExitCode(EXIT.ERROR);
        return;
      }
      cli.io.out(renderSloRules(slos).trimEnd());
      cli.setExitCode(EXIT.OK);
    });
}
