export {
  TeamCompliancePage,
  toComplianceTrendRows,
} from './TeamCompliancePage';
