import {
  FactChange,
  FactValue,
  KNOWN_FACTS,
  inferFactType,
} from '@internal/plugin-conductor-common';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { formatFactValue } from '../EvidenceContent';

/** A value on one side of a change; "—" where the fact did not exist. */
export function formatChangedValue(name: string, value: FactValue | null): string {
  if (value === null) return '—';
  const type = KNOWN_FACTS[name]?.type ?? inferFactType(value) ?? 'string';
  return formatFactValue({ name, type, value });
}

/** The facts that changed between two compliance runs, before and after. */
export function FactChangesTable(props: { changes: FactChange[]; showEntity?: boolean; label: string }) {
  const { changes, showEntity, label } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          {showEntity && <TableCell>Entity</TableCell>}
          <TableCell>Fact</TableCell>
          <TableCell>Before</TableCell>
          <TableCell>After</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map(c => (
          <TableRow key={`${c.entityRef}|${c.name}`}>
            {showEntity && <TableCell>{c.entityRef}</TableCell>}
            <TableCell>{c.name}</TableCell>
            <TableCell>{formatChangedValue(c.name, c.before)}</TableCell>
            <TableCell>{formatChangedValue(c.name, c.after)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
