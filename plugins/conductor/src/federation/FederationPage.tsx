import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  CiLibraryVersion,
  conductorFederationPinPermission,
  FederationBoardResponse,
  FederationRepository,
  FederationStatus,
} from '@internal/plugin-conductor-common';
import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ActionButton,
  ChartFigure,
  DataTable,
  EntityLink,
  formatAgo,
} from '../shared';
import { federationApiRef } from './api';

const STATUS_LABEL: Record<FederationStatus, string> = {
  current: 'current',
  behind: 'behind',
  mismatch: 'CI lib mismatch',
  'unknown-version': 'unknown version',
  unpinned: 'not on ig-ci',
  unreadable: 'workflow unreadable',
};
const STATUS_COLOR: Record<
  FederationStatus,
  'success' | 'warning' | 'error' | 'default'
> = {
  current: 'success',
  behind: 'warning',
  mismatch: 'error',
  'unknown-version': 'error',
  unpinned: 'default',
  unreadable: 'error',
};
const GATE_COLOR = {
  pass: 'success',
  fail: 'error',
  error: 'warning',
  skipped: 'default',
} as const;
const VERSION_COLORS = [
  '#1976d2',
  '#2e7d32',
  '#ed6c02',
  '#6a1b9a',
  '#00838f',
  '#c62828',
  '#5d4037',
];

/** The release before `version`, the runbook's `vPrev`. */
function previousOf(versions: CiLibraryVersion[], version?: string) {
  const i = versions.findIndex(v => v.version === version);
  return i > 0 ? versions[i - 1].version : undefined;
}

function PinActions(props: {
  repo: FederationRepository;
  board: FederationBoardResponse;
  onDone: () => void;
}) {
  const api = useApi(federationApiRef);
  const { repo, board } = props;
  const prev = previousOf(board.versions, repo.version);
  const perm = {
    permission: conductorFederationPinPermission,
    resourceRef: repo.entityRef,
  };
  const pin = (version: string) => async () => {
    const res = await api.pin({ entityRef: repo.entityRef, version });
    return `${res.pullRequest.created ? 'Opened' : 'Updated'} ${
      res.pullRequest.url
    }: ${res.from} → ${res.to}`;
  };
  return (
    <>
      {repo.version && repo.version !== board.latest && (
        <ActionButton
          {...perm}
          label={`Upgrade to ${board.latest}`}
          variant="contained"
          run={pin(board.latest)}
          onDone={props.onDone}
        />
      )}
      {prev && (
        <ActionButton
          {...perm}
          label={`Roll back to ${prev}`}
          color="error"
          run={pin(prev)}
          onDone={props.onDone}
        />
      )}
    </>
  );
}

function Gates(props: { gates: string[]; empty: string }) {
  if (!props.gates.length)
    return (
      <Typography variant="body2" color="text.secondary">
        {props.empty}
      </Typography>
    );
  return <>{props.gates.join(', ')}</>;
}

function LastResults(props: { repo: FederationRepository }) {
  const r = props.repo.lastResults;
  if (!r)
    return (
      <Typography variant="body2" color="text.secondary">
        none pushed
      </Typography>
    );
  return (
    <>
      {Object.entries(r.gates).map(([gate, status]) => (
        <Chip
          key={gate}
          size="small"
          sx={{ mr: 0.5, mb: 0.5 }}
          label={`${gate}: ${status}`}
          color={GATE_COLOR[status ?? 'skipped']}
        />
      ))}
      <Typography variant="caption" display="block" color="text.secondary">
        {r.version ? `on ${r.version}, ` : ''}
        {formatAgo(r.observedAt)}
      </Typography>
    </>
  );
}

function Pin(props: { repo: FederationRepository }) {
  const { repo } = props;
  if (!repo.ref) return <>—</>;
  return (
    <>
      <code>@{repo.ref}</code>
      {repo.version && repo.version !== repo.ref ? ` (${repo.version})` : ''}
      {repo.unresolved && (
        <Typography variant="caption" display="block" color="error">
          {repo.unresolved}
        </Typography>
      )}
      <Typography variant="caption" display="block" color="text.secondary">
        {repo.pinnedAt}
      </Typography>
    </>
  );
}

function Drift(props: { repo: FederationRepository }) {
  const d = props.repo.drift;
  if (!d || d.versionsBehind === null) return <>—</>;
  if (d.versionsBehind === 0) return <>up to date</>;
  return (
    <>
      {d.versionsBehind} {d.versionsBehind === 1 ? 'version' : 'versions'}{' '}
      behind {d.latest}
      {d.gatesAddedSince.length > 0 && (
        <Typography variant="caption" display="block" color="text.secondary">
          added since: {d.gatesAddedSince.join(', ')}
        </Typography>
      )}
    </>
  );
}

/**
 * The federation board: which ig-ci version each repository pins, how far
 * behind the newest release it is, which gates it runs and misses, the last
 * gate results, adoption over time, and upgrade or rollback by pull request.
 */
export function FederationPage() {
  const api = useApi(federationApiRef);
  const [reload, setReload] = useState(0);
  const {
    value: board,
    loading,
    error,
  } = useAsync(() => api.getBoard(90), [api, reload]);
  if (loading && !board) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!board) return null;
  const versions = [
    ...new Set(board.adoption.flatMap(p => Object.keys(p.byVersion))),
  ].sort();
  const mismatches = board.repositories.filter(r => r.status === 'mismatch');
  const unreadable = board.repositories.filter(r => r.errors.length > 0);
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Typography variant="body1">
            <code>{board.library}</code>, newest release{' '}
            <strong>{board.latest}</strong>; the "CI lib mismatch" alert goes to
            a repository's owner beyond {board.maxVersionsBehind}{' '}
            {board.maxVersionsBehind === 1 ? 'version' : 'versions'} behind.{' '}
            <Link href={board.runbookUrl} target="_blank" rel="noopener">
              Runbook: Federation Rollback
            </Link>
          </Typography>
          {mismatches.length > 0 && (
            <Alert severity="error" sx={{ mt: 2 }}>
              CI lib mismatch:{' '}
              {mismatches
                .map(
                  r =>
                    `${r.entityRef} (${r.ref}, ${r.drift?.versionsBehind} behind)`,
                )
                .join('; ')}
            </Alert>
          )}
          {unreadable.map(r => (
            <Alert key={r.entityRef} severity="warning" sx={{ mt: 2 }}>
              {r.entityRef}:{' '}
              {r.errors
                .map(e => `${e.file}:${e.line}:${e.column} ${e.message}`)
                .join('; ')}
            </Alert>
          ))}
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title="Repositories"
            subheader={`${board.repositories.length} repositories`}
          >
            <DataTable
              label="repositories on the CI library"
              columns={[
                { title: 'Repository', sortable: true },
                { title: 'Status', sortable: true },
                { title: 'Pinned', sortable: true },
                { title: 'Drift', numeric: true, sortable: true },
                { title: 'Gates present', wrap: true },
                { title: 'Gates missing', wrap: true },
                { title: 'Last results', wrap: true },
                { title: '' },
              ]}
              initialSort={{ column: 3, direction: 'desc' }}
              rows={board.repositories.map(r => ({
                key: r.entityRef,
                cells: [
                  <EntityLink entityRef={r.entityRef} />,
                  <Chip
                    size="small"
                    label={STATUS_LABEL[r.status]}
                    color={STATUS_COLOR[r.status]}
                  />,
                  <Pin repo={r} />,
                  <Drift repo={r} />,
                  <Gates gates={r.drift?.gatesPresent ?? []} empty="none" />,
                  <Gates gates={r.drift?.gatesMissing ?? []} empty="none" />,
                  <LastResults repo={r} />,
                  <PinActions
                    repo={r}
                    board={board}
                    onDone={() => setReload(n => n + 1)}
                  />,
                ],
                sortValues: [
                  r.entityRef,
                  r.status,
                  r.version ?? r.ref,
                  r.drift?.versionsBehind ?? null,
                  null,
                  null,
                  null,
                  null,
                ],
              }))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={8}>
          <InfoCard
            title="Adoption over time"
            subheader="repositories per ig-ci version, per day"
          >
            <ChartFigure
              label="adoption of the CI library"
              height={260}
              points={board.adoption.length}
              fewPoints={
                board.adoption.length
                  ? `One day of data so far: ${Object.entries(
                      board.adoption[0].byVersion,
                    )
                      .map(([v, n]) => `${v} ${n}`)
                      .join(', ')}.`
                  : 'No scan yet.'
              }
            >
              <BarChart
                data={board.adoption.map(p => ({ day: p.day, ...p.byVersion }))}
                margin={{ top: 8, right: 16 }}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" />
                <YAxis allowDecimals={false} width={40} />
                <Tooltip />
                <Legend />
                {versions.map((v, i) => (
                  <Bar
                    key={v}
                    dataKey={v}
                    stackId="a"
                    name={v}
                    fill={VERSION_COLORS[i % VERSION_COLORS.length]}
                  />
                ))}
              </BarChart>
            </ChartFigure>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={4}>
          <InfoCard title="Releases">
            <DataTable
              label="CI library releases"
              columns={['Version', 'Released', 'Gates']}
              rows={[...board.versions].reverse().map(v => ({
                key: v.version,
                cells: [v.version, v.released, Object.keys(v.gates).length],
              }))}
            />
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}
