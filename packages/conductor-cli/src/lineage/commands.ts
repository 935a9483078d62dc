import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import {
  BlastRadiusReport,
  BlastRadiusRequest,
  LINEAGE_MAX_OPERATIONS,
  LINEAGE_MAX_SDL_CHARS,
  LineageInputError,
  PushOperationsRequest,
  PushOperationsResponse,
  computeBlastRadius,
  formatBlastRadiusMarkdown,
  loadSchema,
  operationSourcesFromFiles,
  parseClientsManifest,
  parseOperations,
} from '@internal/plugin-conductor-common';
import { parse as parseYaml } from 'yaml';
import { ConductorRequestError } from '../client';
import { CliContext, EXIT } from '../context';

function fail(message: string): never {
  throw new ConductorRequestError(0, message);
}

function readText(file: string, what: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return fail(`${what} ${file}: no such file`);
  }
  if (!stat.isFile()) fail(`${what} ${file}: not a file`);
  if (stat.size > LINEAGE_MAX_SDL_CHARS * 4)
    fail(`${what} ${file}: ${stat.size} bytes is too large`);
  return fs.readFileSync(file, 'utf8');
}

/**
 * The `.graphql`/`.gql` files under a directory (paths relative to it, `/`
 * separated) and its `clients.yaml`. Bounded: at most
 * {@link LINEAGE_MAX_OPERATIONS} files; symbolic links are not followed.
 */
export function readOperationsDirectory(dir: string) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    fail(`--operations ${dir}: not a directory`);
  const files: Array<{ path: string; text: string }> = [];
  const walk = (rel: string) => {
    const entries = fs
      .readdirSync(path.join(dir, rel), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && /\.(graphql|gql)$/.test(e.name)) {
        if (files.length >= LINEAGE_MAX_OPERATIONS)
          fail(
            `--operations ${dir}: more than ${LINEAGE_MAX_OPERATIONS} operation files`,
          );
        files.push({
          path: r,
          text: readText(path.join(dir, r), '--operations'),
        });
      }
    }
  };
  walk('');
  const manifest = path.join(dir, 'clients.yaml');
  const clients = fs.existsSync(manifest)
    ? parseClientsManifest(
        fs.readFileSync(manifest, 'utf8'),
        path.join(dir, 'clients.yaml'),
      )
    : {};
  return { files, clients };
}

function readMitigations(file?: string): Record<string, string> | undefined {
  if (!file) return undefined;
  const text = readText(file, '--mitigations');
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    return fail(
      `--mitigations ${file}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    fail(
      `--mitigations ${file}: must map change paths to notes, e.g. "Order.totalCents: deprecated since 2026-09, clients moved"`,
    );
  for (const [k, v] of Object.entries(data as Record<string, unknown>))
    if (typeof v !== 'string' || !v.trim())
      fail(`--mitigations ${file}: ${k}: must be a non-empty note`);
  return data as Record<string, string>;
}

function parseMaxServices(value?: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    fail(`--max-services ${value}: must be a whole number, 0 or more`);
  return n;
}

/** `conductor blast-radius` and `conductor lineage operations push`. */
export function registerLineageCommands(program: Command, cli: CliContext) {
  program
    .command('blast-radius')
    .description(
      'blast radius of a GraphQL schema change: impacted operations, services and tenants, and a mitigation checklist (exit 0 ok, 1 a breaking change reaches more than --max-services services without a recorded mitigation, 2 error)',
    )
    .requiredOption('--base <file>', 'the schema before the change (SDL)')
    .requiredOption('--head <file>', 'the schema after the change (SDL)')
    .option(
      '--operations <dir>',
      'judge the operations in this directory offline (each .graphql file one document; client = first folder; clients.yaml gives components and tenants)',
    )
    .option(
      '--entity <ref>',
      'the API, e.g. api:default/orders-graphql; without --operations, its registered operations are judged by the backend',
    )
    .option(
      '--format <format>',
      'markdown (the PR comment) or json',
      'markdown',
    )
    .option(
      '--max-services <n>',
      'services a breaking change may reach without a recorded mitigation (default: the backend config, offline 0)',
    )
    .option(
      '--mitigations <file>',
      'YAML or JSON: change path to the recorded mitigation, e.g. "Order.totalCents: clients moved in wave 1"',
    )
    .action(
      async (opts: {
        base: string;
        head: string;
        operations?: string;
        entity?: string;
        format: string;
        maxServices?: string;
        mitigations?: string;
      }) => {
        const format = cli.global().json ? 'json' : opts.format;
        if (!['markdown', 'json'].includes(format))
          fail(`--format ${opts.format}: must be markdown or json`);
        if (!opts.operations && !opts.entity)
          fail(
            'give --operations DIR (offline) or --entity api:namespace/name (operations registered in the backend)',
          );
        const maxServices = parseMaxServices(opts.maxServices);
        const mitigations = readMitigations(opts.mitigations);
        const baseSdl = readText(opts.base, '--base');
        const headSdl = readText(opts.head, '--head');

        let report: BlastRadiusReport;
        try {
          if (opts.operations) {
            const { files, clients } = readOperationsDirectory(opts.operations);
            const base = loadSchema(baseSdl, opts.base);
            report = await computeBlastRadius({
              base,
              // what did not change is taken from the base, not parsed again
              head: loadSchema(headSdl, opts.head, { like: base }),
              operations: parseOperations(
                operationSourcesFromFiles(files, clients),
              ),
              mitigations,
              maxServices,
            });
          } else {
            // Parse locally first so a typo is reported before any request.
            const base = loadSchema(baseSdl, opts.base);
            loadSchema(headSdl, opts.head, { like: base });
            const body: BlastRadiusRequest = {
              entityRef: opts.entity!,
              baseSdl,
              headSdl,
              ...(mitigations ? { mitigations } : {}),
              ...(maxServices !== undefined ? { maxServices } : {}),
            };
            report = await cli.call<BlastRadiusReport>(
              'POST',
              '/lineage/blast-radius',
              body,
            );
          }
        } catch (e) {
          if (e instanceof LineageInputError) fail(e.message);
          throw e;
        }
        if (format === 'json') cli.io.out(JSON.stringify(report, null, 2));
        else
          cli.io.out(
            formatBlastRadiusMarkdown(
              report,
              opts.entity ? `Blast radius of ${opts.entity}` : 'Blast radius',
            ),
          );
        cli.setExitCode(report.gate.failed ? EXIT.FAILED : EXIT.OK);
      },
    );

  const lineage = program.command('lineage').description('contract lineage');
  const operations = lineage
    .command('operations')
    .description('operations clients send to an API');
  operations
    .command('push')
    .description(
      "register the full set of operations one client sends to an API (replaces the client's previous set; exit 0 ok, 2 error)",
    )
    .requiredOption(
      '--entity <ref>',
      'the API, e.g. api:default/orders-graphql',
    )
    .requiredOption(
      '--client <name>',
      'the client sending them, e.g. checkout-web',
    )
    .requiredOption('--dir <dir>', 'directory of .graphql documents')
    .option(
      '--service <ref>',
      "the client's catalog component, e.g. component:default/checkout-web",
    )
    .option('--tenants <list>', 'comma-separated tenants the client serves')
    .action(
      async (opts: {
        entity: string;
        client: string;
        dir: string;
        service?: string;
        tenants?: string;
      }) => {
        const { files } = readOperationsDirectory(opts.dir);
        if (!files.length) fail(`--dir ${opts.dir}: no .graphql files`);
        try {
          // Reject a document that does not parse before sending anything.
          parseOperations(files.map(f => ({ file: f.path, text: f.text })));
        } catch (e) {
          if (e instanceof LineageInputError) fail(e.message);
          throw e;
        }
        const tenants = opts.tenants
          ?.split(',')
          .map(t => t.trim())
          .filter(Boolean);
        const body: PushOperationsRequest = {
          entityRef: opts.entity,
          client: opts.client,
          ...(opts.service ? { service: opts.service } : {}),
          ...(tenants ? { tenants } : {}),
          operations: files.map(f => ({ file: f.path, text: f.text })),
        };
        const res = await cli.call<PushOperationsResponse>(
          'POST',
          '/lineage/operations',
          body,
        );
        if (cli.global().json) cli.io.out(JSON.stringify(res, null, 2));
        else
          cli.io.out(
            `${res.client} → ${res.entityRef}: ${res.operations} operation(s) registered (${res.added} added, ${res.removed} removed)`,
          );
        cli.setExitCode(EXIT.OK);
      },
    );
}
