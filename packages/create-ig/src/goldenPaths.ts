import fs from 'node:fs';
import path from 'node:path';

/** The golden paths, named as their commands and catalog templates are. */
export const GOLDEN_PATHS = [
  'create-ig-service',
  'create-ig-worker',
  'create-ig-frontend',
] as const;

/** One of {@link GOLDEN_PATHS}. */
export type GoldenPath = (typeof GOLDEN_PATHS)[number];

/** Flavours each golden path offers (`--template`). */
export const FLAVOURS: Record<GoldenPath, readonly string[]> = {
  'create-ig-service': ['node-apollo'],
  'create-ig-worker': ['node-queue'],
  'create-ig-frontend': ['react-vite'],
};

export function isGoldenPath(name: string): name is GoldenPath {
  return (GOLDEN_PATHS as readonly string[]).includes(name);
}

/**
 * The repository's `templates/` folder: each golden path's Template entity
 * and skeleton, plus `_shared/` (files every generated project gets).
 * `CREATE_IG_TEMPLATES` points elsewhere, e.g. for a packaged copy.
 */
export function templatesRoot(): string {
  if (process.env.CREATE_IG_TEMPLATES) return process.env.CREATE_IG_TEMPLATES;
  // The package sits in the repository's packages/, templates/ two levels up.
  const packageDir = path.dirname(
    require.resolve('@internal/create-ig/package.json'),
  );
  let dir = packageDir;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'templates', 'create-ig-service');
    if (fs.existsSync(candidate)) return path.join(dir, 'templates');
    dir = path.dirname(dir);
  }
  throw new Error(
    `templates/: not found above ${packageDir}; set CREATE_IG_TEMPLATES`,
  );
}

/** The baseline controls every generated project is checked against. */
export function baselineControlsFile(): string {
  return path.join(path.dirname(templatesRoot()), 'controls', 'baseline.yaml');
}
