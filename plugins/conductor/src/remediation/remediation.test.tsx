import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { remediationApiRef } from './api';
import { AutoPrsPage } from './AutoPrsPage';
import { FixWithPrButton } from './FixWithPrButton';
import {
  ordersApiRef,
  renderForEntity,
  renderWithApis,
} from '../__testUtils__';
import { cr, fakeApi } from './testData';

// A page with three charts renders slowly on a busy 2-core machine.
jest.setTimeout(30_000);

describe('AutoPrsPage', () => {
  it('shows the figures per team, the pull requests and the log, and merges from the portal', async () => {
    const api = fakeApi();
    await renderWithApis(<AutoPrsPage />, [[remediationApiRef, api]]);
    const teams = await screen.findByRole('table', {
      name: 'auto-PRs by team',
    });
    const payments = within(teams).getByText('payments').closest('tr')!;
    expect(within(payments).getByText('100.0 %')).toBeInTheDocument();
    expect(within(payments).getByText('4.0 h')).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'auto-PR rate' }),
    ).toBeInTheDocument();
    const log = screen.getByRole('table', { name: 'auto-PR log' });
    expect(
      within(log).getByText('catalog-info.yaml:3:1 bad indentation'),
    ).toBeInTheDocument();
    const prs = screen.getByRole('table', { name: 'auto-PR pull requests' });
    expect(
      within(prs).getByText('OPS-ALERTS-01, OWN-CODEOWNERS-01'),
    ).toBeInTheDocument();
    fireEvent.click(within(prs).getByRole('button', { name: 'Merge' }));
    await waitFor(() => expect(api.merge).toHaveBeenCalledWith(1));
    expect(
      await screen.findByText(/Merged into \/tmp\/demo\/orders-api\.git/),
    ).toBeInTheDocument();
  });
});

describe('FixWithPrButton', () => {
  it('runs the bot for the entity and control and says what it did', async () => {
    const run = jest.fn(async () => ({
      results: [
        {
          entityRef: ordersApiRef,
          repository: cr.repository,
          outcome: 'opened' as const,
          message: 'opened',
          fixes: [],
          changeRequest: cr,
        },
      ],
    }));
    await renderForEntity(
      <FixWithPrButton
        entityRef={ordersApiRef}
        controlId="OWN-CODEOWNERS-01"
      />,
      {
        apis: [[remediationApiRef, fakeApi({ run })]],
      },
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Fix with a PR' }),
    );
    expect(
      await screen.findByText(
        'Opened a pull request: /tmp/demo/orders-api.git conductor/remediate-compliance',
      ),
    ).toBeInTheDocument();
    expect(run).toHaveBeenCalledWith({
      entityRefs: [ordersApiRef],
      controls: ['OWN-CODEOWNERS-01'],
    });
  });
});
