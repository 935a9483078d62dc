import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { BackfillDefinition } from '@internal/plugin-conductor-common';
import type { Knex } from 'knex';

/**
 * What a JS backfill step is handed for one batch.
 *
 * @public
 */
export interface BackfillJsStepContext {
  /** The batch's transaction on the target database; commit is the runner's. */
  trx: Knex.Transaction;
  definition: BackfillDefinition;
  /** First key of the batch (one value per key column), inclusive. */
  from: unknown[];
  /** Last key of the batch, inclusive. */
  to: unknown[];
}

/**
 * A backfill step written in code, for what one SQL UPDATE cannot say
 * (re-encoding a field, calling a library). It must be idempotent like a SQL
 * step: rows that no longer need it are left alone, so a batch applied twice
 * changes nothing the second time. A definition names it with `js_step`.
 *
 * @public
 */
export interface BackfillJsStep {
  /** The id a definition's `js_step` names. */
  readonly id: string;
  /** Applies the step to the rows of `from`..`to`; returns how many it changed. */
  run(context: BackfillJsStepContext): Promise<{ changed: number }>;
}

/** @public */
export interface ConductorBackfillStepsExtensionPoint {
  addStep(...steps: BackfillJsStep[]): void;
}

/**
 * Lets backend modules register JS backfill steps with the conductor plugin.
 *
 * @public
 */
export const conductorBackfillStepsExtensionPoint =
  createExtensionPoint<ConductorBackfillStepsExtensionPoint>({
    id: 'conductor.backfill-steps',
  });
