import Typography from '@mui/material/Typography';
import { CSSProperties, ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * A chart as a labelled figure: full width, a fixed height, resized with its
 * container. `label` is how screen readers (and tests) find the chart.
 * With fewer than two points a line says so instead: one point is not a
 * trend.
 */
export function ChartFigure(props: {
  label: string;
  height: number;
  style?: CSSProperties;
  /** How many points the chart would draw; under two, `fewPoints` shows instead. */
  points?: number;
  /** The sentence shown instead of a chart of fewer than two points. */
  fewPoints?: string;
  children: ReactElement;
}) {
  if (props.points !== undefined && props.points < 2) {
    return (
      <Typography variant="body2" color="text.secondary">
        {props.fewPoints ??
          'Not enough data for a chart yet: it needs at least two points.'}
      </Typography>
    );
  }
  return (
    <div
      role="figure"
      aria-label={props.label}
      style={{ width: '100%', height: props.height, ...props.style }}
    >
      <ResponsiveContainer>{props.children}</ResponsiveContainer>
    </div>
  );
}

/** Axis ticks of a percent axis: "90 %". */
export const percentTick = (v: number) => `${v} %`;

/** A score in [0, 1] as the number a percent axis plots (0–100, one decimal). */
export const toPercentPoint = (score: number | null | undefined) =>
  score === null || score === undefined ? null : Math.round(score * 1000) / 10;
