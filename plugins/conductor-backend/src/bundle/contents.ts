import {
  BundleScope,
  EvidenceFact,
  normalizeEntityRef,
} from '@internal/plugin-conductor-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ComplianceStore } from '../compliance/ComplianceStore';
import { FederationStore } from '../federation/FederationStore';
import { ReadinessStore } from '../readiness/ReadinessStore';
import { RemediationStore } from '../remediation/RemediationStore';
import { BackfillStore } from '../backfill/BackfillStore';
import { LineageService } from '../lineage/LineageService';
import { CatalogSnapshot, EvidenceAccess } from '../shared/capability';

/** What the bundle reads from the other capabilities: their read paths only. */
export interface BundleSources {
  catalogSnapshot: CatalogSnapshot;
  evidence: EvidenceAccess;
  compliance: ComplianceStore;
  readiness: ReadinessStore;
  remediation: RemediationStore;
  backfill: BackfillStore;
  federation: FederationStore;
  lineage: LineageService;
  /** The CI library manifest path or URL (`conductor.federation.manifest`). */
  ciManifest: string;
}

/** A file of the bundle before hashing. */
export interface BundleFile {
  name: string;
  content: Buffer;
}

const ENTITY_KINDS = ['component', 'api', 'resource', 'system'];

/** Facts that describe what was shipped and how it was built. */
export const isSupplyChainFact = (name: string) =>
  /^(sbom|provenance|slsa|attestation)\b/i.test(name);

const json = (name: string, value: unknown): BundleFile => ({
  name,
  content: Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8'),
});

/** The entity refs a scope covers, from the catalog snapshot. */
export async function entitiesOfScope(
  snapshot: CatalogSnapshot,
  scope: BundleScope,
): Promise<string[]> {
  await snapshot.ensure();
  const refOf = (e: {
    kind: string;
    metadata: { name: string; namespace?: string };
  }) =>
    `${e.kind}:${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`.toLowerCase();
  if (scope.kind === 'entity') return [scope.entityRef];
  const all = snapshot.entities(ENTITY_KINDS).map(refOf);
  if (scope.kind === 'all') return all.sort();
  return all.filter(ref => snapshot.ownerOf(ref) === scope.team).sort();
}

/**
 * Collects the bundle's files: whatever each capability holds for the scope.
 * A source that is not set up (no CI library manifest) is listed in
 * `missing.json` with why, rather than failing the bundle.
 */
export async function collectBundleFiles(
  sources: BundleSources,
  scope: BundleScope,
  entityRefs: string[],
  since: Date | null,
  previousSupplyChain: Record<string, unknown> | undefined,
): Promise<{ files: BundleFile[]; supplyChain: Record<string, unknown> }> {
  const inScope = new Set(entityRefs);
  const after = (iso: string | null | undefined) =>
    !since || (iso !== null && iso !== undefined && new Date(iso) >= since);
  const files: BundleFile[] = [];
  const missing: Array<{ file: string; why: string }> = [];

  // CI library in use: the manifest and changelog, and each repository's pin.
  try {
    const text = /^https?:\/\//.test(sources.ciManifest)
      ? await (await fetch(sources.ciManifest)).text()
      : await fs.readFile(sources.ciManifest, 'utf8');
    files.push({
      name: 'ci-library/manifest.json',
      content: Buffer.from(text),
    });
    if (!/^https?:\/\//.test(sources.ciManifest)) {
      const changelog = path.join(
        path.dirname(sources.ciManifest),
        'CHANGELOG.md',
      );
      files.push({
        name: 'ci-library/CHANGELOG.md',
        content: await fs.readFile(changelog),
      });
    }
  } catch (e) {
    missing.push({
      file: 'ci-library/manifest.json',
      why: (e as Error).message,
    });
  }
  const repositories = (await sources.federation.repositories()).filter(r =>
    inScope.has(r.entityRef),
  );
  files.push(json('ci-library/repositories.json', repositories));

  // Controls score and the auto-PR log.
  const runId = await sources.compliance.lastRunId();
  if (runId === undefined) {
    missing.push({
      file: 'controls/scores.json',
      why: 'no compliance run yet',
    });
  } else {
    const scores = (await sources.compliance.scoresOfRun(runId)).filter(s =>
      s.scope === 'entity'
        ? inScope.has(s.ref)
        : scope.kind === 'all' ||
          (scope.kind === 'team' && s.ref === scope.team),
    );
    const results = (await sources.compliance.resultsOfRun(runId)).filter(r =>
      inScope.has(r.entityRef),
    );
    files.push(json('controls/scores.json', { runId, scores }));
    files.push(json('controls/results.json', { runId, results }));
  }
  const events = (await sources.remediation.events(5000)).filter(
    e => inScope.has(e.entityRef) && after(e.at),
  );
  files.push(json('controls/auto-pr-log.json', events));

  // Lineage snapshot: the graph as the lineage capability exports it.
  files.push(json('lineage/snapshot.json', await sources.lineage.snapshot()));

  // PRS exports and gate decisions.
  const prs = (
    await sources.readiness.scoresSince(since ?? new Date(0))
  ).filter(s => inScope.has(s.entityRef));
  files.push(json('readiness/prs-scores.json', prs));
  const decisions = [];
  for (const ref of entityRefs) {
    decisions.push(
      ...(await sources.readiness.recentDecisions(ref, 500)).filter(d =>
        after(d.decidedAt),
      ),
    );
  }
  files.push(json('readiness/gate-decisions.json', decisions));

  // Backfill evidence: runs owned by the scope's entities, with checkpoints.
  const runs = (await sources.backfill.runs({ limit: 1000 })).filter(
    r =>
      (scope.kind === 'all' ||
        inScope.has(r.owner) ||
        (scope.kind === 'team' && r.owner === scope.team)) &&
      after(r.createdAt),
  );
  const backfill = [];
  for (const run of runs) {
    backfill.push({
      ...run,
      checkpoints: await sources.backfill.checkpoints(run.id),
    });
  }
  files.push(json('backfill/runs.json', backfill));

  // Evidence, and the SBOM and provenance facts with their delta since the previous bundle.
  const facts = await sources.evidence.latestForEntities(entityRefs);
  const allFacts: EvidenceFact[] = [...facts.values()].flat();
  files.push(json('evidence/facts.json', allFacts));
  const supplyChain: Record<string, unknown> = {};
  for (const f of allFacts.filter(fact => isSupplyChainFact(fact.name))) {
    supplyChain[`${f.entityRef}#${f.name}`] = f.value;
  }
  files.push(json('sbom/facts.json', supplyChain));
  files.push(
    json('sbom/delta.json', supplyChainDelta(previousSupplyChain, supplyChain)),
  );

  files.push(json('missing.json', missing));
  return { files, supplyChain };
}

/** What was added, removed and changed between two supply-chain fact maps. */
export function supplyChainDelta(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
) {
  if (!before)
    return {
      previousBundle: false,
      added: Object.keys(after).sort(),
      removed: [],
      changed: [],
    };
  const same = (a: unknown, b: unknown) =>
    JSON.stringify(a) === JSON.stringify(b);
  return {
    previousBundle: true,
    added: Object.keys(after)
      .filter(k => !(k in before))
      .sort(),
    removed: Object.keys(before)
      .filter(k => !(k in after))
      .sort(),
    changed: Object.keys(after)
      .filter(k => k in before && !same(before[k], after[k]))
      .sort(),
  };
}

/** Normalises a team given as `payments` or `group:default/payments`. */
export function teamRef(team: string): string | { error: string } {
  const ref = normalizeEntityRef(
    team.includes(':') ? team : `group:default/${team}`,
  );
  if (typeof ref !== 'string') return ref;
  if (!ref.startsWith('group:')) return { error: `${team} is not a group` };
  return ref;
}
