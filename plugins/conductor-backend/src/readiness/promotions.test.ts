import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The CLI has no library entry point (its index runs it): the tests drive its program directly.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import knexFactory from 'knex';
import request from 'supertest';
import { CI_TOKEN, startConductor } from '../__testUtils__';

const daysAgo = (d: number) =>
  new Date(Date.now() - d * 86_400_000).toISOString();

// Runbook links and on-call rotations are the catalog's to say: the
// collector records them (CI cannot push them).
const catalogFacts: Record<string, Partial<Entity['metadata']>> = {
  'ready-api': {
    links: [{ url: 'https://runbooks/ready-api', title: 'Runbook' }],
    annotations: { 'conductor.io/oncall': 'P1' },
  },
  'stale-api': {
    links: [{ url: 'https://runbooks/stale-api', title: 'Runbook' }],
    annotations: { 'conductor.io/oncall': 'P2' },
  },
  'weak-worker': { links: [{ url: 'https://r', title: 'Runbook' }] },
};
const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', ...catalogFacts[name] },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
});
const person = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: ['payments'] },
});
const entities = [
  ...['ready-api', 'weak-worker', 'stale-api', 'empty-api'].map(entity),
  person('alice'),
  person('bob'),
];

const readyFacts = [
  { name: 'test.coverage', value: 0.95 },
  { name: 'slo.adherence', value: 0.999 },
  { name: 'sbom.coverage', value: 0.99 },
  { name: 'policy.coverage', value: 0.95 },
  { name: 'k6.last_run', value: daysAgo(1) },
  { name: 'chaos.last_run', value: daysAgo(2) },
];

async function startWithRealAuth(config: object = {}) {
  const { server } = await startConductor({
    entities,
    realAuth: true,
    ciSubject: 'release-pipeline',
    conductor: config,
  });
  return server;
}

const auth = { Authorization: `Bearer ${CI_TOKEN}` };

/** CI pushes its facts; the collectors record the catalog's. */
async function push(server: any, name: string, facts: object[]) {
  await request(server)
    .post('/api/conductor/evidence')
    .set(auth)
    .send({ entityRef: `component:default/${name}`, facts })
    .expect(201);
  await request(server)
    .post('/api/conductor/evidence/collect')
    .set(auth)
    .expect(200);
}

describe('promotion gate', () => {
  it('allows a ready service, blocks a weak one with reasons, and records both', async () => {
    const server = await startWithRealAuth();
    await push(server, 'ready-api', readyFacts);
    await push(server, 'weak-worker', [{ name: 'test.coverage', value: 0.5 }]);

    const ok = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/ready-api',
        environment: 'production',
        version: '1.4.2',
      })
      .expect(200);
    expect(ok.body).toMatchObject({
      allowed: true,
      threshold: 0.9,
      entityRef: 'component:default/ready-api',
      version: '1.4.2',
    });
    expect(ok.body.score).toBeGreaterThanOrEqual(0.9);
    expect(ok.body.components).toHaveLength(6);

    const blocked = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/weak-worker',
        environment: 'production',
      })
      .expect(200);
    // 0.25*0.5 + 0 + 0.2*(3/8) + 0.1*0.5 + 0 + 0: test.coverage pushed;
    // runbook.url and catalog.owner collected from the catalog
    expect(blocked.body).toMatchObject({
      allowed: false,
      score: 0.25,
      threshold: 0.9,
    });
    expect(blocked.body.reasons[0]).toBe(
      'readiness 0.25 is below the production threshold 0.9',
    );
    expect(blocked.body.reasons).toContain(
      'slo: 0 × 0.25 (no trusted evidence for slo.adherence)',
    );
    expect(blocked.body.reasons.at(-1)).toBe(
      'next: Report slo.adherence (from CI or the SLO board) (+0.25)',
    );

    const readiness = await request(server)
      .get('/api/conductor/readiness/component/default/weak-worker')
      .set(auth)
      .expect(200);
    expect(readiness.body.decisions).toEqual([
      expect.objectContaining({
        allowed: false,
        environment: 'production',
        score: 0.25,
        requestedBy: 'ci:release-pipeline',
      }),
    ]);
    expect(readiness.body.history[0].score).toBe(0.25);
  });

  it('fails closed: unknown entity, no evidence, stale evidence', async () => {
    const server = await startWithRealAuth();
    const unknown = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({ entityRef: 'component:default/ghost', environment: 'production' })
      .expect(200);
    expect(unknown.body).toMatchObject({
      allowed: false,
      score: null,
      reasons: ['component:default/ghost is not in the catalog'],
    });

    const empty = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/empty-api',
        environment: 'production',
      })
      .expect(200);
    expect(empty.body.allowed).toBe(false);
    expect(empty.body.reasons[0]).toBe(
      'no trusted evidence about component:default/empty-api',
    );

    // Perfect values, but all observed 40 days ago.
    await push(
      server,
      'stale-api',
      readyFacts.map(f => ({ ...f, observedAt: daysAgo(40) })),
    );
    const stale = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/stale-api',
        environment: 'production',
      })
      .expect(200);
    expect(stale.body.allowed).toBe(false);
    expect(stale.body.reasons[0]).toMatch(
      /^evidence is stale: the newest trusted required fact is 40(\.\d+)? d old \(max 30 d\)$/,
    );
  });

  it('uses per-environment thresholds from config', async () => {
    const server = await startWithRealAuth({
      readiness: { thresholds: { staging: 0.2 } },
    });
    await push(server, 'weak-worker', [{ name: 'test.coverage', value: 0.5 }]);
    const staging = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/weak-worker',
        environment: 'staging',
      })
      .expect(200);
    expect(staging.body).toMatchObject({ allowed: true, threshold: 0.2 });
    const qa = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({ entityRef: 'component:default/weak-worker', environment: 'qa' })
      .expect(200);
    expect(qa.body).toMatchObject({ allowed: false, threshold: 0.9 });
  });

  it("applies a component type's own weights, saying which parts do not apply", async () => {
    const site: Entity = {
      ...entity('shop-web'),
      spec: { ...entity('shop-web').spec, type: 'website' },
    };
    const { server } = await startConductor({
      entities: [...entities, site],
      realAuth: true,
      ciSubject: 'release-pipeline',
      conductor: {
        readiness: {
          weightsByType: {
            website: { coverage: 0.5, evidence: 0.3, runbooks: 0.2 },
          },
        },
      },
    });
    await request(server)
      .post('/api/conductor/evidence')
      .set(auth)
      .send({
        entityRef: 'component:default/shop-web',
        facts: [{ name: 'test.coverage', value: 1 }],
      })
      .expect(201);
    const res = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/shop-web',
        environment: 'production',
      })
      .expect(200);
    const byId = Object.fromEntries(
      res.body.components.map((c: any) => [c.id, c]),
    );
    expect(byId.chaos_recency).toMatchObject({
      weight: 0,
      explanation: 'not applicable to website (weight 0)',
    });
    expect(byId.coverage).toMatchObject({ weight: 0.5, contribution: 0.5 });
    // A service keeps the seed's weights.
    const svc = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/ready-api',
        environment: 'production',
      })
      .expect(200);
    expect(
      svc.body.components.find((c: any) => c.id === 'chaos_recency').weight,
    ).toBe(0.1);
  });

  it('answers malformed requests with 400 naming the field, and unauthenticated ones with 401', async () => {
    const server = await startWithRealAuth();
    const bad = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({ entityRef: 'ready-api', environment: 'Prod Env' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'entityRef: "ready-api" has no kind; write it as component:default/ready-api; environment: must be an environment name such as production',
    );
    const extra = await request(server)
      .post('/api/conductor/promotions/check')
      .set(auth)
      .send({
        entityRef: 'component:default/ready-api',
        environment: 'production',
        force: true,
      });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/Unrecognized key/);
    await request(server)
      .post('/api/conductor/promotions/check')
      .send({
        entityRef: 'component:default/ready-api',
        environment: 'production',
      })
      .expect(401);
    await request(server)
      .post('/api/conductor/promotions/check')
      .set({ Authorization: 'Bearer nope' })
      .send({
        entityRef: 'component:default/ready-api',
        environment: 'production',
      })
      .expect(401);
  });

  it('refuses to start with bad weights, naming the key', async () => {
    await expect(
      startWithRealAuth({
        readiness: { weights: { coverage: 0.6, slo: 0.6, speed: -0.2 } },
      }),
    ).rejects.toThrow(
      'conductor.readiness.weights.speed: unknown PRS component',
    );
    await expect(
      startWithRealAuth({
        readiness: { weights: { coverage: 0.5, slo: 0.4 } },
      }),
    ).rejects.toThrow(
      'conductor.readiness.weights: weights must sum to 1, they sum to 0.9',
    );
  });

  it('is called from CI by conductor prs-check with exit 0 / 1 / 2', async () => {
    const server = await startWithRealAuth();
    await push(server, 'ready-api', readyFacts);
    const url = `http://127.0.0.1:${(server.address() as any).port}`;
    const out: string[] = [];
    const io = {
      out: (l: string) => out.push(l),
      err: (l: string) => out.push(l),
    };
    const base = [
      '--url',
      url,
      '--token',
      CI_TOKEN,
      'prs-check',
      '--env',
      'production',
    ];
    expect(
      await runConductor(
        [...base, '--entity', 'component:default/ready-api'],
        io,
      ),
    ).toBe(0);
    expect(out[0]).toMatch(
      /^ALLOWED component:default\/ready-api → production: readiness 0\.9\d+ \(threshold 0\.9\)$/,
    );
    out.length = 0;
    expect(
      await runConductor(
        [...base, '--entity', 'component:default/empty-api'],
        io,
      ),
    ).toBe(1);
    // Only catalog.owner, collected from the catalog: 0.2 × 1/8.
    expect(out[0]).toBe(
      'BLOCKED component:default/empty-api → production: readiness 0.025 (threshold 0.9)',
    );
    expect(out).toContain(
      '  - no trusted evidence about component:default/empty-api',
    );
    // A stricter --min in CI blocks even when the gate allows.
    out.length = 0;
    expect(
      await runConductor(
        [...base, '--entity', 'component:default/ready-api', '--min', '0.999'],
        io,
      ),
    ).toBe(1);
    expect(out).toContain('  - below --min 0.999 required by this pipeline');
    expect(
      await runConductor(
        [
          '--url',
          url,
          '--token',
          'bad',
          'prs-check',
          '--env',
          'production',
          '--entity',
          'component:default/ready-api',
        ],
        io,
      ),
    ).toBe(2);
  });
});

describe('break-glass override', () => {
  async function startWithMockAuth(
    catalog = catalogServiceMock.factory({ entities }),
  ) {
    const { server } = await startConductor({ entities, catalog });
    return server;
  }
  const ci = { Authorization: mockCredentials.service.header() };
  const alice = {
    Authorization: mockCredentials.user.header('user:default/alice'),
  };
  const bob = {
    Authorization: mockCredentials.user.header('user:default/bob'),
  };

  it('needs a reason and another approver, lets a blocked release through until it expires, and is recorded', async () => {
    const server = await startWithMockAuth();
    const check = () =>
      request(server).post('/api/conductor/promotions/check').set(ci).send({
        entityRef: 'component:default/empty-api',
        environment: 'production',
      });
    expect((await check()).body.allowed).toBe(false);

    const ask = (who: Record<string, string>, body: object) =>
      request(server)
        .post('/api/conductor/promotions/overrides')
        .set(who)
        .send({
          entityRef: 'component:default/empty-api',
          environment: 'production',
          reason: 'Sev1 hotfix for checkout outage',
          expiresInHours: 2,
          ...body,
        });
    const noReason = await ask(alice, { reason: 'hotfix' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe(
      'reason: must say why, in at least 10 visible characters',
    );
    // Ten zero-width spaces and a little padding are no reason either.
    const invisible = await ask(alice, {
      reason: `${'\u200b'.repeat(10)}  ok `,
    });
    expect(invisible.status).toBe(400);
    await ask(ci, {}).expect(403); // a CI token cannot grant itself an exception
    await ask(alice, { expiresInHours: 100 }).expect(400); // at most 72 h
    const ghost = await ask(alice, { entityRef: 'component:default/ghost' });
    expect(ghost.status).toBe(404);

    const created = await ask(alice, {}).expect(201);
    expect(created.body).toMatchObject({
      status: 'requested',
      createdBy: 'user:default/alice',
      approver: '',
    });
    // Asked for, not approved: it changes nothing.
    expect((await check()).body.allowed).toBe(false);
    const approve = (who: Record<string, string>) =>
      request(server)
        .post(`/api/conductor/promotions/overrides/${created.body.id}/approve`)
        .set(who);
    const self = await approve(alice);
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/cannot approve their own request/);
    const approved = await approve(bob).expect(200);
    expect(approved.body).toMatchObject({
      status: 'active',
      approver: 'user:default/bob',
    });
    await approve(bob).expect(409); // already active

    const allowed = (await check()).body;
    expect(allowed.allowed).toBe(true);
    expect(allowed.override.id).toBe(created.body.id);
    expect(allowed.reasons[0]).toMatch(
      /^break-glass override #\d+ approved by user:default\/bob until .*: Sev1 hotfix for checkout outage$/,
    );
    expect(allowed.reasons).toContain(
      'no trusted evidence about component:default/empty-api',
    );
    // Another environment is not covered.
    const staging = await request(server)
      .post('/api/conductor/promotions/check')
      .set(ci)
      .send({
        entityRef: 'component:default/empty-api',
        environment: 'staging',
      });
    expect(staging.body.allowed).toBe(false);

    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    jest.setSystemTime(Date.now() + 3 * 3_600_000);
    try {
      expect((await check()).body.allowed).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails closed on an internal error', async () => {
    const broken = catalogServiceMock.mock({
      getEntityByRef: async () => {
        throw new Error('catalog unavailable');
      },
    });
    const server = await startWithMockAuth(broken.factory as any);
    const res = await request(server)
      .post('/api/conductor/promotions/check')
      .set(ci)
      .send({
        entityRef: 'component:default/ready-api',
        environment: 'production',
      })
      .expect(200);
    expect(res.body).toMatchObject({
      allowed: false,
      score: null,
      reasons: ['internal error, failing closed: catalog unavailable'],
    });
  });

  it('is revoked by its requester, its approver or an admin, and an unknown person cannot approve', async () => {
    // Nobody here is an admin: the admin-only permission is denied.
    const { server } = await startConductor({
      entities,
      features: [
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'conductor.compliance.controls.reload'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })) as any,
          authorizeConditional: async queries =>
            queries.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
        }).factory,
      ],
    });
    const created = await request(server)
      .post('/api/conductor/promotions/overrides')
      .set(alice)
      .send({
        entityRef: 'component:default/empty-api',
        environment: 'production',
        reason: 'Sev1 hotfix for checkout outage',
        expiresInHours: 2,
      })
      .expect(201);
    const id = created.body.id;
    // A signed-in identity that is not a user in the catalog.
    const stranger = {
      Authorization: mockCredentials.user.header('user:development/guest'),
    };
    const unknown = await request(server)
      .post(`/api/conductor/promotions/overrides/${id}/approve`)
      .set(stranger);
    expect(unknown.status).toBe(403);
    expect(unknown.body.error.message).toMatch(/is not a user in the catalog/);
    // The same person, spelled differently, is still the same person.
    const shouted = {
      Authorization: mockCredentials.user.header('user:default/ALICE'),
    };
    await request(server)
      .post(`/api/conductor/promotions/overrides/${id}/approve`)
      .set(shouted)
      .expect(403);
    await request(server)
      .post(`/api/conductor/promotions/overrides/${id}/approve`)
      .set(bob)
      .expect(200);
    const check = () =>
      request(server).post('/api/conductor/promotions/check').set(ci).send({
        entityRef: 'component:default/empty-api',
        environment: 'production',
      });
    expect((await check()).body.allowed).toBe(true);
    await request(server)
      .delete(`/api/conductor/promotions/overrides/${id}`)
      .set(stranger)
      .expect(403);
    await request(server)
      .delete(`/api/conductor/promotions/overrides/${id}`)
      .set(alice)
      .expect(204);
    expect((await check()).body.allowed).toBe(false);
    const listed = await request(server)
      .get(
        '/api/conductor/promotions/overrides?entityRef=component:default/empty-api',
      )
      .set(alice)
      .expect(200);
    expect(listed.body.overrides[0]).toMatchObject({
      id,
      status: 'revoked',
      revokedBy: 'user:default/alice',
    });
  });

  it('fails closed when its database is gone, saying the decision could not be recorded', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const backend = await startConductor({ entities, knex });
    await request(backend.server)
      .post('/api/conductor/evidence')
      .set(ci)
      .send({ entityRef: 'component:default/ready-api', facts: readyFacts })
      .expect(201);
    await request(backend.server)
      .post('/api/conductor/evidence/collect')
      .set(ci)
      .expect(200);
    const check = () =>
      request(backend.server)
        .post('/api/conductor/promotions/check')
        .set(ci)
        .send({
          entityRef: 'component:default/ready-api',
          environment: 'production',
        })
        .expect(200);
    expect((await check()).body.allowed).toBe(true);

    await knex.destroy();
    const res = await check();
    expect(res.body.allowed).toBe(false);
    expect(res.body.reasons[0]).toMatch(
      /^internal error, failing closed: the decision could not be recorded/,
    );
    expect(res.body.reasons).toContainEqual(
      expect.stringMatching(/^break-glass overrides could not be read: /),
    );
    expect(res.body.decisionId).toBeUndefined();
  });
});
