import { EvidenceFact } from '@internal/plugin-conductor-common';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ChartFigure,
  formatDay,
  isShare,
  percentTick,
  toPercentPoint,
} from '../shared';

/** Points of a numeric fact's history, oldest first, for a chart. */
export function toChartPoints(history: EvidenceFact[]) {
  return history
    .filter(f => typeof f.value === 'number')
    .map(f => ({ t: Date.parse(f.observedAt), value: f.value as number }))
    .sort((a, b) => a.t - b.t);
}

const day = (t: number) => formatDay(new Date(t).toISOString());

/**
 * A small line chart of how one numeric fact changed over time. A share
 * (coverage, adherence) is plotted as percent on a 0–100 axis; other
 * numbers on an axis fitted to them. One observation is a sentence, not a
 * chart.
 */
export function FactHistoryChart(props: {
  name: string;
  history: EvidenceFact[];
}) {
  const share = isShare(props.name);
  const points = toChartPoints(props.history).map(p => ({
    t: p.t,
    value: share ? toPercentPoint(p.value) : p.value,
  }));
  return (
    <ChartFigure
      label={`history of ${props.name}`}
      height={160}
      points={points.length}
      fewPoints="One observation so far; the chart shows once the value has been reported twice."
    >
      <LineChart
        data={points}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          domain={['dataMin', 'dataMax']}
          scale="time"
          tickFormatter={day}
        />
        {share ? (
          <YAxis domain={[0, 100]} tickFormatter={percentTick} width={56} />
        ) : (
          <YAxis width={64} domain={['auto', 'auto']} allowDecimals />
        )}
        <Tooltip
          labelFormatter={v => day(Number(v))}
          formatter={(v: number) => (share ? `${v} %` : String(v))}
        />
        <Line
          type="monotone"
          dataKey="value"
          name={props.name}
          stroke="#1f77b4"
          dot
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFigure>
  );
}
