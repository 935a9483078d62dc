import { useEffect, useState } from 'react';
import type { BudgetRow } from './errorBudget';

/** The table, from rows already loaded. */
export function ErrorBudgetView(props: { rows?: BudgetRow[]; error?: string }) {
  if (props.error)
    return <p role="alert">Error budget unavailable: {props.error}</p>;
  if (!props.rows) return <p>Loading error budget…</p>;
  if (props.rows.length === 0) return <p>No SLOs declared for this service.</p>;
  return (
    <table aria-label="Error budget">
      <thead>
        <tr>
          <th>SLO</th>
          <th>Objective</th>
          <th>Budget left</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map(row => (
          <tr key={row.name} data-status={row.status}>
            <td>{row.name}</td>
            <td>{row.objective}</td>
            <td>{row.remaining}</td>
            <td title={row.detail}>{row.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Loads the error budget once and shows it. */
export function ErrorBudgetWidget(props: { load: () => Promise<BudgetRow[]> }) {
  const [rows, setRows] = useState<BudgetRow[]>();
  const [error, setError] = useState<string>();
  const { load } = props;
  useEffect(() => {
    load().then(setRows, (e: Error) => setError(e.message));
  }, [load]);
  return <ErrorBudgetView rows={rows} error={error} />;
}
