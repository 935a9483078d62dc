import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ControlStatus, formatAge } from '@internal/plugin-conductor-common';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { conductorApiRef } from '../../api';

const STATUS_COLOR: Record<ControlStatus, 'success' | 'error' | 'default' | 'info' | 'warning'> = {
  pass: 'success',
  fail: 'error',
  'not-applicable': 'default',
  exempt: 'info',
  error: 'warning',
};
const ORDER: ControlStatus[] = ['fail', 'error', 'exempt', 'pass', 'not-applicable'];

/** "+0.12" / "-0.05" / "" for a score change. */
export function formatDelta(score: number | null, previous: number | null): string {
  if (score === null || previous === null) return '';
  const d = Math.round((score - previous) * 10_000) / 10_000;
  return d === 0 ? '±0' : d > 0 ? `+${d}` : String(d);
}

/** The "Compliance" tab: each control's status and why, the score and its trend. */
export function ComplianceContent() {
  const { entity } = useEntity();
  const api = useApi(conductorApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(() => api.getCompliance(entityRef), [api, entityRef]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.runId === null) {
    return <EmptyState missing="data" title="No compliance run yet" description="Controls run nightly; a run can be started with POST /api/conductor/compliance/runs." />;
  }
  const results = [...value.results].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.controlId.localeCompare(b.controlId));
  const count = (s: ControlStatus) => value.results.filter(r => r.status === s).length;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Compliance score" subheader={`run #${value.runId}`}>
          <Typography variant="h3" data-testid="compliance-score">
            {value.score === null ? 'n/a' : `${(value.score * 100).toFixed(1)} %`}
          </Typography>
          <Typography variant="body1">
            {value.previousScore === null ? 'first run' : `${formatDelta(value.score, value.previousScore)} since the previous run`}
          </Typography>
          <Typography variant="body2" sx={{ mt: 1 }}>
            {count('pass')} passing, {count('fail')} failing, {count('error')} errors, {count('exempt')} exempt
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Trend" subheader="score per run">
          <div role="figure" aria-label="compliance trend" style={{ width: '100%', height: 180 }}>
            <ResponsiveContainer>
              <LineChart data={value.history.map(h => ({ run: `#${h.runId}`, score: h.score }))}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="run" />
                <YAxis domain={[0, 1]} />
                <Tooltip />
                <Line dataKey="score" stroke="#1f77b4" dot isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Controls">
          <Table size="small" aria-label="controls">
            <TableHead>
              <TableRow>
                <TableCell>Status</TableCell>
                <TableCell>Control</TableCell>
                <TableCell>Severity</TableCell>
                <TableCell>Why</TableCell>
                <TableCell>Since</TableCell>
                <TableCell>Fix</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {results.map(r => (
                <TableRow key={r.controlId}>
                  <TableCell>
                    <Chip size="small" label={r.status} color={STATUS_COLOR[r.status]} />
                    {r.previousStatus && r.previousStatus !== r.status && (
                      <Typography variant="caption" display="block">was {r.previousStatus}</Typography>
                    )}
                  </TableCell>
                  <TableCell>{r.controlId}</TableCell>
                  <TableCell>{r.severity}</TableCell>
                  <TableCell>{r.message}</TableCell>
                  <TableCell title={r.since}>{formatAge(r.since)}</TableCell>
                  <TableCell>{r.remediation ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
