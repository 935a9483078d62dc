import path from 'node:path';
import { FLAVOURS, GoldenPath, isGoldenPath } from './goldenPaths';
import { GoldenPathError, renderGoldenPath } from './renderGoldenPath';
import { GoldenPathInput, GroupLookup, parseGroupRef } from './values';

/** Where the CLI prints. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: 0 created, 2 refused or failed (nothing written). */
export const EXIT = { OK: 0, ERROR: 2 } as const;

const MAX_ARGS = 64;

function usage(command: GoldenPath): string {
  const sla =
    command === 'create-ig-service' ? ' [--sla read=350 write=700]' : '';
  return `usage: ${command} <name> --owner <group> --system <system> [--template ${FLAVOURS[
    command
  ].join(
    '|',
  )}]${sla} [--description <text>] [--dir <parent dir>] [--catalog-url <portal backend url>]`;
}

/** Parses the seed's flags, including `--sla read=350 write=700`. */
export function parseCreateArgs(
  command: GoldenPath,
  argv: string[],
): {
  input: GoldenPathInput;
  dir: string;
  catalogUrl?: string;
  template: string;
  errors: string[];
} {
  const errors: string[] = [];
  const input: GoldenPathInput = {};
  let dir = '.';
  let catalogUrl: string | undefined;
  let template = FLAVOURS[command][0];
  const positional: string[] = [];
  if (argv.length > MAX_ARGS) errors.push(`at most ${MAX_ARGS} arguments`);
  for (let i = 0; i < argv.length && i < MAX_ARGS; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--')
      ? arg.split(/=(.*)/s, 2)
      : [arg];
    const next = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) {
        errors.push(`${flag}: needs a value`);
        return '';
      }
      return v;
    };
    switch (flag) {
      case '--owner':
        input.owner = next();
        break;
      case '--system':
        input.system = next();
        break;
      case '--description':
        input.description = next();
        break;
      case '--dir':
        dir = next();
        break;
      case '--catalog-url':
        catalogUrl = next();
        break;
      case '--template':
        template = next();
        break;
      case '--sla': {
        // `--sla read=350 write=700` or `--sla read=350,write=700`
        const parts = [inline ?? argv[++i] ?? ''];
        while (/^(read|write)=/.test(argv[i + 1] ?? '')) parts.push(argv[++i]);
        for (const part of parts.join(',').split(',').filter(Boolean)) {
          const m = /^(read|write)=(.*)$/.exec(part);
          if (!m)
            errors.push(`--sla: "${part}" is not read=<ms> or write=<ms>`);
          else if (m[1] === 'read') input.slaRead = m[2];
          else input.slaWrite = m[2];
        }
        break;
      }
      default:
        if (arg.startsWith('-')) errors.push(`${arg}: unknown option`);
        else positional.push(arg);
    }
  }
  if (positional.length !== 1)
    errors.push(`expected one <name>, got ${positional.length}`);
  input.name = positional[0];
  if (!FLAVOURS[command].includes(template)) {
    errors.push(
      `--template: ${command} offers ${FLAVOURS[command].join(
        ', ',
      )}, not ${template}`,
    );
  }
  return { input, dir, catalogUrl, template, errors };
}

/** Asks a Backstage catalog whether a group exists. */
export function catalogGroupLookup(
  baseUrl: string,
  token?: string,
): GroupLookup {
  return async ref => {
    const [, namespace, name] = /^group:([^/]+)\/(.+)$/.exec(ref) ?? [];
    const url = `${baseUrl.replace(
      /\/$/,
      '',
    )}/api/catalog/entities/by-name/group/${encodeURIComponent(
      namespace,
    )}/${encodeURIComponent(name)}`;
    const res = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 404) return false;
    if (!res.ok)
      throw new Error(
        `catalog answered ${res.status} for ${url}; owner not checked`,
      );
    return true;
  };
}

/** `create-ig-service my-svc --template node-apollo --sla read=350 write=700 ...` */
export async function runCreateIg(
  command: string,
  argv: string[],
  io: CliIo,
): Promise<number> {
  if (!isGoldenPath(command)) {
    io.err(`${command}: not a golden path`);
    return EXIT.ERROR;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage(command));
    return EXIT.OK;
  }
  const args = parseCreateArgs(command, argv);
  if (args.errors.length) {
    args.errors.forEach(e => io.err(`${command}: ${e}`));
    io.err(usage(command));
    return EXIT.ERROR;
  }
  const catalogUrl = args.catalogUrl ?? process.env.BACKSTAGE_URL;
  const targetDir = path.resolve(args.dir, String(args.input.name));
  try {
    const { values, files } = await renderGoldenPath({
      template: command,
      input: args.input,
      groupExists: catalogUrl
        ? catalogGroupLookup(catalogUrl, process.env.BACKSTAGE_TOKEN)
        : undefined,
      targetDir,
    });
    if (!catalogUrl) {
      io.err(
        `${command}: owner ${values.ownerRef} not checked against a catalog (pass --catalog-url or set BACKSTAGE_URL)`,
      );
    }
    io.out(`created ${targetDir} (${files.length} files)`);
    io.out(
      `next: cd ${
        path.relative(process.cwd(), targetDir) || '.'
      } && npm install && npm run check`,
    );
    return EXIT.OK;
  } catch (e) {
    if (e instanceof GoldenPathError) {
      for (const p of e.problems)
        io.err(`${command}: ${p.field}: ${p.message}`);
      if (!e.problems.length) io.err(`${command}: ${e.message}`);
    } else {
      io.err(`${command}: ${(e as Error).message}`);
    }
    return EXIT.ERROR;
  }
}

export { parseGroupRef };
