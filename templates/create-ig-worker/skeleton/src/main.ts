import { createServer } from 'node:http';
import { runConsumer } from './consumer.ts';
import { handleTask } from './handler.ts';
import { createMetrics } from './metrics.ts';
import { InMemoryQueue } from './queue.ts';

const MAX_BODY = 64 * 1024;
const port = Number(process.env.PORT ?? 8080);
const queue = new InMemoryQueue();
const metrics = createMetrics();
const stop = new AbortController();

// /messages feeds the in-process queue (local runs and the k6 soak);
// /metrics is scraped by Prometheus; /dead-letters shows what was given up on.
const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/messages') {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end(`body: larger than ${MAX_BODY} bytes`);
        return;
      }
      chunks.push(chunk as Buffer);
    }
    try {
      const message = queue.enqueue(
        JSON.parse(Buffer.concat(chunks).toString('utf8')),
      );
      res
        .writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: message.id }));
    } catch (e) {
      res
        .writeHead(e instanceof SyntaxError ? 400 : 503)
        .end((e as Error).message);
    }
  } else if (req.url === '/metrics') {
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  } else if (req.url === '/dead-letters') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(queue.deadLetters));
  } else if (req.url === '/healthz') {
    res.writeHead(200).end('ok');
  } else {
    res.writeHead(404).end();
  }
});
server.listen(port, () =>
  console.log(`worker on :${port} (/messages, /metrics, /dead-letters)`),
);

const consuming = runConsumer({
  source: queue,
  handler: handleTask,
  metrics,
  signal: stop.signal,
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, async () => {
    stop.abort();
    await consuming;
    server.close();
  });
}
