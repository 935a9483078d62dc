import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  TeamComplianceResponse,
  conductorComplianceRunPermission,
} from '@internal/plugin-conductor-common';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { complianceApiRef } from './api';
import { ControlName, useControls } from './ComplianceContent';
import { FactChangesTable } from './FactChanges';
import {
  ActionButton,
  ChartFigure,
  DataTable,
  EntityLink,
  TeamTrendChart,
  formatDelta,
  formatScore,
  percentTick,
  toPercentPoint,
  shortTeam,
} from '../shared';

/** One row per run with each team's score, for a line chart. */
export function toComplianceTrendRows(teams: TeamComplianceResponse['teams']) {
  const rows = new Map<number, Record<string, number | string>>();
  for (const t of teams) {
    for (const h of t.history) {
      const row = rows.get(h.runId) ?? { run: `#${h.runId}` };
      row[shortTeam(t.ref)] = h.score;
      rows.set(h.runId, row);
    }
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

/** The "Compliance" page: teams ranked by compliance score, with delta and trend. */
export function TeamCompliancePage() {
  const api = useApi(complianceApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getTeamCompliance(),
    [api],
  );
  const changes = useAsyncRetry(() => api.getComplianceChanges(), [api]);
  const controls = useControls(api);
  const runButton = (
    <ActionButton
      label="Run compliance now"
      permission={conductorComplianceRunPermission}
      run={async () => {
        const run = await api.runCompliance();
        return `Run #${run.runId}: ${run.entities} entities, ${
          run.controls
        } controls, ${run.flipped} flipped, overall ${formatScore(run.score)}.`;
      }}
      onDone={() => {
        retry();
        changes.retry();
      }}
    />
  );
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.runId === null) {
    return (
      <EmptyState
        missing="data"
        title="No compliance run yet"
        description="Controls run nightly. Those allowed can start a run now."
        action={runButton}
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
                  team: shortTeam(t.ref),
                  score: toPercentPoint(t.score),
                }))}
                margin={{ top: 8, right: 16 }}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="team" interval={0} />
                <YAxis
                  domain={[0, 100]}
                  tickFormatter={percentTick}
                  width={56}
                />
                <Tooltip formatter={(v: number) => `${v} %`} />
                <Bar
                  dataKey="score"
                  name="score"
                  fill="#2e7d32"
                  isAnimationActive={false}
                />
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
              teams={value.teams.map(t => shortTeam(t.ref))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Ranking" action={runButton}>
            <DataTable
              label="compliance ranking table"
              columns={[
                { title: '#', numeric: true },
                { title: 'Team', sortable: true },
                { title: 'Score', numeric: true, sortable: true },
                { title: 'Change', numeric: true, sortable: true },
              ]}
              rows={value.teams.map((t, i) => ({
                key: t.ref,
                cells: [
                  i + 1,
                  <EntityLink entityRef={t.ref} tab="conductor" />,
                  formatScore(t.score),
                  t.previousScore === null
                    ? 'first run'
                    : formatDelta(t.score, t.previousScore),
                ],
                sortValues: [
                  i + 1,
                  shortTeam(t.ref),
                  t.score,
                  t.previousScore === null ? null : t.score - t.previousScore,
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
            {changes.loading && !changes.value && <Progress />}
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
                {changes.value.flips.length === 0 && (
                  <Typography variant="body2">
                    No control changed status.
                  </Typography>
                )}
                {changes.value.flips.length > 0 && (
                  <DataTable
                    label="flipped controls"
                    columns={[
                      'Entity',
                      'Control',
                      'Was',
                      'Now',
                      { title: 'Facts behind it', wrap: true },
                    ]}
                    rows={changes.value.flips.map(f => ({
                      key: `${f.entityRef}|${f.controlId}`,
                      cells: [
                        <EntityLink entityRef={f.entityRef} tab="compliance" />,
                        <ControlName
                          id={f.controlId}
                          control={controls?.get(f.controlId)}
                        />,
                        f.previousStatus,
                        f.status,
                        f.changedFacts?.join(', ') ||
                          '(no fact changed: the control or an exemption did)',
                      ],
                    }))}
                  />
                )}
                <Typography variant="h6" sx={{ mt: 2 }}>
                  Facts that changed ({changes.value.factChanges.length})
                </Typography>
                {changes.value.factChanges.length === 0 ? (
                  <Typography variant="body2">No fact changed.</Typography>
                ) : (
                  <FactChangesTable
                    changes={changes.value.factChanges}
                    showEntity
                    label="fact changes"
                  />
                )}
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
