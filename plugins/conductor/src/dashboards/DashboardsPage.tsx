import {
  Content,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  useApi,
  useAppLocation,
  useAppNavigate,
} from '@backstage/frontend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DASHBOARD_DAYS,
  DashboardsResponse,
} from '@internal/plugin-conductor-common';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ChartFigure,
  EntityLink,
  TeamTrendChart,
  formatDelta,
  formatPercent,
  formatScore,
  percentTick,
  toPercentPoint,
  formatHours,
} from '../shared';
import { AutoPrRateChart, MergeTimeChart } from '../remediation/AutoPrCharts';
import { dashboardsApiRef } from './api';
import {
  adoptionRows,
  backfillRows,
  complianceLatest,
  complianceRows,
  drawnNote,
  newestShare,
  readinessBars,
  readinessTrendRows,
  shortTeam,
  worstFirst,
} from './rows';

/** Where the Conductor page and its sub-pages live (`src/alpha/pages.tsx`). */
const CONDUCTOR = '/conductor';

const COLORS = ['#1976d2', '#2e7d32', '#ed6c02', '#6a1b9a', '#d32f2f'];

/** The catalog page of an entity, as the catalog routes it. */
function entityPage(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/** A line under a chart, when there is something to say. */
function Note(props: { text?: string }) {
  if (!props.text) return null;
  return (
    <Typography variant="caption" color="text.secondary">
      {props.text}
    </Typography>
  );
}

/** Teams or entities, each a link, separated by commas, with what follows each. */
function LinkedList(props: {
  label: string;
  items: Array<{ entityRef: string; tab?: string; after: string }>;
}) {
  if (props.items.length === 0) return null;
  return (
    <Typography
      variant="body2"
      component="ul"
      aria-label={props.label}
      sx={{ pl: 2, mb: 0, mt: 1 }}
    >
      {props.items.map(i => (
        <li key={i.entityRef}>
          <EntityLink entityRef={i.entityRef} tab={i.tab} /> {i.after}
        </li>
      ))}
    </Typography>
  );
}

function Card(props: {
  title: string;
  subheader?: string;
  link?: { title: string; to: string };
  children: ReactNode;
}) {
  return (
    <Grid item xs={12} md={6}>
      <InfoCard
        title={props.title}
        subheader={props.subheader}
        deepLink={
          props.link
            ? { title: props.link.title, link: props.link.to }
            : undefined
        }
      >
        {props.children}
      </InfoCard>
    </Grid>
  );
}

function ComplianceCard({ d }: { d: DashboardsResponse['compliance'] }) {
  const latest = complianceLatest(d);
  const { drawn, of } = worstFirst(latest, l => -(l.score ?? 0));
  const drawnTeams = new Set(drawn.map(l => l.team));
  return (
    <Card
      title="Compliance score trend"
      subheader={`team score per run${
        d.targetScore === null ? '' : `; target ${formatScore(d.targetScore)}`
      }`}
      link={{ title: 'Compliance by team', to: `${CONDUCTOR}/compliance` }}
    >
      {d.runs.length === 0 ? (
        <Typography variant="body2">
          No team compliance score to show yet: no run has scored a team whose
          every entity you may read.
        </Typography>
      ) : (
        <TeamTrendChart
          label="compliance score trend"
          rows={complianceRows(d)}
          xKey="run"
          teams={d.teams.filter(t => drawnTeams.has(t)).map(shortTeam)}
        />
      )}
      <Note text={drawnNote(drawn.length, of, 'teams')} />
      <LinkedList
        label="compliance score by team"
        items={latest.map(l => ({
          entityRef: l.team,
          after: `${formatScore(l.score)}${
            l.previous === null
              ? ''
              : ` (${formatDelta(l.score, l.previous)} since the run before)`
          }`,
        }))}
      />
    </Card>
  );
}

function AutoPrCards({ d }: { d: DashboardsResponse['autoPrs'] }) {
  const link = { title: 'Auto-PR log', to: `${CONDUCTOR}/auto-prs` };
  if (!d) {
    return (
      <Card title="Auto-PR rate and merge time" link={link}>
        <Typography variant="body2">
          You may not read the auto-PR log (conductor.remediation.read).
        </Typography>
      </Card>
    );
  }
  const { drawn: merged, of } = worstFirst(
    d.teams.filter(t => t.medianHoursToMerge !== null),
    t => t.medianHoursToMerge ?? 0,
  );
  return (
    <>
      <Card
        title="Auto-PR rate"
        subheader={`per week; ${d.all.opened} opened, ${
          d.all.merged
        } merged, merge rate ${formatPercent(d.all.mergeRate)}`}
        link={link}
      >
        <AutoPrRateChart weeks={d.weeks} />
      </Card>
      <Card
        title="Auto-PR merge time"
        subheader={`median time from opened to merged; all: ${formatHours(
          d.all.medianHoursToMerge,
        )}`}
        link={link}
      >
        <MergeTimeChart label="auto-PR median time to merge" teams={merged} />
        <Note text={drawnNote(merged.length, of, 'teams')} />
        <LinkedList
          label="auto-PRs by team"
          items={d.teams
            .filter(t => t.team.startsWith('group:'))
            .map(t => ({
              entityRef: t.team,
              after: `${t.opened} opened, ${
                t.merged
              } merged, median ${formatHours(t.medianHoursToMerge)}`,
            }))}
        />
      </Card>
    </>
  );
}

function LineageCard({ d }: { d: DashboardsResponse['lineage'] }) {
  const top = d.entities[0];
  return (
    <Card
      title="Lineage change events"
      subheader={`edges added and removed per day, last ${DASHBOARD_DAYS} days`}
      link={
        top
          ? {
              title: 'Lineage of the most changed',
              to: `${entityPage(top.entityRef)}/lineage`,
            }
          : undefined
      }
    >
      <ChartFigure
        label="lineage change events"
        height={240}
        points={d.days.length}
        fewPoints={
          d.days.length === 0
            ? `No lineage edge changed in the last ${DASHBOARD_DAYS} days.`
            : `Changes on one day only (${d.days[0].day}): ${d.days[0].added} edges added, ${d.days[0].removed} removed.`
        }
      >
        <BarChart data={d.days} margin={{ top: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          <Bar
            dataKey="added"
            name="added"
            stackId="e"
            fill="#1976d2"
            isAnimationActive={false}
          />
          <Bar
            dataKey="removed"
            name="removed"
            stackId="e"
            fill="#d32f2f"
            isAnimationActive={false}
          />
        </BarChart>
      </ChartFigure>
      <LinkedList
        label="most changed in the lineage"
        items={d.entities.slice(0, 5).map(e => ({
          entityRef: e.entityRef,
          tab: 'lineage',
          after: `${e.events} change${e.events === 1 ? '' : 's'}`,
        }))}
      />
    </Card>
  );
}

function ReadinessCards({
  d,
  team,
}: {
  d: DashboardsResponse['readiness'];
  team: string | null;
}) {
  const { drawn: bars, of } = worstFirst(
    readinessBars(d),
    b => -(b.score ?? 0),
  );
  const lowest = new Set(
    worstFirst(d.teams, t => -t.averageScore).drawn.map(t => t.team),
  );
  const teams = [
    ...new Set(d.trend.flatMap(t => Object.keys(t.scores))),
  ].filter(t => lowest.has(t) || d.teams.length === 0);
  const link = { title: 'Readiness by team', to: `${CONDUCTOR}/readiness` };
  return (
    <>
      <Card
        title={team ? 'PRS of the team’s services' : 'PRS by team'}
        subheader={`latest stored scores; the gate blocks production below ${formatScore(
          d.threshold,
        )}`}
        link={link}
      >
        <ChartFigure
          label="PRS by team"
          height={240}
          points={bars.length}
          fewPoints={
            bars.length === 0
              ? `No readiness score stored in the last ${DASHBOARD_DAYS} days.`
              : `Only ${bars[0].name} has a score: ${formatScore(
                  (bars[0].score ?? 0) / 100,
                )}.`
          }
        >
          <BarChart data={bars} margin={{ top: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} />
            <YAxis domain={[0, 100]} tickFormatter={percentTick} width={56} />
            <Tooltip formatter={(v: number) => `${v} %`} />
            <ReferenceLine
              y={toPercentPoint(d.threshold)!}
              stroke="#d32f2f"
              strokeDasharray="4 4"
              label={`gate ${formatScore(d.threshold)}`}
            />
            <Bar
              dataKey="score"
              name="PRS"
              fill="#1976d2"
              isAnimationActive={false}
            />
          </BarChart>
        </ChartFigure>
        <Note text={drawnNote(bars.length, of, team ? 'services' : 'teams')} />
        <LinkedList
          label="PRS per team"
          items={d.teams
            .filter(t => t.team.startsWith('group:'))
            .map(t => ({
              entityRef: t.team,
              after: `${formatScore(t.averageScore)}, ${t.belowThreshold} of ${
                t.services
              } services below the gate`,
            }))}
        />
        <LinkedList
          label="PRS per service"
          items={d.services.map(s => ({
            entityRef: s.entityRef,
            tab: 'readiness',
            after: formatScore(s.score),
          }))}
        />
      </Card>
      <Card
        title="PRS trend"
        subheader="per day, the average of each service's last score"
        link={link}
      >
        <TeamTrendChart
          label="PRS trend by team"
          rows={readinessTrendRows(d)}
          xKey="day"
          teams={teams.map(shortTeam)}
        />
      </Card>
    </>
  );
}

function BackfillCards({ d }: { d: DashboardsResponse['backfills'] }) {
  const rows = backfillRows(d);
  const measured = rows.filter(r => r.rowsPerSecond !== null);
  const checked = rows.filter(r => r.passed + r.failed > 0);
  const link = { title: 'Backfills', to: `${CONDUCTOR}/backfills` };
  return (
    <>
      <Card
        title="Backfill throughput"
        subheader="rows per second, start to finish, of the newest runs"
        link={link}
      >
        <ChartFigure
          label="backfill throughput"
          height={240}
          points={measured.length}
          fewPoints={
            measured.length === 0
              ? 'No backfill has started yet.'
              : `One run so far: ${measured[0].run} at ${measured[0].rowsPerSecond} rows/s.`
          }
        >
          <BarChart data={measured} margin={{ top: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="run" />
            <YAxis width={56} />
            <Tooltip formatter={(v: number) => `${v} rows/s`} />
            <Bar
              dataKey="rowsPerSecond"
              name="rows per second"
              fill="#1976d2"
              isAnimationActive={false}
            />
          </BarChart>
        </ChartFigure>
        <LinkedList
          label="backfill runs"
          items={d.runs.map(r => ({
            entityRef: r.entityRef,
            tab: 'backfills',
            after: `#${r.id} ${r.definitionId}: ${r.state}, ${r.rowsDone} rows${
              r.rowsPerSecond === null ? '' : ` at ${r.rowsPerSecond} rows/s`
            }`,
          }))}
        />
      </Card>
      <Card
        title="Backfill checkpoint results"
        subheader="canary checks passed and failed per run"
        link={link}
      >
        <ChartFigure
          label="backfill checkpoint results"
          height={240}
          points={checked.length}
          fewPoints={
            checked.length === 0
              ? 'No checkpoint checked yet.'
              : `One run checked so far: ${checked[0].run}, ${checked[0].passed} passed, ${checked[0].failed} failed.`
          }
        >
          <BarChart data={checked} margin={{ top: 8, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="run" />
            <YAxis allowDecimals={false} width={40} />
            <Tooltip />
            <Legend />
            <Bar
              dataKey="passed"
              name="passed"
              stackId="c"
              fill="#2e7d32"
              isAnimationActive={false}
            />
            <Bar
              dataKey="failed"
              name="failed"
              stackId="c"
              fill="#d32f2f"
              isAnimationActive={false}
            />
          </BarChart>
        </ChartFigure>
      </Card>
    </>
  );
}

function AdoptionCard({ d }: { d: DashboardsResponse['federation'] }) {
  const rows = adoptionRows(d);
  const newest = newestShare(d);
  return (
    <Card
      title="CI library adoption"
      subheader={
        newest
          ? `repositories per version per day; ${formatPercent(
              newest.share,
            )} on ${newest.version}`
          : 'repositories per version per day'
      }
      link={{ title: 'CI library board', to: `${CONDUCTOR}/ci-library` }}
    >
      <ChartFigure
        label="CI library adoption"
        height={240}
        points={rows.length}
        fewPoints={
          rows.length === 0
            ? `No repository scanned in the last ${DASHBOARD_DAYS} days.`
            : `One day scanned so far (${d.days[0].day}): ${d.versions
                .map(v => `${d.days[0].byVersion[v] ?? 0} on ${v}`)
                .join(', ')}.`
        }
      >
        <BarChart data={rows} margin={{ top: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          {d.versions.map((v, i) => (
            <Bar
              key={v}
              dataKey={v}
              name={v}
              stackId="v"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ChartFigure>
    </Card>
  );
}

/** The seed's dashboards, of every team the caller may read or of one team. */
export function DashboardsView(props: {
  team: string | null;
  /** Shows the team picker; called with the team chosen (null: every team). */
  onTeamChange?: (team: string | null) => void;
}) {
  const api = useApi(dashboardsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getDashboards(props.team),
    [api, props.team],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const { onTeamChange } = props;
  return (
    <Content>
      <Stack direction="row" spacing={2} alignItems="center" sx={{ mb: 2 }}>
        {onTeamChange && (
          <TextField
            select
            size="small"
            label="Team"
            value={value.team ?? ''}
            onChange={e => onTeamChange(e.target.value || null)}
            sx={{ minWidth: 220 }}
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
          >
            <option value="">All teams</option>
            {value.teams.map(t => (
              <option key={t} value={t}>
                {shortTeam(t)}
              </option>
            ))}
          </TextField>
        )}
        <Typography variant="body2">
          {value.team ? (
            <>
              Dashboards of <EntityLink entityRef={value.team} />, as of{' '}
              {value.generatedAt.slice(0, 16).replace('T', ' ')} UTC
            </>
          ) : (
            `Every team you may read (${
              value.teams.length
            }), as of ${value.generatedAt.slice(0, 16).replace('T', ' ')} UTC`
          )}
        </Typography>
      </Stack>
      <Grid container spacing={3}>
        <ComplianceCard d={value.compliance} />
        <LineageCard d={value.lineage} />
        <AutoPrCards d={value.autoPrs} />
        <ReadinessCards d={value.readiness} team={value.team} />
        <BackfillCards d={value.backfills} />
        <AdoptionCard d={value.federation} />
      </Grid>
    </Content>
  );
}

/** The "Dashboards" page of Conductor: every team, or one with `?team=group:ns/name`. */
export function DashboardsPage() {
  const { search } = useAppLocation();
  const navigate = useAppNavigate();
  const team = new URLSearchParams(search).get('team');
  return (
    <DashboardsView
      team={team}
      onTeamChange={t =>
        navigate(t ? `?team=${encodeURIComponent(t)}` : '?', { replace: true })
      }
    />
  );
}

/** The "Dashboards" tab of a team: the same dashboards, of that team only. */
export function TeamDashboardsContent() {
  const { entity } = useEntity();
  return <DashboardsView team={stringifyEntityRef(entity)} />;
}
