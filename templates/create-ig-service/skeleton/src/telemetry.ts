import { context, metrics, propagation, trace } from '@opentelemetry/api';
import type { Histogram, Counter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICE_NAME, SLA } from './sla.ts';

export interface TelemetryOptions {
  /** Port of the Prometheus scrape endpoint (/metrics); 0 picks a free one. */
  metricsPort: number;
  /** Where spans go. Defaults to OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  spanExporter?: SpanExporter;
}

export interface Telemetry {
  requestDuration: Histogram;
  requests: Counter;
  metricsPort(): number;
  shutdown(): Promise<void>;
}

/** Seconds; the SLA thresholds are bucket bounds so p95 objectives are exact. */
export function latencyBuckets(): number[] {
  const base = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  const bounds = new Set([...base, SLA.readMs / 1000, SLA.writeMs / 1000]);
  return [...bounds].sort((a, b) => a - b);
}

/**
 * Traces (W3C context, OTLP export) and metrics (Prometheus scrape) for the
 * whole process. Call once, before the server starts.
 */
export async function startTelemetry(
  options: TelemetryOptions,
): Promise<Telemetry> {
  const resource = resourceFromAttributes({ 'service.name': SERVICE_NAME });

  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const exporter =
    options.spanExporter ??
    (process.env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? new OTLPTraceExporter()
      : undefined);
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: exporter
      ? [
          options.spanExporter
            ? new SimpleSpanProcessor({ exporter })
            : new BatchSpanProcessor({ exporter }),
        ]
      : [],
  });
  trace.setGlobalTracerProvider(tracerProvider);

  // The scrape endpoint is our own server so it can listen on a port chosen
  // at run time (0 in tests) and answer only /metrics.
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const metricsServer = createServer((req, res) => {
    if (req.url === '/metrics') prometheus.getMetricsRequestHandler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>(resolve =>
    metricsServer.listen(options.metricsPort, resolve),
  );
  const meterProvider = new MeterProvider({ resource, readers: [prometheus] });
  metrics.setGlobalMeterProvider(meterProvider);
  const meter = meterProvider.getMeter(SERVICE_NAME);

  return {
    requestDuration: meter.createHistogram('graphql_request_duration_seconds', {
      description: 'GraphQL operations, by operation type and outcome',
      unit: 's',
      advice: { explicitBucketBoundaries: latencyBuckets() },
    }),
    requests: meter.createCounter('graphql_requests', {
      description: 'GraphQL operations, by operation type and outcome',
    }),
    metricsPort: () => (metricsServer.address() as AddressInfo).port,
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      await new Promise(resolve => metricsServer.close(resolve));
    },
  };
}
