import {
  ALERT_RULE_PATHS,
  CODEOWNERS_PATHS,
  DASHBOARDS_DIR,
  RepoFiles,
  treeFacts,
  ControlResult,
  controlSubjectOf,
  ControlsCatalogError,
  EvidenceFact,
  evaluateControls,
  formatCatalogError,
  loadControlsCatalog,
  validateEvidencePush,
} from '@internal/plugin-conductor-common';
import { stringifyEntityRef, Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** What an offline check found. */
export interface OfflineCheck {
  results: ControlResult[];
  errors: string[];
  catalogFile: string;
}

/** Files of a repository the collectors read, by posix path. */
function repositoryFiles(dir: string): RepoFiles {
  const files: RepoFiles = {};
  const read = (rel: string) => {
    const file = path.join(dir, rel);
    if (fs.existsSync(file) && fs.statSync(file).isFile())
      files[rel] = fs.readFileSync(file, 'utf8');
  };
  [
    ...CODEOWNERS_PATHS,
    'sbom.cdx.json',
    'bom.json',
    ...ALERT_RULE_PATHS,
  ].forEach(read);
  const dashboards = path.join(dir, DASHBOARDS_DIR);
  if (fs.existsSync(dashboards)) {
    fs.readdirSync(dashboards)
      .filter(f => f.endsWith('.json'))
      .forEach(f => read(`${DASHBOARDS_DIR}${f}`));
  }
  return files;
}

/**
 * The facts of `facts.json`, in either shape: `{"evidence": [{entityRef,
 * facts}]}` or what `conductor --json evidence get` prints (`{entityRef,
 * facts}`). Anything else is named as not understood rather than ignored.
 */
function readFactsFile(
  factsFile: string,
  now: Date,
  errors: string[],
): Map<string, EvidenceFact[]> {
  const facts = new Map<string, EvidenceFact[]>();
  if (!fs.existsSync(factsFile)) return facts;
  let parsed: any;
  try {
    parsed = JSON.parse(fs.readFileSync(factsFile, 'utf8'));
  } catch (e) {
    errors.push(`${factsFile}: not valid JSON: ${(e as Error).message}`);
    return facts;
  }
  let entries: Array<{ entry: any; at: string }> = [];
  if (Array.isArray(parsed?.evidence)) {
    entries = parsed.evidence.map((entry: any, i: number) => ({
      entry,
      at: `evidence[${i}].`,
    }));
  } else if (
    typeof parsed?.entityRef === 'string' &&
    Array.isArray(parsed?.facts)
  ) {
    entries = [{ entry: parsed, at: '' }];
  }
  if (entries.length === 0) {
    errors.push(
      `${factsFile}: present but not understood: expected {"evidence": [{"entityRef", "facts"}]} or the output of conductor --json evidence get`,
    );
  }
  for (const { entry, at } of entries) {
    // Only what a push would carry: name, value and when it was observed.
    const body = {
      entityRef: entry?.entityRef,
      facts: Array.isArray(entry?.facts)
        ? entry.facts.map((f: any) => ({
            name: f?.name,
            value: f?.value,
            ...(f?.observedAt ? { observedAt: f.observedAt } : {}),
          }))
        : entry?.facts,
    };
    // Offline, a file may hold any fact, the collectors' too.
    const v = validateEvidencePush(body, now, { allowCollectorFacts: true });
    if (!v.ok) {
      errors.push(
        ...v.errors.map(e => `${factsFile}: ${at}${e.field}: ${e.message}`),
      );
      continue;
    }
    facts.set(
      v.entityRef,
      v.facts.map(f => ({
        ...f,
        entityRef: v.entityRef,
        source: 'file:facts.json',
        recordedAt: f.observedAt,
      })),
    );
  }
  return facts;
}

/**
 * Runs the controls fully offline on a directory: its `catalog-info.yaml`,
 * the controls (`controls.yaml`, `controls/*.yaml`, or the files given), the
 * facts its files decide as the collectors would read them (owner, runbook,
 * on-call, lifecycle, retention tags, CODEOWNERS, SBOM, alert rules,
 * dashboards) and `facts.json` for the rest.
 */
export function checkDirectory(
  dir: string,
  now = new Date(),
  options: { controlFiles?: string[] } = {},
): OfflineCheck {
  const errors: string[] = [];
  const catalogFile = path.join(dir, 'catalog-info.yaml');
  const entities: Entity[] = [];
  if (!fs.existsSync(catalogFile)) {
    errors.push(`${catalogFile}: not found`);
  } else {
    for (const doc of parseAllDocuments(fs.readFileSync(catalogFile, 'utf8'))) {
      if (doc.errors.length) {
        const e = doc.errors[0];
        errors.push(
          `${catalogFile}:${e.linePos?.[0].line ?? 1}:${
            e.linePos?.[0].col ?? 1
          } ${e.message.split('\n')[0]}`,
        );
        continue;
      }
      const entity = doc.toJSON() as Entity;
      if (entity?.kind && entity?.metadata?.name) entities.push(entity);
    }
  }
  const controlFiles = options.controlFiles?.length
    ? options.controlFiles
    : [
        path.join(dir, 'controls.yaml'),
        ...(fs.existsSync(path.join(dir, 'controls'))
          ? fs
              .readdirSync(path.join(dir, 'controls'))
              .filter(f => /\.ya?ml$/.test(f))
              .sort()
              .map(f => path.join(dir, 'controls', f))
          : []),
      ].filter(f => fs.existsSync(f));
  if (controlFiles.length === 0)
    errors.push(
      `${dir}: no controls.yaml or controls/*.yaml (or pass --controls FILE)`,
    );
  for (const f of controlFiles)
    if (!fs.existsSync(f)) errors.push(`${f}: not found`);
  const catalog = loadControlsCatalog(
    controlFiles
      .filter(f => fs.existsSync(f))
      .map(file => ({ file, text: fs.readFileSync(file, 'utf8') })),
  );
  errors.push(
    ...catalog.errors.map((e: ControlsCatalogError) => formatCatalogError(e)),
  );

  const facts = readFactsFile(path.join(dir, 'facts.json'), now, errors);
  if (errors.length) return { results: [], errors, catalogFile };
  const files = repositoryFiles(dir);
  const results = entities
    .filter(e =>
      ['component', 'api'].includes(e.kind.toLocaleLowerCase('en-US')),
    )
    .flatMap(e => {
      const ref = stringifyEntityRef(e);
      const known = facts.get(ref) ?? [];
      // Components get what their repository and catalog-info decide.
      const all =
        e.kind.toLocaleLowerCase('en-US') === 'component'
          ? treeFacts(files, e, entities, known, now)
          : known;
      return evaluateControls(catalog.controls, controlSubjectOf(e), all, {
        now,
      });
    });
  return { results, errors, catalogFile };
}

/** Text report: one line per failing or erroring control, then a summary. */
export function formatText(check: OfflineCheck): string[] {
  const lines = check.results
    .filter(r => r.status === 'fail' || r.status === 'error')
    .map(
      r =>
        `${r.status.toUpperCase().padEnd(5)} ${r.controlId} ${r.entityRef}: ${
          r.message
        }`,
    );
  const count = (s: string) => check.results.filter(r => r.status === s).length;
  lines.push(
    `${count('pass')} passed, ${count('fail')} failed, ${count(
      'error',
    )} errors, ${count('exempt')} exempt, ${count(
      'not-applicable',
    )} not applicable`,
  );
  return lines;
}

/** SARIF 2.1.0, for code-scanning UIs. */
/** A run-time error is a warning, a low-severity failure a note, any other failure an error. */
function sarifLevel(r: {
  status: string;
  severity: string;
}): 'warning' | 'note' | 'error' {
  if (r.status === 'error') return 'warning';
  return r.severity === 'low' ? 'note' : 'error';
}

export function formatSarif(check: OfflineCheck): object {
  const rules = [...new Set(check.results.map(r => r.controlId))].map(id => ({
    id,
  }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'conductor',
            informationUri: 'https://backstage.io',
            rules,
          },
        },
        results: check.results
          .filter(r => r.status === 'fail' || r.status === 'error')
          .map(r => ({
            ruleId: r.controlId,
            level: sarifLevel(r),
            message: { text: `${r.entityRef}: ${r.message}` },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: path.basename(check.catalogFile) },
                },
              },
            ],
          })),
      },
    ],
  };
}
