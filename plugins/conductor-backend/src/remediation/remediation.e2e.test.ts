import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
import request from 'supertest';
import { CI_TOKEN, QUIET_SCHEDULES, startConductor } from '../__testUtils__';
import {
  createBareRepository,
  personGit,
  serveBareRepositories,
} from './testRepos';

const BASELINE = path.resolve(__dirname, '../../../../controls/baseline.yaml');

// A real repository failing four controls with recipes: retention tag,
// CODEOWNERS, alert rules, dashboard export (the team opts out of the last).
const CATALOG = `# orders-api: the checkout system's order service.
# Owned by payments; page them, not platform.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api   # public name, do not rename
  annotations:
    pagerduty.com/service-id: P40527 # the paging service
  links:
    - url: https://runbooks.example.com/orders-api
      title: Runbook
      type: runbook
spec:
  type: service
  lifecycle: production
  owner: payments
  dependsOn:
    - resource:orders-db
---
# Orders database: holds personal data, see the privacy review.
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: orders-db
  description: "orders, 'quoted' on purpose"
spec:
  type: database
  owner: payments
`;
const OVERRIDES = `# Our dashboards live in the observability repository.
remediation:
  optOut:
    - OPS-DASH-01
`;

// Real git clones and pushes: slower than the default 5 s on a busy machine.
jest.setTimeout(60_000);

describe('remediation end to end: real git, the real plugin, evidence and compliance', () => {
  let root: string;
  let bare: string;
  let repoServer: { server: http.Server; base: string };
  let stop: () => Promise<void>;
  let server: http.Server;
  const auth = { Authorization: `Bearer ${CI_TOKEN}` };

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-remediation-e2e-'));
    bare = createBareRepository(root, 'orders-api', {
      'catalog-info.yaml': CATALOG,
      '.conductor.yaml': OVERRIDES,
      'README.md': '# orders-api\n',
    });
    repoServer = await serveBareRepositories(root);
    const entities: Entity[] = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'orders-api',
          namespace: 'default',
          annotations: {
            'backstage.io/source-location': `url:${repoServer.base}/orders-api/`,
            'pagerduty.com/service-id': 'P40527',
          },
          links: [
            {
              url: 'https://runbooks.example.com/orders-api',
              title: 'Runbook',
              type: 'runbook',
            },
          ],
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'payments',
          dependsOn: ['resource:orders-db'],
        },
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/payments' },
          { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
        ],
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'orders-db', namespace: 'default' },
        spec: { type: 'database', owner: 'payments' },
      },
    ];
    const started = await startConductor({
      entities,
      realAuth: true,
      urlReader: true,
      backend: {
        reading: { allow: [{ host: new URL(repoServer.base).host }] },
      },
      conductor: {
        // Quiet: the nightly run would open the bot's PR before the test does.
        compliance: { ...QUIET_SCHEDULES.compliance, catalogFiles: [BASELINE] },
        remediation: {
          repositories: [
            {
              match: `^${repoServer.base}/([^/]+)/$`,
              remote: `${root}/$1.git`,
            },
          ],
        },
      },
    });
    server = started.server;
    stop = started.stop;
  });

  afterAll(async () => {
    await stop?.();
    repoServer?.server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const score = async () => {
    await request(server)
      .post('/api/conductor/evidence/collect')
      .set(auth)
      .expect(200);
    await request(server)
      .post('/api/conductor/compliance/runs')
      .set(auth)
      .expect(200);
    const res = await request(server)
      .get('/api/conductor/compliance/component/default/orders-api')
      .set(auth)
      .expect(200);
    return res.body.score as number;
  };
  const runBot = async () =>
    (
      await request(server)
        .post('/api/conductor/remediation/runs')
        .set(auth)
        .send({ entityRefs: ['component:default/orders-api'] })
        .expect(200)
    ).body.results[0];
  const git = (...args: string[]) =>
    personGit(root, '--git-dir', bare, ...args);
  const BRANCH = 'conductor/remediate-compliance';

  it('opens one branch with three fixes, never overwrites a person, honours the opt-out, and raises the score after merge', async () => {
    const before = await score();

    // One bot run: one branch, one commit, three fixes; the opt-out honoured.
    const first = await runBot();
    expect(first.outcome).toBe('opened');
    const byId = Object.fromEntries(
      first.fixes.map((f: any) => [f.controlId, f.status]),
    );
    expect(byId).toMatchObject({
      'PRIV-RET-01': 'fixed',
      'OWN-CODEOWNERS-01': 'fixed',
      'OPS-ALERTS-01': 'fixed',
      'OPS-DASH-01': 'opted-out',
    });
    expect(first.changeRequest).toMatchObject({
      branch: BRANCH,
      title: 'Conductor: fix failing compliance controls of orders-api',
      state: 'open',
      controls: ['OPS-ALERTS-01', 'OWN-CODEOWNERS-01', 'PRIV-RET-01'],
      provider: 'git',
    });
    expect(first.changeRequest.body).toContain(
      'opted out of **OPS-DASH-01** (.conductor.yaml)',
    );
    expect(git('rev-list', '--count', `main..${BRANCH}`)).toBe('1');
    expect(git('diff', '--name-only', 'main', BRANCH).split('\n')).toEqual([
      '.github/CODEOWNERS',
      'catalog-info.yaml',
      'monitoring/alerts.yaml',
    ]);
    const patched = git('show', `${BRANCH}:catalog-info.yaml`);
    // Every comment line of the touched YAML survives byte for byte.
    for (const line of CATALOG.split('\n').filter(l => l.includes('#')))
      expect(patched).toContain(line);
    expect(patched).toContain(`  description: "orders, 'quoted' on purpose"\n`);
    expect(patched).toContain('retention:standard-365d');
    const bot = git('rev-parse', BRANCH);
    expect(git('log', '-1', '--format=%ae', BRANCH)).toBe(
      'conductor-bot@noreply.invalid',
    );

    // A rerun, from the CLI through the API, opens nothing new.
    const url = `http://127.0.0.1:${(server.address() as any).port}`;
    const out: string[] = [];
    const code = await runConductor(
      [
        '--url',
        url,
        '--token',
        CI_TOKEN,
        'remediate',
        '--entity',
        'component:default/orders-api',
      ],
      { out: l => out.push(l), err: l => out.push(l) },
    );
    expect(out.join('\n')).toMatch(
      /^UNCHANGED +component:default\/orders-api: change request #\d+ already holds these fixes \(conductor\/remediate-compliance\)$/,
    );
    expect(code).toBe(0);
    expect(git('rev-parse', BRANCH)).toBe(bot);

    // A person's commit on the branch is never overwritten: the bot stops, says why, comments once.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-person-'));
    personGit(work, 'clone', '--quiet', '-b', BRANCH, bare, '.');
    fs.writeFileSync(
      path.join(work, '.github/CODEOWNERS'),
      '* @payments @payments-leads\n',
    );
    personGit(work, 'commit', '--quiet', '-am', 'CODEOWNERS: add the leads');
    personGit(work, 'push', '--quiet', 'origin', BRANCH);
    const person = git('rev-parse', BRANCH);
    const blocked = await runBot();
    expect(blocked.outcome).toBe('blocked');
    expect(blocked.message).toContain(
      `has commit ${person.slice(0, 12)} by Dana Developer <dana@example.com>`,
    );
    expect(git('rev-parse', BRANCH)).toBe(person);
    expect((await runBot()).outcome).toBe('blocked');
    expect(git('rev-parse', BRANCH)).toBe(person);

    const log = (
      await request(server)
        .get('/api/conductor/remediation/log')
        .set(auth)
        .expect(200)
    ).body;
    expect(log.changeRequests).toHaveLength(1);
    expect(log.events.map((e: any) => e.kind).reverse()).toEqual([
      'opened',
      'blocked',
      'commented',
    ]);

    // Merge from the portal's route; the next collection sees the fix.
    const merged = await request(server)
      .post(
        `/api/conductor/remediation/change-requests/${first.changeRequest.id}/merge`,
      )
      .set(auth)
      .expect(200);
    expect(merged.body.state).toBe('merged');
    expect(git('show', 'main:.github/CODEOWNERS')).toBe(
      '* @payments @payments-leads',
    );
    const after = await score();
    expect(after).toBeGreaterThan(before);
    const facts = (
      await request(server)
        .get('/api/conductor/evidence/component/default/orders-api')
        .set(auth)
    ).body.facts;
    expect(facts.find((f: any) => f.name === 'repo.codeowners').value).toBe(
      true,
    );

    const stats = (
      await request(server)
        .get('/api/conductor/remediation/stats')
        .set(auth)
        .expect(200)
    ).body;
    expect(stats.teams[0]).toMatchObject({
      team: 'all',
      opened: 1,
      merged: 1,
      mergeRate: 1,
    });

    // After the merge nothing is left to fix for these controls.
    const done = await runBot();
    expect(done.outcome).toBe('nothing-to-fix');
  });
});
