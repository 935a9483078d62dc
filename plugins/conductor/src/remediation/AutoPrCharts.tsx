import {
  AutoPrDashboard,
  RemediationTeamStats,
} from '@internal/plugin-conductor-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFigure, formatHours, shortTeam } from '../shared';

/** Pull requests the bot opened and merged per week (the Auto-PRs page and the dashboards). */
export function AutoPrRateChart(props: { weeks: AutoPrDashboard['weeks'] }) {
  const { weeks } = props;
  return (
    <ChartFigure
      label="auto-PR rate"
      height={240}
      points={weeks.length}
      fewPoints={
        weeks.length === 0
          ? 'The bot has opened no pull request yet.'
          : `One week of data so far (week of ${weeks[0].week}): ${weeks[0].opened} opened, ${weeks[0].merged} merged.`
      }
    >
      <BarChart data={weeks} margin={{ top: 8, right: 16 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="week" />
        <YAxis allowDecimals={false} width={40} />
        <Tooltip />
        <Legend />
        <Bar
          dataKey="opened"
          name="opened"
          fill="#1976d2"
          isAnimationActive={false}
        />
        <Bar
          dataKey="merged"
          name="merged"
          fill="#2e7d32"
          isAnimationActive={false}
        />
      </BarChart>
    </ChartFigure>
  );
}

/** Median hours from opened to merged, a bar per team drawn (a sentence while fewer than two teams merged). */
export function MergeTimeChart(props: {
  label: string;
  teams: RemediationTeamStats[];
}) {
  const merged = props.teams.filter(t => t.medianHoursToMerge !== null);
  return (
    <ChartFigure
      label={props.label}
      height={240}
      points={merged.length}
      fewPoints={
        merged.length === 0
          ? 'No auto-PR merged yet.'
          : `Only ${shortTeam(
              merged[0].team,
            )} has merged auto-PRs: median ${formatHours(
              merged[0].medianHoursToMerge,
            )}.`
      }
    >
      <BarChart
        data={props.teams.map(t => ({
          team: shortTeam(t.team),
          hours: t.medianHoursToMerge,
        }))}
        margin={{ top: 8, right: 16 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="team" interval={0} />
        <YAxis width={48} tickFormatter={(v: number) => `${v} h`} />
        <Tooltip formatter={(v: number) => `${v} h`} />
        <Bar
          dataKey="hours"
          name="median hours to merge"
          fill="#6a1b9a"
          isAnimationActive={false}
        />
      </BarChart>
    </ChartFigure>
  );
}
