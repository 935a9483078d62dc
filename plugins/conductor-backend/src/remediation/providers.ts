import { Config } from '@backstage/config';
import { ANNOTATION_SOURCE_LOCATION, Entity } from '@backstage/catalog-model';
import { Octokit } from '@octokit/rest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StoredChangeRequest } from './RemediationStore';
import { cloneRepository, git } from './git';

/** Where the bot pushes an entity's fixes and opens its change request. */
export interface RepositoryTarget {
  provider: 'git' | 'github';
  /** What the log shows: the remote for plain git, owner/repo for GitHub. */
  repository: string;
  /** Where to clone from and push to: a URL or a path to a bare repository. */
  remote: string;
  /** `git -c` settings, e.g. the auth header for GitHub. */
  gitConfig?: string[];
  github?: { owner: string; repo: string };
}

/** A change request as the provider sees it. */
export interface ProviderState {
  state: 'open' | 'merged' | 'closed';
  mergedAt?: string;
  closedAt?: string;
}

/** Opens, updates, comments on, merges and closes change requests at a provider. */
export interface ChangeRequestProvider {
  /** Opens the change request of a pushed branch, or updates the open one. */
  publish(
    target: RepositoryTarget,
    req: {
      branch: string;
      base: string;
      title: string;
      body: string;
      existing?: StoredChangeRequest;
    },
  ): Promise<{ number?: number; url?: string }>;
  /** Whether it was merged or closed outside the portal. */
  status(
    target: RepositoryTarget,
    cr: StoredChangeRequest,
  ): Promise<ProviderState>;
  /** Leaves a comment; false when the provider has nowhere to put one (the log keeps it). */
  comment(
    target: RepositoryTarget,
    cr: StoredChangeRequest,
    text: string,
  ): Promise<boolean>;
  merge(target: RepositoryTarget, cr: StoredChangeRequest): Promise<void>;
  close(target: RepositoryTarget, cr: StoredChangeRequest): Promise<void>;
}

/**
 * Any git remote (including a bare repository on disk): the branch is the
 * change request, recorded in the database; merge merges it into the base
 * branch and pushes (never forced); close leaves the branch for people.
 */
export class GitProvider implements ChangeRequestProvider {
  async publish() {
    return {};
  }

  async status(
    target: RepositoryTarget,
    cr: StoredChangeRequest,
  ): Promise<ProviderState> {
    // Merged outside the portal when the bot's commit is in the base branch.
    const dir = await fs.mkdtemp(
      path.join(os.tmpdir(), 'conductor-remediation-status-'),
    );
    try {
      await git(dir, ['init', '--quiet', '--bare']);
      await git(
        dir,
        [
          'fetch',
          '--quiet',
          target.remote,
          `refs/heads/${cr.baseBranch}:refs/heads/base`,
        ],
        { config: target.gitConfig },
      );
      const merged = await git(dir, [
        'merge-base',
        '--is-ancestor',
        cr.headSha,
        'base',
      ]).then(
        () => true,
        () => false,
      );
      return merged
        ? { state: 'merged', mergedAt: new Date().toISOString() }
        : { state: 'open' };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  async comment() {
    return false;
  }

  async merge(target: RepositoryTarget, cr: StoredChangeRequest) {
    const checkout = await cloneRepository(target.remote, target.gitConfig);
    try {
      await checkout.run(['checkout', '--quiet', cr.baseBranch]);
      await checkout.run([
        'merge',
        '--no-ff',
        '--no-edit',
        '-m',
        `Merge ${cr.branch}: ${cr.title}`,
        `origin/${cr.branch}`,
      ]);
      await checkout.run([
        'push',
        '--quiet',
        'origin',
        `HEAD:refs/heads/${cr.baseBranch}`,
      ]);
    } finally {
      await checkout.dispose();
    }
  }

  async close() {
    // The branch stays: it may hold a person's commits.
  }
}

/** GitHub through Octokit, with the token of the `integrations.github` entry for the host. */
export class GitHubProvider implements ChangeRequestProvider {
  constructor(
    private readonly octokitFor: (target: RepositoryTarget) => Octokit,
  ) {}

  private repo(target: RepositoryTarget) {
    if (!target.github)
      throw new Error(`${target.repository}: not a GitHub repository`);
    return { owner: target.github.owner, repo: target.github.repo };
  }

  async publish(
    target: RepositoryTarget,
    req: {
      branch: string;
      base: string;
      title: string;
      body: string;
      existing?: StoredChangeRequest;
    },
  ) {
    const octokit = this.octokitFor(target);
    const repo = this.repo(target);
    let number = req.existing?.number;
    if (!number) {
      const open = await octokit.rest.pulls.list({
        ...repo,
        state: 'open',
        head: `${repo.owner}:${req.branch}`,
      });
      number = open.data[0]?.number;
    }
    if (number) {
      const pr = await octokit.rest.pulls.update({
        ...repo,
        pull_number: number,
        title: req.title,
        body: req.body,
      });
      return { number, url: pr.data.html_url };
    }
    const pr = await octokit.rest.pulls.create({
      ...repo,
      head: req.branch,
      base: req.base,
      title: req.title,
      body: req.body,
    });
    return { number: pr.data.number, url: pr.data.html_url };
  }

  async status(
    target: RepositoryTarget,
    cr: StoredChangeRequest,
  ): Promise<ProviderState> {
    const { data } = await this.octokitFor(target).rest.pulls.get({
      ...this.repo(target),
      pull_number: cr.number!,
    });
    if (data.merged_at) return { state: 'merged', mergedAt: data.merged_at };
    if (data.state === 'closed')
      return {
        state: 'closed',
        closedAt: data.closed_at ?? new Date().toISOString(),
      };
    return { state: 'open' };
  }

  async comment(
    target: RepositoryTarget,
    cr: StoredChangeRequest,
    text: string,
  ) {
    await this.octokitFor(target).rest.issues.createComment({
      ...this.repo(target),
      issue_number: cr.number!,
      body: text,
    });
    return true;
  }

  async merge(target: RepositoryTarget, cr: StoredChangeRequest) {
    await this.octokitFor(target).rest.pulls.merge({
      ...this.repo(target),
      pull_number: cr.number!,
      sha: cr.headSha,
      merge_method: 'merge',
    });
  }

  async close(target: RepositoryTarget, cr: StoredChangeRequest) {
    await this.octokitFor(target).rest.pulls.update({
      ...this.repo(target),
      pull_number: cr.number!,
      state: 'closed',
    });
  }
}

/** Annotation naming the git remote the bot pushes to, when the source location is not one. */
export const GIT_REMOTE_ANNOTATION = 'conductor.io/git-remote';

/** A rule of `conductor.remediation.repositories`: source location pattern -> git remote. */
export interface RepositoryRule {
  match: RegExp;
  remote: string;
  provider: 'git' | 'github';
}

/** The GitHub integrations of the app config: host, API address and token. */
export interface GitHubIntegration {
  host: string;
  apiBaseUrl: string;
  token?: string;
}

/** Reads `integrations.github` the way Backstage's integrations do (github.com by default). */
export function readGitHubIntegrations(config: Config): GitHubIntegration[] {
  const list: GitHubIntegration[] = (
    config.getOptionalConfigArray('integrations.github') ?? []
  ).map(c => {
    const host = c.getOptionalString('host') ?? 'github.com';
    return {
      host,
      apiBaseUrl:
        c.getOptionalString('apiBaseUrl') ??
        (host === 'github.com'
          ? 'https://api.github.com'
          : `https://${host}/api/v3`),
      token: c.getOptionalString('token'),
    };
  });
  if (!list.some(i => i.host === 'github.com'))
    list.push({ host: 'github.com', apiBaseUrl: 'https://api.github.com' });
  return list;
}

/**
 * Where the bot pushes an entity's fixes: the `conductor.io/git-remote`
 * annotation, else the first `conductor.remediation.repositories` rule
 * matching its source location, else a GitHub source location. Undefined
 * when none applies (the run says so for that entity).
 */
export function resolveTarget(
  entity: Entity,
  rules: RepositoryRule[],
  github: GitHubIntegration[],
): RepositoryTarget | undefined {
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[GIT_REMOTE_ANNOTATION])
    return {
      provider: 'git',
      repository: annotations[GIT_REMOTE_ANNOTATION],
      remote: annotations[GIT_REMOTE_ANNOTATION],
    };
  const source = annotations[ANNOTATION_SOURCE_LOCATION]?.replace(/^url:/, '');
  if (!source) return undefined;
  for (const rule of rules) {
    if (!rule.match.test(source)) continue;
    const remote = source.replace(rule.match, rule.remote);
    if (rule.provider === 'github') {
      const m = /([^/:]+)\/([^/]+?)(\.git)?\/?$/.exec(remote);
      return m
        ? {
            provider: 'github',
            repository: `${m[1]}/${m[2]}`,
            remote,
            github: { owner: m[1], repo: m[2] },
          }
        : undefined;
    }
    return { provider: 'git', repository: remote, remote };
  }
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return undefined;
  }
  const integration = github.find(i => i.host === url.host);
  const parts = url.pathname.split('/').filter(Boolean);
  if (!integration || parts.length < 2) return undefined;
  const [owner, repo] = [parts[0], parts[1].replace(/\.git$/, '')];
  return {
    provider: 'github',
    repository: `${owner}/${repo}`,
    remote: `https://${url.host}/${owner}/${repo}.git`,
    gitConfig: integration.token
      ? [
          `http.extraHeader=Authorization: Basic ${Buffer.from(
            `x-access-token:${integration.token}`,
          ).toString('base64')}`,
        ]
      : [],
    github: { owner, repo },
  };
}
