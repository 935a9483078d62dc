// The CI library's manifest: every released version with its gates and their
// thresholds, so that "identical gates" is a comparison, not a belief.

/** The gates of the CI library, in the order the workflow runs them. @public */
export const CI_GATES = [
  'lint',
  'tests',
  'sbom',
  'policy',
  'schema',
  'slo',
  'cost',
  'k6',
  'chaos',
  'canary',
  'evidence',
  'readiness',
] as const;

/** @public */
export type CiGateName = (typeof CI_GATES)[number];

/** Thresholds of one gate in one version; numbers only, named per gate. @public */
export type CiGateThresholds = Record<string, number>;

/** One released version of the CI library. @public */
export interface CiLibraryVersion {
  /** Semver tag, `v1.2.0`. */
  version: string;
  /** Release date, `YYYY-MM-DD`. */
  released: string;
  /** The commit the tag points at, when known: lets a SHA pin be resolved. */
  commit?: string;
  /** The gates this version ships and their thresholds. */
  gates: Partial<Record<CiGateName, CiGateThresholds>>;
}

/** The machine-readable manifest, `ci/manifest.json`. @public */
export interface CiLibraryManifest {
  /** `owner/name` of the library's repository, e.g. `intelgraph/ig-ci`. */
  library: string;
  /** Path of the reusable workflow inside it. */
  workflow: string;
  /** Oldest to newest. */
  versions: CiLibraryVersion[];
}

/** A problem in the manifest, naming the field. @public */
export interface ManifestError {
  field: string;
  message: string;
}

const SEMVER = /^v(\d+)\.(\d+)\.(\d+)$/;

/** Parses `v1.2.3` to its three numbers; undefined when it is not one. @public */
export function parseSemverTag(
  tag: string,
): [number, number, number] | undefined {
  const m = SEMVER.exec(tag);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Orders two semver tags; both must parse. @public */
export function compareSemverTags(a: string, b: string): number {
  const x = parseSemverTag(a);
  const y = parseSemverTag(b);
  if (!x || !y) throw new Error(`not a semver tag: ${!x ? a : b}`);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Bounds: a manifest is small; anything bigger is a mistake. */
const MAX_VERSIONS = 500;

/**
 * Validates a parsed manifest (`JSON.parse` of `ci/manifest.json`): every
 * version a semver tag, strictly increasing, every gate known, every
 * threshold a finite number. Errors name the field, e.g.
 * `versions[2].gates.tests.minCoverage`.
 *
 * @public
 */
export function validateCiManifest(
  raw: unknown,
):
  | { ok: true; manifest: CiLibraryManifest }
  | { ok: false; errors: ManifestError[] } {
  const errors: ManifestError[] = [];
  const err = (field: string, message: string) =>
    errors.push({ field, message });
  const doc = raw as Partial<CiLibraryManifest> | undefined;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return {
      ok: false,
      errors: [{ field: '(root)', message: 'must be an object' }],
    };
  }
  if (
    typeof doc.library !== 'string' ||
    !/^[\w.-]+\/[\w.-]+$/.test(doc.library)
  )
    err('library', 'must be owner/name, e.g. intelgraph/ig-ci');
  if (typeof doc.workflow !== 'string' || !doc.workflow.endsWith('.yml'))
    err(
      'workflow',
      'must be the reusable workflow path, e.g. .github/workflows/ci.yml',
    );
  if (!Array.isArray(doc.versions) || doc.versions.length === 0) {
    err('versions', 'must be a non-empty list');
  } else if (doc.versions.length > MAX_VERSIONS) {
    err('versions', `at most ${MAX_VERSIONS} versions`);
  } else {
    doc.versions.forEach((v, i) => {
      const at = `versions[${i}]`;
      if (!v || typeof v !== 'object') {
        err(at, 'must be an object');
        return;
      }
      if (typeof v.version !== 'string' || !parseSemverTag(v.version))
        err(
          `${at}.version`,
          `must be a semver tag like v1.2.0, got ${JSON.stringify(v.version)}`,
        );
      else if (i > 0) {
        const prev = doc.versions![i - 1]?.version;
        if (
          typeof prev === 'string' &&
          parseSemverTag(prev) &&
          compareSemverTags(prev, v.version) >= 0
        )
          err(`${at}.version`, `${v.version} must come after ${prev}`);
      }
      if (
        typeof v.released !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}$/.test(v.released)
      )
        err(`${at}.released`, 'must be a date YYYY-MM-DD');
      if (v.commit !== undefined && !/^[0-9a-f]{7,40}$/.test(String(v.commit)))
        err(`${at}.commit`, 'must be a commit SHA');
      if (!v.gates || typeof v.gates !== 'object' || Array.isArray(v.gates)) {
        err(`${at}.gates`, 'must be an object of gate name to thresholds');
        return;
      }
      for (const [gate, thresholds] of Object.entries(v.gates)) {
        if (!(CI_GATES as readonly string[]).includes(gate)) {
          err(
            `${at}.gates.${gate}`,
            `unknown gate; known: ${CI_GATES.join(', ')}`,
          );
          continue;
        }
        if (
          !thresholds ||
          typeof thresholds !== 'object' ||
          Array.isArray(thresholds)
        ) {
          err(
            `${at}.gates.${gate}`,
            'must be an object of thresholds ({} for none)',
          );
          continue;
        }
        for (const [name, value] of Object.entries(thresholds)) {
          if (typeof value !== 'number' || !Number.isFinite(value))
            err(`${at}.gates.${gate}.${name}`, 'must be a number');
        }
      }
    });
  }
  return errors.length
    ? { ok: false, errors }
    : { ok: true, manifest: doc as CiLibraryManifest };
}

/** Parses and validates the manifest's JSON text. @public */
export function parseCiManifest(
  text: string,
): ReturnType<typeof validateCiManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      errors: [
        { field: '(root)', message: `not valid JSON: ${(e as Error).message}` },
      ],
    };
  }
  return validateCiManifest(raw);
}

/** The newest version of the manifest. @public */
export function latestVersion(manifest: CiLibraryManifest): CiLibraryVersion {
  return manifest.versions[manifest.versions.length - 1];
}

/** A version by tag; undefined when the manifest has no such release. @public */
export function findVersion(
  manifest: CiLibraryManifest,
  tag: string,
): CiLibraryVersion | undefined {
  return manifest.versions.find(v => v.version === tag);
}

/**
 * The thresholds a gate uses in a version. Throws naming the version or gate
 * when the version does not exist or does not ship that gate.
 *
 * @public
 */
export function gateThresholds(
  manifest: CiLibraryManifest,
  tag: string,
  gate: CiGateName,
): CiGateThresholds {
  const v = findVersion(manifest, tag);
  if (!v)
    throw new Error(
      `${
        manifest.library
      }@${tag} is not a released version; released: ${manifest.versions
        .map(x => x.version)
        .join(', ')}`,
    );
  const t = v.gates[gate];
  if (!t)
    throw new Error(
      `${manifest.library}@${tag} has no ${gate} gate (added later)`,
    );
  return t;
}
