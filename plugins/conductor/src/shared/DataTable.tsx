import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { ReactNode } from 'react';

/** One body row: a stable key and one cell per column. */
export interface DataTableRow {
  key: string;
  cells: ReactNode[];
}

/**
 * The plain, small table every conductor view uses: a header of column
 * names, then one row per item. `label` names it for screen readers (and
 * tests find it by that name).
 */
export function DataTable(props: {
  label: string;
  columns: string[];
  rows: DataTableRow[];
}) {
  const { label, columns, rows } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          {columns.map(c => (
            <TableCell key={c}>{c}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(r => (
          <TableRow key={r.key}>
            {r.cells.map((cell, i) => (
              <TableCell key={columns[i] ?? i}>{cell}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
