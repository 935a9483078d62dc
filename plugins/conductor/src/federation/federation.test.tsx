import { FederationBoardResponse } from '@internal/plugin-conductor-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { hoursAgo, renderWithApis } from '../__testUtils__';
import { federationApiRef } from './api';
import { FederationPage } from './FederationPage';

jest.setTimeout(30_000);

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

const board: FederationBoardResponse = {
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

function fakeApi() {
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

describe('FederationPage', () => {
  it('shows each repository with its pin, drift, gates and last results, the mismatch and the unreadable workflow', async () => {
    await renderWithApis(<FederationPage />, [[federationApiRef, fakeApi()]]);
    const table = await screen.findByRole('table', {
      name: 'repositories on the CI library',
    });
    const refund = within(table).getByText('refund-worker').closest('tr')!;
    expect(within(refund).getByText('CI lib mismatch')).toBeInTheDocument();
    expect(within(refund).getByText('@v1.0.0')).toBeInTheDocument();
    expect(
      within(refund).getByText(/2 versions behind v1\.2\.0/),
    ).toBeInTheDocument();
    expect(
      within(refund).getByText('added since: slo, k6'),
    ).toBeInTheDocument();
    expect(within(refund).getByText('lint: fail')).toBeInTheDocument();
    expect(within(refund).getByText('slo, k6')).toBeInTheDocument();
    const orders = within(table).getByText('orders-api').closest('tr')!;
    expect(within(orders).getByText('up to date')).toBeInTheDocument();
    expect(
      within(orders).getByText('.github/workflows/ci.yml:13'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'CI lib mismatch: component:default/refund-worker (v1.0.0, 2 behind)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /component:default\/broken-yaml: \.github\/workflows\/ci\.yml:7:1 Flow sequence must end with a \]/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Runbook: Federation Rollback' }),
    ).toHaveAttribute(
      'href',
      'https://docs.example.com/federation#federation-rollback',
    );
    expect(
      screen.getByRole('figure', { name: 'adoption of the CI library' }),
    ).toBeInTheDocument();
  });

  it('rolls a repository back to the previous release by pull request', async () => {
    const api = fakeApi();
    await renderWithApis(<FederationPage />, [[federationApiRef, api]]);
    const table = await screen.findByRole('table', {
      name: 'repositories on the CI library',
    });
    const orders = within(table).getByText('orders-api').closest('tr')!;
    expect(
      within(orders).queryByRole('button', { name: /Upgrade/ }),
    ).toBeNull();
    fireEvent.click(
      within(orders).getByRole('button', { name: 'Roll back to v1.1.0' }),
    );
    await waitFor(() =>
      expect(api.pin).toHaveBeenCalledWith({
        entityRef: 'component:default/orders-api',
        version: 'v1.1.0',
      }),
    );
    expect(
      await screen.findByText(
        'Opened https://github.com/acme/orders-api/pull/7: v1.2.0 → v1.1.0',
      ),
    ).toBeInTheDocument();
    const refund = within(table).getByText('refund-worker').closest('tr')!;
    expect(
      within(refund).getByRole('button', { name: 'Upgrade to v1.2.0' }),
    ).toBeInTheDocument();
  });

  it('offers no pin buttons to someone the policy does not allow', async () => {
    await renderWithApis(
      <FederationPage />,
      [[federationApiRef, fakeApi()]],
      'deny',
    );
    await screen.findByRole('table', {
      name: 'repositories on the CI library',
    });
    expect(
      screen.queryByRole('button', { name: /Roll back|Upgrade/ }),
    ).toBeNull();
  });
});
