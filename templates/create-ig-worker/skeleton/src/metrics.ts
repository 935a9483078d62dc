import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/** The worker's metrics; the SLO file reads worker_messages_total. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    messages: new Counter({
      name: 'worker_messages_total',
      help: 'Messages handled, by outcome (processed, retried, dead_lettered)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'worker_processing_duration_seconds',
      help: 'Time spent in the handler per attempt',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    depth: new Gauge({
      name: 'worker_queue_depth',
      help: 'Messages waiting, including those waiting for a retry',
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createMetrics>;
