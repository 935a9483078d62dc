import { execFile } from 'node:child_process';

/** Runs git; rejects with git's own message. */
export function git(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...env },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `git ${args[0]} failed: ${(stderr || error.message).trim()}`,
            ),
          );
        } else resolve(stdout.trim());
      },
    );
  });
}

/** A repository name that is safe as a directory name and a DNS label. */
export const REPOSITORY_NAME = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
