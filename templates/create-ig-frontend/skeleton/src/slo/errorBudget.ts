/**
 * The part of Conductor's SLO API (`GET /api/conductor/slo/:kind/:namespace/:name`,
 * SloComponentResponse) the widget reads.
 */
export interface SloApiResponse {
  entityRef: string;
  slos: {
    id: string;
    name: string;
    objective: number;
    windowDays: number;
    state:
      | 'ok'
      | 'no-data'
      | 'absent'
      | 'unavailable'
      | 'error'
      | 'not-configured';
    reason?: string;
    budgetRemaining: number | null;
  }[];
}

export interface BudgetRow {
  name: string;
  objective: string;
  remaining: string;
  status: 'healthy' | 'burning' | 'exhausted' | 'no data';
  detail?: string;
}

/** Below this share of budget left, an SLO is shown as burning. */
export const BURNING_BELOW = 0.25;

/** One row per SLO; without data it is "no data", never healthy. */
export function budgetRows(response: SloApiResponse): BudgetRow[] {
  return response.slos.map(slo => {
    const objective = `${slo.objective}% over ${slo.windowDays} d`;
    if (slo.state !== 'ok' || slo.budgetRemaining === null) {
      return {
        name: slo.name,
        objective,
        remaining: '–',
        status: 'no data',
        detail: slo.reason ?? slo.state,
      };
    }
    const left = slo.budgetRemaining;
    return {
      name: slo.name,
      objective,
      remaining: `${Math.round(left * 1000) / 10}%`,
      status:
        left <= 0 ? 'exhausted' : left < BURNING_BELOW ? 'burning' : 'healthy',
    };
  });
}

/** Fetches the entity's SLOs from Conductor. */
export async function loadErrorBudget(
  conductorUrl: string,
  entityRef: string,
  fetchImpl: (input: string, init?: RequestInit) => Promise<Response>,
): Promise<BudgetRow[]> {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  const url = `${conductorUrl.replace(
    /\/$/,
    '',
  )}/api/conductor/slo/${encodeURIComponent(kind)}/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(name)}`;
  const res = await fetchImpl(url);
  if (!res.ok)
    throw new Error(`SLO API answered ${res.status} for ${entityRef}`);
  return budgetRows((await res.json()) as SloApiResponse);
}
