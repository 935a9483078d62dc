/**
 * Maestro Conductor backend plugin.
 *
 * @packageDocumentation
 */
export { conductorPlugin as default } from './plugin';
export { EvidenceStore } from './evidence';
