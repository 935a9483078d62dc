import { TestDatabases } from '@backstage/backend-test-utils';
import http from 'node:http';
import { applyDatabaseMigrations } from '../shared/migrations';
import {
  backfillParts,
  createItems,
  itemsDefinition,
} from './__testUtils__/fixtures';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/**
 * Answers `/api/v1/query` as Prometheus's HTTP API does (instant vector
 * result), with the value the test sets; no port is reserved for a real
 * Prometheus in this suite (the SLO tests run one).
 */
async function prometheusApi() {
  let value: string | undefined = '7';
  const queries: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    queries.push(url.searchParams.get('query') ?? '');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname !== '/api/v1/query') {
      res.writeHead(404).end();
      return;
    }
    res.end(
      JSON.stringify({
        status: 'success',
        data: {
          resultType: 'vector',
          result:
            value === undefined
              ? []
              : [{ metric: { job: 'orders' }, value: [1764150000, value] }],
        },
      }),
    );
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    set: (v: string | undefined) => {
      value = v;
    },
    close: () => new Promise(r => server.close(r)),
  };
}

describe('the Prometheus health signal', () => {
  it('is red over its max, green under it or on an empty result, red when Prometheus cannot be asked', async () => {
    const db = await databases.init('SQLITE_3');
    await applyDatabaseMigrations({ getClient: async () => db });
    await createItems(db, 10);
    const prom = await prometheusApi();
    try {
      const parts = backfillParts(
        db,
        { main: { usePluginDatabase: true } },
        { prometheusUrl: prom.url },
      );
      await parts.service.register(
        itemsDefinition({
          extra:
            "health:\n  prometheus: { query: 'sum(rate(http_errors_total[1m]))', max: 5 }\n",
        }),
        'ci:p',
      );
      const run = await parts.service.start('items-cents', 'user:default/a');
      const stored = (await parts.store.run(run.id))!;
      expect(await parts.runner.readHealth(stored)).toEqual({
        red: true,
        reasons: ['Prometheus sum(rate(http_errors_total[1m])) is 7 (over 5)'],
      });
      expect(prom.queries).toEqual(['sum(rate(http_errors_total[1m]))']);
      prom.set('2.5');
      expect(await parts.runner.readHealth(stored)).toEqual({
        red: false,
        reasons: [],
      });
      prom.set(undefined);
      expect((await parts.runner.readHealth(stored)).red).toBe(false);
      await prom.close();
      const down = await parts.runner.readHealth(stored);
      expect(down.red).toBe(true);
      expect(down.reasons[0]).toMatch(
        /^Prometheus sum\(rate\(http_errors_total\[1m\]\)\): cannot query Prometheus: /,
      );
    } finally {
      await prom.close().catch(() => {});
    }
  });
});
