import { RemediationApi } from './api';
import { hoursAgo, ordersApiRef } from '../__testUtils__';

/** An open auto-PR of orders-api. */
export const cr = {
  id: 1,
  entityRef: ordersApiRef,
  team: 'group:default/payments',
  provider: 'git',
  repository: '/tmp/demo/orders-api.git',
  branch: 'conductor/remediate-compliance',
  title: 'Conductor: fix failing compliance controls of orders-api',
  state: 'open' as const,
  controls: ['OPS-ALERTS-01', 'OWN-CODEOWNERS-01'],
  headSha: 'a'.repeat(40),
  openedAt: hoursAgo(5),
  updatedAt: hoursAgo(5),
  body: '',
};

export function fakeApi(
  overrides: Partial<RemediationApi> = {},
): RemediationApi {
  return {
    getLog: jest.fn(async () => ({
      changeRequests: [cr],
      events: [
        {
          id: 2,
          changeRequestId: 1,
          entityRef: ordersApiRef,
          team: cr.team,
          repository: cr.repository,
          kind: 'opened' as const,
          controls: cr.controls,
          message:
            'conductor/remediate-compliance: OPS-ALERTS-01, OWN-CODEOWNERS-01',
          at: hoursAgo(5),
        },
        {
          id: 1,
          entityRef: 'component:default/refund-worker',
          team: cr.team,
          repository: '/tmp/demo/refund-worker.git',
          kind: 'failed' as const,
          controls: [],
          message: 'catalog-info.yaml:3:1 bad indentation',
          at: hoursAgo(6),
        },
      ],
    })),
    getStats: jest.fn(async () => ({
      teams: [
        {
          team: 'all',
          opened: 4,
          merged: 2,
          closed: 1,
          open: 1,
          mergeRate: 2 / 3,
          medianHoursToMerge: 4,
        },
        {
          team: 'group:default/payments',
          opened: 3,
          merged: 2,
          closed: 0,
          open: 1,
          mergeRate: 1,
          medianHoursToMerge: 4,
        },
        {
          team: 'group:default/identity',
          opened: 1,
          merged: 0,
          closed: 1,
          open: 0,
          mergeRate: 0,
          medianHoursToMerge: null,
        },
      ],
      weeks: [
        { week: '2026-11-16', opened: 1, merged: 0 },
        { week: '2026-11-23', opened: 3, merged: 2 },
      ],
    })),
    run: jest.fn(),
    merge: jest.fn(async () => ({ ...cr, state: 'merged' as const })),
    close: jest.fn(),
    ...overrides,
  };
}
