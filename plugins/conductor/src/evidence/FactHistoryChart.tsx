import { EvidenceFact } from '@internal/plugin-conductor-common';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFigure } from '../shared';

/** Points of a numeric fact's history, oldest first, for a chart. */
export function toChartPoints(history: EvidenceFact[]) {
  return history
    .filter(f => typeof f.value === 'number')
    .map(f => ({ t: Date.parse(f.observedAt), value: f.value as number }))
    .sort((a, b) => a.t - b.t);
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/** A small line chart of how one numeric fact changed over time. */
export function FactHistoryChart(props: {
  name: string;
  history: EvidenceFact[];
}) {
  const points = toChartPoints(props.history);
  return (
    <ChartFigure label={`history of ${props.name}`} height={160}>
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
        <YAxis width={48} domain={['auto', 'auto']} />
        <Tooltip labelFormatter={v => day(Number(v))} />
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
