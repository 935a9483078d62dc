import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useAppLocation } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  BackfillListResponse,
  conductorBackfillControlPermission,
} from '@internal/plugin-conductor-common';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ActionButton, DataTable, EntityLink, formatPercent } from '../shared';
import { backfillApiRef } from './api';
import { BackfillRun, BackfillState, formatEta } from './BackfillRun';

/**
 * Definitions (with Start) and runs (select one to watch it), optionally
 * only those of one owning entity.
 */
export function BackfillsView(props: { owner?: string }) {
  const api = useApi(backfillApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.list(),
    [api],
  );
  // `?run=` selects a run: the backfill cost alert links here with its run.
  const linkedRun =
    Number(new URLSearchParams(useAppLocation().search).get('run')) ||
    undefined;
  const [selected, setSelected] = useState<number | undefined>(linkedRun);
  const mine = <T extends { owner: string }>(xs: T[]) =>
    props.owner ? xs.filter(x => x.owner === props.owner) : xs;
  const list: (BackfillListResponse & { problems?: string[] }) | undefined =
    value;
  const runs = list ? mine(list.runs) : [];
  const firstRun = runs[0]?.id;
  useEffect(() => {
    if (selected === undefined && firstRun !== undefined) setSelected(firstRun);
  }, [selected, firstRun]);
  if (loading && !list) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!list) return null;
  const definitions = mine(list.definitions);
  return (
    <>
      {!props.owner &&
        (list.problems ?? []).map(p => (
          <Alert severity="error" key={p} sx={{ mb: 1 }}>
            Refused definition: {p}
          </Alert>
        ))}
      <InfoCard title="Backfill definitions">
        {definitions.length === 0 ? (
          <Typography variant="body2">
            No backfill definitions{props.owner ? ' for this entity' : ''}.
          </Typography>
        ) : (
          <DataTable
            label="backfill definitions"
            columns={['Backfill', 'Owner', 'Table', 'Source', '']}
            rows={definitions.map(d => ({
              key: d.id,
              cells: [
                d.description ? `${d.id} — ${d.description}` : d.id,
                <EntityLink key="o" entityRef={d.owner} />,
                `${d.connection}.${d.table}`,
                d.source,
                <ActionButton
                  key="s"
                  label="Start"
                  variant="contained"
                  permission={conductorBackfillControlPermission}
                  resourceRef={d.owner}
                  run={async () => {
                    const r = await api.start(d.id);
                    setSelected(r.id);
                    return `run #${r.id} enqueued`;
                  }}
                  onDone={retry}
                />,
              ],
            }))}
          />
        )}
      </InfoCard>
      <InfoCard title="Runs">
        {runs.length === 0 ? (
          <Typography variant="body2">No runs yet.</Typography>
        ) : (
          <DataTable
            label="backfill runs"
            columns={[
              'Run',
              'Backfill',
              'State',
              { title: 'Progress', numeric: true },
              { title: 'Rows/s', numeric: true },
              'ETA',
              { title: 'Why', wrap: true },
              '',
            ]}
            rows={runs.map(r => ({
              key: String(r.id),
              cells: [
                `#${r.id}`,
                r.definitionId,
                <BackfillState key="s" state={r.state} />,
                formatPercent(r.progress),
                r.rowsPerSecond,
                formatEta(r.etaSeconds),
                r.reason ?? '',
                <Button
                  key="w"
                  size="small"
                  onClick={() => setSelected(r.id)}
                  disabled={selected === r.id}
                >
                  Watch
                </Button>,
              ],
            }))}
          />
        )}
      </InfoCard>
      {selected !== undefined && (
        <BackfillRun key={selected} runId={selected} onChange={retry} />
      )}
    </>
  );
}

/** The "Backfills" page: every backfill the user may see. */
export function BackfillsPage() {
  return <BackfillsView />;
}

/** The "Backfills" tab of a component: its own backfills. */
export function BackfillContent() {
  const { entity } = useEntity();
  return <BackfillsView owner={stringifyEntityRef(entity)} />;
}
