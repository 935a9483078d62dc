import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  EntityReadinessResponse,
  PromotionOverride,
  conductorOverrideApprovePermission,
  conductorOverrideRevokePermission,
} from '@internal/plugin-conductor-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  PolarAngleAxis,
  RadialBar,
  RadialBarChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from './api';
import { gateAnswers } from './gate';
import {
  ActionButton,
  Age,
  ChartFigure,
  DataTable,
  EntityLink,
  RequestOverrideDialog,
  formatDay,
  formatPoints,
  formatScore,
  percentTick,
  toPercentPoint,
} from '../shared';

const GREEN = '#2e7d32';
const RED = '#c62828';
const AMBER = '#ed6c02';

/** Red for a missing component, green at 90 % and above, amber between. */
function barColor(bar: { missing: boolean; value: number | null }): string {
  if (bar.missing) return RED;
  return (bar.value ?? 0) >= 90 ? GREEN : AMBER;
}

/** The readiness response, with the overrides when the backend lists them. */
type ReadinessWithOverrides = EntityReadinessResponse & {
  overrides?: PromotionOverride[];
};

/**
 * The score as a half-circle gauge. The number and the threshold sit under
 * the arc, never on it.
 */
export function ReadinessGauge(props: { score: number; threshold: number }) {
  const ok = props.score >= props.threshold;
  return (
    <div role="figure" aria-label="readiness gauge" style={{ width: '100%' }}>
      <div style={{ width: '100%', height: 110 }}>
        <ResponsiveContainer>
          <RadialBarChart
            innerRadius={72}
            outerRadius={100}
            startAngle={180}
            endAngle={0}
            cy="100%"
            data={[{ value: toPercentPoint(props.score) }]}
          >
            <PolarAngleAxis type="number" domain={[0, 100]} tick={false} />
            <RadialBar
              dataKey="value"
              background
              fill={ok ? GREEN : RED}
              isAnimationActive={false}
            />
          </RadialBarChart>
        </ResponsiveContainer>
      </div>
      <Box sx={{ textAlign: 'center', mt: 1 }}>
        <Typography variant="h4" data-testid="readiness-score">
          {formatScore(props.score)}
        </Typography>
        <Typography variant="body2">
          production threshold {formatScore(props.threshold)}
        </Typography>
      </Box>
    </div>
  );
}

/**
 * The "Readiness" tab: the production readiness score, what it is made of,
 * the one change that would raise it most, the gate's answer per
 * environment, its recent decisions and break-glass overrides.
 */
export function ReadinessContent() {
  const { entity } = useEntity();
  const api = useApi(readinessApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getReadiness(entityRef) as Promise<ReadinessWithOverrides>,
    [api, entityRef],
  );
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const threshold = value.thresholds.production;
  const answers = gateAnswers(value.score, value.thresholds);
  const bars = value.components.map(c => ({
    id: c.id,
    value: toPercentPoint(c.value),
    missing: c.missing,
  }));
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Production readiness">
          <ReadinessGauge score={value.score} threshold={threshold} />
          {answers.map(a => (
            <Box key={a.environment} sx={{ mt: 1 }}>
              <Chip
                label={`Promotion to ${a.environment} ${
                  a.allowed ? 'allowed' : 'blocked'
                }`}
                color={a.allowed ? 'success' : 'error'}
                sx={{ mr: 1 }}
              />
              {!a.allowed && (
                <RequestOverrideDialog
                  entityRef={entityRef}
                  environment={a.environment}
                  onDone={retry}
                />
              )}
            </Box>
          ))}
          {value.next && (
            <Alert severity="info" sx={{ mt: 2 }}>
              <strong>Next:</strong> {value.next.action} (
              {formatPoints(value.next.gain)})
            </Alert>
          )}
          {value.untrustedFacts.length > 0 && (
            <Alert severity="warning" sx={{ mt: 2 }}>
              Ignored (untrusted source): {value.untrustedFacts.join(', ')}
            </Alert>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title="Components"
          subheader="value of each part in percent; missing data counts 0"
        >
          <ChartFigure label="readiness components" height={220}>
            <BarChart
              data={bars}
              layout="vertical"
              margin={{ left: 8, right: 24 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                type="number"
                domain={[0, 100]}
                tickFormatter={percentTick}
              />
              <YAxis type="category" dataKey="id" width={110} />
              <Tooltip formatter={(v: number) => `${v} %`} />
              <Bar dataKey="value" isAnimationActive={false}>
                {bars.map(b => (
                  <Cell key={b.id} fill={barColor(b)} />
                ))}
              </Bar>
            </BarChart>
          </ChartFigure>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="How the score is made">
          <DataTable
            label="readiness components"
            columns={[
              'Component',
              { title: 'Value', numeric: true },
              { title: 'Weight', numeric: true },
              { title: 'Adds', numeric: true },
              { title: 'Why', wrap: true },
            ]}
            rows={value.components.map(c => ({
              key: c.id,
              cells: [
                c.id,
                c.missing ? 'missing' : formatScore(c.value),
                formatScore(c.weight),
                formatPoints(c.contribution),
                c.explanation,
              ],
            }))}
          />
        </InfoCard>
      </Grid>
      {value.overrides && value.overrides.length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Break-glass overrides">
            <DataTable
              label="overrides"
              columns={[
                'Environment',
                { title: 'Reason', wrap: true },
                'Requested by',
                'Approver',
                'Expires',
                '',
              ]}
              rows={value.overrides.map(o => ({
                key: String(o.id),
                cells: [
                  o.environment,
                  o.reason,
                  <EntityLink entityRef={o.createdBy} />,
                  o.approver ? <EntityLink entityRef={o.approver} /> : '—',
                  <span title={o.expiresAt}>{formatDay(o.expiresAt)}</span>,
                  <Box sx={{ whiteSpace: 'nowrap' }}>
                    {o.status === 'requested' && (
                      <ActionButton
                        label="Approve"
                        permission={conductorOverrideApprovePermission}
                        resourceRef={o.entityRef}
                        run={async () => {
                          await api.approveOverride(o.id);
                          return 'Approved: the gate lets releases through until it expires.';
                        }}
                        onDone={retry}
                      />
                    )}
                    {o.status !== 'revoked' && (
                      <ActionButton
                        label="Revoke"
                        color="error"
                        permission={conductorOverrideRevokePermission}
                        resourceRef={o.entityRef}
                        run={async () => {
                          await api.revokeOverride(o.id);
                          return 'Revoked.';
                        }}
                        onDone={retry}
                      />
                    )}
                  </Box>,
                ],
              }))}
            />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title="Recent promotion decisions">
          {value.decisions.length === 0 ? (
            <Typography variant="body2">
              No promotion checked yet. CI asks with "conductor prs-check
              --entity {entityRef} --env production".
            </Typography>
          ) : (
            <DataTable
              label="promotion decisions"
              columns={[
                'When',
                'Environment',
                'Version',
                'Answer',
                { title: 'Score', numeric: true },
                'Asked by',
                { title: 'Reason', wrap: true },
              ]}
              rows={value.decisions.map(d => ({
                key: String(d.decisionId),
                cells: [
                  <Age at={d.decidedAt} />,
                  d.environment,
                  d.version ?? '',
                  d.allowed ? 'allowed' : 'blocked',
                  `${formatScore(d.score)} of ${formatScore(d.threshold)}`,
                  <EntityLink entityRef={d.requestedBy} />,
                  d.reasons[0],
                ],
              }))}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
