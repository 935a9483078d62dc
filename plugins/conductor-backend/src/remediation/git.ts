import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Who the bot commits as; a commit by anyone else on its branch is a person's. */
export const BOT_EMAIL = 'conductor-bot@noreply.invalid';
const BOT_ENV = {
  GIT_AUTHOR_NAME: 'Conductor remediation bot',
  GIT_AUTHOR_EMAIL: BOT_EMAIL,
  GIT_COMMITTER_NAME: 'Conductor remediation bot',
  GIT_COMMITTER_EMAIL: BOT_EMAIL,
  GIT_TERMINAL_PROMPT: '0',
};

/** A failed git command, with git's own first line of error. */
export class GitError extends Error {
  constructor(readonly args: string[], readonly stderr: string) {
    super(
      `git ${args[0]}: ${
        stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? 'failed'
      }`,
    );
    this.name = 'GitError';
  }
}

/** Runs git in `cwd` (60 s bound, no prompt); extra `-c` settings such as an auth header. */
export function git(
  cwd: string,
  args: string[],
  options: { config?: string[]; input?: string } = {},
): Promise<string> {
  const full = [...(options.config ?? []).flatMap(c => ['-c', c]), ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      full,
      {
        cwd,
        env: { ...process.env, ...BOT_ENV },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) reject(new GitError(args, stderr || err.message));
        else resolve(stdout.trim());
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A fresh clone of a remote in a scratch folder; `dispose` removes it. */
export interface Checkout {
  dir: string;
  /** The remote's default branch. */
  base: string;
  run(args: string[], input?: string): Promise<string>;
  dispose(): Promise<void>;
}

/** Clones `remote` (a URL or a path to a bare repository) into a scratch folder. */
export async function cloneRepository(
  remote: string,
  config: string[] = [],
): Promise<Checkout> {
  const dir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'conductor-remediation-'),
  );
  const run = (args: string[], input?: string) =>
    git(dir, args, { config, input });
  const dispose = () => fs.rm(dir, { recursive: true, force: true });
  try {
    await git(os.tmpdir(), ['clone', '--quiet', '--no-tags', remote, dir], {
      config,
    });
    const head = await run([
      'symbolic-ref',
      '--short',
      'refs/remotes/origin/HEAD',
    ]).catch(() => 'origin/main');
    return { dir, base: head.replace(/^origin\//, ''), run, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** The commit a remote branch points at, or undefined when it does not exist. */
export async function remoteHead(
  checkout: Checkout,
  branch: string,
): Promise<string | undefined> {
  const out = await checkout.run([
    'ls-remote',
    'origin',
    `refs/heads/${branch}`,
  ]);
  return out ? out.split(/\s+/)[0] : undefined;
}

/** Every text file of the checked-out tree (bounded like the CLI: 5,000 files, 1 MiB each, no binaries). */
export async function readCheckedOutFiles(
  checkout: Checkout,
): Promise<Record<string, string>> {
  const list = (await checkout.run(['ls-files', '-z']))
    .split('\0')
    .filter(Boolean);
  if (list.length > 5000)
    throw new Error(`more than 5000 files in the repository`);
  const files: Record<string, string> = {};
  for (const p of list) {
    const full = path.join(checkout.dir, p);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat?.isFile() || stat.size > 1024 * 1024) continue;
    const buf = await fs.readFile(full);
    if (!buf.includes(0)) files[p] = buf.toString('utf8');
  }
  return files;
}

/** Writes files into the checkout, creating folders. */
export async function writeFiles(
  checkout: Checkout,
  files: Record<string, string>,
) {
  for (const [p, text] of Object.entries(files)) {
    const full = path.join(checkout.dir, ...p.split('/'));
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, text);
  }
}
