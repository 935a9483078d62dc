export { DataTable } from './DataTable';
export type { DataTableColumn, DataTableRow } from './DataTable';
export { ChartFigure, percentTick, toPercentPoint } from './ChartFigure';
export { TeamTrendChart } from './TeamTrendChart';
export { Age } from './Age';
export { EntityLink } from './EntityLink';
export { ActionButton, useAllowed } from './ActionButton';
export type { ActionPermission } from './ActionButton';
export { RequestDialog } from './RequestDialog';
export type { RequestField } from './RequestDialog';
export {
  RequestExemptionDialog,
  RequestOverrideDialog,
  exemptionExpiryError,
  overrideHoursError,
} from './requests';
export * from './format';
export { ConductorHttp, entityPath } from './http';
export type { ConductorHttpDeps } from './http';
