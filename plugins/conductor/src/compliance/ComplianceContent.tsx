import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ControlStatus,
  ListedControl,
  StoredExemption,
  conductorComplianceRunPermission,
  conductorExemptionApprovePermission,
  conductorExemptionRevokePermission,
} from '@internal/plugin-conductor-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { REMEDIATION_RECIPES } from '@internal/plugin-conductor-common';
import { FixWithPrButton } from '../remediation/FixWithPrButton';
import { RemediationLink } from '../remediation/RecipesCard';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useAsync from 'react-use/esm/useAsync';
import { ComplianceApi, complianceApiRef } from './api';
import { FactChangesTable } from './FactChanges';
import { explainResult } from './why';
import {
  ActionButton,
  Age,
  ChartFigure,
  DataTable,
  EntityLink,
  RequestExemptionDialog,
  formatDay,
  formatDelta,
  formatScore,
  percentTick,
  toPercentPoint,
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

/** Where an exemption stands: asked for, counting, ended by its date, or revoked. */
export function exemptionState(
  e: Pick<StoredExemption, 'status' | 'expiresAt' | 'revokedAt'>,
  now = Date.now(),
): 'requested' | 'active' | 'expired' | 'revoked' {
  if (e.status === 'revoked' || e.revokedAt) return 'revoked';
  if (Date.parse(e.expiresAt) <= now) return 'expired';
  return e.status;
}

/** The loaded controls by id; none when the list cannot be read (the tab still works). */
export function useControls(api: ComplianceApi) {
  return useAsync(async () => {
    try {
      const { controls } = await api.listControls();
      return new Map(controls.map(c => [c.id, c]));
    } catch {
      return new Map<string, ListedControl>();
    }
  }, [api]).value;
}

/** A control's title with its id, the description on hover. */
export function ControlName(props: { id: string; control?: ListedControl }) {
  const { id, control } = props;
  if (!control) return <>{id}</>;
  return (
    <Tooltip title={control.description ?? control.title}>
      <span>
        {control.title}
        <Typography variant="caption" display="block" color="text.secondary">
          {id}
        </Typography>
      </span>
    </Tooltip>
  );
}

/** What can be done about a control's result: ask for an exemption, or see that one is asked for. */
function ExemptionAction(props: {
  status: ControlStatus;
  pending: boolean;
  entityRef: string;
  controlId: string;
  controlTitle?: string;
  onDone: () => void;
}) {
  if (props.pending)
    return <Typography variant="caption">exemption requested</Typography>;
  if (props.status !== 'fail' && props.status !== 'error') return null;
  return (
    <RequestExemptionDialog
      entityRef={props.entityRef}
      controlId={props.controlId}
      controlTitle={props.controlTitle}
      onDone={props.onDone}
    />
  );
}

/** The "Compliance" tab: each control's status and why, the score and its trend, and the actions on them. */
export function ComplianceContent() {
  const { entity } = useEntity();
  const api = useApi(complianceApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getCompliance(entityRef),
    [api, entityRef],
  );
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
      onDone={retry}
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
  const results = [...value.results].sort(
    (a, b) =>
      ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
      a.controlId.localeCompare(b.controlId),
  );
  const count = (s: ControlStatus) =>
    value.results.filter(r => r.status === s).length;
  const exemptionOf = (controlId: string) =>
    value.exemptions.find(
      e => e.controlId === controlId && exemptionState(e) === 'active',
    );
  const pendingFor = (controlId: string) =>
    value.exemptions.some(
      e => e.controlId === controlId && exemptionState(e) === 'requested',
    );
  const trend = value.history.map(h => ({
    run: `#${h.runId}`,
    score: toPercentPoint(h.score),
  }));
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Compliance score" subheader={`run #${value.runId}`}>
          <Typography variant="h3" data-testid="compliance-score">
            {formatScore(value.score)}
          </Typography>
          <Typography variant="body1">
            {value.previousScore === null
              ? 'first run'
              : `${formatDelta(
                  value.score,
                  value.previousScore,
                )} since the previous run`}
          </Typography>
          <Typography variant="body2" sx={{ mt: 1, mb: 1 }}>
            {count('pass')} passing, {count('fail')} failing, {count('error')}{' '}
            errors, {count('exempt')} exempt
          </Typography>
          {runButton}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Trend" subheader="score per run">
          <ChartFigure
            label="compliance trend"
            height={180}
            points={trend.length}
            fewPoints={`One run so far (${formatScore(
              value.score,
            )}); the trend shows from the second run.`}
          >
            <LineChart data={trend} margin={{ top: 8, right: 16 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="run" />
              <YAxis domain={[0, 100]} tickFormatter={percentTick} width={56} />
              <ChartTooltip formatter={(v: number) => `${v} %`} />
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
            columns={[
              'Status',
              { title: 'Control', wrap: true, minWidth: 180 },
              'Severity',
              { title: 'Why', wrap: true, minWidth: 260 },
              'Since',
              { title: 'Fix', wrap: true, minWidth: 200 },
            ]}
            rows={results.map(r => {
              const exemption = exemptionOf(r.controlId);
              const control = controls?.get(r.controlId);
              return {
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
                  <ControlName id={r.controlId} control={control} />,
                  r.severity,
                  <>
                    {/* An exempt result's message says who approved it until
                        when; the line below says it with links instead. */}
                    {!(exemption && r.status === 'exempt') && (
                      <span title={r.message}>
                        {explainResult(r, control?.check)}
                      </span>
                    )}
                    {exemption && (
                      <Typography variant="caption" display="block">
                        exempt until {formatDay(exemption.expiresAt)}, approved
                        by <EntityLink entityRef={exemption.approver} />:{' '}
                        {exemption.reason}
                      </Typography>
                    )}
                  </>,
                  <Age at={r.since} />,
                  <>
                    {/* how to fix, where there is something to fix */}
                    {r.remediation &&
                      (r.status === 'fail' ||
                        r.status === 'error' ||
                        r.status === 'exempt') && (
                        <RemediationLink remediation={r.remediation} />
                      )}
                    {(r.status === 'fail' || r.status === 'error') &&
                      r.remediation &&
                      r.remediation in REMEDIATION_RECIPES && (
                        <FixWithPrButton
                          entityRef={entityRef}
                          controlId={r.controlId}
                          onDone={retry}
                        />
                      )}
                    <ExemptionAction
                      status={r.status}
                      pending={pendingFor(r.controlId)}
                      entityRef={entityRef}
                      controlId={r.controlId}
                      controlTitle={control?.title}
                      onDone={retry}
                    />
                  </>,
                ],
              };
            })}
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
      <Grid item xs={12}>
        <InfoCard title="Exemptions">
          {value.exemptions.length === 0 ? (
            <Typography variant="body2">No exemptions.</Typography>
          ) : (
            <DataTable
              label="exemptions"
              columns={[
                'Control',
                { title: 'Reason', wrap: true },
                'Approver',
                'Expires',
                'State',
                'Requested by',
                '',
              ]}
              rows={value.exemptions.map(e => {
                const state = exemptionState(e);
                return {
                  key: String(e.id),
                  cells: [
                    e.controlId,
                    e.reason,
                    e.approver ? <EntityLink entityRef={e.approver} /> : '—',
                    <span title={e.expiresAt}>{formatDay(e.expiresAt)}</span>,
                    state,
                    <EntityLink entityRef={e.createdBy} />,
                    <Box sx={{ whiteSpace: 'nowrap' }}>
                      {state === 'requested' && (
                        <ActionButton
                          label="Approve"
                          permission={conductorExemptionApprovePermission}
                          resourceRef={e.entityRef}
                          run={async () => {
                            await api.approveExemption(e.id);
                            return 'Approved; it counts from the next run.';
                          }}
                          onDone={retry}
                        />
                      )}
                      {(state === 'requested' || state === 'active') && (
                        <ActionButton
                          label="Revoke"
                          color="error"
                          permission={conductorExemptionRevokePermission}
                          resourceRef={e.entityRef}
                          run={async () => {
                            await api.revokeExemption(e.id);
                            return 'Revoked.';
                          }}
                          onDone={retry}
                        />
                      )}
                    </Box>,
                  ],
                };
              })}
            />
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
