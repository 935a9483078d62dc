import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import request from 'supertest';
import {
  QUIET_SCHEDULES,
  startConductor,
  writeControlsFile,
} from '../__testUtils__';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const CONTROLS = `controls:
  - id: SOC2-CC1.4
    title: SBOM covers 95 %
    severity: high
    check: evidence.sbom_coverage >= 0.95
  - id: SEC-MFA-01
    title: MFA enforced
    severity: critical
    check: mfa.enforced
  - id: POL-COV-90
    title: policy coverage
    severity: medium
    appliesTo: { type: [service] }
    check: policy.coverage >= 0.90
`;

// On-call rotations are the catalog's to say; collected only where a test asks.
const oncallOf: Record<string, string> = {
  'orders-api': 'P-ABC',
  'checkout-web': '42',
};
const people: Entity[] = ['alice', 'bob'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: ['payments'] },
}));
const entities: Entity[] = ['orders-api', 'checkout-web'].map((name, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'conductor.io/oncall': oncallOf[name] },
  },
  spec: {
    type: i === 0 ? 'service' : 'website',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/payments' },
    { type: 'partOf', targetRef: 'system:default/checkout' },
  ],
}));

describe.each(databases.eachSupportedId())(
  'continuous compliance on %p',
  databaseId => {
    async function start(controls = CONTROLS) {
      const file = writeControlsFile(controls);
      const knex = await databases.init(databaseId);
      const { server } = await startConductor({
        entities: [...entities, ...people],
        knex,
        conductor: {
          compliance: { ...QUIET_SCHEDULES.compliance, catalogFiles: [file] },
        },
      });
      return { server, file, knex };
    }
    const ci = { Authorization: mockCredentials.service.header() };
    const alice = {
      Authorization: mockCredentials.user.header('user:default/alice'),
    };
    const bob = {
      Authorization: mockCredentials.user.header('user:default/bob'),
    };
    /** Alice asks, Bob approves: the two-person rule. */
    const exempt = async (server: any, body: object) => {
      const asked = await request(server)
        .post('/api/conductor/compliance/exemptions')
        .set(alice)
        .send(body)
        .expect(201);
      await request(server)
        .post(`/api/conductor/compliance/exemptions/${asked.body.id}/approve`)
        .set(bob)
        .expect(200);
      return asked;
    };
    const push = (server: any, facts: object[]) =>
      request(server)
        .post('/api/conductor/evidence')
        .set(ci)
        .send({ entityRef: 'component:default/orders-api', facts })
        .expect(201);
    const entity = async (server: any) =>
      (
        await request(server)
          .get('/api/conductor/compliance/component/default/orders-api')
          .set(ci)
          .expect(200)
      ).body;

    it('runs, scores by severity, and stores the delta and the controls that flipped', async () => {
      const { server } = await start();
      await push(server, [
        { name: 'sbom.coverage', value: 0.81 },
        { name: 'mfa.enforced', value: true },
      ]);
      const first = await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      // payments scores below the default 0.8 target: its team is told.
      expect(first.body).toMatchObject({
        entities: 2,
        controls: 3,
        flipped: 0,
        teamsBelowTarget: ['group:default/payments'],
      });

      let e = await entity(server);
      expect(
        e.results.map((r: any) => [r.controlId, r.status, r.message]),
      ).toEqual([
        ['POL-COV-90', 'fail', 'no evidence for policy.coverage'],
        ['SEC-MFA-01', 'pass', 'mfa.enforced = true; meets: mfa.enforced'],
        [
          'SOC2-CC1.4',
          'fail',
          'sbom.coverage = 0.81; fails: evidence.sbom_coverage >= 0.95',
        ],
      ]);
      expect(e.score).toBe(0.4444); // critical 4 of (4 + high 3 + medium 2)
      expect(e.previousScore).toBeNull();
      // The first run is the baseline: nothing to diff against.
      expect(e.factChanges).toEqual([]);

      await push(server, [
        { name: 'sbom.coverage', value: 0.97 },
        { name: 'policy.coverage', value: 0.95 },
      ]);
      const second = await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      expect(second.body.flipped).toBe(2);
      // checkout-web still has no evidence, so the team stays below target (9 of 16).
      expect(second.body.teamsBelowTarget).toEqual(['group:default/payments']);
      e = await entity(server);
      expect(e).toMatchObject({ score: 1, previousScore: 0.4444 });
      expect(
        e.results.find((r: any) => r.controlId === 'SOC2-CC1.4'),
      ).toMatchObject({ status: 'pass', previousStatus: 'fail' });
      expect(e.history.map((h: any) => h.score)).toEqual([0.4444, 1]);
      // The evidence diff: which facts changed between the runs, and which of them flipped each control.
      expect(e.factChanges).toEqual([
        {
          entityRef: 'component:default/orders-api',
          name: 'policy.coverage',
          before: null,
          after: 0.95,
        },
        {
          entityRef: 'component:default/orders-api',
          name: 'sbom.coverage',
          before: 0.81,
          after: 0.97,
        },
      ]);
      expect(
        e.results.find((r: any) => r.controlId === 'SOC2-CC1.4').changedFacts,
      ).toEqual(['sbom.coverage']);
      expect(
        e.results.find((r: any) => r.controlId === 'POL-COV-90').changedFacts,
      ).toEqual(['policy.coverage']);
      expect(
        e.results.find((r: any) => r.controlId === 'SEC-MFA-01').changedFacts,
      ).toBeUndefined();

      const changes = (
        await request(server)
          .get('/api/conductor/compliance/changes')
          .set(ci)
          .expect(200)
      ).body;
      expect(changes).toMatchObject({
        runId: second.body.runId,
        previousRunId: first.body.runId,
        truncated: false,
      });
      expect(
        changes.flips.map((f: any) => [
          f.controlId,
          f.previousStatus,
          f.status,
          f.changedFacts,
        ]),
      ).toEqual([
        ['POL-COV-90', 'fail', 'pass', ['policy.coverage']],
        ['SOC2-CC1.4', 'fail', 'pass', ['sbom.coverage']],
      ]);
      expect(changes.factChanges).toHaveLength(2);
      // The first run's changes: none (the baseline).
      const ofFirst = (
        await request(server)
          .get(`/api/conductor/compliance/changes?runId=${first.body.runId}`)
          .set(ci)
          .expect(200)
      ).body;
      expect(ofFirst).toMatchObject({
        previousRunId: null,
        flips: [],
        factChanges: [],
      });
      await request(server)
        .get('/api/conductor/compliance/changes?runId=abc')
        .set(ci)
        .expect(400);

      // A third run with no new evidence: nothing flipped, no fact changed.
      const third = await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      expect(third.body).toMatchObject({ flipped: 0, factsChanged: 0 });

      const teams = await request(server)
        .get('/api/conductor/compliance/teams')
        .set(ci)
        .expect(200);
      expect(teams.body.teams[0]).toMatchObject({
        ref: 'group:default/payments',
        history: [expect.anything(), expect.anything(), expect.anything()],
      });
    });

    it('answers a dry run with proposed evidence and stores nothing', async () => {
      const { server } = await start();
      await push(server, [
        { name: 'sbom.coverage', value: 0.81 },
        { name: 'mfa.enforced', value: true },
      ]);
      const dry = await request(server)
        .post('/api/conductor/compliance/evaluate')
        .set(ci)
        .send({
          entityRef: 'component:default/orders-api',
          proposedFacts: [
            { name: 'sbom.coverage', value: 0.99 },
            { name: 'policy.coverage', value: 0.91 },
          ],
        })
        .expect(200);
      expect(dry.body).toMatchObject({ dryRun: true, score: 1 });
      const bad = await request(server)
        .post('/api/conductor/compliance/evaluate')
        .set(ci)
        .send({
          entityRef: 'component:default/orders-api',
          proposedFacts: [{ name: 'sbom.coverage', value: 'high' }],
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'proposedFacts[0].value: sbom.coverage must be a number, got string',
      );
      expect((await entity(server)).runId).toBeNull();
      expect(
        (
          await request(server)
            .get('/api/conductor/evidence/component/default/orders-api')
            .set(ci)
        ).body.facts.find((f: any) => f.name === 'sbom.coverage').value,
      ).toBe(0.81);
    });

    it('keeps the loaded controls when a reload finds errors, and names file, line and column', async () => {
      const { server, file } = await start();
      fs.writeFileSync(
        file,
        CONTROLS.replace('mfa.enforced\n', 'mfa.enforcd\n'),
      );
      const res = await request(server)
        .post('/api/conductor/compliance/controls/reload')
        .set(ci);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        `${file}:9:16 [SEC-MFA-01] check: No such key: enforcd`,
      );
      const controls = await request(server)
        .get('/api/conductor/compliance/controls')
        .set(ci)
        .expect(200);
      expect(controls.body.controls.map((c: any) => c.id)).toEqual([
        'SOC2-CC1.4',
        'SEC-MFA-01',
        'POL-COV-90',
      ]);
    });

    it('exempts with reason, approver and expiry, audits, and stops counting when revoked', async () => {
      const { server } = await start();
      await push(server, [
        { name: 'sbom.coverage', value: 0.99 },
        { name: 'mfa.enforced', value: false },
        { name: 'policy.coverage', value: 0.95 },
      ]);
      const body = {
        entityRef: 'component:default/orders-api',
        controlId: 'SEC-MFA-01',
        reason: 'legacy IdP until the Q1 migration',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      await request(server)
        .post('/api/conductor/compliance/exemptions')
        .set(alice)
        .send({ ...body, controlId: 'NOPE-1' })
        .expect(400);
      await request(server)
        .post('/api/conductor/compliance/exemptions')
        .set(alice)
        .send({ ...body, expiresAt: '2020-01-01T00:00:00Z' })
        .expect(400);
      await request(server)
        .post('/api/conductor/compliance/exemptions')
        .set(ci)
        .send(body)
        .expect(403);
      // Asked for but not approved: the control still fails.
      const asked = await request(server)
        .post('/api/conductor/compliance/exemptions')
        .set(alice)
        .send(body)
        .expect(201);
      expect(asked.body).toMatchObject({ status: 'requested', approver: '' });
      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      expect(
        (await entity(server)).results.find(
          (r: any) => r.controlId === 'SEC-MFA-01',
        ),
      ).toMatchObject({ status: 'fail' });
      // Alice cannot approve her own request; Bob can.
      await request(server)
        .post(`/api/conductor/compliance/exemptions/${asked.body.id}/approve`)
        .set(alice)
        .expect(403);
      const approved = await request(server)
        .post(`/api/conductor/compliance/exemptions/${asked.body.id}/approve`)
        .set(bob)
        .expect(200);
      expect(approved.body).toMatchObject({
        status: 'active',
        approver: 'user:default/bob',
      });
      const created = asked;

      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      let e = await entity(server);
      expect(
        e.results.find((r: any) => r.controlId === 'SEC-MFA-01'),
      ).toMatchObject({ status: 'exempt' });
      expect(e.score).toBe(1);

      await request(server)
        .delete(`/api/conductor/compliance/exemptions/${created.body.id}`)
        .set(alice)
        .expect(204);
      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      e = await entity(server);
      expect(
        e.results.find((r: any) => r.controlId === 'SEC-MFA-01'),
      ).toMatchObject({ status: 'fail', previousStatus: 'exempt' });
      expect(e.exemptions[0]).toMatchObject({
        createdBy: 'user:default/alice',
        revokedAt: expect.any(String),
      });
    });

    it('stops counting an exemption once it expires, and a check that throws is an error for that entity only', async () => {
      const { server } = await start(`${CONTROLS}  - id: OPS-ONCALL-NUM
    title: on-call id is numeric
    severity: low
    check: int(catalog.oncall) > 0
`);
      await push(server, [
        { name: 'sbom.coverage', value: 0.99 },
        { name: 'mfa.enforced', value: false },
      ]);
      // catalog.oncall ('P-ABC' and '42') comes from the catalog collector.
      await request(server)
        .post('/api/conductor/evidence/collect')
        .set(ci)
        .expect(200);
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      await exempt(server, {
        entityRef: 'component:default/orders-api',
        controlId: 'SEC-MFA-01',
        reason: 'legacy IdP until the Q1 migration',
        expiresAt,
      });

      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      let e = await entity(server);
      expect(
        e.results.find((r: any) => r.controlId === 'SEC-MFA-01'),
      ).toMatchObject({ status: 'exempt' });
      const oncall = e.results.find(
        (r: any) => r.controlId === 'OPS-ONCALL-NUM',
      );
      expect(oncall.status).toBe('error');
      expect(oncall.message).toMatch(/^check failed to run: /);
      // The same control on another entity, and other controls here, are unaffected.
      const other = (
        await request(server)
          .get('/api/conductor/compliance/component/default/checkout-web')
          .set(ci)
          .expect(200)
      ).body;
      expect(
        other.results.find((r: any) => r.controlId === 'OPS-ONCALL-NUM'),
      ).toMatchObject({ status: 'pass' });
      expect(
        e.results.find((r: any) => r.controlId === 'SOC2-CC1.4'),
      ).toMatchObject({ status: 'pass' });

      await new Promise(r =>
        setTimeout(r, Date.parse(expiresAt) - Date.now() + 50),
      );
      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      e = await entity(server);
      expect(
        e.results.find((r: any) => r.controlId === 'SEC-MFA-01'),
      ).toMatchObject({ status: 'fail', previousStatus: 'exempt' });
      // Expired, not revoked: nobody had to remember to take it back.
      expect(e.exemptions[0].expiresAt).toBe(expiresAt);
      expect(e.exemptions[0].revokedAt).toBeUndefined();
    });

    it('takes the first run after an upgrade as the baseline of the evidence diff, not as every fact appearing', async () => {
      const { server, knex } = await start();
      await push(server, [{ name: 'sbom.coverage', value: 0.81 }]);
      await request(server)
        .post('/api/conductor/compliance/runs')
        .set(ci)
        .expect(200);
      // As before the evidence diff existed: runs, but no seen facts.
      await knex('conductor_compliance_facts_seen').delete();
      await push(server, [{ name: 'sbom.coverage', value: 0.9 }]);
      expect(
        (
          await request(server)
            .post('/api/conductor/compliance/runs')
            .set(ci)
            .expect(200)
        ).body.factsChanged,
      ).toBe(0);
      await push(server, [{ name: 'sbom.coverage', value: 0.97 }]);
      expect(
        (
          await request(server)
            .post('/api/conductor/compliance/runs')
            .set(ci)
            .expect(200)
        ).body.factsChanged,
      ).toBe(1);
      expect((await entity(server)).factChanges).toEqual([
        {
          entityRef: 'component:default/orders-api',
          name: 'sbom.coverage',
          before: 0.9,
          after: 0.97,
        },
      ]);
    });
  },
);
