import { Command } from 'commander';
import fs from 'node:fs';
import type {
  BackfillListResponse,
  BackfillRunDetail,
  BackfillRunSummary,
} from '@internal/plugin-conductor-common';
import { ConductorRequestError } from '../client';
import { CliContext, EXIT } from '../context';

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

function eta(s: number | null) {
  if (s === null) return 'n/a';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

/** One line per run: what a person scans in a terminal. */
function line(r: BackfillRunSummary) {
  return `#${r.id} ${r.definitionId} ${r.state} ${pct(r.progress)} ${
    r.rowsDone
  }/${r.totalRows ?? '?'} rows, ${r.rowsPerSecond} rows/s, ETA ${eta(
    r.etaSeconds,
  )}, batch ${r.batchSize}, rps ${r.rps}, cost ${r.cost.soFar}${
    r.cost.budget !== null ? ` of ${r.cost.budget}` : ''
  }${r.reason ? ` — ${r.reason}` : ''}`;
}

function runId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new ConductorRequestError(
      0,
      `run id ${raw}: must be a positive integer`,
    );
  return id;
}

const intOption = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ConductorRequestError(
      0,
      `${flag} ${v}: must be a positive integer`,
    );
  return n;
};

/**
 * `conductor backfill start|status|pause|resume|cancel|retune`: control
 * backfill runs. Exit 0 ok; `status --wait` exits 1 when the run did not
 * succeed; 2 on any error.
 */
export function registerBackfillCommands(program: Command, cli: CliContext) {
  const backfill = program
    .command('backfill')
    .description('start, watch and control backfills');

  const print = (r: BackfillRunDetail) => {
    if (cli.global().json) {
      cli.io.out(JSON.stringify(r, null, 2));
      return;
    }
    cli.io.out(line(r));
    for (const c of r.checkpoints ?? [])
      cli.io.out(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.message}`);
    for (const p of r.pauses ?? [])
      cli.io.out(
        `  paused ${p.at} (${p.kind}${p.by ? `, ${p.by}` : ''}): ${p.reason}${
          p.resumedAt ? `; resumed ${p.resumedAt}` : ''
        }`,
      );
  };

  backfill
    .command('start')
    .description(
      'start a loaded definition by id, or (CI token) register a definition file and start it',
    )
    .argument('[definitionId]', 'id of a definition the backend loaded')
    .option('--file <path>', 'a definition file to register (CI) and start')
    .option('--register-only', 'with --file: register without starting')
    .action(
      async (
        definitionId: string | undefined,
        opts: { file?: string; registerOnly?: boolean },
      ) => {
        if (!definitionId === !opts.file)
          throw new ConductorRequestError(
            0,
            'give a definition id or --file <path>, not both',
          );
        let body: object;
        if (opts.file) {
          let text: string;
          try {
            text = fs.readFileSync(opts.file, 'utf8');
          } catch (e) {
            throw new ConductorRequestError(
              0,
              `--file ${opts.file}: ${(e as Error).message}`,
            );
          }
          body = { definition: text, start: !opts.registerOnly };
        } else body = { definitionId };
        const res = await cli.call<any>('POST', '/backfills', body);
        if (opts.registerOnly) {
          cli.io.out(
            cli.global().json
              ? JSON.stringify(res, null, 2)
              : `registered ${res.definition.id} (${res.hash.slice(0, 12)})`,
          );
        } else print(res);
        cli.setExitCode(EXIT.OK);
      },
    );

  backfill
    .command('status')
    .description('list runs, or show one run; --wait follows it to the end')
    .argument('[runId]', 'a run id')
    .option('--wait', 'wait until the run stops; exit 1 unless it succeeded')
    .option('--interval <seconds>', 'how often to ask while waiting', '5')
    .action(
      async (
        raw: string | undefined,
        opts: { wait?: boolean; interval: string },
      ) => {
        if (!raw) {
          const list = await cli.call<
            BackfillListResponse & { problems?: string[] }
          >('GET', '/backfills');
          if (cli.global().json) cli.io.out(JSON.stringify(list, null, 2));
          else {
            for (const d of list.definitions)
              cli.io.out(
                `definition ${d.id} (${d.owner}) ${d.connection}.${d.table} from ${d.source}`,
              );
            for (const p of list.problems ?? []) cli.io.out(`refused: ${p}`);
            for (const r of list.runs) cli.io.out(line(r));
          }
          cli.setExitCode(EXIT.OK);
          return;
        }
        const id = runId(raw);
        const stopped = ['succeeded', 'failed', 'cancelled', 'paused'];
        let r = await cli.call<BackfillRunDetail>('GET', `/backfills/${id}`);
        while (opts.wait && !stopped.includes(r.state)) {
          if (!cli.global().json) cli.io.out(line(r));
          await new Promise(res =>
            setTimeout(res, Math.max(0.05, Number(opts.interval) || 5) * 1000),
          );
          r = await cli.call<BackfillRunDetail>('GET', `/backfills/${id}`);
        }
        print(r);
        cli.setExitCode(
          opts.wait && r.state !== 'succeeded' ? EXIT.FAILED : EXIT.OK,
        );
      },
    );

  for (const control of ['pause', 'resume', 'cancel'] as const) {
    backfill
      .command(control)
      .description(`${control} a run`)
      .argument('<runId>', 'a run id')
      .option('--reason <text>', 'why (recorded with the run)')
      .option(
        '--version <n>',
        'refuse if the run changed since this version',
        intOption('--version'),
      )
      .action(
        async (raw: string, opts: { reason?: string; version?: number }) => {
          const r = await cli.call<BackfillRunDetail>(
            'POST',
            `/backfills/${runId(raw)}/${control}`,
            {
              ...(opts.reason ? { reason: opts.reason } : {}),
              ...(opts.version ? { version: opts.version } : {}),
            },
          );
          print(r);
          cli.setExitCode(EXIT.OK);
        },
      );
  }

  backfill
    .command('retune')
    .description('change the rows/s ceiling and the batch size bounds of a run')
    .argument('<runId>', 'a run id')
    .option('--rps <n>', 'rows per second ceiling', intOption('--rps'))
    .option(
      '--batch-size <n>',
      'the next batch size',
      intOption('--batch-size'),
    )
    .option('--min-batch <n>', 'smallest batch', intOption('--min-batch'))
    .option('--max-batch <n>', 'largest batch', intOption('--max-batch'))
    .action(
      async (
        raw: string,
        opts: {
          rps?: number;
          batchSize?: number;
          minBatch?: number;
          maxBatch?: number;
        },
      ) => {
        const body = {
          ...(opts.rps ? { rps: opts.rps } : {}),
          ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
          ...(opts.minBatch ? { minBatchSize: opts.minBatch } : {}),
          ...(opts.maxBatch ? { maxBatchSize: opts.maxBatch } : {}),
        };
        if (Object.keys(body).length === 0)
          throw new ConductorRequestError(
            0,
            'give at least one of --rps, --batch-size, --min-batch, --max-batch',
          );
        print(
          await cli.call<BackfillRunDetail>(
            'POST',
            `/backfills/${runId(raw)}/retune`,
            body,
          ),
        );
        cli.setExitCode(EXIT.OK);
      },
    );
}
