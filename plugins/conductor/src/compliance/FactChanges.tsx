import { FactChange } from '@internal/plugin-conductor-common';
import { DataTable, EntityLink, formatChangedValue } from '../shared';

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
      columns={[
        ...(showEntity ? ['Entity'] : []),
        'Fact',
        { title: 'Before', wrap: true },
        { title: 'After', wrap: true },
      ]}
      rows={changes.map(c => ({
        key: `${c.entityRef}|${c.name}`,
        cells: [
          ...(showEntity
            ? [<EntityLink entityRef={c.entityRef} tab="evidence" />]
            : []),
          c.name,
          formatChangedValue(c.name, c.before),
          formatChangedValue(c.name, c.after),
        ],
      }))}
    />
  );
}
