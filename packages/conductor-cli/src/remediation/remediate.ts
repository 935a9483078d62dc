import {
  CATALOG_FILE,
  ControlResult,
  EvidenceFact,
  RemediationPlan,
  YamlFile,
  controlSubjectOf,
  evaluateControls,
  loadControlsCatalog,
  planRemediation,
  remediationBody,
  remediationBranch,
  remediationTitle,
  treeFacts,
  validateEvidencePush,
} from '@internal/plugin-conductor-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkDirectory } from '../compliance/controlsCheck';
import {
  BOT_IDENTITY,
  authorsSince,
  commitOnBranch,
  gitTopLevel,
  revParse,
} from './git';
import { readTree, writeTree } from './tree';

/** The controls files of a repository, as `controls check` reads them. */
function repositoryControls(dir: string): string[] {
  const own = [path.join(dir, 'controls.yaml')];
  const folder = path.join(dir, 'controls');
  if (fs.existsSync(folder))
    own.push(
      ...fs
        .readdirSync(folder)
        .filter(f => /\.ya?ml$/.test(f))
        .sort()
        .map(f => path.join(folder, f)),
    );
  return own.filter(f => fs.existsSync(f));
}

/** The baseline catalog shipped with Conductor: `controls/baseline.yaml` in the working directory or above it. */
export function findBaseline(from = process.cwd()): string | undefined {
  for (let d = from; ; d = path.dirname(d)) {
    const f = path.join(d, 'controls', 'baseline.yaml');
    if (fs.existsSync(f)) return f;
    if (path.dirname(d) === d) return undefined;
  }
}

/** facts.json of the directory, for one entity, validated as `controls check` does. */
function readFactsFile(
  dir: string,
  entityRef: string,
  now: Date,
): EvidenceFact[] {
  const file = path.join(dir, 'facts.json');
  if (!fs.existsSync(file)) return [];
  let parsed: any;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const out: EvidenceFact[] = [];
  (parsed?.evidence ?? []).forEach((entry: any, i: number) => {
    const v = validateEvidencePush(entry, now);
    if (!v.ok)
      throw new Error(
        `${file}: evidence[${i}].${v.errors[0].field}: ${v.errors[0].message}`,
      );
    if (v.entityRef !== entityRef) return;
    out.push(
      ...v.facts.map(f => ({
        ...f,
        entityRef,
        source: 'file:facts.json',
        recordedAt: f.observedAt,
      })),
    );
  });
  return out;
}

/** What `conductor remediate` did. */
export interface RemediateOutcome {
  plan: RemediationPlan;
  /** Targeted controls as `controls check` sees them on the patched tree. */
  recheck: ControlResult[];
  recheckErrors: string[];
  /** Targeted controls that still fail. */
  stillFailing: string[];
  commit?:
    | { branch: string; sha: string; created: boolean }
    | { branch: string; unchanged: true };
}

/**
 * Plans the fixes for the repository at `dir`, re-checks the patched tree
 * with `controls check` (in a scratch copy), and unless `dryRun` commits them
 * on the deterministic branch without touching the work tree. A branch that
 * holds a commit by someone else is left alone.
 */
export function remediateDirectory(options: {
  dir: string;
  controls?: string[];
  controlFiles?: string[];
  dryRun: boolean;
  now?: Date;
}): RemediateOutcome {
  const now = options.now ?? new Date();
  const dir = path.resolve(options.dir);
  if (!fs.existsSync(path.join(dir, CATALOG_FILE)))
    throw new Error(`${path.join(dir, CATALOG_FILE)}: not found`);
  const controlFiles = options.controlFiles?.length
    ? options.controlFiles
    : repositoryControls(dir);
  if (controlFiles.length === 0) {
    const baseline = findBaseline();
    if (!baseline)
      throw new Error(
        `${dir}: no controls.yaml or controls/*.yaml; name a catalog with --controls`,
      );
    controlFiles.push(baseline);
  }
  const catalog = loadControlsCatalog(
    controlFiles.map(file => ({ file, text: fs.readFileSync(file, 'utf8') })),
  );
  if (catalog.errors.length) {
    const e = catalog.errors[0];
    throw new Error(`${e.file}:${e.line}:${e.column} ${e.message}`);
  }
  const files = readTree(dir);
  const component = YamlFile.parse(CATALOG_FILE, files[CATALOG_FILE])
    .entities()
    .find(e => e.entity.kind === 'Component');
  const entityRef = component ? stringifyEntityRef(component.entity) : '';
  const plan = planRemediation({
    files,
    controls: catalog.controls,
    evidence: readFactsFile(dir, entityRef, now),
    onlyControls: options.controls?.length ? options.controls : undefined,
    now,
  });

  // Re-check a scratch copy of the patched tree: `controls check` must find
  // every file valid, and the controls engine evaluates the facts the
  // written files decide (CODEOWNERS, tags, links... are collector facts,
  // which facts.json may not carry).
  const scratch = fs.mkdtempSync(
    path.join(os.tmpdir(), 'conductor-remediate-'),
  );
  let recheck: ControlResult[] = [];
  let recheckErrors: string[] = [];
  try {
    writeTree(scratch, plan.patched);
    fs.rmSync(path.join(scratch, 'controls.yaml'), { force: true });
    fs.rmSync(path.join(scratch, 'controls'), { recursive: true, force: true });
    controlFiles.forEach((f, i) =>
      writeTree(scratch, {
        [`controls/${String(i).padStart(2, '0')}-${path.basename(f)}`]:
          fs.readFileSync(f, 'utf8'),
      }),
    );
    recheckErrors = checkDirectory(scratch, now).errors;
    const written = readTree(scratch);
    const patched = YamlFile.parse(
      CATALOG_FILE,
      written[CATALOG_FILE],
    ).entities();
    const comp = patched.find(
      e => stringifyEntityRef(e.entity) === entityRef,
    )!.entity;
    recheck = evaluateControls(
      catalog.controls,
      controlSubjectOf(comp),
      treeFacts(
        written,
        comp,
        patched.map(e => e.entity),
        readFactsFile(dir, entityRef, now),
        now,
      ),
      { now },
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  // Targeted: what was asked for, else every failing control a recipe could fix.
  const targeted = plan.fixes.filter(
    f =>
      f.status !== 'opted-out' &&
      (options.controls?.length || f.status !== 'no-recipe'),
  );
  const stillFailing = targeted
    .filter(
      f => recheck.find(r => r.controlId === f.controlId)?.status !== 'pass',
    )
    .map(f => f.controlId);

  const outcome: RemediateOutcome = {
    plan,
    recheck,
    recheckErrors,
    stillFailing,
  };
  if (
    options.dryRun ||
    plan.changes.length === 0 ||
    recheckErrors.length ||
    plan.invalid.length
  )
    return outcome;

  const top = gitTopLevel(dir);
  const prefix = path
    .relative(top, dir)
    .split(path.sep)
    .filter(Boolean)
    .join('/');
  const head = revParse(top, 'HEAD');
  if (!head)
    throw new Error(`${top}: the repository has no commit to branch from`);
  const branch = remediationBranch();
  const existing = revParse(top, `refs/heads/${branch}`);
  if (existing) {
    const people = authorsSince(top, head, branch).filter(
      a => a !== BOT_IDENTITY.GIT_AUTHOR_EMAIL,
    );
    if (people.length)
      throw new Error(
        `branch ${branch} holds commits by ${[...new Set(people)].join(
          ', ',
        )}; the bot never overwrites them (merge or delete the branch)`,
      );
  }
  const changed = Object.fromEntries(
    plan.changes.map(c => [prefix ? `${prefix}/${c.path}` : c.path, c.after]),
  );
  const name = entityRef.split('/').pop() ?? entityRef;
  const done = commitOnBranch(
    top,
    head,
    branch,
    changed,
    `${remediationTitle(name)}\n\n${remediationBody(plan)}`,
  );
  outcome.commit = done ? { branch, ...done } : { branch, unchanged: true };
  return outcome;
}
