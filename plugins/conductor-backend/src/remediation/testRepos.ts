import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** Runs git as a person (not the bot). */
export function personGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dana Developer',
      GIT_AUTHOR_EMAIL: 'dana@example.com',
      GIT_COMMITTER_NAME: 'Dana Developer',
      GIT_COMMITTER_EMAIL: 'dana@example.com',
    },
  }).trim();
}

/** A bare repository `<root>/<name>.git` whose `main` holds `files`. */
export function createBareRepository(
  root: string,
  name: string,
  files: Record<string, string>,
): string {
  const bare = path.join(root, `${name}.git`);
  personGit(root, 'init', '--quiet', '--bare', '-b', 'main', bare);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-seed-'));
  personGit(work, 'init', '--quiet', '-b', 'main');
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, p)), { recursive: true });
    fs.writeFileSync(path.join(work, p), text);
  }
  personGit(work, 'add', '.');
  personGit(work, 'commit', '--quiet', '-m', 'initial');
  personGit(work, 'push', '--quiet', bare, 'main');
  fs.rmSync(work, { recursive: true, force: true });
  return bare;
}

/**
 * Serves `<root>/<name>.git`'s default branch over HTTP as `/<name>/<path>`,
 * the way a Git host's raw-file address does, for the UrlReader.
 */
export function serveBareRepositories(
  root: string,
): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer((req, res) => {
    const [, name, ...rest] = decodeURIComponent(
      new URL(req.url!, 'http://x').pathname,
    ).split('/');
    const bare = path.join(root, `${name}.git`);
    if (!name || name.includes('..') || !fs.existsSync(bare)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = execFileSync(
        'git',
        ['--git-dir', bare, 'show', `HEAD:${rest.join('/')}`],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, base: `http://127.0.0.1:${port}` });
    }),
  );
}
