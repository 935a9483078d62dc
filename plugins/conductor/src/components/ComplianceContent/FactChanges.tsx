import {
  FactChange,
  FactValue,
  KNOWN_FACTS,
  inferFactType,
} from '@internal/plugin-conductor-common';
import { formatFactValue } from '../EvidenceContent';
import { DataTable } from '../shared';

/** A value on one side of a change; "—" where the fact did not exist. */
export function formatChangedValue(
  name: string,
  value: FactValue | null,
): string {
  if (value === null) return '—';
  const type = KNOWN_FACTS[name]?.type ?? inferFactType(value) ?? 'string';
  return formatFactValue({ name, type, value });
}

/** The facts that changed between two compliance runs, before and after. */
export function FactChangesTable(props: {
  changes: FactChange[];
  showEntity?: boolean;
  label: string;
}) {
  const { changes, showEntity, label } = props;
  return (
    <DataTable
      label={label}
      columns={[...(showEntity ? ['Entity'] : []), 'Fact', 'Before', 'After']}
      rows={changes.map(c => ({
        key: `${c.entityRef}|${c.name}`,
        cells: [
          ...(showEntity ? [c.entityRef] : []),
          c.name,
          formatChangedValue(c.name, c.before),
          formatChangedValue(c.name, c.after),
        ],
      }))}
    />
  );
}
