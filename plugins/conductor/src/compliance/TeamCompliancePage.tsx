import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Grid from '@mui/material/Grid';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { TeamComplianceResponse } from '@internal/plugin-conductor-common';
import { complianceApiRef } from './api';
import { FactChangesTable } from './FactChanges';
import Typography from '@mui/material/Typography';
import {
  DataTable,
  ChartFigure,
  TeamTrendChart,
  formatDelta,
  formatPercent,
} from '../shared';

const shortName = (ref: string) => ref.replace(/^group:default\//, '');

/** One row per run with each team's score, for a line chart. */
export function toComplianceTrendRows(teams: TeamComplianceResponse['teams']) {
  const rows = new Map<number, Record<string, number | string>>();
  for (const t of teams) {
    for (const h of t.history) {
      const row = rows.get(h.runId) ?? { run: `#${h.runId}` };
      row[shortName(t.ref)] = h.score;
      rows.set(h.runId, row);
    }
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

/** The "Compliance" page: teams ranked by compliance score, with delta and trend. */
export function TeamCompliancePage() {
  const api = useApi(complianceApiRef);
  const { value, loading, error } = useAsync(
    () => api.getTeamCompliance(),
    [api],
  );
  const changes = useAsync(() => api.getComplianceChanges(), [api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.runId === null) {
    return (
      <EmptyState
        missing="data"
        title="No compliance run yet"
        description="Controls run nightly; a run can be started with POST /api/conductor/compliance/runs."
      />
    );
  }
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Compliance by team"
            subheader={`run #${value.runId}, severity-weighted`}
          >
            <ChartFigure label="compliance ranking" height={260}>
              <BarChart
                data={value.teams.map(t => ({
                  team: shortName(t.ref),
                  score: t.score,
                }))}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="team" />
                <YAxis domain={[0, 1]} />
                <Tooltip />
                <Bar dataKey="score" fill="#2e7d32" isAnimationActive={false} />
              </BarChart>
            </ChartFigure>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Trend" subheader="score per run">
            <TeamTrendChart
              label="compliance trend by team"
              rows={toComplianceTrendRows(value.teams)}
              xKey="run"
              teams={value.teams.map(t => shortName(t.ref))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Ranking">
            <DataTable
              label="compliance ranking table"
              columns={['#', 'Team', 'Score', 'Delta']}
              rows={value.teams.map((t, i) => ({
                key: t.ref,
                cells: [
                  i + 1,
                  t.ref,
                  formatPercent(t.score),
                  t.previousScore === null
                    ? 'first run'
                    : formatDelta(t.score, t.previousScore),
                ],
              }))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title="What changed in the last run"
            subheader={
              changes.value?.previousRunId
                ? `run #${changes.value.runId} against run #${changes.value.previousRunId}`
                : undefined
            }
          >
            {changes.loading && <Progress />}
            {changes.error && <ResponseErrorPanel error={changes.error} />}
            {changes.value && !changes.value.previousRunId && (
              <Typography variant="body2">
                First run: nothing to compare with yet.
              </Typography>
            )}
            {changes.value?.previousRunId && (
              <>
                <Typography variant="h6">
                  Controls that flipped ({changes.value.flips.length})
                </Typography>
                <DataTable
                  label="flipped controls"
                  columns={[
                    'Entity',
                    'Control',
                    'Was',
                    'Now',
                    'Facts behind it',
                  ]}
                  rows={changes.value.flips.map(f => ({
                    key: `${f.entityRef}|${f.controlId}`,
                    cells: [
                      f.entityRef,
                      f.controlId,
                      f.previousStatus,
                      f.status,
                      f.changedFacts?.join(', ') ||
                        '(no fact changed: the control or an exemption did)',
                    ],
                  }))}
                />
                <Typography variant="h6" sx={{ mt: 2 }}>
                  Facts that changed ({changes.value.factChanges.length})
                </Typography>
                <FactChangesTable
                  changes={changes.value.factChanges}
                  showEntity
                  label="fact changes"
                />
                {changes.value.truncated && (
                  <Typography variant="caption">
                    Showing the first 500 of each.
                  </Typography>
                )}
              </>
            )}
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
