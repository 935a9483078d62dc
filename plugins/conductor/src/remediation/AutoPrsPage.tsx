import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ChangeRequest,
  conductorRemediationMergePermission,
} from '@internal/plugin-conductor-common';
import Grid from '@mui/material/Grid';
import Link from '@mui/material/Link';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  ActionButton,
  DataTable,
  EntityLink,
  formatAgo,
  formatHours,
  formatPercent,
} from '../shared';
import { remediationApiRef } from './api';
import { AutoPrRateChart, MergeTimeChart } from './AutoPrCharts';
import { RecipesCard } from './RecipesCard';

/** A team as a link to its Conductor tab. */
const TeamLink = (props: { team?: string }) =>
  props.team ? (
    <EntityLink entityRef={props.team} tab="conductor" />
  ) : (
    <>unowned</>
  );

function ChangeRequestActions(props: {
  cr: ChangeRequest;
  onDone: () => void;
}) {
  const api = useApi(remediationApiRef);
  if (props.cr.state !== 'open' && props.cr.state !== 'blocked') return null;
  const perm = {
    permission: conductorRemediationMergePermission,
    resourceRef: props.cr.entityRef,
  };
  return (
    <>
      <ActionButton
        {...perm}
        label="Merge"
        variant="contained"
        onDone={props.onDone}
        run={async () => {
          const merged = await api.merge(props.cr.id);
          return `Merged into ${merged.repository}; the next evidence collection will see it.`;
        }}
      />
      <ActionButton
        {...perm}
        label="Close"
        color="error"
        onDone={props.onDone}
        run={async () => {
          await api.close(props.cr.id);
          return 'Closed; the bot will not propose these fixes again until the results change.';
        }}
      />
    </>
  );
}

/**
 * The "Auto-PRs" page: what the remediation bot opened, updated, merged and
 * closed, the auto-PR rate per week, and merge rate and median time to merge
 * per team; open pull requests can be merged or closed from here.
 */
export function AutoPrsPage() {
  const api = useApi(remediationApiRef);
  const [reload, setReload] = useState(0);
  const { value, loading, error } = useAsync(
    async () => ({ log: await api.getLog(), stats: await api.getStats() }),
    [api, reload],
  );
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const { log, stats } = value;
  const teams = stats.teams.filter(t => t.team !== 'all');
  const all = stats.teams.find(t => t.team === 'all');
  const refresh = () => setReload(n => n + 1);
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Auto-PR rate"
            subheader={`pull requests the bot opened and merged per week; ${
              all?.opened ?? 0
            } opened, ${all?.merged ?? 0} merged in all`}
          >
            <AutoPrRateChart weeks={stats.weeks} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Median time to merge by team"
            subheader={`all teams: ${formatHours(
              all?.medianHoursToMerge ?? null,
            )}`}
          >
            <MergeTimeChart label="median time to merge" teams={teams} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Auto-PRs by team">
            <DataTable
              label="auto-PRs by team"
              columns={[
                { title: 'Team', sortable: true },
                { title: 'Opened', numeric: true, sortable: true },
                { title: 'Merged', numeric: true, sortable: true },
                { title: 'Closed', numeric: true, sortable: true },
                { title: 'Open', numeric: true, sortable: true },
                { title: 'Merge rate', numeric: true, sortable: true },
                {
                  title: 'Median time to merge',
                  numeric: true,
                  sortable: true,
                },
              ]}
              rows={teams.map(t => ({
                key: t.team,
                cells: [
                  <TeamLink team={t.team} />,
                  t.opened,
                  t.merged,
                  t.closed,
                  t.open,
                  formatPercent(t.mergeRate),
                  formatHours(t.medianHoursToMerge),
                ],
                sortValues: [
                  t.team,
                  t.opened,
                  t.merged,
                  t.closed,
                  t.open,
                  t.mergeRate,
                  t.medianHoursToMerge,
                ],
              }))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title="Pull requests"
            subheader="one per repository; merge or close the open ones here"
          >
            <DataTable
              label="auto-PR pull requests"
              columns={[
                'Component',
                'Team',
                'State',
                { title: 'Controls', wrap: true },
                'Opened',
                'Pull request',
                { title: 'Why stopped', wrap: true },
                'Actions',
              ]}
              rows={log.changeRequests.map(cr => ({
                key: String(cr.id),
                cells: [
                  <EntityLink entityRef={cr.entityRef} />,
                  <TeamLink team={cr.team} />,
                  cr.state,
                  cr.controls.join(', '),
                  formatAgo(cr.openedAt),
                  cr.url ? (
                    <Link href={cr.url}>#{cr.number}</Link>
                  ) : (
                    `${cr.branch}`
                  ),
                  cr.blockedReason ?? '',
                  <ChangeRequestActions cr={cr} onDone={refresh} />,
                ],
              }))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard
            title="Auto-PR log"
            subheader="every pull request opened, updated, merged or closed, and every repository the bot could not fix"
          >
            <DataTable
              label="auto-PR log"
              columns={[
                'When',
                'What',
                'Component',
                'Team',
                { title: 'Controls', wrap: true },
                { title: 'Details', wrap: true },
              ]}
              rows={log.events.map(e => ({
                key: String(e.id),
                cells: [
                  new Date(e.at).toISOString().replace('T', ' ').slice(0, 16),
                  e.kind,
                  <EntityLink entityRef={e.entityRef} />,
                  <TeamLink team={e.team} />,
                  e.controls.join(', '),
                  e.message,
                ],
              }))}
            />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <RecipesCard />
        </Grid>
      </Grid>
    </Content>
  );
}
