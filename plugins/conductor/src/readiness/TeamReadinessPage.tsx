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
import {
  ChartFigure,
  DataTable,
  EntityLink,
  TeamTrendChart,
  formatScore,
  percentTick,
  toPercentPoint,
  shortTeam,
} from '../shared';

/** Turns per-team daily averages into one row per day for a line chart. */
export function toTrendRows(trend: TeamReadinessResponse['trend']) {
  const rows = new Map<string, Record<string, number | string>>();
  for (const t of trend) {
    const row = rows.get(t.day) ?? { day: t.day };
    row[shortTeam(t.owner)] = t.averageScore;
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
    team: shortTeam(t.owner),
    averageScore: toPercentPoint(t.averageScore),
  }));
  const owners = [...new Set(value.trend.map(t => shortTeam(t.owner)))];
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Readiness by team"
            subheader={`average PRS of each team's components; production threshold ${formatScore(
              value.threshold,
            )}`}
          >
            <ChartFigure label="readiness ranking" height={260}>
              <BarChart data={ranking} margin={{ top: 8, right: 16 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="team" interval={0} />
                <YAxis
                  domain={[0, 100]}
                  tickFormatter={percentTick}
                  width={56}
                />
                <Tooltip formatter={(v: number) => `${v} %`} />
                <ReferenceLine
                  y={toPercentPoint(value.threshold) ?? undefined}
                  stroke="#c62828"
                  strokeDasharray="4 4"
                  label={{ value: 'threshold', position: 'insideTopRight' }}
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
                { title: '#', numeric: true },
                { title: 'Team', sortable: true },
                { title: 'Average PRS', numeric: true, sortable: true },
                { title: 'Components', numeric: true, sortable: true },
                { title: 'Below threshold', numeric: true, sortable: true },
                'Lowest',
              ]}
              rows={value.teams.map((t, i) => ({
                key: t.owner,
                cells: [
                  i + 1,
                  <EntityLink entityRef={t.owner} tab="conductor" />,
                  formatScore(t.averageScore),
                  t.services,
                  t.belowThreshold,
                  t.entities[0] ? (
                    <>
                      <EntityLink
                        entityRef={t.entities[0].entityRef}
                        tab="readiness"
                      />{' '}
                      ({formatScore(t.entities[0].score)})
                    </>
                  ) : (
                    ''
                  ),
                ],
                sortValues: [
                  i + 1,
                  shortTeam(t.owner),
                  t.averageScore,
                  t.services,
                  t.belowThreshold,
                  null,
                ],
              }))}
            />
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
