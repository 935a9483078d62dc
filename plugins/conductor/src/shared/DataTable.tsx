import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import { ReactNode, useMemo, useState } from 'react';

/** A column: its title, and how its cells lay out. */
export interface DataTableColumn {
  title: string;
  /**
   * Long text (a reason, a sentence) that may wrap between words. Other
   * columns keep their content on one line and take the width it needs, so
   * words never break ("medi um"); the table scrolls sideways instead.
   */
  wrap?: boolean;
  /** The narrowest a `wrap` column gets, in pixels (240 unless given). */
  minWidth?: number;
  /** Numbers read best right-aligned. */
  numeric?: boolean;
  /** Whether clicking the title sorts by this column (rows need `sortValues`). */
  sortable?: boolean;
}

/** One body row: a stable key, one cell per column, and what to sort by. */
export interface DataTableRow {
  key: string;
  cells: ReactNode[];
  /** One value per column; null sorts last. */
  sortValues?: Array<string | number | null | undefined>;
}

type Column = string | DataTableColumn;
const specOf = (c: Column): DataTableColumn =>
  typeof c === 'string' ? { title: c } : c;

function compare(
  a: string | number | null | undefined,
  b: string | number | null | undefined,
): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return Number(aMissing) - Number(bMissing);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/**
 * The table every conductor view uses: a header of column names, then one
 * row per item. `label` names it for screen readers (and tests find it by
 * that name). Columns size to their content; only `wrap` columns wrap.
 */
export function DataTable(props: {
  label: string;
  columns: Column[];
  rows: DataTableRow[];
  /** Initial sort: column index and direction. */
  initialSort?: { column: number; direction: 'asc' | 'desc' };
  /** Half the space between columns, for a table of many short columns. */
  dense?: boolean;
}) {
  const { label, rows } = props;
  const columns = props.columns.map(specOf);
  const [sort, setSort] = useState(props.initialSort);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const sign = sort.direction === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const av = a.sortValues?.[sort.column];
      const bv = b.sortValues?.[sort.column];
      // Missing values stay last whichever way the column is sorted.
      if (av === null || av === undefined || bv === null || bv === undefined)
        return compare(av, bv);
      return sign * compare(av, bv);
    });
  }, [rows, sort]);
  const padding = props.dense ? { px: 1 } : {};
  const cellSx = (c: DataTableColumn) =>
    c.wrap
      ? {
          ...padding,
          minWidth: c.minWidth ?? 240,
          whiteSpace: 'normal',
          wordBreak: 'normal' as const,
        }
      : { ...padding, whiteSpace: 'nowrap' as const };
  return (
    <Box sx={{ overflowX: 'auto', width: '100%' }}>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            {columns.map((c, i) => (
              <TableCell
                key={c.title}
                align={c.numeric ? 'right' : 'left'}
                sx={{ ...padding, whiteSpace: 'nowrap' }}
                sortDirection={
                  sort?.column === i ? sort.direction : (false as const)
                }
              >
                {c.sortable ? (
                  <TableSortLabel
                    active={sort?.column === i}
                    direction={sort?.column === i ? sort.direction : 'asc'}
                    onClick={() =>
                      setSort(s => ({
                        column: i,
                        direction:
                          s?.column === i && s.direction === 'asc'
                            ? 'desc'
                            : 'asc',
                      }))
                    }
                  >
                    {c.title}
                  </TableSortLabel>
                ) : (
                  c.title
                )}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map(r => (
            <TableRow key={r.key}>
              {r.cells.map((cell, i) => {
                const c = columns[i] ?? { title: String(i) };
                return (
                  <TableCell
                    key={c.title}
                    align={c.numeric ? 'right' : 'left'}
                    sx={cellSx(c)}
                  >
                    {cell}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
