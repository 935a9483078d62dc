import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { createTwoFilesPatch } from 'diff';
import { parseAllDocuments } from 'yaml';
import { EvidenceFact } from '../evidence/types';
import { CompiledControl } from '../compliance/catalog';
import {
  complianceScore,
  controlSubjectOf,
  evaluateControls,
} from '../compliance/engine';
import { ControlResult } from '../compliance/types';
import { RemediationInputError, YamlFile } from './catalogYaml';
import {
  OVERRIDES_FILE,
  OverrideSource,
  optOutFor,
  readOverrides,
} from './overrides';
import { REMEDIATION_RECIPES, Recipe } from './recipes';
import { RepoFiles, treeFacts } from './treeFacts';

/** The catalog file of a repository. @public */
export const CATALOG_FILE = 'catalog-info.yaml';

/** What the bot decided about one failing control. @public */
export interface PlannedFix {
  controlId: string;
  severity: ControlResult['severity'];
  recipeId?: string;
  status:
    | 'fixed'
    | 'opted-out'
    | 'no-recipe'
    | 'nothing-to-do'
    | 'cannot-fix'
    | 'still-failing';
  /** What the recipe did, or why nothing was done. */
  message: string;
  /** The result before the patch (the evidence the PR body shows). */
  before: ControlResult;
  after?: ControlResult;
}

/** A parameter a local override set, reported in the log and the PR body. @public */
export interface HonouredOverride {
  kind: 'opt-out' | 'parameter';
  target: string;
  value?: string;
  source: OverrideSource;
}

/** The bot's plan for one repository: patch, re-check and what it means. @public */
export interface RemediationPlan {
  entityRef: string;
  owner?: string;
  fixes: PlannedFix[];
  overrides: HonouredOverride[];
  /** Files changed: path -> [before (null when new), after]. */
  changes: Array<{ path: string; before: string | null; after: string }>;
  /** Unified diff of every change. */
  diff: string;
  scoreBefore: number | null;
  scoreAfter: number | null;
  /** The patched tree, for the caller to write. */
  patched: RepoFiles;
  /** Results on the patched tree. */
  after: ControlResult[];
  /** Patched files that do not parse (the plan is then not ready). */
  invalid: string[];
  /** Every targeted control passes on the patched tree and every patched file parses. */
  ready: boolean;
}

/** Options of a plan. @public */
export interface PlanOptions {
  files: RepoFiles;
  controls: CompiledControl[];
  /** The entity's latest evidence (the store, or facts.json offline). */
  evidence?: EvidenceFact[];
  /** Only these controls (default: every failing control with a recipe). */
  onlyControls?: string[];
  /** The owner group's entity when known (for the on-call annotation). */
  owner?: Entity;
  /** Bot-wide parameter defaults: recipe id -> name -> value. */
  defaults?: Record<string, Record<string, string>>;
  now?: Date;
}

function validate(path: string, text: string): string | undefined {
  try {
    if (/\.ya?ml$/.test(path) || path === CATALOG_FILE) {
      const bad = parseAllDocuments(text).find(d => d.errors.length);
      if (bad) return `${path}: ${bad.errors[0].message.split('\n')[0]}`;
    } else if (path.endsWith('.json')) JSON.parse(text);
  } catch (e) {
    return `${path}: ${(e as Error).message}`;
  }
  return undefined;
}

/**
 * Plans the fixes for a repository: evaluates the controls on its evidence
 * and files, applies the recipe of each failing control (unless a local
 * override opts out), and re-checks the patched tree with the same engine.
 * Pure: files in, patched files and diff out. Throws RemediationInputError
 * (file, line, column) when a file it must read does not parse.
 *
 * @public
 */
export function planRemediation(options: PlanOptions): RemediationPlan {
  const now = options.now ?? new Date();
  const text = options.files[CATALOG_FILE];
  if (text === undefined)
    throw new RemediationInputError(CATALOG_FILE, 1, 1, 'not found');
  const parsed = YamlFile.parse(CATALOG_FILE, text);
  const component = parsed
    .entities()
    .find(e => e.entity.kind === 'Component')?.entity;
  if (!component)
    throw new RemediationInputError(
      CATALOG_FILE,
      1,
      1,
      'no Component entity in the file',
    );
  const entityRef = stringifyEntityRef(component);
  const overrides = readOverrides(
    options.files[OVERRIDES_FILE],
    component,
    Object.fromEntries(
      Object.values(REMEDIATION_RECIPES).map(r => [
        r.id,
        r.parameters.map(p => p.name),
      ]),
    ),
  );
  const ownerRaw = (component.spec as any)?.owner;
  const ownerRef =
    typeof ownerRaw === 'string'
      ? stringifyEntityRef(
          parseEntityRef(ownerRaw, {
            defaultKind: 'group',
            defaultNamespace: component.metadata.namespace ?? 'default',
          }),
        )
      : undefined;
  const owner =
    options.owner ??
    parsed.entities().find(e => stringifyEntityRef(e.entity) === ownerRef)
      ?.entity;

  const evaluate = (files: RepoFiles) => {
    const f = YamlFile.parse(CATALOG_FILE, files[CATALOG_FILE]);
    const declared = f.entities().map(e => e.entity);
    const comp =
      declared.find(e => stringifyEntityRef(e) === entityRef) ?? component;
    const facts = treeFacts(files, comp, declared, options.evidence ?? [], now);
    return evaluateControls(options.controls, controlSubjectOf(comp), facts, {
      now,
    });
  };
  const before = evaluate(options.files);
  const targeted = before.filter(
    r =>
      (r.status === 'fail' || r.status === 'error') &&
      (!options.onlyControls || options.onlyControls.includes(r.controlId)),
  );

  const honoured: HonouredOverride[] = [];
  const fixes: PlannedFix[] = [];
  let files: RepoFiles = { ...options.files };
  const applied = new Map<string, PlannedFix>();
  for (const result of targeted) {
    const fix: PlannedFix = {
      controlId: result.controlId,
      severity: result.severity,
      recipeId: result.remediation,
      status: 'no-recipe',
      message: '',
      before: result,
    };
    fixes.push(fix);
    const recipe: Recipe | undefined = result.remediation
      ? REMEDIATION_RECIPES[result.remediation]
      : undefined;
    if (!recipe) {
      fix.message = result.remediation
        ? `no recipe named ${result.remediation}`
        : 'the control names no remediation';
      continue;
    }
    const out = optOutFor(overrides, result.controlId, recipe.id);
    if (out) {
      fix.status = 'opted-out';
      fix.message = `opted out of ${out.id} in ${
        out.source === 'annotation' ? 'the entity annotation' : OVERRIDES_FILE
      }`;
      honoured.push({ kind: 'opt-out', target: out.id, source: out.source });
      continue;
    }
    const previous = applied.get(recipe.id);
    if (previous) {
      // Two controls sharing one recipe: it runs once.
      fix.status = previous.status;
      fix.message = previous.message;
      continue;
    }
    const params: Record<string, string> = {};
    for (const p of recipe.parameters)
      if (p.default !== undefined) params[p.name] = p.default;
    Object.assign(params, options.defaults?.[recipe.id] ?? {});
    for (const [name, v] of Object.entries(
      overrides.parameters[recipe.id] ?? {},
    )) {
      params[name] = v.value;
      honoured.push({
        kind: 'parameter',
        target: `${recipe.id}.${name}`,
        value: v.value,
        source: v.source,
      });
    }
    const catalog = YamlFile.parse(CATALOG_FILE, files[CATALOG_FILE]);
    const entities = catalog.entities();
    const current = entities.find(
      e => stringifyEntityRef(e.entity) === entityRef,
    )!;
    const r = recipe.apply({
      files,
      catalog,
      componentIndex: current.index,
      component: current.entity,
      declared: entities.map(e => e.entity),
      owner,
      params,
    });
    fix.message = r.message;
    fix.status = r.status === 'changed' ? 'fixed' : r.status;
    if (r.status === 'changed') {
      files = {
        ...files,
        ...(r.create ?? {}),
        [CATALOG_FILE]: catalog.toString(),
      };
    }
    applied.set(recipe.id, fix);
  }

  const changes = Object.keys(files)
    .filter(p => files[p] !== options.files[p])
    .sort()
    .map(p => ({ path: p, before: options.files[p] ?? null, after: files[p] }));
  const invalid = changes
    .map(c => validate(c.path, c.after))
    .filter((e): e is string => !!e);
  const after = changes.length ? evaluate(files) : before;
  for (const fix of fixes) {
    fix.after = after.find(r => r.controlId === fix.controlId);
    if (fix.status === 'fixed' && fix.after?.status !== 'pass') {
      fix.status = 'still-failing';
      fix.message = `${fix.message}; still failing on the patched tree: ${fix.after?.message}`;
    }
  }
  const attempted = fixes.filter(
    f => f.status === 'fixed' || f.status === 'still-failing',
  );
  return {
    entityRef,
    owner: ownerRef,
    fixes,
    overrides: honoured,
    changes,
    diff: changes
      .map(c =>
        createTwoFilesPatch(
          c.before === null ? '/dev/null' : `a/${c.path}`,
          `b/${c.path}`,
          c.before ?? '',
          c.after,
          undefined,
          undefined,
          { context: 3 },
        ).replace(/^=+\n/, `diff --git a/${c.path} b/${c.path}\n`),
      )
      .join(''),
    scoreBefore: complianceScore(before),
    scoreAfter: complianceScore(after),
    patched: files,
    after,
    invalid,
    ready:
      invalid.length === 0 &&
      attempted.length > 0 &&
      attempted.every(f => f.status === 'fixed'),
  };
}

/** Controls that a plan fixes, sorted. @public */
export function fixedControls(plan: RemediationPlan): string[] {
  return plan.fixes
    .filter(f => f.status === 'fixed')
    .map(f => f.controlId)
    .sort();
}
