import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  EntityComplianceResponse,
  StoredControlResult,
} from '@internal/plugin-conductor-common';
import {
  ordersApiRef as ref,
  renderForEntity,
  renderWithApis,
} from '../__testUtils__';
import { ComplianceApi, complianceApiRef } from './api';
import { ComplianceContent } from './ComplianceContent';
import { TeamCompliancePage } from './TeamCompliancePage';

const result = (
  controlId: string,
  status: StoredControlResult['status'],
  message: string,
  values: Record<string, unknown>,
): StoredControlResult => ({
  controlId,
  entityRef: ref,
  status,
  severity: 'high',
  message,
  values,
  previousStatus: null,
  since: new Date(Date.now() - 3 * 86_400_000).toISOString(),
});

const compliance: EntityComplianceResponse = {
  entityRef: ref,
  runId: 3,
  score: 0.5,
  previousScore: 0.5,
  results: [
    result(
      'SOC2-CC1.4',
      'fail',
      'sbom.coverage = 0.81; fails: evidence.sbom_coverage >= 0.95',
      { 'sbom.coverage': 0.81 },
    ),
    result('SEC-MFA-01', 'pass', 'mfa.enforced = true; meets: mfa.enforced', {
      'mfa.enforced': true,
    }),
  ],
  factChanges: [],
  history: [{ runId: 3, at: '2026-11-24T02:30:00Z', score: 0.5 }],
  exemptions: [
    {
      id: 9,
      entityRef: ref,
      controlId: 'SEC-MFA-01',
      reason: 'hardware keys arrive next week',
      approver: '',
      status: 'requested',
      createdBy: 'user:default/alice',
      createdAt: '2026-11-20T00:00:00Z',
      expiresAt: '2099-01-01T00:00:00Z',
    },
  ],
};

function fakeApi(
  overrides: Partial<ComplianceApi> = {},
): Partial<ComplianceApi> {
  return {
    getCompliance: async () => compliance,
    listControls: async () => ({
      errors: [],
      controls: [
        {
          id: 'SOC2-CC1.4',
          title: 'Software bill of materials covers the service',
          description: 'An SBOM lists at least 95 % of the dependencies.',
          severity: 'high',
          check: 'evidence.sbom_coverage >= 0.95',
          reads: ['sbom.coverage'],
        },
        {
          id: 'SEC-MFA-01',
          title: 'MFA enforced',
          severity: 'high',
          check: 'mfa.enforced',
          reads: ['mfa.enforced'],
        },
      ],
    }),
    ...overrides,
  };
}

const controlRow = (title: string) =>
  within(screen.getByRole('table', { name: 'controls' }))
    .getAllByRole('row')
    .find(r => r.textContent?.includes(title))!;

describe('the Compliance tab, readable', () => {
  it('names controls by title with their id, explains why in a sentence, and ages as "3 d ago"', async () => {
    await renderForEntity(<ComplianceContent />, {
      apis: [[complianceApiRef, fakeApi()]],
    });
    const row = await waitFor(() =>
      controlRow('Software bill of materials covers the service'),
    );
    const cells = within(row).getAllByRole('cell');
    expect(cells[1]).toHaveTextContent(
      'Software bill of materials covers the serviceSOC2-CC1.4',
    );
    expect(
      within(cells[1]).getByLabelText(
        'An SBOM lists at least 95 % of the dependencies.',
      ),
    ).toBeInTheDocument();
    expect(cells[3]).toHaveTextContent('sbom.coverage 81.0 %, needs ≥ 95.0 %');
    expect(cells[4]).toHaveTextContent('3 d ago');
    expect(controlRow('MFA enforced')).toHaveTextContent('mfa.enforced: yes');
    // One run is a sentence, not a chart.
    expect(
      screen.queryByRole('figure', { name: 'compliance trend' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'One run so far (50.0 %); the trend shows from the second run.',
      ),
    ).toBeInTheDocument();
  });
});

describe('the Compliance tab, actions', () => {
  it('requests an exemption with a reason and an expiry, and says it waits for approval', async () => {
    const requests: unknown[] = [];
    await renderForEntity(<ComplianceContent />, {
      apis: [
        [
          complianceApiRef,
          fakeApi({
            requestExemption: async request => {
              requests.push(request);
              return {
                ...compliance.exemptions[0],
                id: 12,
                ...request,
                approver: '',
              };
            },
          }),
        ],
      ],
    });
    await waitFor(() => controlRow('MFA enforced'));
    // Only the failing control offers an exemption; the pending one says so.
    expect(
      within(controlRow('MFA enforced')).getByText('exemption requested'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(
        controlRow('Software bill of materials covers the service'),
      ).getByRole('button', { name: 'Request exemption' }),
    );
    const dialog = screen.getByRole('dialog');
    const send = within(dialog).getByRole('button', { name: 'Send request' });
    expect(send).toBeDisabled(); // no reason yet
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'SBOM tool migration',
    );
    const expiry = within(dialog).getByLabelText(/Expires on/);
    await userEvent.clear(expiry);
    await userEvent.type(expiry, '2020-01-01');
    expect(
      within(dialog).getByText('Must be in the future.'),
    ).toBeInTheDocument();
    expect(send).toBeDisabled();
    await userEvent.clear(expiry);
    const nextMonth = new Date(Date.now() + 30 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await userEvent.type(expiry, nextMonth);
    await userEvent.click(send);
    expect(
      await within(dialog).findByText(
        'Exemption #12 requested; it waits for approval.',
      ),
    ).toBeInTheDocument();
    expect(requests).toEqual([
      {
        entityRef: ref,
        controlId: 'SOC2-CC1.4',
        reason: 'SBOM tool migration',
        expiresAt: `${nextMonth}T23:59:59.000Z`,
      },
    ]);
  }, 30_000);

  it('approves a requested exemption and shows the result', async () => {
    const approved: number[] = [];
    await renderForEntity(<ComplianceContent />, {
      apis: [
        [
          complianceApiRef,
          fakeApi({
            approveExemption: async id => {
              approved.push(id);
              return {
                ...compliance.exemptions[0],
                approver: 'user:default/carol',
              };
            },
          }),
        ],
      ],
    });
    const exemptions = await screen.findByRole('table', { name: 'exemptions' });
    expect(within(exemptions).getAllByRole('row')[1]).toHaveTextContent(
      'requested',
    );
    await userEvent.click(
      within(exemptions).getByRole('button', { name: 'Approve' }),
    );
    expect(
      await screen.findByText('Approved; it counts from the next run.'),
    ).toBeInTheDocument();
    expect(approved).toEqual([9]);
  });

  it('runs compliance now and reports what the run did', async () => {
    await renderForEntity(<ComplianceContent />, {
      apis: [
        [
          complianceApiRef,
          fakeApi({
            runCompliance: async () => ({
              runId: 4,
              score: 0.8125,
              entities: 12,
              controls: 18,
              flipped: 2,
              factsChanged: 3,
              teamsBelowTarget: [],
            }),
          }),
        ],
      ],
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Run compliance now' }),
    );
    expect(
      await screen.findByText(
        'Run #4: 12 entities, 18 controls, 2 flipped, overall 81.3 %.',
      ),
    ).toBeInTheDocument();
  });
});

describe('the Compliance page', () => {
  it('links each team to its Conductor tab and each flipped entity to its Compliance tab', async () => {
    await renderWithApis(
      <TeamCompliancePage />,
      [
        [
          complianceApiRef,
          fakeApi({
            getTeamCompliance: async () => ({
              runId: 4,
              teams: [
                {
                  ref: 'group:default/payments',
                  score: 0.4,
                  previousScore: 0.3143,
                  history: [],
                },
              ],
            }),
            getComplianceChanges: async () => ({
              runId: 4,
              previousRunId: 3,
              flips: [
                {
                  ...result('SOC2-CC1.4', 'fail', '', {}),
                  previousStatus: 'pass',
                  changedFacts: ['sbom.coverage'],
                },
              ],
              factChanges: [],
              truncated: false,
            }),
          }),
        ],
      ],
      'deny',
    );
    const ranking = screen.getByRole('table', {
      name: 'compliance ranking table',
    });
    expect(
      within(ranking).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments/conductor');
    expect(within(ranking).getAllByRole('row')[1]).toHaveTextContent(
      '1payments40.0 %+8.6 pts',
    );
    const flips = screen.getByRole('table', { name: 'flipped controls' });
    expect(
      within(flips).getByRole('link', { name: 'orders-api' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-api/compliance',
    );
    expect(within(flips).getAllByRole('row')[1]).toHaveTextContent(
      'passfailsbom.coverage',
    );
    // Trend from no history: a sentence.
    expect(
      screen.getByText(
        'The trend shows once there are scores from two different days or runs.',
      ),
    ).toBeInTheDocument();
  });
});
