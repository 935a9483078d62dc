import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { InMemoryItemStore, validateItemName } from '../src/items.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import {
  latencyBuckets,
  startTelemetry,
  type Telemetry,
} from '../src/telemetry.ts';
import { SLA } from '../src/sla.ts';

const spans = new InMemorySpanExporter();
let telemetry: Telemetry;
let server: RunningServer;

async function graphql(query: string, variables: object = {}) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: Record<string, Record<string, string>>;
    errors?: { message: string }[];
  };
}

before(async () => {
  telemetry = await startTelemetry({ metricsPort: 0, spanExporter: spans });
  server = await startServer({
    port: 0,
    items: new InMemoryItemStore(),
    telemetry,
  });
});

after(async () => {
  await server.stop();
  await telemetry.shutdown();
});

describe('GraphQL API', () => {
  it('answers the health query', async () => {
    const result = await graphql('query Health { health { status service } }');
    assert.equal(result.data?.health.status, 'ok');
  });

  it('creates an item and reads it back', async () => {
    const created = await graphql(
      'mutation Create($name: String!) { createItem(name: $name) { id name } }',
      { name: 'first' },
    );
    const id = created.data?.createItem.id;
    const read = await graphql(
      'query Item($id: ID!) { item(id: $id) { name } }',
      { id },
    );
    assert.equal(read.data?.item.name, 'first');
  });

  it('refuses an empty name and says why', async () => {
    const result = await graphql('mutation { createItem(name: "  ") { id } }');
    assert.match(
      result.errors?.[0].message ?? '',
      /name: must be 1 to 200 characters/,
    );
    assert.throws(() => validateItemName('x'.repeat(201)), /got 201/);
  });
});

describe('telemetry', () => {
  it('exports one span per operation, continuing the caller trace', () => {
    const health = spans
      .getFinishedSpans()
      .find(s => s.name === 'graphql.query Health');
    assert.ok(health, 'span for the Health query');
    assert.equal(
      health.spanContext().traceId,
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
  });

  it('exposes request metrics with SLA thresholds as bucket bounds on /metrics', async () => {
    const res = await fetch(
      `http://127.0.0.1:${telemetry.metricsPort()}/metrics`,
    );
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(
      text,
      /graphql_requests_total\{[^}]*operation_type="query"[^}]*outcome="ok"[^}]*\} 2/,
    );
    assert.match(
      text,
      /graphql_requests_total\{[^}]*operation_type="mutation"[^}]*outcome="error"[^}]*\} 1/,
    );
    assert.match(
      text,
      new RegExp(
        `graphql_request_duration_seconds_bucket\\{[^}]*le="${
          SLA.readMs / 1000
        }"`,
      ),
    );
    assert.ok(latencyBuckets().includes(SLA.writeMs / 1000));
  });
});
