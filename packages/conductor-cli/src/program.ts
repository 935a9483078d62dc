import { Command } from 'commander';
import { CliContext, EXIT, Io, createCliContext } from './context';
import { registerBackfillCommands } from './backfill/commands';
import { registerBundleCommands } from './bundle/commands';
import { registerComplianceCommands } from './compliance/commands';
import { registerEvidenceCommands } from './evidence/commands';
import { registerCiCommands, registerGateCommands } from './gates/commands';
import { registerLineageCommands } from './lineage/commands';
import { registerReadinessCommands } from './readiness/commands';
import { registerRemediationCommands } from './remediation/commands';
import { registerSloCommands } from './slo/commands';

export { EXIT } from './context';

/** The version `conductor --version` prints: this package's. */
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
export const CLI_VERSION: string = require('../package.json').version;

/**
 * Each capability's commands, registered in this order. A new capability adds
 * one line here (and its commands in its own folder).
 */
const CAPABILITY_COMMANDS: Array<(program: Command, cli: CliContext) => void> =
  [
    registerEvidenceCommands,
    registerReadinessCommands,
    registerComplianceCommands,
    registerLineageCommands,
    registerGateCommands,
    registerCiCommands,
    registerRemediationCommands,
    registerSloCommands,
    registerBackfillCommands,
    registerBundleCommands,
  ];

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
    .version(CLI_VERSION, '-V, --version', 'print the version of conductor')
    // Options after a command are that command's own (ci pin --version vX).
    .enablePositionalOptions()
    .option('--url <url>', 'backend base URL (env CONDUCTOR_URL)')
    .option('--token <token>', 'service token (env CONDUCTOR_TOKEN)')
    .option('--json', 'print JSON instead of text')
    .exitOverride()
    .configureOutput({
      writeOut: s => io.out(s.trimEnd()),
      writeErr: s => io.err(s.trimEnd()),
    });

  const cli = createCliContext(program, io, code => {
    exitCode = code;
  });
  for (const register of CAPABILITY_COMMANDS) register(program, cli);

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
