import { BackfillState } from './types';

/**
 * Which state may follow which. A user's pause of a running batch goes
 * through `pausing` (the batch in flight commits first); a red health signal
 * moves a run to `throttled` and green back to `running`; `failed` and
 * `paused` are resumed by going back to `enqueued`.
 *
 * @public
 */
export const BACKFILL_TRANSITIONS: Record<BackfillState, BackfillState[]> = {
  enqueued: ['running', 'paused', 'cancelled'],
  running: [
    'pausing',
    'paused',
    'throttled',
    'succeeded',
    'failed',
    'cancelled',
  ],
  pausing: ['paused', 'failed', 'cancelled'],
  paused: ['enqueued', 'cancelled'],
  throttled: ['running', 'pausing', 'paused', 'failed', 'cancelled'],
  failed: ['enqueued', 'cancelled'],
  succeeded: [],
  cancelled: [],
};

/** States a runner works on. @public */
export const ACTIVE_BACKFILL_STATES: BackfillState[] = [
  'enqueued',
  'running',
  'pausing',
  'throttled',
];

/** @public */
export function isTerminalBackfillState(state: BackfillState): boolean {
  return BACKFILL_TRANSITIONS[state].length === 0;
}

/** @public */
export function canTransition(from: BackfillState, to: BackfillState): boolean {
  return BACKFILL_TRANSITIONS[from].includes(to);
}

/** A control asked of a run by a person or CI. @public */
export type BackfillControl = 'pause' | 'resume' | 'cancel';

/**
 * The state a control moves a run to, or why it cannot. A pause of a running
 * run becomes `pausing` so the batch in flight commits before it stops.
 *
 * @public
 */
export function stateAfterControl(
  from: BackfillState,
  control: BackfillControl,
): { to: BackfillState } | { error: string } {
  let to: BackfillState = 'paused';
  if (control === 'cancel') to = 'cancelled';
  else if (control === 'resume') to = 'enqueued';
  else if (from === 'running') to = 'pausing';
  if (!canTransition(from, to)) {
    return { error: `cannot ${control} a run that is ${from}` };
  }
  return { to };
}
