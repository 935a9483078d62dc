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
      </Grid>
    </Content>
  );
}
