/**
 * Types, permissions and pure logic of Maestro Conductor, shared by the
 * portal and the backend.
 *
 * @packageDocumentation
 */
export * from './evidence';
export * from './permissions';
export * from './readiness';
export * from './compliance';
export * from './backfill';
export * from './remediation';
export * from './slo';
export * from './federation';
export * from './lineage';
export * from './approvals';
export * from './bundle';
export * from './dashboards';
export * from './alerts';
