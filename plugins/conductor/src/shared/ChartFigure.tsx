import { CSSProperties, ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * A chart as a labelled figure: full width, a fixed height, resized with its
 * container. `label` is how screen readers (and tests) find the chart.
 */
export function ChartFigure(props: {
  label: string;
  height: number;
  style?: CSSProperties;
  children: ReactElement;
}) {
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
