import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { TeamComplianceResponse, conductorApiRef } from '../../api';
import { formatDelta } from '../ComplianceContent';
import { FactChangesTable } from '../ComplianceContent/FactChanges';
import Typography from '@mui/material/Typography';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
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
  const api = useApi(conductorApiRef);
  const { value, loading, error } = useAsync(() => api.getTeamCompliance(), [api]);
  const changes = useAsync(() => api.getComplianceChanges(), [api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.runId === null) {
    return <EmptyState missing="data" title="No compliance run yet" description="Controls run nightly; a run can be started with POST /api/conductor/compliance/runs." />;
  }
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard title="Compliance by team" subheader={`run #${value.runId}, severity-weighted`}>
            <div role="figure" aria-label="compliance ranking" style={{ width: '100%', height: 260 }}>
              <ResponsiveContainer>
                <BarChart data={value.teams.map(t => ({ team: shortName(t.ref), score: t.score }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="team" />
                  <YAxis domain={[0, 1]} />
                  <Tooltip />
                  <Bar dataKey="score" fill="#2e7d32" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Trend" subheader="score per run">
            <div role="figure" aria-label="compliance trend by team" style={{ width: '100%', height: 260 }}>
              <ResponsiveContainer>
                <LineChart data={toComplianceTrendRows(value.teams)}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="run" />
                  <YAxis domain={[0, 1]} />
                  <Tooltip />
                  <Legend />
                  {value.teams.map((t, i) => (
                    <Line key={t.ref} dataKey={shortName(t.ref)} stroke={COLORS[i % COLORS.length]} dot isAnimationActive={false} />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Ranking">
            <Table size="small" aria-label="compliance ranking table">
              <TableHead>
                <TableRow>
                  <TableCell>#</TableCell>
                  <TableCell>Team</TableCell>
                  <TableCell>Score</TableCell>
                  <TableCell>Delta</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.teams.map((t, i) => (
                  <TableRow key={t.ref}>
                    <TableCell>{i + 1}</TableCell>
                    <TableCell>{t.ref}</TableCell>
                    <TableCell>{(t.score * 100).toFixed(1)} %</TableCell>
                    <TableCell>{t.previousScore === null ? 'first run' : formatDelta(t.score, t.previousScore)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title="What changed in the last run"
            subheader={changes.value?.previousRunId ? `run #${changes.value.runId} against run #${changes.value.previousRunId}` : undefined}
          >
            {changes.loading && <Progress />}
            {changes.error && <ResponseErrorPanel error={changes.error} />}
            {changes.value && !changes.value.previousRunId && (
              <Typography variant="body2">First run: nothing to compare with yet.</Typography>
            )}
            {changes.value?.previousRunId && (
              <>
                <Typography variant="h6">Controls that flipped ({changes.value.flips.length})</Typography>
                <Table size="small" aria-label="flipped controls">
                  <TableHead>
                    <TableRow>
                      <TableCell>Entity</TableCell>
                      <TableCell>Control</TableCell>
                      <TableCell>Was</TableCell>
                      <TableCell>Now</TableCell>
                      <TableCell>Facts behind it</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {changes.value.flips.map(f => (
                      <TableRow key={`${f.entityRef}|${f.controlId}`}>
                        <TableCell>{f.entityRef}</TableCell>
                        <TableCell>{f.controlId}</TableCell>
                        <TableCell>{f.previousStatus}</TableCell>
                        <TableCell>{f.status}</TableCell>
                        <TableCell>{f.changedFacts?.join(', ') || '(no fact changed: the control or an exemption did)'}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <Typography variant="h6" sx={{ mt: 2 }}>Facts that changed ({changes.value.factChanges.length})</Typography>
                <FactChangesTable changes={changes.value.factChanges} showEntity label="fact changes" />
                {changes.value.truncated && <Typography variant="caption">Showing the first 500 of each.</Typography>}
              </>
            )}
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
