import { InMemoryItemStore } from './items.ts';
import { startServer } from './server.ts';
import { startTelemetry } from './telemetry.ts';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name}: must be a port number 0..65535, got ${raw}`);
  }
  return value;
}

const telemetry = await startTelemetry({
  metricsPort: port('METRICS_PORT', 9464),
});
const server = await startServer({
  port: port('PORT', 4000),
  items: new InMemoryItemStore(),
  telemetry,
});
console.log(
  `GraphQL on ${server.url}; metrics on :${telemetry.metricsPort()}/metrics`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    await server.stop();
    await telemetry.shutdown();
    process.exit(0);
  });
}
