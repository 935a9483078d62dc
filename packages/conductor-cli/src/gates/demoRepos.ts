import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `examples/ci-repos` of this checkout. */
export const DEMO_REPOS_DIR = path.resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../../examples/ci-repos',
);

/**
 * Copies a demo repository (`examples/ci-repos/<name>`) into a new git
 * repository in a temp directory, as a CI runner's checkout, and installs
 * its one dev dependency (eslint 8.57.1) by linking the workspace's copy of
 * the same version: `npm ci` would need the registry, which tests must not.
 * Test support only.
 */
export function checkoutDemoRepo(name: string): string {
  const source = path.join(DEMO_REPOS_DIR, name);
  if (!fs.existsSync(source))
    throw new Error(`${source}: no such demo repository`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ci-${name}-`));
  fs.cpSync(source, dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'pipe',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Demo',
        GIT_AUTHOR_EMAIL: 'demo@example.com',
        GIT_COMMITTER_NAME: 'Demo',
        GIT_COMMITTER_EMAIL: 'demo@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', `${name}: initial`);

  const eslint = path.dirname(require.resolve('eslint/package.json'));
  const version = JSON.parse(
    fs.readFileSync(path.join(eslint, 'package.json'), 'utf8'),
  ).version;
  const wanted = JSON.parse(
    fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
  ).devDependencies.eslint;
  if (version !== wanted)
    throw new Error(
      `the workspace has eslint ${version}, ${name} pins ${wanted}`,
    );
  fs.mkdirSync(path.join(dir, 'node_modules/.bin'), { recursive: true });
  fs.symlinkSync(eslint, path.join(dir, 'node_modules/eslint'), 'dir');
  fs.symlinkSync(
    '../eslint/bin/eslint.js',
    path.join(dir, 'node_modules/.bin/eslint'),
  );
  return dir;
}
