import { InfoCard } from '@backstage/core-components';
import {
  SloBoardResponse,
  SloPrometheusState,
  SloServiceRow,
  SloStatus,
  formatSloFileError,
} from '@internal/plugin-conductor-common';
import Alert from '@mui/material/Alert';
import ShowChartIcon from '@mui/icons-material/ShowChart';
import IconButton from '@mui/material/IconButton';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { DataTable, DataTableRow, EntityLink } from '../shared';
import { SloCharts } from './SloCharts';
import {
  ALERT_RANK,
  ALERT_TEXT,
  stateCell,
  formatBudget,
  formatBurn,
  formatLatency,
  formatSli,
} from './format';

/** Says plainly when there are no numbers, and why. */
export function PrometheusBanner(props: { prometheus: SloPrometheusState }) {
  const p = props.prometheus;
  if (p.state === 'ok') return null;
  return (
    <Alert
      severity={p.state === 'unavailable' ? 'error' : 'info'}
      sx={{ mb: 2 }}
    >
      {p.state === 'unavailable'
        ? `Data unavailable: ${p.reason}`
        : 'No Prometheus is configured (conductor.slo.prometheus.url): the board shows no numbers.'}
    </Alert>
  );
}

const BURN_WINDOWS = ['1h', '6h', '1d', '3d'];

function costText(row: SloServiceRow): string {
  const c = row.cost;
  if (!c) return '';
  if (c.state !== 'ok' || c.perThousandRequests === null)
    return stateCell(c.state);
  return `${c.perThousandRequests.toFixed(4)} ${c.currency}`;
}

/** The column title of the burn rates, one value per window in this order. */
export const BURN_COLUMN = `Burn ${BURN_WINDOWS.join(' · ')}`;

/**
 * The burn rates of the four windows in one cell ("2.00× · 1.10× · …"):
 * four columns of their own pushed the board off its card at 1440 px.
 */
function BurnRates({ s }: { s: SloStatus }) {
  if (s.state !== 'ok') return null;
  return (
    <>
      {BURN_WINDOWS.map((w, i) => (
        <span key={w} title={`burn rate over ${w}`}>
          {i > 0 && ' · '}
          <span>{formatBurn(s.burnRates[w])}</span>
        </span>
      ))}
    </>
  );
}

/** An SLO's alert state: the worst firing severity, or why there are no numbers. */
function alertText(s: SloStatus): string {
  if (s.state !== 'ok') return stateCell(s.state);
  if (s.alerts.some(a => a.severity === 'page' && a.firing))
    return ALERT_TEXT.page;
  if (s.alerts.some(a => a.firing)) return ALERT_TEXT.ticket;
  return ALERT_TEXT.ok;
}

/** Rows of the board: one per SLO of each service. */
export function boardRows(
  services: SloServiceRow[],
  /** Offers a button to show a service's charts (the team board). */
  onCharts?: (entityRef: string) => void,
): DataTableRow[] {
  return services.flatMap(row =>
    row.slos.map(s => ({
      key: `${row.entityRef}#${s.id}`,
      cells: [
        <>
          <EntityLink entityRef={row.entityRef} />
          {onCharts && (
            <IconButton
              size="small"
              aria-label={`charts of ${row.name}`}
              title="charts"
              onClick={() => onCharts(row.entityRef)}
              sx={{ ml: 0.5, p: 0.25 }}
            >
              <ShowChartIcon fontSize="small" />
            </IconButton>
          )}
        </>,
        <span title={s.reason ?? s.description}>{s.name}</span>,
        `${s.objective} % / ${s.windowDays} d`,
        formatSli(s),
        formatLatency(s),
        formatBudget(s),
        <BurnRates s={s} />,
        <Chip
          size="small"
          label={alertText(s)}
          color={s.alerts.some(a => a.firing) ? 'error' : 'default'}
        />,
        <span>
          {costText(row)}
          {row.cost?.exceeded ? (
            <Chip
              size="small"
              color="warning"
              label={`over ${row.cost.guardrail}`}
              sx={{ ml: 1 }}
            />
          ) : null}
        </span>,
      ],
      sortValues: [
        row.name,
        s.name,
        s.objective,
        s.sli,
        s.latency?.valueMs ?? null,
        s.budgetRemaining,
        // the fastest window sorts: it is the one that pages first
        s.burnRates[BURN_WINDOWS[0]] ?? null,
        ALERT_RANK[row.alertState],
        row.cost?.perThousandRequests ?? null,
      ],
    })),
  );
}

/** A team's SLO board: every service it owns with its SLOs, sortable, with charts on demand. */
export function SloBoard(props: { board: SloBoardResponse }) {
  const { board } = props;
  const [charts, setCharts] = useState<string>();
  const fileErrors = board.services.flatMap(s =>
    s.fileErrors.map(e => ({ row: s, e })),
  );
  return (
    <>
      <PrometheusBanner prometheus={board.prometheus} />
      <InfoCard
        title={`SLO board: ${
          board.title ?? board.team.replace(/^group:default\//, '')
        }`}
        subheader={`measured ${new Date(
          board.evaluatedAt,
        ).toLocaleString()}; burn rate 1× spends the budget in exactly the window`}
      >
        {board.services.length === 0 ? (
          <Typography>
            No service of this team declares SLOs. Add the annotation
            conductor.io/slo-file (an OpenSLO or Sloth file) or conductor.io/sla
            to a component.
          </Typography>
        ) : (
          <DataTable
            label="SLO board"
            dense
            columns={[
              // names wrap (at their hyphens) before the board leaves its card
              { title: 'Service', sortable: true, wrap: true, minWidth: 110 },
              { title: 'SLO', sortable: true, wrap: true, minWidth: 110 },
              { title: 'Objective', sortable: true, numeric: true },
              { title: 'SLI', sortable: true, numeric: true },
              { title: 'Latency', sortable: true, numeric: true },
              { title: 'Budget left', sortable: true, numeric: true },
              {
                title: BURN_COLUMN,
                sortable: true,
                numeric: true,
                wrap: true,
                minWidth: 110,
              },
              { title: 'Alerts', sortable: true },
              { title: 'Cost / 1k req', sortable: true, numeric: true },
            ]}
            rows={boardRows(board.services, setCharts)}
            initialSort={{ column: 5, direction: 'asc' }}
          />
        )}
        {fileErrors.length > 0 && (
          <Alert severity="warning" sx={{ mt: 2 }}>
            SLO files with problems (those SLOs are left out):
            <ul>
              {fileErrors.map(({ row, e }) => (
                <li key={`${row.entityRef}-${formatSloFileError(e)}`}>
                  {row.name}: {formatSloFileError(e)}
                </li>
              ))}
            </ul>
          </Alert>
        )}
      </InfoCard>
      {charts && board.prometheus.state === 'ok' ? (
        <SloCharts entityRef={charts} />
      ) : null}
    </>
  );
}
