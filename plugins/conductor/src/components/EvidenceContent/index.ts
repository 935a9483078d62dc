export { EvidenceContent, formatFactValue } from './EvidenceContent';
