export { TeamReadinessPage, toTrendRows } from './TeamReadinessPage';
