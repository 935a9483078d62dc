/**
 * Maestro Conductor portal plugin. The new frontend system plugin is the
 * default export of `@internal/plugin-conductor/alpha`; these exports serve
 * apps on the legacy system.
 *
 * @packageDocumentation
 */
export * from './api';
export { EvidenceContent as EntityEvidenceContent } from './components/EvidenceContent';
export { ReadinessContent as EntityReadinessContent } from './components/ReadinessContent';
export { TeamReadinessPage } from './components/TeamReadinessPage';
export { ComplianceContent as EntityComplianceContent } from './components/ComplianceContent';
export { TeamCompliancePage } from './components/TeamCompliancePage';
