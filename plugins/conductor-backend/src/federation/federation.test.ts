import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
// The CLI has no library entry point (its index runs it): the tests drive its program directly.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { runConductor } from '@internal/conductor-cli/src/program';
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { checkoutDemoRepo } from '@internal/conductor-cli/src/gates/demoRepos';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  QUIET_SCHEDULES,
  serveFolder,
  startConductor,
  teamEntities,
} from '../__testUtils__';
import { BOT_EMAIL } from '../remediation/git';
import { PIN_BRANCH } from './FederationPins';

// Git, npm and a backend start on a shared 2-core machine.
jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../../..');
const later = QUIET_SCHEDULES.compliance.schedule;
const service = { Authorization: mockCredentials.service.header() };
const alice = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    stdio: 'pipe',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Pat Person',
      GIT_AUTHOR_EMAIL: 'pat@example.com',
      GIT_COMMITTER_NAME: 'Pat Person',
      GIT_COMMITTER_EMAIL: 'pat@example.com',
    },
  })
    .toString()
    .trim();

/** A bare repository holding a demo repository: the remote the bot pushes to. */
function bareRemote(name: string): string {
  const work = checkoutDemoRepo(name);
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), `remote-${name}-`));
  git(os.tmpdir(), 'clone', '--quiet', '--bare', work, bare);
  return bare;
}

function component(
  name: string,
  base: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/source-location': `url:${base}/${name}/`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  };
}

describe('federation board', () => {
  let server: any;
  let stop: () => Promise<void>;
  let repoServer: { server: any; base: string };
  const remotes: Record<string, string> = {};

  beforeAll(async () => {
    // The demo repositories served over HTTP, as the UrlReader reads an SCM,
    // plus one whose workflow does not parse.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'federation-repos-'));
    fs.cpSync(path.join(ROOT, 'examples/ci-repos'), root, { recursive: true });
    fs.mkdirSync(path.join(root, 'broken-yaml/.github/workflows'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(root, 'broken-yaml/.github/workflows/ci.yml'),
      'name: ci\non: push\njobs:\n  gates:\n    uses: intelgraph/ig-ci/.github/workflows/ci.yml@v1.2.0\n    with: [service: x\n',
    );
    repoServer = await serveFolder(root);
    remotes['orders-api'] = bareRemote('orders-api');
    remotes['refund-worker'] = bareRemote('refund-worker');
    const entities: Entity[] = [
      ...teamEntities('payments', ['alice']),
      component('orders-api', repoServer.base, {
        'conductor.io/git-remote': remotes['orders-api'],
      }),
      component('payments-api', repoServer.base),
      component('reports-api', repoServer.base),
      component('refund-worker', repoServer.base, {
        'conductor.io/git-remote': remotes['refund-worker'],
      }),
      component('broken-yaml', repoServer.base),
    ];
    ({ server, stop } = await startConductor({
      entities,
      urlReader: true,
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        reading: { allow: [{ host: new URL(repoServer.base).host }] },
      },
      conductor: {
        federation: {
          manifest: path.join(ROOT, 'ci/manifest.json'),
          maxVersionsBehind: 1,
          schedule: later,
          runbookUrl: 'https://docs.example.com/federation#federation-rollback',
        },
      },
      features: [notificationsPlugin],
    }));
    // Last gate results, as the evidence gate pushes them.
    await request(server)
      .post('/api/conductor/evidence')
      .set(service)
      .send({
        entityRef: 'component:default/orders-api',
        facts: [
          {
            name: 'ci.gates',
            value: { lint: 'pass', tests: 'pass', sbom: 'pass' },
          },
          { name: 'ci.library_version', value: 'v1.2.0' },
        ],
      })
      .expect(201);
    await request(server)
      .post('/api/conductor/federation/scan')
      .set(service)
      .expect(200, { scanned: 5 });
  });
  afterAll(async () => {
    await stop();
    repoServer.server.close();
  });

  it("shows each repository's pin, drift, gates and last results", async () => {
    const res = await request(server)
      .get('/api/conductor/federation')
      .set(alice)
      .expect(200);
    expect(res.body).toMatchObject({
      library: 'intelgraph/ig-ci',
      latest: 'v1.2.0',
      maxVersionsBehind: 1,
      runbookUrl: 'https://docs.example.com/federation#federation-rollback',
    });
    const byName = Object.fromEntries(
      res.body.repositories.map((r: any) => [r.entityRef.split('/')[1], r]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'broken-yaml',
      'orders-api',
      'payments-api',
      'refund-worker',
      'reports-api',
    ]);
    expect(byName['orders-api']).toMatchObject({
      status: 'current',
      version: 'v1.2.0',
      ref: 'v1.2.0',
      kind: 'tag',
      pinnedAt: '.github/workflows/ci.yml:13',
      owner: 'group:default/payments',
      drift: {
        latest: 'v1.2.0',
        versionsBehind: 0,
        gatesAddedSince: [],
        gatesPresent: [
          'lint',
          'tests',
          'sbom',
          'policy',
          'evidence',
          'readiness',
        ],
        gatesMissing: ['schema', 'slo', 'cost', 'k6', 'chaos', 'canary'],
      },
      lastResults: {
        gates: { lint: 'pass', tests: 'pass', sbom: 'pass' },
        version: 'v1.2.0',
      },
      errors: [],
    });
    expect(byName['refund-worker']).toMatchObject({
      status: 'mismatch',
      version: 'v1.0.0',
      drift: {
        versionsBehind: 2,
        gatesAddedSince: ['schema', 'slo', 'cost', 'k6', 'chaos', 'canary'],
        gatesPresent: [
          'lint',
          'tests',
          'sbom',
          'policy',
          'evidence',
          'readiness',
        ],
      },
    });
    expect(byName['refund-worker'].lastResults).toBeUndefined();
    // a workflow that does not parse: file and line
    expect(byName['broken-yaml']).toMatchObject({
      status: 'unreadable',
      errors: [{ file: '.github/workflows/ci.yml', line: 7 }],
    });
    expect(byName['broken-yaml'].errors[0].message).toBe(
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    // adoption over time: today's count per version
    const today = new Date().toISOString().slice(0, 10);
    expect(res.body.adoption).toEqual([
      {
        day: today,
        byVersion: { 'v1.2.0': 3, 'v1.0.0': 1, unreadable: 1 },
        total: 5,
      },
    ]);

    await request(server)
      .get('/api/conductor/federation/component/default/refund-worker')
      .set(alice)
      .expect(200);
    const missing = await request(server)
      .get('/api/conductor/federation/component/default/nope')
      .set(alice)
      .expect(404);
    expect(missing.body.error.message).toBe(
      'component:default/nope is not on the federation board',
    );
  });

  it('sends the owner the "CI lib mismatch" alert for the repository beyond the allowed drift only', async () => {
    const deadline = Date.now() + 10_000;
    let mine: any[] = [];
    while (Date.now() < deadline) {
      const res = await request(server)
        .get('/api/notifications/notifications')
        .set(alice)
        .expect(200);
      mine = res.body.notifications.filter(
        (n: any) => n.payload.topic === 'conductor.federation.mismatch',
      );
      if (mine.length) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(mine).toHaveLength(1);
    expect(mine[0].payload.title).toBe(
      'CI lib mismatch: component:default/refund-worker pins intelgraph/ig-ci@v1.0.0, 2 versions behind v1.2.0',
    );
    expect(mine[0].payload.description).toBe(
      'Allowed: 1 behind. Gates added since: schema, slo, cost, k6, chaos, canary. Pinned at .github/workflows/ci.yml:13.',
    );
  });

  it('opens a rollback pull request: only the pin changes, committed by the bot on its branch', async () => {
    const res = await request(server)
      .post('/api/conductor/federation/pin')
      .set(alice)
      .send({ entityRef: 'component:default/orders-api', version: 'v1.1.0' })
      .expect(201);
    expect(res.body).toEqual({
      entityRef: 'component:default/orders-api',
      from: 'v1.2.0',
      to: 'v1.1.0',
      files: ['.github/workflows/ci.yml'],
      pullRequest: {
        url: `${remotes['orders-api']}#${PIN_BRANCH}`,
        branch: PIN_BRANCH,
        created: true,
      },
    });
    const bare = remotes['orders-api'];
    expect(git(bare, 'log', '-1', '--format=%ae %s', PIN_BRANCH)).toBe(
      `${BOT_EMAIL} ig-ci: roll back orders-api from v1.2.0 to v1.1.0`,
    );
    const diff = git(bare, 'diff', 'main', PIN_BRANCH);
    expect(diff.split('\n').filter(l => /^[+-][^+-]/.test(l))).toEqual([
      '-    uses: intelgraph/ig-ci/.github/workflows/ci.yml@v1.2.0',
      '+    uses: intelgraph/ig-ci/.github/workflows/ci.yml@v1.1.0',
    ]);
    expect(git(bare, 'log', '-1', '--format=%b', PIN_BRANCH)).toContain(
      'Federation Rollback',
    );
  });

  it('refuses a version that was never released, naming it, and changes nothing', async () => {
    const before = git(
      remotes['refund-worker'],
      'for-each-ref',
      '--format=%(refname) %(objectname)',
    );
    const res = await request(server)
      .post('/api/conductor/federation/pin')
      .set(alice)
      .send({ entityRef: 'component:default/refund-worker', version: 'v1.9.0' })
      .expect(400);
    expect(res.body.error.message).toBe(
      'version: v1.9.0 is not a released version of intelgraph/ig-ci; released: v1.0.0, v1.1.0, v1.2.0',
    );
    expect(
      git(
        remotes['refund-worker'],
        'for-each-ref',
        '--format=%(refname) %(objectname)',
      ),
    ).toBe(before);
  });

  it("through the CLI: conductor ci pin upgrades, and never pushes over a person's commit", async () => {
    const url = `http://127.0.0.1:${server.address().port}`;
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runConductor(
        ['--url', url, '--token', mockCredentials.service.token(), ...args],
        {
          out: l => out.push(l),
          err: l => err.push(l),
        },
      );
      return { code, out, err };
    };
    // refused locally before any request
    expect(
      await run(
        'ci',
        'pin',
        '--entity',
        'component:default/refund-worker',
        '--version=v2.0.0',
      ),
    ).toEqual({
      code: 2,
      out: [],
      err: [
        'conductor: --version v2.0.0: not a released version of intelgraph/ig-ci; released: v1.0.0, v1.1.0, v1.2.0',
      ],
    });
    const up = await run(
      'ci',
      'pin',
      '--entity',
      'component:default/refund-worker',
      '--version=v1.2.0',
    );
    expect(up).toEqual({
      code: 0,
      err: [],
      out: [
        `Opened ${remotes['refund-worker']}#${PIN_BRANCH} (branch ${PIN_BRANCH}): component:default/refund-worker v1.0.0 → v1.2.0 in .github/workflows/ci.yml`,
      ],
    });
    expect(
      git(remotes['refund-worker'], 'log', '-1', '--format=%s', PIN_BRANCH),
    ).toBe('ig-ci: upgrade refund-worker from v1.0.0 to v1.2.0');

    // a person adds a commit to the bot's branch: the next pin refuses and the branch stays
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'person-'));
    git(
      os.tmpdir(),
      'clone',
      '--quiet',
      '--branch',
      PIN_BRANCH,
      remotes['refund-worker'],
      work,
    );
    fs.appendFileSync(path.join(work, 'README.md'), 'notes\n');
    git(work, 'add', 'README.md');
    git(work, 'commit', '-q', '-m', 'my notes');
    git(work, 'push', '-q', 'origin', PIN_BRANCH);
    const head = git(remotes['refund-worker'], 'rev-parse', PIN_BRANCH);
    const again = await run(
      'ci',
      'pin',
      '--entity',
      'component:default/refund-worker',
      '--to',
      'v1.1.0',
    );
    expect(again.code).toBe(2);
    expect(again.err[0]).toMatch(
      new RegExp(
        `^conductor: 409 ${PIN_BRANCH} has commit [0-9a-f]{12} by pat@example.com that the bot did not make; it will not push over it`,
      ),
    );
    expect(git(remotes['refund-worker'], 'rev-parse', PIN_BRANCH)).toBe(head);
  });
});
