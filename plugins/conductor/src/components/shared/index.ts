export { DataTable } from './DataTable';
export type { DataTableRow } from './DataTable';
export { ChartFigure } from './ChartFigure';
export { TeamTrendChart } from './TeamTrendChart';
export { Age } from './Age';
