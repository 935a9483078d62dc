import {
  ChangeRequest,
  RemediationStatsResponse,
  RemediationTeamStats,
} from './api';

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mondayOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day);
  return d.toISOString().slice(0, 10);
}

/**
 * Auto-PR figures per team and for everyone: opened, merged, closed, the
 * merged share of those that ended, and the median time to merge; plus
 * opened and merged per week. Pure.
 *
 * @public
 */
export function remediationStats(
  crs: ChangeRequest[],
): RemediationStatsResponse {
  const of = (team: string, list: ChangeRequest[]): RemediationTeamStats => {
    const merged = list.filter(c => c.state === 'merged');
    const closed = list.filter(c => c.state === 'closed');
    const hours = merged
      .filter(c => c.mergedAt)
      .map(c => (Date.parse(c.mergedAt!) - Date.parse(c.openedAt)) / 3_600_000);
    const ended = merged.length + closed.length;
    const med = median(hours);
    return {
      team,
      opened: list.length,
      merged: merged.length,
      closed: closed.length,
      open: list.filter(c => c.state === 'open' || c.state === 'blocked')
        .length,
      mergeRate: ended ? merged.length / ended : null,
      medianHoursToMerge: med === null ? null : Math.round(med * 100) / 100,
    };
  };
  const teams = [...new Set(crs.map(c => c.team ?? 'unowned'))].sort();
  const weeks = new Map<string, { opened: number; merged: number }>();
  for (const c of crs) {
    const w = mondayOf(c.openedAt);
    weeks.set(w, {
      opened: (weeks.get(w)?.opened ?? 0) + 1,
      merged: weeks.get(w)?.merged ?? 0,
    });
    if (c.mergedAt) {
      const m = mondayOf(c.mergedAt);
      weeks.set(m, {
        opened: weeks.get(m)?.opened ?? 0,
        merged: (weeks.get(m)?.merged ?? 0) + 1,
      });
    }
  }
  return {
    teams: [
      of('all', crs),
      ...teams.map(t =>
        of(
          t,
          crs.filter(c => (c.team ?? 'unowned') === t),
        ),
      ),
    ],
    weeks: [...weeks.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([week, v]) => ({ week, ...v })),
  };
}
