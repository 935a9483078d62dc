import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ControlStatus } from '@internal/plugin-conductor-common';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsync from 'react-use/esm/useAsync';
import { complianceApiRef } from './api';
import { FactChangesTable } from './FactChanges';
import {
  DataTable,
  ChartFigure,
  Age,
  formatDelta,
  formatPercent,
} from '../shared';

const STATUS_COLOR: Record<
  ControlStatus,
  'success' | 'error' | 'default' | 'info' | 'warning'
> = {
  pass: 'success',
  fail: 'error',
  'not-applicable': 'default',
  exempt: 'info',
  error: 'warning',
};
const ORDER: ControlStatus[] = [
  'fail',
  'error',
  'exempt',
  'pass',
  'not-applicable',
];

/** The "Compliance" tab: each control's status and why, the score and its trend. */
export function ComplianceContent() {
  const { entity } = useEntity();
  const api = useApi(complianceApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getCompliance(entityRef),
    [api, entityRef],
  );
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
  const results = [...value.results].sort(
    (a, b) =>
      ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
      a.controlId.localeCompare(b.controlId),
  );
  const count = (s: ControlStatus) =>
    value.results.filter(r => r.status === s).length;
  const now = Date.now();
  const isActive = (e: { revokedAt?: string; expiresAt: string }) =>
    !e.revokedAt && Date.parse(e.expiresAt) > now;
  const exemptionState = (e: { revokedAt?: string; expiresAt: string }) => {
    if (e.revokedAt) return 'revoked';
    return isActive(e) ? 'active' : 'expired';
  };
  const exemptionOf = (controlId: string) =>
    value.exemptions.find(e => e.controlId === controlId && isActive(e));
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Compliance score" subheader={`run #${value.runId}`}>
          <Typography variant="h3" data-testid="compliance-score">
            {formatPercent(value.score)}
          </Typography>
          <Typography variant="body1">
            {value.previousScore === null
              ? 'first run'
              : `${formatDelta(
                  value.score,
                  value.previousScore,
                )} since the previous run`}
          </Typography>
          <Typography variant="body2" sx={{ mt: 1 }}>
            {count('pass')} passing, {count('fail')} failing, {count('error')}{' '}
            errors, {count('exempt')} exempt
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Trend" subheader="score per run">
          <ChartFigure label="compliance trend" height={180}>
            <LineChart
              data={value.history.map(h => ({
                run: `#${h.runId}`,
                score: h.score,
              }))}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="run" />
              <YAxis domain={[0, 1]} />
              <Tooltip />
              <Line
                dataKey="score"
                stroke="#1f77b4"
                dot
                isAnimationActive={false}
              />
            </LineChart>
          </ChartFigure>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Controls">
          <DataTable
            label="controls"
            columns={['Status', 'Control', 'Severity', 'Why', 'Since', 'Fix']}
            rows={results.map(r => ({
              key: r.controlId,
              cells: [
                <>
                  <Chip
                    size="small"
                    label={r.status}
                    color={STATUS_COLOR[r.status]}
                  />
                  {r.previousStatus && r.previousStatus !== r.status && (
                    <Typography variant="caption" display="block">
                      was {r.previousStatus}
                      {r.changedFacts?.length
                        ? `; changed: ${r.changedFacts.join(', ')}`
                        : ''}
                    </Typography>
                  )}
                </>,
                r.controlId,
                r.severity,
                <>
                  {r.message}
                  {exemptionOf(r.controlId) && (
                    <Typography variant="caption" display="block">
                      exempt until{' '}
                      {exemptionOf(r.controlId)!.expiresAt.slice(0, 10)},
                      approved by {exemptionOf(r.controlId)!.approver}:{' '}
                      {exemptionOf(r.controlId)!.reason}
                    </Typography>
                  )}
                </>,
                <Age at={r.since} />,
                r.remediation ?? '',
              ],
            }))}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Evidence changed since the previous run">
          {value.factChanges.length > 0 ? (
            <FactChangesTable
              changes={value.factChanges}
              label="evidence changes"
            />
          ) : (
            <Typography variant="body2">
              {value.previousScore === null
                ? 'First run: nothing to compare with yet.'
                : 'No fact changed since the previous run.'}
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Exemptions">
          {value.exemptions.length === 0 ? (
            <Typography variant="body2">No exemptions.</Typography>
          ) : (
            <DataTable
              label="exemptions"
              columns={['Control', 'Reason', 'Approver', 'Expires', 'State']}
              rows={value.exemptions.map(e => ({
                key: String(e.id),
                cells: [
                  e.controlId,
                  e.reason,
                  e.approver,
                  <span title={e.expiresAt}>{e.expiresAt.slice(0, 10)}</span>,
                  exemptionState(e),
                ],
              }))}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
