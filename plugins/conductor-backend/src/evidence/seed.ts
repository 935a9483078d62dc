import { LoggerService } from '@backstage/backend-plugin-api';
import {
  resolveRelativeTime,
  validateEvidencePush,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { EvidenceRecord, EvidenceStore } from './EvidenceStore';

interface SeedFile {
  evidence: Array<{
    entityRef: string;
    source?: string;
    facts: Array<{ name: string; value: unknown; observedAt?: string }>;
  }>;
}

/**
 * Reads seed evidence files (demo data) into records. Relative times such as
 * `-3d` (in `observedAt` or as a timestamp value) are resolved against `now`, so demo evidence is as fresh on every
 * start. Any error names the file and the entry, and nothing is stored.
 */
export async function readSeedFiles(
  files: string[],
  now: Date = new Date(),
): Promise<EvidenceRecord[]> {
  const records: EvidenceRecord[] = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8');
    let parsed: SeedFile;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(
        `Evidence seed ${file}: not valid JSON: ${(e as Error).message}`,
      );
    }
    if (!Array.isArray(parsed?.evidence)) {
      throw new Error(`Evidence seed ${file}: expected {"evidence": [...]}`);
    }
    parsed.evidence.forEach((entry, i) => {
      const source = entry.source ?? `seed:${path.basename(file)}`;
      const facts = (entry.facts ?? []).map(f => ({
        ...f,
        value:
          typeof f.value === 'string'
            ? resolveRelativeTime(f.value, now)
            : f.value,
        observedAt: f.observedAt
          ? resolveRelativeTime(f.observedAt, now)
          : undefined,
      }));
      // One entry may list the same fact several times: that is its history.
      const byName = new Map<string, typeof facts>();
      facts.forEach(f =>
        byName.set(f.name, [...(byName.get(f.name) ?? []), f]),
      );
      const depth = Math.max(0, ...[...byName.values()].map(l => l.length));
      for (let k = 0; k < depth; k++) {
        const slice = [...byName.values()].map(l => l[k]).filter(Boolean);
        // Demo seeds stand in for the collectors too.
        const result = validateEvidencePush(
          { entityRef: entry.entityRef, facts: slice },
          now,
          { allowCollectorFacts: true },
        );
        if (!result.ok) {
          const detail = result.errors
            .map(e => `${e.field}: ${e.message}`)
            .join('; ');
          throw new Error(
            `Evidence seed ${file}: evidence[${i}] (${entry.entityRef}): ${detail}`,
          );
        }
        records.push(
          ...result.facts.map(f => ({
            ...f,
            entityRef: result.entityRef,
            source,
          })),
        );
      }
    });
  }
  return records;
}

/** Loads seed files into an empty store; a store with evidence is left alone. */
export async function seedEvidence(
  store: EvidenceStore,
  files: string[],
  logger: LoggerService,
): Promise<number> {
  if (files.length === 0) return 0;
  if ((await store.countObservations()) > 0) {
    logger.info('Evidence store is not empty; seed files skipped');
    return 0;
  }
  const records = await readSeedFiles(files);
  await store.record(records);
  logger.info(
    `Seeded ${records.length} evidence observation(s) from ${files.length} file(s)`,
  );
  return records.length;
}
