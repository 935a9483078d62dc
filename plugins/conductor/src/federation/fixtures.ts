import { FederationBoardResponse } from '@internal/plugin-conductor-common';
import { hoursAgo } from '../__testUtils__';

// A board of three repositories: one current, one drifted, one unreadable.
const drift = (
  behind: number,
  present: string[],
  missing: string[],
  added: string[] = [],
) => ({
  latest: 'v1.2.0',
  versionsBehind: behind,
  gatesAddedSince: added as any,
  gatesPresent: present as any,
  gatesMissing: missing as any,
});

export const board: FederationBoardResponse = {
  library: 'intelgraph/ig-ci',
  latest: 'v1.2.0',
  maxVersionsBehind: 1,
  runbookUrl: 'https://docs.example.com/federation#federation-rollback',
  versions: [
    {
      version: 'v1.0.0',
      released: '2026-09-01',
      gates: { lint: {}, tests: { minCoverage: 0.7 } },
    },
    {
      version: 'v1.1.0',
      released: '2026-10-06',
      gates: {
        lint: {},
        tests: { minCoverage: 0.8 },
        slo: { minErrorBudget: 0.25 },
      },
    },
    {
      version: 'v1.2.0',
      released: '2026-11-16',
      gates: {
        lint: {},
        tests: { minCoverage: 0.8 },
        slo: { minErrorBudget: 0.25 },
        k6: {},
      },
    },
  ],
  repositories: [
    {
      entityRef: 'component:default/orders-api',
      status: 'current',
      ref: 'v1.2.0',
      kind: 'tag',
      version: 'v1.2.0',
      pinnedAt: '.github/workflows/ci.yml:13',
      drift: drift(0, ['lint', 'tests', 'slo'], ['k6']),
      lastResults: {
        gates: { lint: 'pass', tests: 'pass' },
        version: 'v1.2.0',
        observedAt: hoursAgo(2),
      },
      errors: [],
      scannedAt: hoursAgo(1),
    },
    {
      entityRef: 'component:default/refund-worker',
      status: 'mismatch',
      ref: 'v1.0.0',
      kind: 'tag',
      version: 'v1.0.0',
      pinnedAt: '.github/workflows/ci.yml:13',
      drift: drift(2, ['lint', 'tests'], ['slo', 'k6'], ['slo', 'k6']),
      lastResults: {
        gates: { lint: 'fail', tests: 'pass' },
        version: 'v1.0.0',
        observedAt: hoursAgo(3),
      },
      errors: [],
      scannedAt: hoursAgo(1),
    },
    {
      entityRef: 'component:default/broken-yaml',
      status: 'unreadable',
      errors: [
        {
          file: '.github/workflows/ci.yml',
          line: 7,
          column: 1,
          message: 'Flow sequence must end with a ]',
        },
      ],
      scannedAt: hoursAgo(1),
    },
  ],
  adoption: [
    { day: '2026-11-25', byVersion: { 'v1.0.0': 2, 'v1.2.0': 1 }, total: 3 },
    { day: '2026-11-26', byVersion: { 'v1.0.0': 1, 'v1.2.0': 2 }, total: 3 },
  ],
};

export function fakeApi() {
  return {
    getBoard: jest.fn(async () => board),
    pin: jest.fn(async (req: { entityRef: string; version: string }) => ({
      entityRef: req.entityRef,
      from: 'v1.2.0',
      to: req.version,
      files: ['.github/workflows/ci.yml'],
      pullRequest: {
        url: 'https://github.com/acme/orders-api/pull/7',
        branch: 'conductor/ig-ci-pin',
        number: 7,
        created: true,
      },
    })),
  };
}
