import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { conductorApiRef } from '../../api';
import { ComplianceContent, formatDelta } from './ComplianceContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};
const ref = 'component:default/orders-api';
const result = (controlId: string, status: any, message: string, previousStatus: string | null = null) => ({
  controlId, entityRef: ref, status, severity: 'high' as const, message, values: {}, previousStatus, since: new Date().toISOString(),
});

describe('ComplianceContent', () => {
  it('lists failing controls first with why, and the score with its delta', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[conductorApiRef, {
        getCompliance: async () => ({
          entityRef: ref, runId: 7, score: 0.75, previousScore: 0.5,
          results: [
            result('SOC2-CC1.4', 'pass', 'sbom.coverage = 0.97; meets: evidence.sbom_coverage >= 0.95', 'fail'),
            result('SEC-MFA-01', 'fail', 'mfa.enforced = false; fails: mfa.enforced'),
          ],
          history: [{ runId: 6, at: '2026-11-23T02:30:00Z', score: 0.5 }, { runId: 7, at: '2026-11-24T02:30:00Z', score: 0.75 }],
          exemptions: [],
        }),
      }]]}>
        <EntityProvider entity={entity}>
          <ComplianceContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(screen.getByTestId('compliance-score')).toHaveTextContent('75.0 %');
    expect(screen.getByText('+0.25 since the previous run')).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'controls' })).getAllByRole('row').slice(1);
    expect(rows.map(r => within(r).getAllByRole('cell')[1].textContent)).toEqual(['SEC-MFA-01', 'SOC2-CC1.4']);
    expect(rows[1]).toHaveTextContent('was fail');
  });

  it('formats deltas', () => {
    expect(formatDelta(0.8, 0.9)).toBe('-0.1');
    expect(formatDelta(0.8, 0.8)).toBe('±0');
    expect(formatDelta(0.8, null)).toBe('');
  });
});
