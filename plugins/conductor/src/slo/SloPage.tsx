import {
  Content,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useAppLocation } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { DataTable } from '../shared';
import { sloApiRef } from './api';
import { PrometheusBanner, SloBoard } from './SloBoard';

/** The board of one team, loaded. */
export function TeamSloBoard(props: { teamRef: string }) {
  const api = useApi(sloApiRef);
  const { value, loading, error } = useAsync(
    () => api.getBoard(props.teamRef),
    [api, props.teamRef],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return <SloBoard board={value} />;
}

/** Teams with SLOs, each linking to its board. */
export function SloTeams() {
  const api = useApi(sloApiRef);
  const { value, loading, error } = useAsync(() => api.getTeams(), [api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <>
      <PrometheusBanner prometheus={value.prometheus} />
      <InfoCard
        title="Team SLO boards"
        subheader="teams owning components with SLOs"
      >
        <DataTable
          label="teams with SLOs"
          columns={[
            { title: 'Team', sortable: true },
            { title: 'Services', sortable: true, numeric: true },
            { title: 'SLOs', sortable: true, numeric: true },
          ]}
          rows={value.teams.map(t => ({
            key: t.team,
            cells: [
              <Link to={`?team=${encodeURIComponent(t.team)}`}>
                {t.title ?? t.team.replace(/^group:default\//, '')}
              </Link>,
              t.services,
              t.slos,
            ],
            sortValues: [t.team, t.services, t.slos],
          }))}
        />
      </InfoCard>
    </>
  );
}

/** The "SLOs" page of Conductor: the teams, or one team's board with `?team=group:ns/name`. */
export function SloPage() {
  const { search } = useAppLocation();
  const team = new URLSearchParams(search).get('team');
  return (
    <Content>
      {team ? (
        <>
          <Link to="?">All teams</Link>
          <TeamSloBoard teamRef={team} />
        </>
      ) : (
        <SloTeams />
      )}
    </Content>
  );
}
