import fs from 'node:fs';
import path from 'node:path';
import { baselineControlsFile, GoldenPath, templatesRoot } from './goldenPaths';
import { GoldenPathValues } from './values';

/** One file of a skeleton or of a rendered project. */
export interface ProjectFile {
  /** Relative, with '/' separators. */
  path: string;
  content: string;
  executable?: boolean;
}

/** Largest skeleton the renderer reads; a bound on what a template can hold. */
export const MAX_SKELETON_FILES = 500;
export const MAX_FILE_BYTES = 1024 * 1024;

const PLACEHOLDER = /\$\{\{\s*values\.([A-Za-z0-9_]+)\s*\}\}/g;
const ANY_VALUES_EXPRESSION = /\$\{\{[^}]*\bvalues\b[^}]*\}\}/g;

/**
 * Substitutes `${{ values.<key> }}` in every file's path and content (the
 * scaffolder's placeholder syntax; nothing else between `${{ }}` is touched,
 * so GitHub Actions expressions pass through) and drops a `.tmpl` suffix,
 * which marks files that are not valid in their own language until rendered.
 * Pure: returns every problem as `file:line: message` and renders nothing
 * when there is one.
 */
export function renderFiles(
  files: ProjectFile[],
  values: GoldenPathValues,
): { ok: true; files: ProjectFile[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const table = values as unknown as Record<string, unknown>;
  const substitute = (text: string, where: (index: number) => string) =>
    text.replace(ANY_VALUES_EXPRESSION, (match, offset: number) => {
      const simple = new RegExp(`^${PLACEHOLDER.source}$`).exec(match);
      if (!simple) {
        errors.push(
          `${where(
            offset,
          )}: ${match} is not supported (only \${{ values.<name> }})`,
        );
        return match;
      }
      const value = table[simple[1]];
      if (value === undefined) {
        errors.push(`${where(offset)}: values.${simple[1]} is not a parameter`);
        return match;
      }
      return String(value);
    });
  const rendered = files.map(file => {
    const renderedPath = substitute(file.path, () => file.path).replace(
      /\.tmpl$/,
      '',
    );
    const content = substitute(file.content, offset => {
      const line = file.content.slice(0, offset).split('\n').length;
      return `${file.path}:${line}`;
    });
    return { ...file, path: renderedPath, content };
  });
  const seen = new Set<string>();
  for (const f of rendered) {
    if (seen.has(f.path)) errors.push(`${f.path}: rendered twice`);
    seen.add(f.path);
  }
  return errors.length ? { ok: false, errors } : { ok: true, files: rendered };
}

function readTree(root: string, into: ProjectFile[], prefix = '') {
  for (const entry of fs.readdirSync(path.join(root, prefix), {
    withFileTypes: true,
  })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === 'node_modules') continue;
    if (entry.isDirectory()) {
      readTree(root, into, rel);
      continue;
    }
    const full = path.join(root, rel);
    const stat = fs.statSync(full);
    if (stat.size > MAX_FILE_BYTES)
      throw new Error(`${full}: larger than ${MAX_FILE_BYTES} bytes`);
    into.push({
      path: rel,
      content: fs.readFileSync(full, 'utf8'),
      executable: (stat.mode & 0o111) !== 0,
    });
    if (into.length > MAX_SKELETON_FILES)
      throw new Error(`${root}: more than ${MAX_SKELETON_FILES} files`);
  }
}

/**
 * The files of a golden path before rendering: its skeleton, the files every
 * project gets (`templates/_shared`), and the baseline controls as
 * `controls.yaml` so the project is checked against the same controls as the
 * portal.
 */
export function skeletonFiles(template: GoldenPath): ProjectFile[] {
  const root = templatesRoot();
  const files: ProjectFile[] = [];
  readTree(path.join(root, template, 'skeleton'), files);
  readTree(path.join(root, '_shared'), files);
  files.push({
    path: 'controls.yaml',
    content: fs.readFileSync(baselineControlsFile(), 'utf8'),
  });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Writes a rendered project into `targetDir`, which must not exist or be
 * empty. Files go to a hidden sibling first and are moved in at the end, so a
 * failure leaves nothing half-written behind.
 */
export function writeProject(targetDir: string, files: ProjectFile[]): void {
  const target = path.resolve(targetDir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new Error(`${target}: already exists and is not empty`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(
    path.join(path.dirname(target), `.${path.basename(target)}.partial-`),
  );
  try {
    for (const file of files) {
      const dest = path.join(staging, file.path);
      if (!dest.startsWith(staging + path.sep))
        throw new Error(`${file.path}: escapes the project directory`);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, file.content, {
        mode: file.executable ? 0o755 : 0o644,
      });
    }
    if (fs.existsSync(target)) {
      for (const entry of fs.readdirSync(staging))
        fs.renameSync(path.join(staging, entry), path.join(target, entry));
      fs.rmdirSync(staging);
    } else {
      fs.renameSync(staging, target);
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
