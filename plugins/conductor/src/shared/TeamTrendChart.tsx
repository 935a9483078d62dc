import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFigure } from './ChartFigure';

const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
];

/** One line per team over a 0..1 score: rows keyed by `xKey`, one field per team. */
export function TeamTrendChart(props: {
  label: string;
  rows: Array<Record<string, number | string>>;
  xKey: string;
  teams: string[];
}) {
  return (
    <ChartFigure label={props.label} height={260}>
      <LineChart data={props.rows}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={props.xKey} />
        <YAxis domain={[0, 1]} />
        <Tooltip />
        <Legend />
        {props.teams.map((t, i) => (
          <Line
            key={t}
            dataKey={t}
            stroke={COLORS[i % COLORS.length]}
            dot
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFigure>
  );
}
