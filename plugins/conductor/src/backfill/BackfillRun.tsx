import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  BackfillRunDetail,
  conductorBackfillControlPermission,
  isTerminalBackfillState,
} from '@internal/plugin-conductor-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ActionButton, ChartFigure, DataTable, formatPercent } from '../shared';
import { backfillApiRef } from './api';

/** Seconds as "42 s", "7 min", "1.5 h". */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const time = (at: string) => new Date(at).toLocaleTimeString();
const STATE_COLOR: Record<
  string,
  'success' | 'error' | 'warning' | 'default' | 'info'
> = {
  succeeded: 'success',
  failed: 'error',
  cancelled: 'default',
  paused: 'warning',
  pausing: 'warning',
  throttled: 'warning',
  running: 'info',
  enqueued: 'default',
};

/** The state of a run as a coloured chip. */
export function BackfillState(props: { state: string }) {
  return (
    <Chip
      size="small"
      label={props.state}
      color={STATE_COLOR[props.state] ?? 'default'}
    />
  );
}

/**
 * One run as it goes: progress, rows/s and batch size over time, ETA,
 * pauses with why, checkpoint results, cost against budget, and pause,
 * resume and cancel for those allowed. Refreshes every 2 s until it stops.
 */
export function BackfillRun(props: { runId: number; onChange?: () => void }) {
  const api = useApi(backfillApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.get(props.runId),
    [api, props.runId],
  );
  const [shown, setShown] = useState<BackfillRunDetail | undefined>();
  useEffect(() => {
    if (value) setShown(value);
  }, [value]);
  const active =
    shown && !isTerminalBackfillState(shown.state) && shown.state !== 'paused';
  useEffect(() => {
    if (!active) return undefined;
    const t = setInterval(retry, 2000);
    return () => clearInterval(t);
  }, [active, retry]);
  if (error && !shown) return <ResponseErrorPanel error={error} />;
  if (!shown) return loading ? <Progress /> : null;
  return (
    <BackfillRunView
      run={shown}
      onAction={() => {
        retry();
        props.onChange?.();
      }}
    />
  );
}

/** The view of one run (no fetching: see {@link BackfillRun}). */
export function BackfillRunView(props: {
  run: BackfillRunDetail;
  onAction?: () => void;
}) {
  const { run } = props;
  const api = useApi(backfillApiRef);
  const started = run.batches[0] ? Date.parse(run.batches[0].at) : 0;
  const points = run.batches.map(b => ({
    t: Math.round((Date.parse(b.at) - started) / 1000),
    rowsPerSecond: b.rowsPerSecond,
    batchSize: b.batchSize,
  }));
  const control = (c: 'pause' | 'resume' | 'cancel') => (
    <ActionButton
      key={c}
      label={c[0].toUpperCase() + c.slice(1)}
      permission={conductorBackfillControlPermission}
      resourceRef={run.owner}
      color={c === 'cancel' ? 'error' : 'primary'}
      run={async () => {
        const r = await api.control(run.id, c, run.version);
        return `now ${r.state}`;
      }}
      onDone={props.onAction}
    />
  );
  const canPause = ['enqueued', 'running', 'throttled'].includes(run.state);
  const canResume = ['paused', 'failed'].includes(run.state);
  const canCancel = !isTerminalBackfillState(run.state);
  const budget = run.cost.budget;
  return (
    <InfoCard
      title={
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <span>
            Backfill {run.definitionId} #{run.id}
          </span>
          <BackfillState state={run.state} />
        </Box>
      }
      subheader={`${run.definition.connection}.${run.definition.table} · started by ${run.createdBy}`}
    >
      {run.reason && (
        <Typography variant="body2" sx={{ mb: 1 }} aria-label="reason">
          {run.reason}
        </Typography>
      )}
      <LinearProgress
        variant="determinate"
        value={Math.round(run.progress * 1000) / 10}
        aria-label="progress"
        sx={{ height: 10, borderRadius: 1, mb: 1 }}
      />
      <Typography variant="body2" sx={{ mb: 1 }}>
        {formatPercent(run.progress)} · {run.rowsDone.toLocaleString()} of{' '}
        {run.totalRows === null ? '?' : run.totalRows.toLocaleString()} rows ·{' '}
        {run.rowsChanged.toLocaleString()} changed · {run.rowsPerSecond} rows/s
        · ETA {formatEta(run.etaSeconds)} · batch {run.batchSize} (bounds{' '}
        {run.minBatchSize}–{run.maxBatchSize}) · ceiling {run.rps} rows/s
      </Typography>
      <Typography variant="body2" sx={{ mb: 1 }} aria-label="cost">
        Cost so far {run.cost.soFar}
        {run.cost.projected !== null ? `, projected ${run.cost.projected}` : ''}
        {budget !== null ? ` of a budget of ${budget}` : ' (no budget)'}
        {budget !== null &&
        run.cost.projected !== null &&
        run.cost.projected > budget
          ? ' — over budget'
          : ''}
      </Typography>
      <Box sx={{ mb: 2 }}>
        {canPause && control('pause')}
        {canResume && control('resume')}
        {canCancel && control('cancel')}
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2">Rows per second</Typography>
          <ChartFigure
            label="rows per second over time"
            height={200}
            points={points.length}
          >
            <LineChart data={points} margin={{ top: 8, right: 16 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="t" tickFormatter={(s: number) => `${s}s`} />
              <YAxis width={64} />
              <Tooltip />
              <Line
                dataKey="rowsPerSecond"
                name="rows/s"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ChartFigure>
        </Grid>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2">Batch size</Typography>
          <ChartFigure
            label="batch size over time"
            height={200}
            points={points.length}
          >
            <LineChart data={points} margin={{ top: 8, right: 16 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="t" tickFormatter={(s: number) => `${s}s`} />
              <YAxis width={64} />
              <Tooltip />
              <Line
                dataKey="batchSize"
                name="batch size"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ChartFigure>
        </Grid>
      </Grid>
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Checkpoints
      </Typography>
      <DataTable
        label="checkpoints"
        columns={[
          'At',
          'Result',
          { title: 'Wrong rows', numeric: true },
          { title: 'Rows done', numeric: true },
          'When',
          { title: 'Message', wrap: true },
        ]}
        rows={run.checkpoints.map((c, i) => ({
          key: String(i),
          cells: [
            formatPercent(c.at),
            c.passed ? 'passed' : 'FAILED',
            c.wrongRows ?? '—',
            c.rowsDone.toLocaleString(),
            time(c.checkedAt),
            c.message,
          ],
        }))}
      />
      <Typography variant="subtitle2" sx={{ mt: 2 }}>
        Pauses
      </Typography>
      <DataTable
        label="pauses"
        columns={[
          'When',
          'Why',
          'By',
          'Resumed',
          { title: 'Reason', wrap: true },
        ]}
        rows={run.pauses.map((p, i) => ({
          key: String(i),
          cells: [
            time(p.at),
            p.kind,
            p.by ?? 'the runner',
            p.resumedAt ? time(p.resumedAt) : '—',
            p.reason,
          ],
        }))}
      />
    </InfoCard>
  );
}
