import { SEVERITY_WEIGHTS } from '../compliance/engine';
import { RemediationPlan, fixedControls } from './plan';

/** The group every fix of a repository goes into by default: one PR per repository. @public */
export const DEFAULT_GROUP = 'compliance';

/** Deterministic branch of a repository's change set for a control group. @public */
export function remediationBranch(group = DEFAULT_GROUP): string {
  return `conductor/remediate-${group
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .toLowerCase()}`;
}

/** Deterministic title of a change set for a component and control group. @public */
export function remediationTitle(
  componentName: string,
  group = DEFAULT_GROUP,
): string {
  return group === DEFAULT_GROUP
    ? `Conductor: fix failing compliance controls of ${componentName}`
    : `Conductor: fix ${group} of ${componentName}`;
}

/**
 * What a control's result looked like when the bot proposed a fix: a PR
 * closed without merge suppresses the fix until this changes.
 *
 * @public
 */
export function resultFingerprint(
  plan: RemediationPlan,
  controls: string[],
): string {
  return controls
    .slice()
    .sort()
    .map(id => {
      const r = plan.fixes.find(f => f.controlId === id)?.before;
      return `${id}=${r?.status}:${JSON.stringify(r?.values ?? {})}`;
    })
    .join('|');
}

const pct = (s: number | null) =>
  s === null ? 'n/a' : `${(s * 100).toFixed(1)} %`;

/**
 * The pull request body: controls fixed, the evidence before, the expected
 * score change, local overrides honoured, a checklist and the dry-run
 * re-check on the patched tree.
 *
 * @public
 */
export function remediationBody(
  plan: RemediationPlan,
  group = DEFAULT_GROUP,
): string {
  const fixed = plan.fixes.filter(f => f.status === 'fixed');
  const lines: string[] = [
    `<!-- conductor-remediation entity=${plan.entityRef} group=${group} -->`,
    `Conductor's remediation bot found failing controls on \`${plan.entityRef}\` and fixed them in this change.`,
    '',
    '## Controls fixed',
    '',
    '| control | severity | recipe | what changed |',
    '| --- | --- | --- | --- |',
    ...fixed.map(
      f =>
        `| ${f.controlId} | ${f.severity} | ${f.recipeId} | ${f.message.replace(
          /\|/g,
          '\\|',
        )} |`,
    ),
    '',
    '## Evidence before',
    '',
    ...fixed.map(
      f => `- **${f.controlId}** ${f.before.status}: ${f.before.message}`,
    ),
    '',
    '## Expected score change',
    '',
    `Compliance score of \`${plan.entityRef}\`: ${pct(
      plan.scoreBefore,
    )} → ${pct(plan.scoreAfter)}` +
      ` (+${fixed.reduce(
        (s, f) => s + SEVERITY_WEIGHTS[f.severity],
        0,
      )} severity points), once the next evidence collection reads the merged files.`,
  ];
  const other = plan.fixes.filter(f => f.status !== 'fixed');
  if (plan.overrides.length || other.length) {
    lines.push('', '## Left alone', '');
    for (const o of plan.overrides)
      lines.push(
        o.kind === 'opt-out'
          ? `- opted out of **${o.target}** (${o.source})`
          : `- parameter **${o.target}** = \`${o.value}\` (${o.source})`,
      );
    for (const f of other)
      lines.push(`- ${f.controlId}: ${f.status}, ${f.message}`);
  }
  lines.push(
    '',
    '## Checklist',
    '',
    '- [ ] The owners and addresses in the new files are right for this service',
    "- [ ] Generated alert rules and dashboards match the service's metrics",
    '- [ ] Merge; the next evidence collection and compliance run will show the new score',
    '',
    '## Dry-run re-check',
    '',
    '```',
    ...plan.fixes.map(
      f =>
        `${(f.after?.status ?? 'n/a').toUpperCase().padEnd(6)} ${
          f.controlId
        }  (was ${f.before.status})`,
    ),
    '```',
    '',
    `Controls passing on the patched tree: ${
      fixedControls(plan).join(', ') || 'none'
    }.`,
    'Add commits to this branch freely: the bot never force-pushes over them; it stops and comments instead.',
  );
  return `${lines.join('\n')}\n`;
}
