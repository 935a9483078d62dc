import { TokenBucket, ema, nextBatchSize, BatchSizerState } from './throttle';
import {
  canTransition,
  isTerminalBackfillState,
  stateAfterControl,
} from './stateMachine';
import { dueCheckpoints, etaSeconds, isCostSpike, projectCost } from './cost';
import {
  formatBackfillDefinitionError,
  parseBackfillDefinition,
} from './definition';
import { backfillHealthVerdict } from './health';
import { checkStepSql, keyRangeBindings, sqlPlaceholders } from './sql';

const GOOD = `id: orders-amount-cents
owner: component:default/orders-api
connection: orders
table: orders
key: id
step: >
  UPDATE orders SET amount_cents = amount * 100
  WHERE id BETWEEN :from AND :to AND amount_cents IS NULL
verify: >
  SELECT count(*) FROM orders
  WHERE id BETWEEN :from AND :to AND amount_cents IS NULL
backfill:
  batch_size: 5000
  rps: 200
  checkpoints: ["10%", "50%", "90%", "100%"]
cost_budget: 2.5
health:
  services: [component:default/orders-api]
  max_lock_waits: 3
`;

describe('backfill definitions', () => {
  it('reads the seed shape with defaults', () => {
    const { definition, errors } = parseBackfillDefinition('a.yaml', GOOD);
    expect(errors).toEqual([]);
    expect(definition).toMatchObject({
      id: 'orders-amount-cents',
      owner: 'component:default/orders-api',
      key: ['id'],
      batchSize: 5000,
      rps: 200,
      minBatchSize: 100,
      maxBatchSize: 50000,
      targetBatchMs: 1000,
      checkpoints: [0.1, 0.5, 0.9, 1],
      costBudget: 2.5,
      health: { services: ['component:default/orders-api'], maxLockWaits: 3 },
    });
  });

  it('names file, line and field of each problem, and returns no definition', () => {
    const bad = GOOD.replace('rps: 200', 'rps: -1')
      .replace('"50%"', '"5O%"')
      .replace('key: id', 'key: [id, "1x"]')
      .concat('colour: blue\n');
    const { definition, errors } = parseBackfillDefinition('bad.yaml', bad);
    expect(definition).toBeUndefined();
    expect(errors.map(formatBackfillDefinitionError)).toEqual([
      'bad.yaml:20:1 colour: unknown field; known: id, owner, description, connection, table, key, step, js_step, verify, backfill, cost_budget, health',
      'bad.yaml:5:11 key[1]: must be a column name',
      'bad.yaml:14:8 backfill.rps: must be an integer from 1 to 10000000',
      'bad.yaml:15:24 backfill.checkpoints[1]: must be a percentage above 0% and at most 100%, e.g. "50%"',
    ]);
  });

  it('refuses a step that touches no key range or is not an UPDATE of the table', () => {
    const noRange = GOOD.replace(
      'WHERE id BETWEEN :from AND :to AND amount_cents IS NULL\nverify',
      'WHERE amount_cents IS NULL\nverify',
    );
    expect(
      parseBackfillDefinition('x.yaml', noRange).errors.map(
        formatBackfillDefinitionError,
      ),
    ).toEqual([
      'x.yaml:6:7 step: touches no key range: use :from, :to in the WHERE clause',
    ]);
    expect(
      checkStepSql('DELETE FROM orders WHERE id = :from', 'orders', ['id']),
    ).toBe('must start with UPDATE <table>');
    expect(
      checkStepSql(
        'UPDATE other SET a = 1 WHERE id BETWEEN :from AND :to',
        'orders',
        ['id'],
      ),
    ).toBe("updates other, but the definition's table is orders");
    expect(
      checkStepSql(
        'UPDATE orders SET a = 1 WHERE id BETWEEN :from AND :to; DROP TABLE orders',
        'orders',
        ['id'],
      ),
    ).toBe('must be a single statement');
    expect(
      checkStepSql(
        'UPDATE orders SET a = :x WHERE id BETWEEN :from AND :to',
        'orders',
        ['id'],
      ),
    ).toBe('unknown placeholder(s) :x; the key range is :from, :to');
  });

  it('reports YAML syntax errors with their position', () => {
    const { errors } = parseBackfillDefinition('s.yaml', 'id: [a\nowner: x');
    expect(errors[0]).toMatchObject({ file: 's.yaml', line: 1, field: '' });
  });

  it('requires checkpoints in ascending order and batch size within its bounds', () => {
    const { errors } = parseBackfillDefinition(
      'c.yaml',
      GOOD.replace('"90%", "100%"', '"100%", "90%"').replace(
        'batch_size: 5000',
        'batch_size: 5000\n  max_batch_size: 1000',
      ),
    );
    expect(errors.map(e => `${e.field}: ${e.message}`)).toEqual([
      'backfill.batch_size: must lie within min_batch_size 100 and max_batch_size 1000',
      'backfill.checkpoints[3]: checkpoints must be in ascending order',
    ]);
  });
});

describe('SQL placeholders', () => {
  it('ignores casts, literals and comments', () => {
    expect(
      sqlPlaceholders(
        "UPDATE t SET a = b::int, c = ':no' -- :nope\n WHERE (k1, k2) >= (:from_k1, :from_k2)",
      ),
    ).toEqual(['from_k1', 'from_k2']);
  });
  it('binds a composite key range per column', () => {
    expect(keyRangeBindings(['a', 'b'], [1, 2], [3, 4])).toEqual({
      from_a: 1,
      from_b: 2,
      to_a: 3,
      to_b: 4,
    });
  });
});

describe('state machine', () => {
  it('pauses a running run through pausing, others at once', () => {
    expect(stateAfterControl('running', 'pause')).toEqual({ to: 'pausing' });
    expect(stateAfterControl('throttled', 'pause')).toEqual({ to: 'paused' });
    expect(stateAfterControl('paused', 'resume')).toEqual({ to: 'enqueued' });
    expect(stateAfterControl('failed', 'resume')).toEqual({ to: 'enqueued' });
  });
  it('refuses what makes no sense, naming the state', () => {
    expect(stateAfterControl('succeeded', 'cancel')).toEqual({
      error: 'cannot cancel a run that is succeeded',
    });
    expect(stateAfterControl('running', 'resume')).toEqual({
      error: 'cannot resume a run that is running',
    });
    expect(canTransition('cancelled', 'running')).toBe(false);
    expect(canTransition('throttled', 'running')).toBe(true);
    expect(isTerminalBackfillState('succeeded')).toBe(true);
    expect(isTerminalBackfillState('failed')).toBe(false);
  });
});

describe('token bucket', () => {
  it('lets one second of rows through, then paces at the rate', () => {
    const b = new TokenBucket(100, 0);
    expect(b.take(100, 0)).toBe(0);
    expect(b.take(50, 0)).toBe(500);
    // Half a second later the debt is paid; another 100 rows wait one second.
    expect(b.take(100, 500)).toBe(1000);
  });
  it('does not save up more than one second', () => {
    const b = new TokenBucket(10, 0);
    expect(b.take(10, 60_000)).toBe(0);
    expect(b.take(10, 60_000)).toBe(1000);
  });
  it('retunes', () => {
    const b = new TokenBucket(10, 0);
    b.setRate(1000, 0);
    expect(b.take(500, 1000)).toBe(0);
  });
});

describe('adaptive batch size', () => {
  const sizing = {
    targetBatchMs: 1000,
    minBatchSize: 100,
    maxBatchSize: 10_000,
  };
  const run = (durations: number[], start = 1000) => {
    let s: BatchSizerState = { batchSize: start, efficiencies: [] };
    const sizes: number[] = [];
    for (const d of durations) {
      s = nextBatchSize(s, { durationMs: d }, sizing);
      sizes.push(s.batchSize);
    }
    return sizes;
  };
  it('grows at most ×1.2 a batch when batches are fast, up to the bound', () => {
    const sizes = run(Array(30).fill(100));
    expect(sizes.slice(0, 3)).toEqual([1200, 1440, 1728]);
    expect(sizes[sizes.length - 1]).toBe(10_000);
  });
  it('shrinks when batches are slow, down to the bound', () => {
    expect(run([2000])).toEqual([500]);
    expect(run(Array(20).fill(60_000))[19]).toBe(100);
  });
  it('holds inside the 0.90–0.95 band', () => {
    expect(run([920, 930, 940])).toEqual([1000, 1000, 1000]);
  });
  it('halves after a failed batch', () => {
    expect(
      nextBatchSize(
        { batchSize: 4000, efficiencies: [0.5] },
        { durationMs: 0, failed: true },
        sizing,
      ),
    ).toEqual({ batchSize: 2000, efficiencies: [] });
  });
  it('averages with α 0.4', () => {
    expect(ema([1, 0])).toBeCloseTo(0.6);
  });
});

describe('cost', () => {
  const unit = { perMillionRows: 1, perDbSecond: 0.01 };
  it('projects from the part done', () => {
    const p = projectCost(
      { rowsDone: 1_000_000, totalRows: 4_000_000, dbMs: 100_000 },
      unit,
      5,
    );
    expect(p.soFar).toBeCloseTo(2);
    expect(p.projected).toBeCloseTo(8);
    expect(p.overBudget).toBe(true);
    expect(
      projectCost({ rowsDone: 0, totalRows: 10, dbMs: 0 }, unit, 5),
    ).toMatchObject({
      projected: null,
      overBudget: false,
    });
  });
  it('sees a spike only with enough history', () => {
    expect(
      isCostSpike({ rows: 1000, dbMs: 4000 }, { rows: 100_000, dbMs: 100_000 }),
    ).toBe(true);
    expect(
      isCostSpike({ rows: 1000, dbMs: 2000 }, { rows: 100_000, dbMs: 100_000 }),
    ).toBe(false);
    expect(
      isCostSpike({ rows: 1000, dbMs: 4000 }, { rows: 2000, dbMs: 2000 }),
    ).toBe(false);
  });
  it('gives an ETA and the due checkpoints', () => {
    expect(etaSeconds(1000, 100)).toBe(10);
    expect(etaSeconds(1000, 0)).toBeNull();
    expect(dueCheckpoints([0.1, 0.5, 1], [0.1], 0.6)).toEqual([0.5]);
    expect(dueCheckpoints([0.1, 0.5, 1], [], 1)).toEqual([0.1, 0.5, 1]);
  });
});

describe('health verdict', () => {
  it('is red with every reason, and red when a signal cannot be read', () => {
    expect(
      backfillHealthVerdict(
        {
          services: ['component:default/a'],
          maxLockWaits: 0,
          prometheus: { query: 'up', max: 1 },
        },
        {
          burnRates: [{ service: 'component:default/a', value: 14.4 }],
          lockWaits: { value: 2 },
          prometheus: { error: 'connection refused' },
        },
      ),
    ).toEqual({
      red: true,
      reasons: [
        'SLO burn rate of component:default/a is 14.4 (over 2)',
        'sessions waiting on a lock is 2 (over 0)',
        'Prometheus up: connection refused',
      ],
    });
  });
  it('is green under the limits', () => {
    expect(
      backfillHealthVerdict(
        { maxLockWaits: 3, maxReplicationLagSeconds: 10 },
        { lockWaits: { value: 3 }, replicationLagSeconds: { value: 0.5 } },
      ),
    ).toEqual({ red: false, reasons: [] });
  });
});
