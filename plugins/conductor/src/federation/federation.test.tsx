import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithApis } from '../__testUtils__';
import { fakeApi } from './fixtures';
import { federationApiRef } from './api';
import { FederationPage } from './FederationPage';

jest.setTimeout(30_000);

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
});
