import { TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { loadControlsCatalog } from '@internal/plugin-conductor-common';
import { Octokit } from '@octokit/rest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyDatabaseMigrations } from '../shared/migrations';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';
import {
  GitHubProvider,
  GitProvider,
  RepositoryRule,
  resolveTarget,
} from './providers';
import { RemediationService } from './RemediationService';
import { RemediationStore } from './RemediationStore';
import { createBareRepository, personGit } from './testRepos';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const controls = loadControlsCatalog([
  {
    file: 'baseline.yaml',
    text: fs.readFileSync(
      path.resolve(__dirname, '../../../../controls/baseline.yaml'),
      'utf8',
    ),
  },
]).controls;

const catalogFile = (name: string) => `# ${name}: keep this comment
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    pagerduty.com/service-id: P1
  links: [{ url: 'https://runbooks.example.com/${name}', title: Runbook, type: runbook }]
spec:
  type: service
  lifecycle: production
  owner: payments
`;

function component(name: string, remote: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/source-location': `url:https://git.example.com/${remote}/`,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  };
}

function snapshot(
  entities: Entity[],
): Pick<CatalogSnapshot, 'ensure' | 'entities' | 'get' | 'ownerOf'> {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  return {
    ensure: async () => {},
    entities: () => entities,
    get: ref => byRef.get(ref),
    ownerOf: () => 'group:default/payments',
  };
}

const evidence: EvidenceAccess = {
  latest: async () => [],
  latestForEntities: async () => new Map(),
  recordObserved: async () => {},
  collect: async () => ({}),
};

/** A replay of recorded GitHub REST exchanges; every call must be the next expected one. */
function recordedGitHub(
  exchanges: Array<{
    request: { method: string; path: string; body?: object };
    response: {
      status: number;
      body: unknown;
      headers?: Record<string, string>;
    };
  }>,
) {
  const calls: Array<{ method: string; path: string; body?: unknown }> = [];
  const fetch = async (
    url: string,
    init: { method: string; body?: string },
  ) => {
    const u = new URL(url);
    const call = {
      method: init.method,
      path: `${u.pathname}${u.search}`,
      body: init.body ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const next = exchanges.shift();
    if (!next)
      throw new Error(`unexpected GitHub call ${call.method} ${call.path}`);
    expect(call).toEqual({
      method: next.request.method,
      path: next.request.path,
      body: next.request.body,
    });
    return new Response(JSON.stringify(next.response.body), {
      status: next.response.status,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...next.response.headers,
      },
    });
  };
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    calls,
    left: exchanges,
  };
}

// Real git clones and pushes: slower than the default 5 s on a busy machine.
jest.setTimeout(60_000);

describe.each(databases.eachSupportedId())(
  'RemediationService on %p',
  databaseId => {
    let root: string;
    let now: Date;
    const make = async (
      entities: Entity[],
      options: {
        grouping?: 'control';
        perHour?: number;
        github?: ReturnType<typeof recordedGitHub>;
        rules?: RepositoryRule[];
      } = {},
    ) => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations({ getClient: async () => knex });
      const store = new RemediationStore(knex);
      const rules = options.rules ?? [
        {
          match: /^https:\/\/git\.example\.com\/(.+)\/$/,
          remote: `${root}/$1.git`,
          provider: 'git' as const,
        },
      ];
      const service = new RemediationService({
        store,
        evidence,
        catalogSnapshot: snapshot(entities),
        controls: () => controls,
        providers: {
          git: new GitProvider(),
          github: new GitHubProvider(
            () =>
              new Octokit({
                auth: 'test-token',
                request: { fetch: options.github?.fetch },
              }),
          ),
        },
        resolveTarget: e => resolveTarget(e, rules, []),
        limits: {
          perHour: options.perHour ?? 10,
          openPerRepository: options.grouping ? 5 : 1,
        },
        grouping: options.grouping,
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      return { service, store };
    };

    beforeEach(() => {
      root = fs.mkdtempSync(
        path.join(os.tmpdir(), 'conductor-remediation-service-'),
      );
      now = new Date('2026-11-26T10:00:00Z');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('updates the open change request when the fixes change, instead of opening another', async () => {
      const bare = createBareRepository(root, 'orders-api', {
        'catalog-info.yaml': catalogFile('orders-api'),
      });
      const { service } = await make([component('orders-api', 'orders-api')]);
      const first = await service.run({ controls: ['OWN-CODEOWNERS-01'] });
      expect(first[0].outcome).toBe('opened');
      now = new Date('2026-11-26T10:05:00Z');
      const second = await service.run();
      expect(second[0].outcome).toBe('updated');
      expect(second[0].changeRequest!.id).toBe(first[0].changeRequest!.id);
      expect(second[0].changeRequest!.controls).toEqual([
        'OPS-ALERTS-01',
        'OPS-DASH-01',
        'OWN-CODEOWNERS-01',
      ]);
      // The bot replaced its own commit (lease on its own head): still one commit over main.
      expect(
        personGit(
          root,
          '--git-dir',
          bare,
          'rev-list',
          '--count',
          'main..conductor/remediate-compliance',
        ),
      ).toBe('1');
      const log = await service.log();
      expect(log.changeRequests).toHaveLength(1);
      expect(log.events.map(e => e.kind)).toEqual(['updated', 'opened']);
    });

    it('suppresses a fix closed without merge until the control results change', async () => {
      const bare = createBareRepository(root, 'orders-api', {
        'catalog-info.yaml': catalogFile('orders-api'),
      });
      const { service } = await make([component('orders-api', 'orders-api')]);
      const opened = await service.run({
        controls: ['OWN-CODEOWNERS-01', 'OPS-ALERTS-01'],
      });
      await service.close(opened[0].changeRequest!.id, 'user:default/dana');
      const again = await service.run({
        controls: ['OWN-CODEOWNERS-01', 'OPS-ALERTS-01'],
      });
      expect(again[0].outcome).toBe('suppressed');
      expect(again[0].message).toMatch(
        /closed without merge .* suppressed until these controls' results change/,
      );

      // A person adds alert rules: the results change, the bot proposes CODEOWNERS again.
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-person-'));
      personGit(work, 'clone', '--quiet', bare, '.');
      fs.mkdirSync(path.join(work, 'monitoring'));
      fs.writeFileSync(
        path.join(work, 'monitoring/alerts.yaml'),
        'groups:\n  - name: x\n    rules:\n      - alert: Down\n        expr: up == 0\n',
      );
      personGit(work, 'add', '.');
      personGit(work, 'commit', '--quiet', '-m', 'alerts');
      personGit(work, 'push', '--quiet', 'origin', 'main');
      const reopened = await service.run({
        controls: ['OWN-CODEOWNERS-01', 'OPS-ALERTS-01'],
      });
      expect(reopened[0].outcome).toBe('opened');
      expect(reopened[0].changeRequest!.controls).toEqual([
        'OWN-CODEOWNERS-01',
      ]);
    });

    it('records an unreachable remote, a rejected push and an unparsable file per repository and goes on', async () => {
      createBareRepository(root, 'good-api', {
        'catalog-info.yaml': catalogFile('good-api'),
      });
      const rejecting = createBareRepository(root, 'hooked-api', {
        'catalog-info.yaml': catalogFile('hooked-api'),
      });
      fs.writeFileSync(
        path.join(rejecting, 'hooks', 'pre-receive'),
        '#!/bin/sh\necho "pushes need a signed-off commit" >&2\nexit 1\n',
        { mode: 0o755 },
      );
      createBareRepository(root, 'broken-api', {
        'catalog-info.yaml': 'kind: Component\nmetadata: [\n',
      });
      const { service } = await make([
        component('gone-api', 'gone-api'),
        component('hooked-api', 'hooked-api'),
        component('broken-api', 'broken-api'),
        component('good-api', 'good-api'),
      ]);
      const results = await service.run({ controls: ['OWN-CODEOWNERS-01'] });
      expect(results.map(r => [r.entityRef, r.outcome])).toEqual([
        ['component:default/gone-api', 'failed'],
        ['component:default/hooked-api', 'failed'],
        ['component:default/broken-api', 'failed'],
        ['component:default/good-api', 'opened'],
      ]);
      expect(results[0].message).toMatch(
        /git clone: .*(does not appear to be a git repository|does not exist)/,
      );
      expect(results[1].message).toMatch(/git push/);
      expect(results[2].message).toMatch(/^catalog-info\.yaml:\d+:\d+ /);
      // Nothing half-pushed: the rejected repository has no bot branch.
      expect(personGit(root, '--git-dir', rejecting, 'branch', '--list')).toBe(
        '* main',
      );
      const failed = (await service.log()).events.filter(
        e => e.kind === 'failed',
      );
      expect(failed).toHaveLength(3);
    });

    it('opens one change request per control when grouped by control', async () => {
      const bare = createBareRepository(root, 'orders-api', {
        'catalog-info.yaml': catalogFile('orders-api'),
      });
      const { service } = await make([component('orders-api', 'orders-api')], {
        grouping: 'control',
      });
      const results = await service.run({
        controls: ['OWN-CODEOWNERS-01', 'OPS-ALERTS-01'],
      });
      // In the controls catalog's order.
      expect(
        results.map(r => [
          r.outcome,
          r.changeRequest?.branch,
          r.changeRequest?.title,
        ]),
      ).toEqual([
        [
          'opened',
          'conductor/remediate-own-codeowners-01',
          'Conductor: fix OWN-CODEOWNERS-01 of orders-api',
        ],
        [
          'opened',
          'conductor/remediate-ops-alerts-01',
          'Conductor: fix OPS-ALERTS-01 of orders-api',
        ],
      ]);
      expect(
        personGit(root, '--git-dir', bare, 'branch', '--list')
          .split('\n')
          .map(b => b.trim()),
      ).toEqual([
        'conductor/remediate-ops-alerts-01',
        'conductor/remediate-own-codeowners-01',
        '* main',
      ]);
    });

    it('keeps to the hourly limit', async () => {
      createBareRepository(root, 'a-api', {
        'catalog-info.yaml': catalogFile('a-api'),
      });
      createBareRepository(root, 'b-api', {
        'catalog-info.yaml': catalogFile('b-api'),
      });
      const { service } = await make(
        [component('a-api', 'a-api'), component('b-api', 'b-api')],
        { perHour: 1 },
      );
      const results = await service.run({ controls: ['OWN-CODEOWNERS-01'] });
      expect(results.map(r => r.outcome)).toEqual(['opened', 'rate-limited']);
      expect(results[1].message).toBe('hourly limit 1 reached');
      now = new Date('2026-11-26T11:01:00Z');
      expect(
        (
          await service.run({
            controls: ['OWN-CODEOWNERS-01'],
            entityRefs: ['component:default/b-api'],
          })
        )[0].outcome,
      ).toBe('opened');
    });

    it('opens, re-checks, comments on and merges a GitHub pull request with the recorded REST calls', async () => {
      const bare = createBareRepository(path.join(root), 'orders-api', {
        'catalog-info.yaml': catalogFile('orders-api'),
      });
      fs.mkdirSync(path.join(root, 'acme'));
      fs.renameSync(bare, path.join(root, 'acme', 'orders-api.git'));
      const remote = path.join(root, 'acme', 'orders-api.git');
      const repoPath = '/repos/acme/orders-api';
      const pr = {
        number: 7,
        html_url: 'https://github.com/acme/orders-api/pull/7',
        state: 'open',
        merged_at: null,
        closed_at: null,
      };
      const github = recordedGitHub([
        {
          request: {
            method: 'GET',
            path: `${repoPath}/pulls?state=open&head=acme%3Aconductor%2Fremediate-compliance`,
          },
          response: { status: 200, body: [] },
        },
        {
          request: {
            method: 'POST',
            path: `${repoPath}/pulls`,
            body: {
              head: 'conductor/remediate-compliance',
              base: 'main',
              title: 'Conductor: fix failing compliance controls of orders-api',
              body: expect.stringContaining('## Dry-run re-check'),
            },
          },
          response: { status: 201, body: pr },
        },
        {
          request: { method: 'GET', path: `${repoPath}/pulls/7` },
          response: { status: 200, body: pr },
        },
        {
          request: { method: 'GET', path: `${repoPath}/pulls/7` },
          response: { status: 200, body: pr },
        },
        {
          request: {
            method: 'POST',
            path: `${repoPath}/issues/7/comments`,
            body: {
              body: expect.stringContaining(
                'by Dana Developer <dana@example.com> that the bot did not make',
              ),
            },
          },
          response: { status: 201, body: { id: 1 } },
        },
        {
          request: {
            method: 'PUT',
            path: `${repoPath}/pulls/7/merge`,
            body: {
              sha: expect.stringMatching(/^[0-9a-f]{40}$/),
              merge_method: 'merge',
            },
          },
          response: { status: 200, body: { merged: true } },
        },
      ]);
      const { service } = await make(
        [component('orders-api', 'acme/orders-api')],
        {
          github,
          rules: [
            {
              match: /^https:\/\/git\.example\.com\/(.+)\/$/,
              remote: `${root}/$1.git`,
              provider: 'github',
            },
          ],
        },
      );
      const opened = await service.run({ controls: ['OWN-CODEOWNERS-01'] });
      expect(opened[0]).toMatchObject({
        outcome: 'opened',
        repository: 'acme/orders-api',
        changeRequest: { number: 7, url: pr.html_url, provider: 'github' },
      });
      expect(
        (await service.run({ controls: ['OWN-CODEOWNERS-01'] }))[0].outcome,
      ).toBe('unchanged');

      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-person-'));
      personGit(
        work,
        'clone',
        '--quiet',
        '-b',
        'conductor/remediate-compliance',
        remote,
        '.',
      );
      fs.appendFileSync(
        path.join(work, '.github/CODEOWNERS'),
        '/docs @acme/writers\n',
      );
      personGit(work, 'commit', '--quiet', '-am', 'docs owners');
      personGit(
        work,
        'push',
        '--quiet',
        'origin',
        'conductor/remediate-compliance',
      );
      expect(
        (await service.run({ controls: ['OWN-CODEOWNERS-01'] }))[0].outcome,
      ).toBe('blocked');
      const merged = await service.merge(
        opened[0].changeRequest!.id,
        'user:default/dana',
      );
      expect(merged.state).toBe('merged');
      expect(github.left).toEqual([]);
      expect(github.calls.map(c => `${c.method} ${c.path}`)).toEqual([
        `GET ${repoPath}/pulls?state=open&head=acme%3Aconductor%2Fremediate-compliance`,
        `POST ${repoPath}/pulls`,
        `GET ${repoPath}/pulls/7`,
        `GET ${repoPath}/pulls/7`,
        `POST ${repoPath}/issues/7/comments`,
        `PUT ${repoPath}/pulls/7/merge`,
      ]);
    });

    it("records GitHub's rate limit as the failure and leaves no branch behind", async () => {
      fs.mkdirSync(path.join(root, 'acme'));
      const remote = createBareRepository(
        path.join(root, 'acme'),
        'orders-api',
        { 'catalog-info.yaml': catalogFile('orders-api') },
      );
      const github = recordedGitHub([
        {
          request: {
            method: 'GET',
            path: '/repos/acme/orders-api/pulls?state=open&head=acme%3Aconductor%2Fremediate-compliance',
          },
          response: { status: 200, body: [] },
        },
        {
          request: {
            method: 'POST',
            path: '/repos/acme/orders-api/pulls',
            body: expect.anything(),
          },
          response: {
            status: 403,
            body: {
              message: 'API rate limit exceeded for installation ID 1.',
              documentation_url:
                'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
            },
            headers: {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': '1795000000',
            },
          },
        },
      ]);
      const { service } = await make(
        [component('orders-api', 'acme/orders-api')],
        {
          github,
          rules: [
            {
              match: /^https:\/\/git\.example\.com\/(.+)\/$/,
              remote: `${root}/$1.git`,
              provider: 'github',
            },
          ],
        },
      );
      const [result] = await service.run({ controls: ['OWN-CODEOWNERS-01'] });
      expect(result.outcome).toBe('failed');
      expect(result.message).toContain('API rate limit exceeded');
      expect(personGit(root, '--git-dir', remote, 'branch', '--list')).toBe(
        '* main',
      );
    });
  },
);
