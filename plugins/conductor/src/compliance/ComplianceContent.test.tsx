import { screen, within } from '@testing-library/react';
import { ControlStatus } from '@internal/plugin-conductor-common';
import { ordersApiRef as ref, renderForEntity } from '../__testUtils__';
import { complianceApiRef } from './api';
import { ComplianceContent } from './ComplianceContent';

const result = (
  controlId: string,
  status: any,
  message: string,
  previousStatus: ControlStatus | null = null,
  changedFacts?: string[],
) => ({
  controlId,
  entityRef: ref,
  status,
  severity: 'high' as const,
  message,
  values: {},
  previousStatus,
  since: new Date().toISOString(),
  changedFacts,
});

describe('ComplianceContent', () => {
  it('lists failing controls first with why, and the score with its delta', async () => {
    await renderForEntity(<ComplianceContent />, {
      apis: [
        [
          complianceApiRef,
          {
            getCompliance: async () => ({
              entityRef: ref,
              runId: 7,
              score: 0.75,
              previousScore: 0.5,
              results: [
                {
                  ...result(
                    'SOC2-CC1.4',
                    'pass',
                    'sbom.coverage = 0.97; meets: evidence.sbom_coverage >= 0.95',
                    'fail',
                    ['sbom.coverage'],
                  ),
                  remediation: 'sbom-generate',
                },
                {
                  ...result(
                    'SEC-MFA-01',
                    'fail',
                    'mfa.enforced = false; fails: mfa.enforced',
                  ),
                  remediation: 'mfa-enforce',
                },
                {
                  ...result(
                    'OPS-RUNBOOK-01',
                    'exempt',
                    'exempt: runbook.url is missing',
                  ),
                  remediation: 'runbook-link',
                },
              ],
              factChanges: [
                {
                  entityRef: ref,
                  name: 'sbom.coverage',
                  before: 0.81,
                  after: 0.97,
                },
                {
                  entityRef: ref,
                  name: 'runbook.url',
                  before: 'https://runbooks/orders',
                  after: null,
                },
              ],
              history: [
                { runId: 6, at: '2026-11-23T02:30:00Z', score: 0.5 },
                { runId: 7, at: '2026-11-24T02:30:00Z', score: 0.75 },
              ],
              exemptions: [
                {
                  id: 1,
                  entityRef: ref,
                  createdBy: 'user:default/alice',
                  createdAt: '2026-11-01T00:00:00Z',
                  controlId: 'OPS-RUNBOOK-01',
                  reason: 'runbook moves to the new wiki',
                  approver: 'user:default/carol',
                  status: 'active',
                  expiresAt: '2099-01-01T00:00:00Z',
                },
                {
                  id: 2,
                  entityRef: ref,
                  createdBy: 'user:default/alice',
                  createdAt: '2026-01-01T00:00:00Z',
                  controlId: 'SEC-MFA-01',
                  reason: 'old exemption',
                  approver: 'user:default/carol',
                  status: 'active',
                  expiresAt: '2020-01-01T00:00:00Z',
                },
              ],
            }),
          },
        ],
      ],
    });
    expect(screen.getByTestId('compliance-score')).toHaveTextContent('75.0 %');
    expect(
      screen.getByText('+25.0 pts since the previous run'),
    ).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'controls' }))
      .getAllByRole('row')
      .slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual(['SEC-MFA-01', 'OPS-RUNBOOK-01', 'SOC2-CC1.4']);
    expect(rows[2]).toHaveTextContent('was fail; changed: sbom.coverage');
    // The active exemption is shown on its control; the expired one is not.
    expect(rows[1]).toHaveTextContent(
      'exempt until 2099-01-01, approved by carol: runbook moves to the new wiki',
    );
    expect(
      within(rows[1]).getByRole('link', { name: 'carol' }),
    ).toHaveAttribute('href', '/catalog/default/user/carol');
    expect(rows[0]).not.toHaveTextContent('exempt until');
    // Fix leads to the recipe the bot applies; a remediation with no recipe
    // says it is done by hand.
    expect(
      within(rows[1]).getByRole('link', { name: /runbook/i }),
    ).toHaveAttribute('href', '/conductor/auto-prs#recipe-runbook-link');
    expect(rows[0]).toHaveTextContent('mfa-enforce (by hand)');
    // A passing control has nothing to fix.
    expect(rows[2]).not.toHaveTextContent('sbom-generate');

    const changes = within(
      screen.getByRole('table', { name: 'evidence changes' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(
      changes.map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      ['sbom.coverage', '81.0 %', '97.0 %'],
      ['runbook.url', 'https://runbooks/orders', '—'],
    ]);
    const exemptions = within(screen.getByRole('table', { name: 'exemptions' }))
      .getAllByRole('row')
      .slice(1);
    expect(
      exemptions.map(r => within(r).getAllByRole('cell')[4].textContent),
    ).toEqual(['active', 'expired']);
  });
});
