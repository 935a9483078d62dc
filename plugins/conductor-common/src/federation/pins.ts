// Finding which CI library version a repository's workflow pins, and
// rewriting that pin: pure text in, data out, so the backend board, the CLI
// and the tests agree on what a pin is.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
} from 'yaml';
import {
  CiGateName,
  CiLibraryManifest,
  CiLibraryVersion,
  CI_GATES,
  findVersion,
  latestVersion,
  parseSemverTag,
} from './manifest';

/** How a repository refers to the library: the four forms `uses:` allows. @public */
export type CiPinKind = 'tag' | 'major-tag' | 'sha' | 'branch';

/** One `uses:` of the library found in a workflow file. @public */
export interface CiLibraryPin {
  file: string;
  /** 1-based line of the `uses:` value. */
  line: number;
  /** The whole `uses:` value. */
  uses: string;
  /** What follows `@`. */
  ref: string;
  kind: CiPinKind;
  /** The job id that calls the reusable workflow, or the step's job. */
  job: string;
  /** The `with:` of that job (reusable workflow) — the adapter's inputs. */
  with: Record<string, unknown>;
}

/** A workflow file that does not parse, with where. @public */
export interface WorkflowParseError {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Bounds on what is read: a workflow file is small. */
export const MAX_WORKFLOW_BYTES = 512 * 1024;

/** The kind of a ref after `@`. @public */
export function pinKind(ref: string): CiPinKind {
  if (parseSemverTag(ref)) return 'tag';
  if (/^v\d+(\.\d+)?$/.test(ref)) return 'major-tag';
  if (/^[0-9a-f]{40}$/.test(ref) || /^[0-9a-f]{7,12}$/.test(ref)) return 'sha';
  return 'branch';
}

function escapeRe(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every place a workflow file uses the library (`library` is `owner/name`):
 * jobs calling the reusable workflow and steps using one of its composite
 * actions. Returns the parse error with its line when the file is not YAML
 * or not a workflow.
 *
 * @public
 */
export function findLibraryPins(
  text: string,
  file: string,
  library: string,
):
  | { ok: true; pins: CiLibraryPin[] }
  | { ok: false; error: WorkflowParseError } {
  if (text.length > MAX_WORKFLOW_BYTES)
    return {
      ok: false,
      error: {
        file,
        line: 1,
        column: 1,
        message: `larger than ${MAX_WORKFLOW_BYTES} bytes`,
      },
    };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    return {
      ok: false,
      error: {
        file,
        line: pos.line,
        column: pos.col,
        message: e.message.split('\n')[0],
      },
    };
  }
  const jobs = isMap(doc.contents) ? doc.contents.get('jobs', true) : undefined;
  if (!isMap(jobs)) {
    const pos = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
    return {
      ok: false,
      error: {
        file,
        line: pos.line,
        column: pos.col,
        message: 'not a workflow: no jobs: mapping',
      },
    };
  }
  const usesRe = new RegExp(`^${escapeRe(library)}(/[^@]*)?@(.+)$`, 'i');
  const pins: CiLibraryPin[] = [];
  const take = (node: unknown, job: string, withNode: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string') return;
    const m = usesRe.exec(node.value.trim());
    if (!m) return;
    const ref = m[2];
    pins.push({
      file,
      line: lineCounter.linePos(node.range?.[0] ?? 0).line,
      uses: node.value.trim(),
      ref,
      kind: pinKind(ref),
      job,
      with: isMap(withNode)
        ? (withNode.toJSON() as Record<string, unknown>)
        : {},
    });
  };
  for (const item of jobs.items) {
    const job = String(isScalar(item.key) ? item.key.value : item.key);
    if (!isMap(item.value)) continue;
    take(item.value.get('uses', true), job, item.value.get('with', true));
    const steps = item.value.get('steps', true);
    if (isSeq(steps))
      for (const step of steps.items)
        if (isMap(step))
          take(step.get('uses', true), job, step.get('with', true));
  }
  return { ok: true, pins };
}

/**
 * Rewrites every `uses:` of the library to `@newRef`, keeping the rest of the
 * file byte for byte (comments, quoting, layout).
 *
 * @public
 */
export function rewriteLibraryPins(
  text: string,
  library: string,
  newRef: string,
): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) throw new Error(doc.errors[0].message.split('\n')[0]);
  const usesRe = new RegExp(`^(${escapeRe(library)}(?:/[^@]*)?@)(.+)$`, 'i');
  const edits: Array<{ start: number; end: number; value: string }> = [];
  const visit = (node: unknown) => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (
          isScalar(item.key) &&
          item.key.value === 'uses' &&
          isScalar(item.value)
        ) {
          const value = item.value as Scalar;
          const m =
            typeof value.value === 'string'
              ? usesRe.exec(value.value.trim())
              : null;
          if (m && value.range) {
            const [start, end] = value.range;
            const source = text.slice(start, end);
            edits.push({
              start,
              end,
              value: source.replace(`@${m[2]}`, `@${newRef}`),
            });
          }
        } else visit(item.value);
      }
    } else if (isSeq(node)) node.items.forEach(visit);
  };
  visit(doc.contents);
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.value + out.slice(e.end);
  return out;
}

/** What a pin means against the manifest. @public */
export interface ResolvedPin {
  ref: string;
  kind: CiPinKind;
  /** The released version it runs; undefined when the ref matches none. */
  version?: CiLibraryVersion;
  /** Why it could not be resolved. */
  unresolved?: string;
}

/**
 * Which released version a ref runs: an exact tag; a floating `v1`/`v1.2` tag
 * the newest release under it; a SHA the release whose commit it is; a
 * branch the newest release (a branch moves with the library's head).
 *
 * @public
 */
export function resolvePin(
  manifest: CiLibraryManifest,
  ref: string,
): ResolvedPin {
  const kind = pinKind(ref);
  if (kind === 'tag') {
    const version = findVersion(manifest, ref);
    return version
      ? { ref, kind, version }
      : {
          ref,
          kind,
          unresolved: `${ref} is not a released version of ${manifest.library}`,
        };
  }
  if (kind === 'major-tag') {
    const prefix = `${ref}.`;
    const matching = manifest.versions.filter(v =>
      v.version.startsWith(prefix),
    );
    return matching.length
      ? { ref, kind, version: matching[matching.length - 1] }
      : {
          ref,
          kind,
          unresolved: `no release of ${manifest.library} under ${ref}`,
        };
  }
  if (kind === 'sha') {
    const version = manifest.versions.find(v => v.commit?.startsWith(ref));
    return version
      ? { ref, kind, version }
      : {
          ref,
          kind,
          unresolved: `commit ${ref} is not a released version of ${manifest.library}`,
        };
  }
  return { ref, kind, version: latestVersion(manifest) };
}

/** The gate switches an adapter sets to false (`with: { k6: false }`). @public */
export function gatesSwitchedOff(
  withInputs: Record<string, unknown>,
): CiGateName[] {
  return CI_GATES.filter(
    g => withInputs[g] === false || withInputs[g] === 'false',
  );
}

/** How far a repository is from the newest release, and which gates it runs. @public */
export interface CiDrift {
  latest: string;
  /** Releases between the pinned one and the newest; null when unresolved. */
  versionsBehind: number | null;
  /** Gates the newest release has that the pinned one does not. */
  gatesAddedSince: CiGateName[];
  /** Gates the pinned version runs for this repository. */
  gatesPresent: CiGateName[];
  /** Gates of the newest release this repository does not run (not yet in its version, or switched off). */
  gatesMissing: CiGateName[];
}

/** Drift of one resolved pin with the adapter's switches. @public */
export function computeDrift(
  manifest: CiLibraryManifest,
  pin: ResolvedPin,
  withInputs: Record<string, unknown>,
): CiDrift {
  const latest = latestVersion(manifest);
  const latestGates = CI_GATES.filter(g => latest.gates[g]);
  if (!pin.version)
    return {
      latest: latest.version,
      versionsBehind: null,
      gatesAddedSince: [],
      gatesPresent: [],
      gatesMissing: latestGates,
    };
  const index = manifest.versions.indexOf(pin.version);
  const off = new Set(gatesSwitchedOff(withInputs));
  const pinnedGates = CI_GATES.filter(g => pin.version!.gates[g]);
  const gatesPresent = pinnedGates.filter(g => !off.has(g));
  return {
    latest: latest.version,
    versionsBehind: manifest.versions.length - 1 - index,
    gatesAddedSince: latestGates.filter(g => !pin.version!.gates[g]),
    gatesPresent,
    gatesMissing: latestGates.filter(g => !gatesPresent.includes(g)),
  };
}
