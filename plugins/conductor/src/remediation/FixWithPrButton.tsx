import { useApi } from '@backstage/frontend-plugin-api';
import {
  RepositoryRunResult,
  conductorRemediationRunPermission,
} from '@internal/plugin-conductor-common';
import { ActionButton } from '../shared';
import { remediationApiRef } from './api';

/** What a run did, in one sentence for the person who pressed the button. */
export function describeRun(r: RepositoryRunResult | undefined): string {
  if (!r) return 'The bot found no repository to fix for this entity.';
  const pr = r.changeRequest;
  const where = pr?.url ?? (pr ? `${pr.repository} ${pr.branch}` : '');
  switch (r.outcome) {
    case 'opened':
      return `Opened a pull request: ${where}`;
    case 'updated':
      return `Updated the open pull request: ${where}`;
    case 'unchanged':
      return `The open pull request already holds this fix: ${where}`;
    default:
      return `${r.outcome}: ${r.message}`;
  }
}

/**
 * "Fix with a PR" on a failing control: runs the remediation bot for this
 * entity and control, shown only to those allowed to run it. The
 * compliance tab places it next to a failing control that names a recipe.
 *
 * @public
 */
export function FixWithPrButton(props: {
  entityRef: string;
  controlId: string;
  onDone?: () => void;
}) {
  const api = useApi(remediationApiRef);
  return (
    <ActionButton
      label="Fix with a PR"
      permission={conductorRemediationRunPermission}
      resourceRef={props.entityRef}
      onDone={props.onDone}
      run={async () => {
        const { results } = await api.run({
          entityRefs: [props.entityRef],
          controls: [props.controlId],
        });
        return describeRun(results[0]);
      }}
    />
  );
}
