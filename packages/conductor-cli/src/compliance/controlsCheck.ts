import {
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

/**
 * Runs the controls fully offline on a directory: `catalog-info.yaml`, the
 * controls (`controls.yaml` and/or `controls/*.yaml`) and `facts.json`
 * (`{"evidence": [{entityRef, facts: [{name, value, observedAt?}]}]}`).
 */
export function checkDirectory(dir: string, now = new Date()): OfflineCheck {
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
  const controlFiles = [
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
    errors.push(`${dir}: no controls.yaml or controls/*.yaml`);
  const catalog = loadControlsCatalog(
    controlFiles.map(file => ({ file, text: fs.readFileSync(file, 'utf8') })),
  );
  errors.push(
    ...catalog.errors.map((e: ControlsCatalogError) => formatCatalogError(e)),
  );

  const factsFile = path.join(dir, 'facts.json');
  const facts = new Map<string, EvidenceFact[]>();
  if (fs.existsSync(factsFile)) {
    let parsed: any;
    try {
      parsed = JSON.parse(fs.readFileSync(factsFile, 'utf8'));
    } catch (e) {
      errors.push(`${factsFile}: not valid JSON: ${(e as Error).message}`);
    }
    (parsed?.evidence ?? []).forEach((entry: any, i: number) => {
      const v = validateEvidencePush(entry, now);
      if (!v.ok) {
        errors.push(
          ...v.errors.map(
            e => `${factsFile}: evidence[${i}].${e.field}: ${e.message}`,
          ),
        );
        return;
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
    });
  }
  if (errors.length) return { results: [], errors, catalogFile };
  const results = entities.flatMap(e =>
    evaluateControls(
      catalog.controls,
      controlSubjectOf(e),
      facts.get(stringifyEntityRef(e)) ?? [],
      { now },
    ),
  );
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
