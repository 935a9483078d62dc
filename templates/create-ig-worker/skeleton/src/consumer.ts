import {
  backoffDelay,
  type BackoffPolicy,
  DEFAULT_BACKOFF,
} from './backoff.ts';
import type { WorkerMetrics } from './metrics.ts';
import type { Message, MessageSource } from './queue.ts';

/** Thrown by a handler for a message that can never succeed: dead-lettered at once. */
export class PermanentError extends Error {}

export interface ConsumerOptions<T> {
  source: MessageSource<T>;
  handler: (body: T, message: Message<T>) => Promise<void>;
  metrics: WorkerMetrics;
  backoff?: BackoffPolicy;
  batchSize?: number;
  random?: () => number;
}

/**
 * Handles one batch: each message is acknowledged on success, retried with
 * exponential backoff and jitter on failure, and dead-lettered with the last
 * error once its attempts are used up (or at once for a PermanentError).
 * Returns how many messages it received.
 */
export async function consumeOnce<T>(
  options: ConsumerOptions<T>,
): Promise<number> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const batch = await options.source.receive(options.batchSize ?? 10);
  for (const message of batch) {
    const stopTimer = options.metrics.duration.startTimer();
    try {
      await options.handler(message.body, message);
      stopTimer();
      await options.source.ack(message);
      options.metrics.messages.inc({ outcome: 'processed' });
    } catch (e) {
      stopTimer();
      const attempt = message.attempts + 1;
      const reason = e instanceof Error ? e.message : String(e);
      if (e instanceof PermanentError || attempt >= backoff.maxAttempts) {
        await options.source.deadLetter(
          message,
          `${reason} (attempt ${attempt} of ${backoff.maxAttempts})`,
        );
        options.metrics.messages.inc({ outcome: 'dead_lettered' });
      } else {
        await options.source.retry(
          message,
          backoffDelay(attempt, backoff, options.random),
        );
        options.metrics.messages.inc({ outcome: 'retried' });
      }
    }
  }
  options.metrics.depth.set(await options.source.depth());
  return batch.length;
}

/** Polls until `signal` aborts; sleeps `idleMs` when the queue is empty. */
export async function runConsumer<T>(
  options: ConsumerOptions<T> & { signal: AbortSignal; idleMs?: number },
): Promise<void> {
  while (!options.signal.aborted) {
    const received = await consumeOnce(options);
    if (received === 0) {
      await new Promise(resolve => setTimeout(resolve, options.idleMs ?? 100));
    }
  }
}
