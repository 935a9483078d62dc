import {
  BundleCheckError,
  BundleSummary,
} from '@internal/plugin-conductor-common';
import { Command } from 'commander';
import fs from 'node:fs';
import { ConductorRequestError, resolveClientOptions } from '../client';
import { CliContext, EXIT } from '../context';
import { verifyBundle } from './verify';

interface CreateOptions {
  entity?: string;
  team?: string;
  all?: boolean;
  since?: string;
  out?: string;
}

/** Downloads an archive as text (it is JSON lines, not one JSON document). */
async function download(cli: CliContext, path: string): Promise<string> {
  const { url, token } = resolveClientOptions(cli.global());
  let response: Response;
  try {
    response = await fetch(`${url}/api/conductor${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  } catch (e) {
    throw new ConductorRequestError(
      0,
      `Cannot reach ${url}: ${(e as Error).message}`,
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw new ConductorRequestError(
      response.status,
      `${response.status} ${text}`,
    );
  return text;
}

/** `conductor bundle create|verify`. */
export function registerBundleCommands(program: Command, cli: CliContext) {
  const bundle = program
    .command('bundle')
    .description('signed evidence bundles: create one, verify one offline');

  bundle
    .command('create')
    .description('build, sign and store a bundle, and download it')
    .option('--entity <ref>', 'one entity, e.g. component:default/orders-api')
    .option('--team <group>', 'the entities a team owns, e.g. payments')
    .option('--all', 'every entity')
    .option('--since <time>', 'only events since this ISO-8601 time')
    .option('--out <file>', 'where to write the archive', undefined)
    .action(async (opts: CreateOptions) => {
      const given = [opts.entity, opts.team, opts.all].filter(
        v => v !== undefined,
      );
      if (given.length !== 1) {
        cli.io.err(
          'conductor bundle create: give exactly one of --entity, --team, --all',
        );
        cli.setExitCode(EXIT.ERROR);
        return;
      }
      try {
        const summary = await cli.call<BundleSummary>('POST', '/bundles', {
          ...(opts.entity ? { entityRef: opts.entity } : {}),
          ...(opts.team ? { team: opts.team } : {}),
          ...(opts.all ? { all: true } : {}),
          ...(opts.since ? { since: opts.since } : {}),
        });
        const archive = await download(cli, summary.downloadPath);
        const out = opts.out ?? `conductor-bundle-${summary.id}.jsonl`;
        fs.writeFileSync(out, archive);
        if (cli.global().json)
          cli.io.out(JSON.stringify({ ...summary, file: out }));
        else
          cli.io.out(
            `bundle ${summary.id}: ${summary.fileCount} files, ${summary.sizeBytes} bytes, signed by key ${summary.keyId}, written to ${out}`,
          );
        cli.setExitCode(EXIT.OK);
      } catch (e) {
        cli.io.err(`conductor bundle create: ${(e as Error).message}`);
        cli.setExitCode(EXIT.ERROR);
      }
    });

  bundle
    .command('verify <file>')
    .description('check the signature and every file hash offline')
    .option('--key <pem>', 'the signer public key (PEM file) to pin')
    .action((file: string, opts: { key?: string }) => {
      let text: string;
      let key: string | undefined;
      try {
        if (fs.statSync(file).size > 64 * 1024 * 1024)
          throw new Error(`${file}: larger than 64 MB`);
        text = fs.readFileSync(file, 'utf8');
        key = opts.key ? fs.readFileSync(opts.key, 'utf8') : undefined;
      } catch (e) {
        cli.io.err(`conductor bundle verify: ${(e as Error).message}`);
        cli.setExitCode(EXIT.ERROR);
        return;
      }
      try {
        const r = verifyBundle(text, key);
        const result = {
          ok: true,
          files: r.statement.subject.length,
          keyId: r.keyId,
          keyPinned: r.keyPinned,
        };
        if (cli.global().json) cli.io.out(JSON.stringify(result));
        else
          cli.io.out(
            `OK ${file}: signature by key ${r.keyId} and ${
              result.files
            } file hashes verified${
              r.keyPinned
                ? ''
                : ' (key taken from the archive: pass --key to pin the signer)'
            }`,
          );
        cli.setExitCode(EXIT.OK);
      } catch (e) {
        if (!(e instanceof BundleCheckError)) {
          cli.io.err(`conductor bundle verify: ${(e as Error).message}`);
          cli.setExitCode(EXIT.ERROR);
          return;
        }
        if (cli.global().json)
          cli.io.out(
            JSON.stringify({
              ok: false,
              check: e.check,
              file: e.file,
              message: e.message,
            }),
          );
        cli.io.err(`FAILED ${e.check} check: ${e.message}`);
        cli.setExitCode(EXIT.FAILED);
      }
    });
}
