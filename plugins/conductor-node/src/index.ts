/**
 * Extension points of Maestro Conductor for other backend modules.
 *
 * @packageDocumentation
 */
export * from './collectors';
export * from './backfill';
