import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  SLA_ANNOTATION,
  SLO_FILE_ANNOTATION,
  formatSloFileError,
} from '@internal/plugin-conductor-common';
import Alert from '@mui/material/Alert';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { DataTable } from '../shared';
import { isSloAvailable } from './isSloAvailable';
import { sloApiRef } from './api';
import { BURN_COLUMN, PrometheusBanner, boardRows } from './SloBoard';
import { SloHistoryCharts } from './SloCharts';
import { TeamSloBoard } from './SloPage';

/** The "SLOs" tab of a component: its SLOs now, their history, and the generated rules. */
export function SloContent() {
  const { entity } = useEntity();
  const api = useApi(sloApiRef);
  const ref = stringifyEntityRef(entity);
  const available = isSloAvailable(entity);
  const { value, loading, error } = useAsync(
    async () => (available ? api.getComponent(ref) : undefined),
    [api, ref, available],
  );
  if (!available)
    return (
      <MissingAnnotationEmptyState
        annotation={[SLO_FILE_ANNOTATION, SLA_ANNOTATION]}
      />
    );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <>
      <PrometheusBanner prometheus={value.prometheus} />
      <InfoCard
        title="SLOs"
        subheader={`measured ${new Date(value.evaluatedAt).toLocaleString()}`}
      >
        <DataTable
          label="SLOs of the component"
          dense
          columns={[
            { title: 'Service', wrap: true, minWidth: 110 },
            { title: 'SLO', wrap: true, minWidth: 110 },
            { title: 'Objective', numeric: true },
            { title: 'SLI', numeric: true },
            { title: 'Latency', numeric: true },
            { title: 'Budget left', numeric: true },
            { title: BURN_COLUMN, numeric: true, wrap: true, minWidth: 110 },
            'Alerts',
            { title: 'Cost / 1k req', numeric: true },
          ]}
          rows={boardRows([value])}
        />
        {value.slos
          .filter(s => s.reason)
          .map(s => (
            <Typography key={s.id} variant="body2" color="text.secondary">
              {s.id}: {s.reason}
            </Typography>
          ))}
        {value.fileErrors.length > 0 && (
          <Alert severity="warning" sx={{ mt: 2 }}>
            {value.fileErrors.map(e => (
              <div key={formatSloFileError(e)}>{formatSloFileError(e)}</div>
            ))}
          </Alert>
        )}
      </InfoCard>
      <InfoCard title="Budget burn-down and burn rate">
        <SloHistoryCharts detail={value} />
      </InfoCard>
      {value.rules && (
        <InfoCard
          title="Prometheus rules (Sloth format)"
          subheader="conductor slo rules --file … prints the same"
        >
          <pre style={{ maxHeight: 320, overflow: 'auto', fontSize: 12 }}>
            {value.rules}
          </pre>
        </InfoCard>
      )}
    </>
  );
}

/** The "SLO board" tab of a team (group): the team's board. */
export function TeamSloContent() {
  const { entity } = useEntity();
  return <TeamSloBoard teamRef={stringifyEntityRef(entity)} />;
}
