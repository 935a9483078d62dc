import { FactValue } from '../evidence';

/**
 * One fact whose value differs between two compliance runs. `before` is null
 * for a fact that appeared, `after` is null for one that disappeared.
 *
 * @public
 */
export interface FactChange {
  entityRef: string;
  name: string;
  before: FactValue | null;
  after: FactValue | null;
}

/** Fact values by name, as a run saw them for one entity. @public */
export type FactValues = Record<string, FactValue>;

/**
 * The facts of one entity that differ between what the previous run saw and
 * what this run sees, sorted by name. Values compare by their JSON.
 *
 * @public
 */
export function diffFacts(
  entityRef: string,
  before: FactValues,
  after: FactValues,
): FactChange[] {
  const changes: FactChange[] = [];
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const name of [...names].sort()) {
    const b = name in before ? before[name] : null;
    const a = name in after ? after[name] : null;
    if (JSON.stringify(b) !== JSON.stringify(a))
      changes.push({ entityRef, name, before: b, after: a });
  }
  return changes;
}

/**
 * Of the facts that changed, those a control reads: what most likely flipped
 * it. Without the control's reads (a control since removed), every change.
 *
 * @public
 */
export function factsBehindFlip(
  changes: FactChange[],
  reads: string[] | undefined,
): string[] {
  const names = changes.map(c => c.name);
  return reads ? names.filter(n => reads.includes(n)) : names;
}
