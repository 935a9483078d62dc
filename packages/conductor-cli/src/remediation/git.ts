import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Who the bot commits as. */
export const BOT_IDENTITY = {
  GIT_AUTHOR_NAME: 'Conductor remediation bot',
  GIT_AUTHOR_EMAIL: 'conductor-bot@noreply.invalid',
  GIT_COMMITTER_NAME: 'Conductor remediation bot',
  GIT_COMMITTER_EMAIL: 'conductor-bot@noreply.invalid',
};

function git(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): string {
  try {
    return execFileSync('git', args, {
      cwd,
      env: { ...process.env, ...BOT_IDENTITY, ...env },
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    }).trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `git ${args[0]} in ${cwd}: ${
        (err.stderr || err.message).trim().split('\n')[0]
      }`,
    );
  }
}

/** The top of the git work tree holding `dir`; throws when it is not one. */
export function gitTopLevel(dir: string): string {
  return git(dir, ['rev-parse', '--show-toplevel']);
}

/** The commit a ref points at, or undefined. */
export function revParse(dir: string, ref: string): string | undefined {
  try {
    return git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    return undefined;
  }
}

/**
 * Commits `files` (paths relative to the repository top) on top of `base`
 * and points `branch` at the commit, without touching the work tree, the
 * index or the checked-out branch (plumbing on a private index). Returns the
 * commit, or undefined when the branch already holds exactly this tree.
 */
export function commitOnBranch(
  top: string,
  base: string,
  branch: string,
  files: Record<string, string>,
  message: string,
): { sha: string; created: boolean } | undefined {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'conductor-index-'));
  const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
  try {
    git(top, ['read-tree', base], env);
    for (const [p, text] of Object.entries(files)) {
      const blob = git(top, ['hash-object', '-w', '--stdin'], env, text);
      git(
        top,
        ['update-index', '--add', '--cacheinfo', `100644,${blob},${p}`],
        env,
      );
    }
    const tree = git(top, ['write-tree'], env);
    const existing = revParse(top, `refs/heads/${branch}`);
    if (existing && git(top, ['rev-parse', `${existing}^{tree}`]) === tree)
      return undefined;
    const sha = git(
      top,
      ['commit-tree', tree, '-p', base, '-F', '-'],
      env,
      message,
    );
    // Moves the branch only if it is still where we saw it.
    git(top, ['update-ref', `refs/heads/${branch}`, sha, existing ?? '']);
    return { sha, created: !existing };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Authors of the commits on `branch` that `base` does not have. */
export function authorsSince(
  top: string,
  base: string,
  branch: string,
): string[] {
  const out = git(top, ['log', '--format=%ae', `${base}..${branch}`]);
  return out ? out.split('\n') : [];
}
