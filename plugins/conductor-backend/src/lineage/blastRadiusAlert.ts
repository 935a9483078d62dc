import { BlastRadiusReport } from '@internal/plugin-conductor-common';
import { createHash } from 'node:crypto';

/** Where the alert's N is set. */
export const BLAST_RADIUS_ALERT_CONFIG_KEY = 'conductor.lineage.maxServices';

/**
 * The seed's alert "blast radius > N services without mitigation": the
 * breaking changes that reach more than `maxServices` services and carry no
 * recorded mitigation, the services they reach, and a hash of the whole
 * change set (an identical check alerts once).
 */
export function blastRadiusOverLimit(
  report: Pick<BlastRadiusReport, 'changes'>,
  maxServices: number,
): { changes: string[]; services: string[]; changeSetHash: string } {
  const over = report.changes.filter(
    c =>
      c.criticality === 'breaking' &&
      c.services.length > maxServices &&
      !c.mitigated,
  );
  const changeSetHash = createHash('sha256')
    .update(
      JSON.stringify(
        report.changes
          .map(c => [c.type, c.path, c.services, c.mitigated ?? null])
          .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      ),
    )
    .digest('hex')
    .slice(0, 16);
  return {
    changes: over.map(c => c.path),
    services: [...new Set(over.flatMap(c => c.services))].sort(),
    changeSetHash,
  };
}

/** The notification's description: how many services, and which changes (the first five). */
export function describeBlastRadiusAlert(
  apiRef: string,
  over: { changes: string[]; services: string[] },
  report: Pick<BlastRadiusReport, 'changes'>,
  maxServices: number,
): string {
  const lines = over.changes.slice(0, 5).map(path => {
    const c = report.changes.find(x => x.path === path)!;
    return `${c.path} (${c.type}, ${c.services.length} service(s))`;
  });
  const more =
    over.changes.length > 5 ? ` and ${over.changes.length - 5} more` : '';
  return `A schema change to ${apiRef} reaches ${
    over.services.length
  } service(s), more than the ${maxServices} allowed without a recorded mitigation: ${lines.join(
    '; ',
  )}${more}.`;
}
