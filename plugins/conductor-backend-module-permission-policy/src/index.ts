/**
 * Maestro Conductor's permission policy, as a module of the permission
 * backend. Roles and their config keys: docs/security.md.
 *
 * @packageDocumentation
 */
export { permissionModuleConductorPolicy as default } from './module';
export { ConductorPermissionPolicy } from './ConductorPermissionPolicy';
export type { ConductorPermissionKind } from './ConductorPermissionPolicy';
export { readConductorRoles } from './config';
export type { ConductorRoles } from './config';
