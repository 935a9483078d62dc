import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';

import Alert from '@mui/material/Alert';
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
import useAsync from 'react-use/esm/useAsync';
import { readinessApiRef } from './api';
import { DataTable, ChartFigure, Age } from '../shared';

const GREEN = '#2e7d32';
const RED = '#c62828';
const AMBER = '#ed6c02';

/** Red for a missing component, green at 0.9 and above, amber between. */
function barColor(bar: { missing: boolean; value: number }): string {
  if (bar.missing) return RED;
  return bar.value >= 0.9 ? GREEN : AMBER;
}

/** The score as a half-circle gauge with the threshold beside it. */
export function ReadinessGauge(props: { score: number; threshold: number }) {
  const ok = props.score >= props.threshold;
  return (
    <div
      role="figure"
      aria-label="readiness gauge"
      style={{ width: '100%', height: 180, position: 'relative' }}
    >
      <ResponsiveContainer>
        <RadialBarChart
          innerRadius="70%"
          outerRadius="100%"
          startAngle={180}
          endAngle={0}
          cy="80%"
          data={[{ value: props.score }]}
        >
          <PolarAngleAxis type="number" domain={[0, 1]} tick={false} />
          <RadialBar
            dataKey="value"
            background
            fill={ok ? GREEN : RED}
            isAnimationActive={false}
          />
        </RadialBarChart>
      </ResponsiveContainer>
      <div
        style={{
          position: 'absolute',
          top: '50%',
          width: '100%',
          textAlign: 'center',
        }}
      >
        <Typography variant="h4" data-testid="readiness-score">
          {props.score.toFixed(2)}
        </Typography>
        <Typography variant="body2">threshold {props.threshold}</Typography>
      </div>
    </div>
  );
}

/**
 * The "Readiness" tab: the production readiness score, what it is made of,
 * the one change that would raise it most, and the gate's recent answers.
 */
export function ReadinessContent() {
  const { entity } = useEntity();
  const api = useApi(readinessApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => api.getReadiness(entityRef),
    [api, entityRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const threshold = value.thresholds.production;
  const allowed = value.score >= threshold;
  const bars = value.components.map(c => ({
    id: c.id,
    value: c.value,
    missing: c.missing,
  }));
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Production readiness">
          <ReadinessGauge score={value.score} threshold={threshold} />
          <Chip
            label={
              allowed
                ? 'Promotion to production allowed'
                : 'Promotion to production blocked'
            }
            color={allowed ? 'success' : 'error'}
            sx={{ mt: 1 }}
          />
          {value.next && (
            <Alert severity="info" sx={{ mt: 2 }}>
              <strong>Next:</strong> {value.next.action} (+
              {value.next.gain.toFixed(3)})
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
          subheader="value of each part (0..1); missing data counts 0"
        >
          <ChartFigure label="readiness components" height={220}>
            <BarChart
              data={bars}
              layout="vertical"
              margin={{ left: 40, right: 16 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" domain={[0, 1]} />
              <YAxis type="category" dataKey="id" width={100} />
              <Tooltip />
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
            columns={['Component', 'Value', 'Weight', 'Adds', 'Why']}
            rows={value.components.map(c => ({
              key: c.id,
              cells: [
                c.id,
                c.missing ? 'missing' : c.value.toFixed(3),
                c.weight,
                c.contribution.toFixed(4),
                c.explanation,
              ],
            }))}
          />
        </InfoCard>
      </Grid>
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
                'Score',
                'Asked by',
                'Reason',
              ]}
              rows={value.decisions.map(d => ({
                key: String(d.decisionId),
                cells: [
                  <Age at={d.decidedAt} suffix=" ago" />,
                  d.environment,
                  d.version ?? '',
                  d.allowed ? 'allowed' : 'blocked',
                  `${d.score ?? 'n/a'} / ${d.threshold}`,
                  d.requestedBy,
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
