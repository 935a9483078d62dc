import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, DEFAULT_BACKOFF } from '../src/backoff.ts';
import { consumeOnce, PermanentError } from '../src/consumer.ts';
import { handleTask, parseTask } from '../src/handler.ts';
import { createMetrics } from '../src/metrics.ts';
import { InMemoryQueue } from '../src/queue.ts';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function counted(
  metrics: ReturnType<typeof createMetrics>,
  outcome: string,
) {
  const metric = await metrics.messages.get();
  return metric.values.find(v => v.labels.outcome === outcome)?.value ?? 0;
}

describe('backoff', () => {
  it('doubles the cap per attempt up to the maximum, with jitter below it', () => {
    const policy = { baseMs: 100, maxMs: 1000, maxAttempts: 5 };
    assert.equal(
      backoffDelay(1, policy, () => 0.999999),
      99,
    );
    assert.equal(
      backoffDelay(3, policy, () => 0.5),
      200,
    );
    assert.equal(
      backoffDelay(10, policy, () => 0.999999),
      999,
    );
    assert.equal(
      backoffDelay(2, policy, () => 0),
      0,
    );
    assert.throws(
      () => backoffDelay(0, policy),
      /attempt: must be a whole number >= 1/,
    );
  });

  it('spreads the retries of messages that failed together', () => {
    const delays = new Set(
      Array.from({ length: 50 }, () => backoffDelay(4, DEFAULT_BACKOFF)),
    );
    assert.ok(delays.size > 40, `only ${delays.size} distinct delays`);
  });
});

describe('consumer', () => {
  it('retries a failing message with backoff and acknowledges it once it succeeds', async () => {
    const time = clock();
    const queue = new InMemoryQueue<{ n: number }>(time.now);
    const metrics = createMetrics();
    let calls = 0;
    const handler = async () => {
      calls++;
      if (calls < 3) throw new Error('dependency unavailable');
    };
    queue.enqueue({ n: 1 });
    const options = { source: queue, handler, metrics, random: () => 0.5 };
    await consumeOnce(options);
    assert.equal(
      await consumeOnce(options),
      0,
      'not redelivered before its backoff',
    );
    time.advance(100); // attempt 1: 0.5 * 200 ms
    await consumeOnce(options);
    time.advance(200); // attempt 2: 0.5 * 400 ms
    await consumeOnce(options);
    assert.equal(calls, 3);
    assert.equal(await counted(metrics, 'retried'), 2);
    assert.equal(await counted(metrics, 'processed'), 1);
    assert.equal(await queue.depth(), 0);
  });

  it('dead-letters a message after its last attempt, with the reason', async () => {
    const time = clock();
    const queue = new InMemoryQueue(time.now);
    const metrics = createMetrics();
    queue.enqueue({ type: 'fail', payload: {} });
    const backoff = { baseMs: 10, maxMs: 10, maxAttempts: 3 };
    for (let i = 0; i < 3; i++) {
      await consumeOnce({
        source: queue,
        handler: handleTask,
        metrics,
        backoff,
      });
      time.advance(10);
    }
    assert.equal(queue.deadLetters.length, 1);
    assert.equal(
      queue.deadLetters[0].reason,
      'task fail failed (attempt 3 of 3)',
    );
    assert.equal(await counted(metrics, 'dead_lettered'), 1);
    assert.match(await metrics.registry.metrics(), /worker_queue_depth 0/);
  });

  it('dead-letters a malformed message at once, without retrying', async () => {
    const queue = new InMemoryQueue();
    const metrics = createMetrics();
    queue.enqueue({ payload: {} });
    await consumeOnce({ source: queue, handler: handleTask, metrics });
    assert.equal(
      queue.deadLetters[0].reason,
      'type: required, a non-empty string (attempt 1 of 5)',
    );
    assert.equal(await counted(metrics, 'retried'), 0);
    assert.throws(() => parseTask({ type: 'x' }), PermanentError);
  });
});
