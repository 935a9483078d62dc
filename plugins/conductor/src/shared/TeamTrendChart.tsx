import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFigure, percentTick, toPercentPoint } from './ChartFigure';

const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
];

/**
 * One line per team over a score in [0, 1], plotted as percent (0–100):
 * rows keyed by `xKey`, one field per team. Fewer than two rows show a
 * sentence instead.
 */
export function TeamTrendChart(props: {
  label: string;
  rows: Array<Record<string, number | string>>;
  xKey: string;
  teams: string[];
}) {
  const rows = props.rows.map(r => {
    const out: Record<string, number | string | null> = {
      [props.xKey]: r[props.xKey],
    };
    for (const t of props.teams) {
      const v = r[t];
      out[t] = typeof v === 'number' ? toPercentPoint(v) : null;
    }
    return out;
  });
  return (
    <ChartFigure
      label={props.label}
      height={260}
      points={rows.length}
      fewPoints="The trend shows once there are scores from two different days or runs."
    >
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey={props.xKey} />
        <YAxis domain={[0, 100]} tickFormatter={percentTick} width={56} />
        <Tooltip formatter={(v: number) => `${v} %`} />
        <Legend />
        {props.teams.map((t, i) => (
          <Line
            key={t}
            dataKey={t}
            stroke={COLORS[i % COLORS.length]}
            dot
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFigure>
  );
}
