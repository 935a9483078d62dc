// The dashboards' figures from what the capabilities store, pure: the
// backend reads the rows once per request and filters them to what the
// caller may read before they get here.
import { BackfillCheckpointResult } from '../backfill/types';
import { FederationAdoptionPoint } from '../federation/api';
import { LineageChangeEvent } from '../lineage/api';
import { ChangeRequest } from '../remediation/api';
import { remediationStats } from '../remediation/stats';
import {
  AutoPrDashboard,
  BackfillRunDashboard,
  ComplianceTrendDashboard,
  LineageDashboard,
  ReadinessDashboard,
} from './api';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const average = (xs: number[]) =>
  round4(xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * Team compliance scores per run, one line per team in `teams`; rows of
 * other teams are left out. Runs without a score of a drawn team are too.
 *
 * @public
 */
export function complianceTrend(
  rows: Array<{ runId: number; at: string; ref: string; score: number }>,
  teams: ReadonlySet<string>,
  targetScore: number | null,
): ComplianceTrendDashboard {
  const runs = new Map<
    number,
    { runId: number; at: string; scores: Record<string, number> }
  >();
  const drawn = new Set<string>();
  for (const r of rows) {
    if (!teams.has(r.ref)) continue;
    const run = runs.get(r.runId) ?? { runId: r.runId, at: r.at, scores: {} };
    run.scores[r.ref] = r.score;
    runs.set(r.runId, run);
    drawn.add(r.ref);
  }
  return {
    targetScore,
    teams: [...drawn].sort(),
    runs: [...runs.values()].sort((a, b) => a.runId - b.runId),
  };
}

/** Auto-PR rate per week and merge rate and time per team. @public */
export function autoPrDashboard(crs: ChangeRequest[]): AutoPrDashboard {
  const stats = remediationStats(crs);
  const [all, ...teams] = stats.teams;
  return { weeks: stats.weeks, all, teams };
}

const ENTITY_KINDS = new Set(['component', 'api', 'system', 'resource']);

/**
 * The catalog entities a lineage change event touches: its endpoints that
 * are entity refs (a service, an API, a system) and the entity whose
 * manifest or operations asserted the edge.
 *
 * @public
 */
export function lineageEventEntities(event: LineageChangeEvent): string[] {
  const refs = new Set<string>();
  const add = (id: string) => {
    const m = /^([a-z]+):([^/\s]+)\/([^/\s]+)$/i.exec(id);
    if (m && ENTITY_KINDS.has(m[1].toLowerCase())) refs.add(id.toLowerCase());
  };
  add(event.edge.from);
  add(event.edge.to);
  const source = /^(?:manifest|operations):(.+)$/.exec(event.source);
  if (source) add(source[1]);
  return [...refs];
}

/**
 * Lineage edges added and removed per day since `sinceDay`, counting the
 * events `include` keeps, and the entities touched most.
 *
 * @public
 */
export function lineageDashboard(
  events: LineageChangeEvent[],
  sinceDay: string,
  include: (event: LineageChangeEvent, entities: string[]) => string[] | null,
): LineageDashboard {
  const days = new Map<
    string,
    { day: string; added: number; removed: number }
  >();
  const touched = new Map<string, number>();
  for (const e of events) {
    const day = e.at.slice(0, 10);
    if (day < sinceDay) continue;
    const entities = include(e, lineageEventEntities(e));
    if (entities === null) continue;
    const d = days.get(day) ?? { day, added: 0, removed: 0 };
    d[e.change] += 1;
    days.set(day, d);
    for (const ref of entities) touched.set(ref, (touched.get(ref) ?? 0) + 1);
  }
  return {
    days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    entities: [...touched.entries()]
      .map(([entityRef, n]) => ({ entityRef, events: n }))
      .sort(
        (a, b) => b.events - a.events || a.entityRef.localeCompare(b.entityRef),
      )
      .slice(0, 10),
  };
}

/**
 * PRS by team from stored scores (oldest first): each service's latest score
 * averaged per team, and per day each service's last score that day averaged
 * per team. `teamOf` answers undefined for services left out of the view.
 *
 * @public
 */
export function readinessDashboard(
  scores: Array<{ entityRef: string; score: number; computedAt: string }>,
  teamOf: (entityRef: string) => string | undefined,
  threshold: number,
  perService: boolean,
): ReadinessDashboard {
  const latest = new Map<string, { team: string; score: number }>();
  const lastOfDay = new Map<
    string,
    { day: string; team: string; score: number }
  >();
  for (const s of scores) {
    const team = teamOf(s.entityRef);
    if (team === undefined) continue;
    latest.set(s.entityRef, { team, score: s.score });
    const day = s.computedAt.slice(0, 10);
    lastOfDay.set(`${day} ${s.entityRef}`, { day, team, score: s.score });
  }
  const byTeam = new Map<string, number[]>();
  for (const { team, score } of latest.values()) {
    const xs = byTeam.get(team);
    if (xs) xs.push(score);
    else byTeam.set(team, [score]);
  }
  const teams = [...byTeam.entries()]
    .map(([team, xs]) => ({
      team,
      services: xs.length,
      averageScore: average(xs),
      belowThreshold: xs.filter(x => x < threshold).length,
    }))
    .sort(
      (a, b) => b.averageScore - a.averageScore || a.team.localeCompare(b.team),
    );
  const perDay = new Map<string, Map<string, number[]>>();
  for (const { day, team, score } of lastOfDay.values()) {
    const d = perDay.get(day) ?? new Map<string, number[]>();
    const xs = d.get(team);
    if (xs) xs.push(score);
    else d.set(team, [score]);
    perDay.set(day, d);
  }
  const trend = [...perDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, d]) => ({
      day,
      scores: Object.fromEntries(
        [...d.entries()].map(([team, xs]) => [team, average(xs)]),
      ),
    }));
  const services = perService
    ? [...latest.entries()]
        .map(([entityRef, { score }]) => ({ entityRef, score }))
        .sort(
          (a, b) => a.score - b.score || a.entityRef.localeCompare(b.entityRef),
        )
    : [];
  return { threshold, teams, services, trend };
}

/**
 * A backfill run's throughput (rows per second from start to finish, or to
 * `now` while it runs) and its checkpoints passed and failed.
 *
 * @public
 */
export function backfillRunDashboard(
  run: {
    id: number;
    definitionId: string;
    owner: string;
    state: string;
    rowsDone: number;
    startedAt: string | null;
    finishedAt: string | null;
  },
  team: string | null,
  checkpoints: BackfillCheckpointResult[],
  now: Date,
): BackfillRunDashboard {
  let rowsPerSecond: number | null = null;
  if (run.startedAt) {
    const end = run.finishedAt ? Date.parse(run.finishedAt) : now.getTime();
    const seconds = (end - Date.parse(run.startedAt)) / 1000;
    rowsPerSecond =
      seconds > 0 ? Math.round((run.rowsDone / seconds) * 10) / 10 : null;
  }
  return {
    id: run.id,
    definitionId: run.definitionId,
    entityRef: run.owner,
    team,
    state: run.state,
    rowsDone: run.rowsDone,
    rowsPerSecond,
    startedAt: run.startedAt,
    checkpointsPassed: checkpoints.filter(c => c.passed).length,
    checkpointsFailed: checkpoints.filter(c => !c.passed).length,
  };
}

/** `v1.10.0` after `v1.9.0`: numeric parts compared as numbers. */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, '').split(/[.-]/);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const c =
      x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)
        ? nx - ny
        : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Every CI library version pinned on some day, oldest first. @public */
export function adoptionVersions(points: FederationAdoptionPoint[]): string[] {
  const versions = new Set<string>();
  for (const p of points)
    Object.keys(p.byVersion).forEach(v => versions.add(v));
  return [...versions].sort(compareVersions);
}
