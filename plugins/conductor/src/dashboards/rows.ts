// Chart rows of the dashboards: teams by their short name (the legend),
// scores as percent points (0–100) on percent axes.
import { DashboardsResponse } from '@internal/plugin-conductor-common';
import { shortTeam, toPercentPoint } from '../shared';

export { shortTeam } from '../shared';

/** One row per compliance run with each team's score in [0, 1] (TeamTrendChart scales it). */
export function complianceRows(d: DashboardsResponse['compliance']) {
  return d.runs.map(r => {
    const row: Record<string, number | string> = { run: `#${r.runId}` };
    for (const [team, score] of Object.entries(r.scores))
      row[shortTeam(team)] = score;
    return row;
  });
}

/** Each team's latest compliance score and its change since the run before. */
export function complianceLatest(d: DashboardsResponse['compliance']) {
  return d.teams.map(team => {
    const scored = d.runs.filter(r => r.scores[team] !== undefined);
    const last = scored[scored.length - 1];
    const before = scored[scored.length - 2];
    return {
      team,
      score: last?.scores[team] ?? null,
      previous: before?.scores[team] ?? null,
    };
  });
}

/** One row per day with each team's average PRS in [0, 1]. */
export function readinessTrendRows(d: DashboardsResponse['readiness']) {
  return d.trend.map(t => {
    const row: Record<string, number | string> = { day: t.day };
    for (const [team, score] of Object.entries(t.scores))
      row[shortTeam(team)] = score;
    return row;
  });
}

/** The PRS bars: each team's average, or each service of the one team shown. */
export function readinessBars(d: DashboardsResponse['readiness']) {
  if (d.services.length > 0)
    return d.services.map(s => ({
      name: s.entityRef.replace(/^component:default\//, ''),
      score: toPercentPoint(s.score),
    }));
  return d.teams.map(t => ({
    name: shortTeam(t.team),
    score: toPercentPoint(t.averageScore),
  }));
}

/** One row per day with repositories per CI library version. */
export function adoptionRows(d: DashboardsResponse['federation']) {
  return d.days.map(p => {
    const row: Record<string, number | string> = { day: p.day };
    for (const v of d.versions) row[v] = p.byVersion[v] ?? 0;
    return row;
  });
}

/** The share of repositories on the newest version pinned, on the last day. */
export function newestShare(d: DashboardsResponse['federation']) {
  const last = d.days[d.days.length - 1];
  const newest = d.versions[d.versions.length - 1];
  if (!last || !newest || last.total === 0) return null;
  return { version: newest, share: (last.byVersion[newest] ?? 0) / last.total };
}

/** One bar per backfill run: `#12 orders-cents`. */
export function backfillRows(d: DashboardsResponse['backfills']) {
  return d.runs.map(r => ({
    run: `#${r.id} ${r.definitionId}`,
    rowsPerSecond: r.rowsPerSecond,
    passed: r.checkpointsPassed,
    failed: r.checkpointsFailed,
  }));
}

/** Most teams drawn in one chart; more read as noise. */
export const MAX_DRAWN = 12;

/**
 * The `MAX_DRAWN` items a chart draws when there are more: those that need
 * attention first (lowest score, slowest merge), in their original order.
 */
export function worstFirst<T>(
  items: T[],
  badness: (item: T) => number,
): { drawn: T[]; of: number } {
  if (items.length <= MAX_DRAWN) return { drawn: items, of: items.length };
  const keep = new Set(
    [...items].sort((a, b) => badness(b) - badness(a)).slice(0, MAX_DRAWN),
  );
  return { drawn: items.filter(i => keep.has(i)), of: items.length };
}

/** "12 of 40 teams, the lowest; pick a team for its own." */
export const drawnNote = (drawn: number, of: number, what: string) =>
  drawn < of
    ? `${drawn} of ${of} ${what}, those needing attention first; pick a team for its own.`
    : undefined;
