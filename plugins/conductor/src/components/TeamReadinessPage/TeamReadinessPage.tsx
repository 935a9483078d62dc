import {
  Content,
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
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { TeamReadinessResponse, conductorApiRef } from '../../api';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
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
  const api = useApi(conductorApiRef);
  const { value, loading, error } = useAsync(() => api.getTeamReadiness(), [api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const ranking = value.teams.map(t => ({ team: shortName(t.owner), averageScore: t.averageScore }));
  const owners = [...new Set(value.trend.map(t => shortName(t.owner)))];
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard title="Readiness by team" subheader={`average PRS of each team's components; production threshold ${value.threshold}`}>
            <div role="figure" aria-label="readiness ranking" style={{ width: '100%', height: 260 }}>
              <ResponsiveContainer>
                <BarChart data={ranking}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="team" />
                  <YAxis domain={[0, 1]} />
                  <Tooltip />
                  <ReferenceLine y={value.threshold} stroke="#c62828" strokeDasharray="4 4" label="threshold" />
                  <Bar dataKey="averageScore" name="average PRS" fill="#1f77b4" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Trend" subheader="daily average of stored scores, last 30 days">
            <div role="figure" aria-label="readiness trend" style={{ width: '100%', height: 260 }}>
              <ResponsiveContainer>
                <LineChart data={toTrendRows(value.trend)}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis domain={[0, 1]} />
                  <Tooltip />
                  <Legend />
                  {owners.map((o, i) => (
                    <Line key={o} dataKey={o} stroke={COLORS[i % COLORS.length]} dot isAnimationActive={false} />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Ranking">
            <Table size="small" aria-label="team ranking">
              <TableHead>
                <TableRow>
                  <TableCell>#</TableCell>
                  <TableCell>Team</TableCell>
                  <TableCell>Average PRS</TableCell>
                  <TableCell>Components</TableCell>
                  <TableCell>Below threshold</TableCell>
                  <TableCell>Lowest</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.teams.map((t, i) => (
                  <TableRow key={t.owner}>
                    <TableCell>{i + 1}</TableCell>
                    <TableCell>{t.owner}</TableCell>
                    <TableCell>{t.averageScore.toFixed(3)}</TableCell>
                    <TableCell>{t.services}</TableCell>
                    <TableCell>{t.belowThreshold}</TableCell>
                    <TableCell>{t.entities[0] ? `${t.entities[0].entityRef} (${t.entities[0].score.toFixed(2)})` : ''}</TableCell>
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
