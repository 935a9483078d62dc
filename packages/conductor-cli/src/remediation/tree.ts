import { RepoFiles } from '@internal/plugin-conductor-common';
import fs from 'node:fs';
import path from 'node:path';

/** Bounds on what the bot reads from a repository. */
export const TREE_LIMITS = { files: 5000, bytesPerFile: 1024 * 1024 };

/**
 * Reads a repository's text files (posix paths), skipping `.git`,
 * `node_modules`, binary files and files over 1 MiB. More than 5,000 files
 * is an error: the bot only needs the catalog file and a few small ones, and
 * a bound keeps a wrong `--dir` (a home directory) from being read whole.
 */
export function readTree(dir: string): RepoFiles {
  const files: RepoFiles = {};
  let count = 0;
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) {
        if (++count > TREE_LIMITS.files)
          throw new Error(
            `${dir}: more than ${TREE_LIMITS.files} files; point --dir at one repository`,
          );
        const full = path.join(dir, p);
        if (fs.statSync(full).size > TREE_LIMITS.bytesPerFile) continue;
        const buf = fs.readFileSync(full);
        if (buf.includes(0)) continue;
        files[p] = buf.toString('utf8');
      }
    }
  };
  walk('');
  return files;
}

/** Writes files under `dir`, creating folders. */
export function writeTree(dir: string, files: RepoFiles) {
  for (const [p, text] of Object.entries(files)) {
    const full = path.join(dir, ...p.split('/'));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
}
