import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { componentEntity, startConductor } from '../__testUtils__';

// The findings of the "Trust" issue, each reproduced through the HTTP API as
// it was found, on SQLite and PostgreSQL where the database matters.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ci = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};
const yearsAgo = (y: number) =>
  new Date(Date.now() - y * 365.25 * 86_400_000).toISOString();

const entities: Entity[] = [
  componentEntity('orders-api', {
    metadata: {
      links: [{ url: 'https://runbooks/orders-api', title: 'Runbook' }],
      annotations: { 'conductor.io/oncall': 'P1' },
    },
  }),
];

describe.each(databases.eachSupportedId())('trust findings on %p', id => {
  async function start() {
    const knex = await databases.init(id);
    const { server } = await startConductor({
      entities,
      knex,
      conductor: { readiness: { thresholds: { staging: 0.2 } } },
    });
    return { server, knex };
  }
  const push = (server: any, facts: object[]) =>
    request(server)
      .post('/api/conductor/evidence')
      .set(ci)
      .send({ entityRef: 'component:default/orders-api', facts });
  const check = (server: any, body: object) =>
    request(server)
      .post('/api/conductor/promotions/check')
      .set(ci)
      .send({ entityRef: 'component:default/orders-api', ...body });

  it('#4 one fresh fact does not vouch for required facts 20 years old', async () => {
    const { server } = await start();
    const old = yearsAgo(20);
    await push(
      server,
      [
        ['test.coverage', 0.99],
        ['slo.adherence', 0.999],
        ['sbom.coverage', 0.99],
        ['policy.coverage', 0.99],
        ['k6.last_run', old],
        ['chaos.last_run', old],
      ].map(([name, value]) => ({ name, value, observedAt: old })),
    ).expect(201);
    await request(server)
      .post('/api/conductor/evidence/collect')
      .set(ci)
      .expect(200);
    await push(server, [{ name: 'mfa.enforced', value: true }]).expect(201);
    const res = await check(server, { environment: 'staging' }).expect(200);
    expect(res.body.allowed).toBe(false);
    expect(res.body.reasons[0]).toMatch(
      /^evidence is stale: the newest trusted required fact is 730\d(\.\d+)? d old/,
    );
    const coverage = res.body.components.find((c: any) => c.id === 'coverage');
    expect(coverage).toMatchObject({ value: 0, missing: true });
    expect(coverage.explanation).toMatch(/^test.coverage is stale/);
  });

  it('#5 a run dated 2099 is refused, and a clock ahead cannot pin the latest value', async () => {
    const { server } = await start();
    const future = await push(server, [
      { name: 'k6.last_run', value: '2099-01-01T00:00:00Z' },
    ]).expect(400);
    expect(future.body.error.message).toBe(
      'facts[0].value: k6.last_run 2099-01-01T00:00:00.000Z is in the future',
    );
    const ahead = new Date(Date.now() + 4 * 60_000).toISOString();
    await push(server, [
      { name: 'test.coverage', value: 0.1, observedAt: ahead },
    ]).expect(201);
    const honest = await push(server, [
      { name: 'test.coverage', value: 0.9 },
    ]).expect(201);
    expect(honest.body.stored[0].latest).toBe(true);
    const latest = await request(server)
      .get('/api/conductor/evidence/component/default/orders-api')
      .set(ci)
      .expect(200);
    expect(
      latest.body.facts.find((f: any) => f.name === 'test.coverage'),
    ).toMatchObject({ value: 0.9 });
    // An explicitly older observation only adds history, and says so.
    const backfill = await push(server, [
      { name: 'test.coverage', value: 0.5, observedAt: yearsAgo(1) },
    ]).expect(201);
    expect(backfill.body.stored[0].latest).toBe(false);
  });

  it('#6 a malformed gate call is refused before the group commit and never fails its neighbours', async () => {
    const { server } = await start();
    await push(server, [{ name: 'test.coverage', value: 0.9 }]).expect(201);
    const long = `component:default/${'a'.repeat(300)}`;
    const [good1, bad1, bad2, good2] = await Promise.all([
      check(server, { environment: 'production' }),
      check(server, { entityRef: long, environment: 'production' }),
      check(server, {
        entityRef: 'component:default/a\u0000b',
        environment: 'production',
      }),
      check(server, { environment: 'production', version: '1.2.3' }),
    ]);
    expect(bad1.status).toBe(400);
    expect(bad1.body.error.message).toMatch(/^entityRef: is 318 characters/);
    expect(bad2.status).toBe(400);
    for (const good of [good1, good2]) {
      expect(good.status).toBe(200);
      expect(good.body.reasons.join(' ')).not.toMatch(/internal error/);
      expect(good.body.decisionId).toEqual(expect.any(Number));
    }
    const name = await push(server, [
      { name: `x.${'n'.repeat(300)}`, value: 1 },
    ]).expect(400);
    expect(name.body.error.message).toMatch(/at most 128/);
    await push(server, [
      { name: 'k6.last_run', value: '-271821-04-20T00:00:00Z' },
    ]).expect(400);
  });

  it('#7 every input has a bound: 413 for size, 400 for shape, never a 500', async () => {
    const { server } = await start();
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      name: `x.f${i}`,
      value: 1,
    }));
    const tooMany = await push(server, many).expect(413);
    expect(tooMany.body.error.message).toMatch(/at most 100 per push/);
    const big = await push(server, [
      { name: 'x.big', value: 'v'.repeat(977_000) },
    ]).expect(413);
    expect(big.body.error.message).toMatch(/at most 16384/);
    // A body over the 1 MB limit is refused by the JSON parser itself.
    await push(server, [
      { name: 'x.huge', value: 'v'.repeat(1_100_000) },
    ]).expect(413);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const nested = await request(server)
      .post('/api/conductor/evidence')
      .set(ci)
      .set('content-type', 'application/json')
      .send(
        `{"entityRef":"component:default/orders-api","facts":[{"name":"x.deep","value":${'['.repeat(
          100_000,
        )}1${']'.repeat(100_000)}}]}`,
      );
    expect([400, 413]).toContain(nested.status);
    for (const bad of [
      '1',
      'Tue, 24 Nov 2026 10:00:00 GMT',
      '2026-02-30T00:00:00Z',
    ]) {
      await push(server, [
        { name: 'test.coverage', value: 0.5, observedAt: bad },
      ]).expect(400);
    }
    const reason = await request(server)
      .post('/api/conductor/promotions/overrides')
      .set(alice)
      .send({
        entityRef: 'component:default/orders-api',
        environment: 'production',
        reason: 'r'.repeat(900_000),
        expiresInHours: 2,
      })
      .expect(400);
    expect(reason.body.error.message).toMatch(/at most 2000/);
    expect(deep).toBeDefined();
  });

  it('#8 edges: collector facts from CI, a read that writes, bad route parameters, non-JSON bodies', async () => {
    const { server, knex } = await start();
    const owned = await push(server, [
      { name: 'catalog.oncall', value: 'P999' },
    ]).expect(400);
    expect(owned.body.error.message).toBe(
      'facts[0].name: catalog.oncall is recorded by the catalog collector only; CI cannot push it',
    );
    await push(server, [{ name: 'test.coverage', value: 0.9 }]).expect(201);
    const count = async () =>
      Number((await knex('conductor_readiness_scores').count({ n: '*' }))[0].n);
    const before = await count();
    await request(server)
      .get('/api/conductor/readiness/component/default/orders-api')
      .set(alice)
      .expect(200);
    expect(await count()).toBe(before);
    await request(server)
      .get('/api/conductor/evidence/component/default/..%2F..')
      .set(alice)
      .expect(400);
    const form = await request(server)
      .post('/api/conductor/evidence')
      .set(ci)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('entityRef=component:default/orders-api');
    expect(form.status).toBe(415);
    expect(form.body.error.message).toMatch(
      /^Content-Type must be application\/json/,
    );
  });
});
