// A backfill runner in a process of its own, for the kill -9 tests and the
// bench: works on one run until it is done or the process is killed.
// Usage: BACKFILL_CHILD='{"plugin": <knex config>, "connections": {...}, "runId": 1}'
//   node -r @backstage/cli/config/nodeTransform.cjs runnerProcess.ts
import { ConfigReader } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import { BackfillRunner } from '../BackfillRunner';
import { BackfillStore } from '../BackfillStore';
import { BackfillTargets } from '../targets';

const cfg = JSON.parse(process.env.BACKFILL_CHILD!);
const logger: LoggerService = {
  info: () => {},
  debug: () => {},
  warn: m => process.stderr.write(`${m}\n`),
  error: m => process.stderr.write(`${m}\n`),
  child: () => logger,
};

async function main() {
  const db = knexFactory({ ...cfg.plugin, useNullAsDefault: true });
  const store = new BackfillStore(db);
  const targets = new BackfillTargets(new ConfigReader(cfg.connections), db);
  const runner = new BackfillRunner({
    store,
    targets,
    evidence: { recordObserved: async () => {} },
    logger,
    unitCost: { perMillionRows: 0, perDbSecond: 0 },
    runnerId: `process-${process.pid}`,
    leaseTtlMs: cfg.leaseTtlMs ?? 1000,
    healthIntervalMs: 60_000,
    maxRunMs: 3_600_000,
  });
  process.stdout.write('ready\n');
  for (;;) {
    const run = await store.run(cfg.runId);
    if (
      !run ||
      ['succeeded', 'failed', 'cancelled', 'paused'].includes(run.state)
    )
      break;
    await runner.work(cfg.runId);
    await new Promise(r => setTimeout(r, 50));
  }
  await targets.close();
  await db.destroy();
}

main().catch(e => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
