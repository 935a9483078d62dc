import { BlastRadiusChange, BlastRadiusReport } from './blastRadius';

const MAX_ROWS = 50;

const USAGE: Record<
  BlastRadiusChange['usage'],
  (criticality: string) => string
> = {
  impacting: () => 'impacting',
  used: criticality => `${criticality}, used but no operation breaks`,
  unused: criticality => `${criticality}, unused`,
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The pull-request comment: summary, impacted operations, and the mitigation
 * checklist. Long lists are cut at 50 rows with a count of the rest, so the
 * comment stays under the size a code host accepts.
 *
 * @public
 */
export function formatBlastRadiusMarkdown(
  report: BlastRadiusReport,
  title = 'Blast radius',
): string {
  const s = report.summary;
  const lines: string[] = [];
  let verdict = '✅ No breaking change.';
  if (report.gate.failed)
    verdict = `❌ **Blocked**: a breaking change reaches more than ${report.gate.maxServices} service(s) without a recorded mitigation.`;
  else if (s.breaking)
    verdict = '⚠️ Breaking changes, within the limit or mitigated.';
  lines.push(`## ${title}`, '', verdict, '');
  lines.push(
    `- Changes: **${s.breaking} breaking** (${s.breakingUnused} unused by any operation), ${s.dangerous} dangerous, ${s.safe} safe`,
    `- Operations: **${s.impactedOperations} impacted** of ${s.operationsChecked} checked`,
    `- Services: ${
      report.services.length ? report.services.join(', ') : 'none'
    }`,
    `- Tenants: ${report.tenants.length ? report.tenants.join(', ') : 'none'}`,
  );
  if (report.partial)
    lines.push(
      `- ⚠️ Partial answer: the graph walk stopped at its ${
        report.partialReason ?? 'limit'
      }; there may be more.`,
    );
  lines.push('');

  const notable = report.changes.filter(c => c.criticality !== 'safe');
  if (notable.length) {
    lines.push(
      '### Changes',
      '',
      '| criticality | change | usage | operations | services |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const c of notable.slice(0, MAX_ROWS))
      lines.push(
        `| ${c.criticality} | \`${cell(c.path)}\` ${cell(c.message)} | ${USAGE[
          c.usage
        ](c.criticality)} | ${c.impactedOperations.length} | ${cell(
          c.services.join(', ') || '-',
        )} |`,
      );
    if (notable.length > MAX_ROWS)
      lines.push('', `… and ${notable.length - MAX_ROWS} more changes.`);
    lines.push('');
  }

  if (report.impactedOperations.length) {
    lines.push(
      '### Impacted operations',
      '',
      '| operation | client | tenants | broken by |',
      '| --- | --- | --- | --- |',
    );
    for (const o of report.impactedOperations.slice(0, MAX_ROWS))
      lines.push(
        `| \`${cell(o.file)}\` ${cell(o.operationName)} | ${cell(
          o.client ?? '-',
        )} | ${cell(o.tenants.join(', ') || '-')} | ${cell(
          o.changes.map(c => `\`${c}\``).join(', '),
        )} |`,
      );
    if (report.impactedOperations.length > MAX_ROWS)
      lines.push(
        '',
        `… and ${report.impactedOperations.length - MAX_ROWS} more operations.`,
      );
    lines.push('');
  }

  const checklist = report.changes.filter(c => c.mitigation.length);
  if (checklist.length) {
    lines.push('### Mitigation checklist', '');
    for (const c of checklist.slice(0, MAX_ROWS)) {
      lines.push(
        `- \`${c.path}\` (${c.criticality}${
          c.usage === 'impacting' ? '' : `, ${c.usage}`
        })${c.mitigated ? ` — mitigated: ${c.mitigated}` : ''}`,
      );
      for (const m of c.mitigation)
        lines.push(`  - [${c.mitigated ? 'x' : ' '}] ${m.step}`);
    }
    lines.push('');
  }
  if (report.gate.reasons.length) {
    lines.push('### Why the check fails', '');
    for (const r of report.gate.reasons.slice(0, MAX_ROWS))
      lines.push(`- ${r}`);
    lines.push('');
  }
  if (report.skippedOperations.length)
    lines.push(
      `<details><summary>${report.skippedOperations.length} operation(s) not judged (invalid against the old schema)</summary>`,
      '',
      ...report.skippedOperations
        .slice(0, MAX_ROWS)
        .map(o => `- \`${o.file}\` ${o.operationName}: ${cell(o.reason)}`),
      '',
      '</details>',
      '',
    );
  if (report.warnings.length)
    lines.push(
      `<details><summary>${report.warnings.length} warning(s)</summary>`,
      '',
      ...report.warnings.slice(0, MAX_ROWS).map(w => `- ${cell(w)}`),
      '',
      '</details>',
      '',
    );
  return lines.join('\n');
}
