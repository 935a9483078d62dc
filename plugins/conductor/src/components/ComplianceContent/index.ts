export { ComplianceContent, formatDelta } from './ComplianceContent';
