/**
 * Maestro Conductor portal plugin. It targets Backstage's new frontend
 * system: install the default export of `@internal/plugin-conductor/alpha`.
 * This entry point holds only what works in any app: the capabilities' API
 * references and clients.
 *
 * @packageDocumentation
 */
export * from './evidence/api';
export * from './compliance/api';
export * from './readiness/api';
export { ConductorHttp, entityPath } from './shared/http';
export type { ConductorHttpDeps } from './shared/http';
