export { DataTable } from './DataTable';
export type { DataTableRow } from './DataTable';
export { ChartFigure } from './ChartFigure';
export { TeamTrendChart } from './TeamTrendChart';
export { Age } from './Age';
export {
  formatAge,
  formatChangedValue,
  formatDelta,
  formatFactValue,
  formatPercent,
  round4,
} from './format';
export { ConductorHttp, entityPath } from './http';
export type { ConductorHttpDeps } from './http';
