import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { SloComponentResponse } from '@internal/plugin-conductor-common';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { ChartFigure, percentTick, toPercentPoint } from '../shared';
import { sloApiRef } from './api';

const day = (t: string) => t.slice(5, 10);

/** Budget burn-down and burn-rate charts of each SLO of one component. */
export function SloHistoryCharts(props: { detail: SloComponentResponse }) {
  const { detail } = props;
  const slos = detail.slos.filter(s => detail.history[s.id]);
  if (slos.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        No history to chart: no SLO of {detail.name} has data.
      </Typography>
    );
  return (
    <Grid container spacing={2}>
      {slos.map(s => {
        const points = detail.history[s.id].map(p => ({
          t: p.t,
          budget: toPercentPoint(p.budgetRemaining),
          burn: p.burnRate === null ? null : Math.round(p.burnRate * 100) / 100,
        }));
        const budgetPoints = points.filter(p => p.budget !== null);
        const burnPoints = points.filter(p => p.burn !== null);
        return [
          <Grid item xs={12} md={6} key={`${s.id}-budget`}>
            <Typography variant="subtitle2">
              {s.id}: error budget left over {s.windowDays} days
            </Typography>
            <ChartFigure
              label={`${s.id} budget burn-down`}
              height={220}
              points={budgetPoints.length}
            >
              <LineChart data={budgetPoints} margin={{ top: 8, right: 16 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="t" tickFormatter={day} minTickGap={24} />
                <YAxis tickFormatter={percentTick} width={64} />
                <Tooltip formatter={(v: number) => `${v} %`} />
                <ReferenceLine y={0} stroke="#c62828" />
                <Line
                  dataKey="budget"
                  name="budget left"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ChartFigure>
          </Grid>,
          <Grid item xs={12} md={6} key={`${s.id}-burn`}>
            <Typography variant="subtitle2">
              {s.id}: burn rate over each 6 hours (1× spends the budget in
              exactly {s.windowDays} days)
            </Typography>
            <ChartFigure
              label={`${s.id} burn rate`}
              height={220}
              points={burnPoints.length}
            >
              <LineChart data={burnPoints} margin={{ top: 8, right: 16 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="t" tickFormatter={day} minTickGap={24} />
                <YAxis width={48} tickFormatter={(v: number) => `${v}×`} />
                <Tooltip formatter={(v: number) => `${v}×`} />
                <ReferenceLine y={1} stroke="#888" strokeDasharray="4 4" />
                <ReferenceLine
                  y={s.alerts.find(a => a.id === 'page-slow')?.factor}
                  stroke="#c62828"
                  strokeDasharray="4 4"
                />
                <Line
                  dataKey="burn"
                  name="burn rate (6h)"
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </ChartFigure>
          </Grid>,
        ];
      })}
    </Grid>
  );
}

/** Loads one component's SLO history and charts it. */
export function SloCharts(props: { entityRef: string }) {
  const api = useApi(sloApiRef);
  const { value, loading, error } = useAsync(
    () => api.getComponent(props.entityRef),
    [api, props.entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <InfoCard title={`${value.name}: budget burn-down and burn rate`}>
      <SloHistoryCharts detail={value} />
    </InfoCard>
  );
}
