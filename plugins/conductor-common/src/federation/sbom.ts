// How much of what a package-lock.json installs a CycloneDX SBOM lists: the
// `sbom.coverage` fact the SOC2-CC1.4 control reads.

/** @public */
export interface SbomCoverage {
  /** Packages the lockfile installs (links and the root excluded). */
  packages: number;
  /** Of those, listed in the SBOM by name and version. */
  listed: number;
  /** listed / packages; 1 when the lockfile installs nothing. */
  ratio: number;
  /** Up to 20 packages the SBOM misses, `name@version`. */
  missing: string[];
}

function bomKeys(components: unknown, into: Set<string>, depth = 0) {
  if (!Array.isArray(components) || depth > 50) return;
  for (const c of components as Array<Record<string, unknown>>) {
    if (typeof c?.name === 'string' && typeof c.version === 'string') {
      const name =
        typeof c.group === 'string' && c.group
          ? `${c.group}/${c.name}`
          : c.name;
      into.add(`${name}@${c.version}`);
    }
    bomKeys(c?.components, into, depth + 1);
  }
}

/**
 * Compares a lockfile (v2/v3 `packages`) with a CycloneDX document's
 * components (nested ones included; npm scopes are CycloneDX groups).
 *
 * @public
 */
export function sbomCoverage(lock: unknown, bom: unknown): SbomCoverage {
  const packages = (
    lock as {
      packages?: Record<
        string,
        { version?: string; link?: boolean; name?: string }
      >;
    }
  )?.packages;
  if (!packages || typeof packages !== 'object')
    throw new Error(
      'package-lock.json has no "packages" (lockfileVersion 2 or 3 needed)',
    );
  const listed = new Set<string>();
  bomKeys((bom as { components?: unknown })?.components, listed);
  const wanted = new Set<string>();
  for (const [key, p] of Object.entries(packages)) {
    if (!key || p.link || !p.version) continue;
    const name =
      p.name ??
      key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    wanted.add(`${name}@${p.version}`);
  }
  const missing = [...wanted].filter(k => !listed.has(k));
  return {
    packages: wanted.size,
    listed: wanted.size - missing.length,
    ratio: wanted.size ? (wanted.size - missing.length) / wanted.size : 1,
    missing: missing.slice(0, 20),
  };
}
