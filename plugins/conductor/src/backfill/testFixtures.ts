import { BackfillApi } from './api';
import {
  BackfillControl,
  RetuneBackfillRequest,
  BackfillListResponse,
  BackfillRunDetail,
} from '@internal/plugin-conductor-common';

const t0 = Date.parse('2026-11-26T10:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();

export const run: BackfillRunDetail = {
  id: 7,
  definitionId: 'orders-amount-cents',
  owner: 'component:default/orders-api',
  state: 'throttled',
  reason: 'SLO burn rate of component:default/orders-api is 20 (over 2)',
  version: 5,
  rowsDone: 45_000,
  rowsChanged: 44_990,
  totalRows: 100_000,
  progress: 0.45,
  batchSize: 1440,
  rps: 2000,
  minBatchSize: 100,
  maxBatchSize: 5000,
  cursor: [45_000],
  rowsPerSecond: 0,
  etaSeconds: null,
  cost: { soFar: 0.03, projected: 1.4, budget: 1 },
  createdBy: 'user:default/guest',
  createdAt: at(0),
  startedAt: at(0),
  finishedAt: null,
  updatedAt: at(30),
  definition: {
    id: 'orders-amount-cents',
    owner: 'component:default/orders-api',
    connection: 'demo',
    table: 'demo_orders',
    key: ['id'],
    batchSize: 500,
    minBatchSize: 100,
    maxBatchSize: 5000,
    targetBatchMs: 200,
    rps: 2000,
    checkpoints: [0.1, 0.5, 0.9, 1],
    health: {},
  },
  definitionHash: 'abc',
  checkpoints: [
    {
      at: 0.1,
      passed: true,
      wrongRows: 0,
      rowsDone: 10_000,
      checkedAt: at(5),
      message: 'checkpoint 10%: verify found no wrong rows in the done range',
    },
  ],
  pauses: [
    {
      at: at(20),
      kind: 'health',
      reason: 'SLO burn rate of component:default/orders-api is 20 (over 2)',
    },
  ],
  batches: [0, 1, 2].map(i => ({
    at: at(i),
    rows: 500 + i * 100,
    changed: 500,
    batchSize: 500 + i * 100,
    durationMs: 50,
    rowsPerSecond: 2000,
  })),
};

export const list: BackfillListResponse = {
  definitions: [
    {
      id: 'orders-amount-cents',
      owner: 'component:default/orders-api',
      table: 'demo_orders',
      connection: 'demo',
      source: 'orders-amount-cents.yaml',
    },
    {
      id: 'someone-elses',
      owner: 'component:default/accounts-api',
      table: 't',
      connection: 'demo',
      source: 'x.yaml',
    },
  ],
  runs: [run],
};

export function fakeApi(): jest.Mocked<BackfillApi> {
  return {
    list: jest.fn(async () => list),
    get: jest.fn(async (_id: number) => run),
    start: jest.fn(async (_definitionId: string) => ({
      ...run,
      id: 8,
      state: 'enqueued' as const,
    })),
    control: jest.fn(
      async (_id: number, _control: BackfillControl, _version?: number) => ({
        ...run,
        state: 'paused' as const,
      }),
    ),
    retune: jest.fn(async (_id: number, _t: RetuneBackfillRequest) => run),
  };
}
