import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import express from 'express';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DEMO_AUTHOR = {
  GIT_AUTHOR_NAME: 'Maestro Conductor demo',
  GIT_AUTHOR_EMAIL: 'demo@conductor.invalid',
  GIT_COMMITTER_NAME: 'Maestro Conductor demo',
  GIT_COMMITTER_EMAIL: 'demo@conductor.invalid',
};

function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...DEMO_AUTHOR },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

/**
 * Turns each folder of `examples/repos` into a bare git repository
 * `<gitRoot>/<name>.git` with one commit on `main`, afresh at every start
 * (the demo database is in memory too). Returns the names.
 */
export function createDemoGitRepositories(
  examples: string,
  gitRoot: string,
): string[] {
  fs.rmSync(gitRoot, { recursive: true, force: true });
  fs.mkdirSync(gitRoot, { recursive: true });
  const names = fs
    .readdirSync(examples, { withFileTypes: true })
    // A link to a folder elsewhere in examples/ (lineage manifests) is a
    // repository too.
    .filter(
      d =>
        d.isDirectory() ||
        (d.isSymbolicLink() &&
          fs.statSync(path.join(examples, d.name)).isDirectory()),
    )
    .map(d => d.name)
    .sort();
  for (const name of names) {
    const bare = path.join(gitRoot, `${name}.git`);
    git(gitRoot, ['init', '--quiet', '--bare', '-b', 'main', bare]);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-demo-repo-'));
    try {
      fs.cpSync(path.join(examples, name), work, {
        recursive: true,
        dereference: true,
      });
      git(work, ['init', '--quiet', '-b', 'main']);
      git(work, ['add', '.']);
      git(work, ['commit', '--quiet', '-m', `${name}: demo repository`]);
      git(work, ['push', '--quiet', bare, 'main']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return names;
}

/**
 * Serves the demo repositories over HTTP, so that the demo catalog's
 * `backstage.io/source-location` annotations point at real files read
 * through the real UrlReader (FetchUrlReader, allowed in
 * `backend.reading.allow`), as a GitHub or GitLab integration would serve
 * them in production. With `demoRepositories.gitRoot`, the folders of
 * `root` become real git repositories at start and `/<name>/<path>` serves
 * `<path>` from their `main`: the remediation bot pushes branches to them,
 * a merge from the portal lands on `main`, and the next evidence collection
 * reads the merged files. Inert unless `demoRepositories.root` is configured.
 */
export const demoRepositoriesPlugin = createBackendPlugin({
  pluginId: 'demo-repos',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ httpRouter, config, logger }) {
        const dir = config.getOptionalString('demoRepositories.root');
        if (!dir) return; // production: repositories live in the SCM
        const root = path.resolve(dir);
        const gitRootConfig = config.getOptionalString(
          'demoRepositories.gitRoot',
        );
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        if (!gitRootConfig) {
          httpRouter.use(
            express.static(root, { dotfiles: 'allow', fallthrough: true }),
          );
          return;
        }
        const gitRoot = path.resolve(gitRootConfig);
        const names = createDemoGitRepositories(root, gitRoot);
        logger.info(
          `Demo repositories: ${names.length} git repositories in ${gitRoot}`,
        );
        httpRouter.use((req, res, next) => {
          const [name, ...rest] = decodeURIComponent(req.path)
            .split('/')
            .filter(Boolean);
          if (!name || !names.includes(name) || rest.includes('..')) {
            next();
            return;
          }
          try {
            const body = git(gitRoot, [
              '--git-dir',
              path.join(gitRoot, `${name}.git`),
              'show',
              `main:${rest.join('/')}`,
            ]);
            res.status(200).type('text/plain').send(body);
          } catch {
            res.status(404).end();
          }
        });
      },
    });
  },
});
