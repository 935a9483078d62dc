/**
 * What a backfill costs: a price per million rows processed and per second
 * of database time, from `conductor.backfill.unitCost`.
 *
 * @public
 */
export interface BackfillUnitCost {
  perMillionRows: number;
  perDbSecond: number;
}

/** @public */
export function costOf(
  rows: number,
  dbMs: number,
  unit: BackfillUnitCost,
): number {
  return (rows / 1e6) * unit.perMillionRows + (dbMs / 1000) * unit.perDbSecond;
}

/** @public */
export interface CostProjection {
  soFar: number;
  /** Cost at 100% if the rest costs what the done part did; null before any row. */
  projected: number | null;
  budget: number | null;
  overBudget: boolean;
}

/**
 * Projects the cost of the whole run from the part done: the rows not yet
 * processed are priced at the run's average database time per row.
 *
 * @public
 */
export function projectCost(
  p: { rowsDone: number; totalRows: number; dbMs: number },
  unit: BackfillUnitCost,
  budget?: number,
): CostProjection {
  const soFar = costOf(p.rowsDone, p.dbMs, unit);
  const projected =
    p.rowsDone > 0
      ? costOf(
          Math.max(p.totalRows, p.rowsDone),
          (p.dbMs / p.rowsDone) * Math.max(p.totalRows, p.rowsDone),
          unit,
        )
      : null;
  return {
    soFar,
    projected,
    budget: budget ?? null,
    overBudget:
      budget !== undefined && projected !== null && projected > budget,
  };
}

/**
 * A cost spike: the cost per row of the recent batches above `factor` times
 * the run's average (a batch suddenly needing far more database time, e.g.
 * lock contention or a bad plan). Needs enough history to judge.
 *
 * @public
 */
export function isCostSpike(
  recent: { rows: number; dbMs: number },
  overall: { rows: number; dbMs: number },
  factor = 3,
  minRows = 1000,
): boolean {
  if (recent.rows <= 0 || overall.rows < minRows * 5) return false;
  const recentPerRow = recent.dbMs / recent.rows;
  const overallPerRow = overall.dbMs / overall.rows;
  return overallPerRow > 0 && recentPerRow > factor * overallPerRow;
}

/**
 * Seconds left at the recent rate; null when nothing is moving.
 *
 * @public
 */
export function etaSeconds(
  rowsLeft: number,
  rowsPerSecond: number,
): number | null {
  if (rowsLeft <= 0) return 0;
  if (!(rowsPerSecond > 0)) return null;
  return Math.round(rowsLeft / rowsPerSecond);
}

/**
 * The checkpoints reached by `fraction` that have not been run yet.
 *
 * @public
 */
export function dueCheckpoints(
  checkpoints: number[],
  done: number[],
  fraction: number,
): number[] {
  return checkpoints.filter(
    c => c <= fraction + 1e-9 && !done.some(d => Math.abs(d - c) < 1e-9),
  );
}
