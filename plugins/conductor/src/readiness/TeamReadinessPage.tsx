import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Grid from '@mui/material/Grid';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { TeamReadinessResponse } from '@internal/plugin-conductor-common';
import { readinessApiRef } from './api';
import { DataTable, ChartFigure, TeamTrendChart } from '../shared';

const shortName = (ref: string) => ref.replace(/^group:default\//, '');

/** Turns per-team daily averages into one row per day for a line chart. */
export function toTrendRows(trend: TeamReadinessResponse['trend']) {
  const rows = new Map<string, Record<string, number | string>>();
  for (const t of trend) {
    const row = rows.get(t.day) ?? { day: t.day };
    row[shortName(t.owner)] = t.averageScore;
    rows.set(t.day, row);
  }
  return [...rows.values()];
}

/** The "Readiness" page: production readiness by team, ranked, with its trend. */
export function TeamReadinessPage() {
  const api = useApi(readinessApiRef);
  const { value, loading, error } = useAsync(
    () => api.getTeamReadiness(),
    [api],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const ranking = value.teams.map(t => ({
    team: shortName(t.owner),
    averageScore: t.averageScore,
  }));
  const owners = [...new Set(value.trend.map(t => shortName(t.owner)))];
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Readiness by team"
            subheader={`average PRS of each team's components; production threshold ${value.threshold}`}
          >
            <ChartFigure label="readiness ranking" height={260}>
              <BarChart data={ranking}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="team" />
                <YAxis domain={[0, 1]} />
                <Tooltip />
                <ReferenceLine
                  y={value.threshold}
                  stroke="#c62828"
                  strokeDasharray="4 4"
                  label="threshold"
                />
                <Bar
                  dataKey="averageScore"
                  name="average PRS"
                  fill="#1f77b4"
                  isAnimationActive={false}
                />
              </BarChart>
            </ChartFigure>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Trend"
            subheader="daily average of stored scores, last 30 days"
          >
            <TeamTrendChart
              label="readiness trend"
              rows={toTrendRows(value.trend)}
              xKey="day"
              teams={owners}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Ranking">
            <DataTable
              label="team ranking"
              columns={[
                '#',
                'Team',
                'Average PRS',
                'Components',
                'Below threshold',
                'Lowest',
              ]}
              rows={value.teams.map((t, i) => ({
                key: t.owner,
                cells: [
                  i + 1,
                  t.owner,
                  t.averageScore.toFixed(3),
                  t.services,
                  t.belowThreshold,
                  t.entities[0]
                    ? `${
                        t.entities[0].entityRef
                      } (${t.entities[0].score.toFixed(2)})`
                    : '',
                ],
              }))}
            />
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
