import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ordersApi, renderForEntity } from '../__testUtils__';
import { backfillApiRef } from './api';
import { fakeApi } from './testFixtures';
import { BackfillContent } from './BackfillsPage';

jest.setTimeout(30_000);

describe('the Backfills tab', () => {
  it("shows the entity's backfills, the run's progress, why it is paused, checkpoints and cost", async () => {
    const api = fakeApi();
    await renderForEntity(<BackfillContent />, {
      apis: [[backfillApiRef, api]],
      entity: ordersApi,
    });
    const defs = await screen.findByRole(
      'table',
      { name: 'backfill definitions' },
      { timeout: 10_000 },
    );
    expect(within(defs).getByText('orders-amount-cents')).toBeInTheDocument();
    expect(within(defs).queryByText('someone-elses')).toBeNull();
    expect(
      await screen.findByLabelText('progress', {}, { timeout: 10_000 }),
    ).toHaveAttribute('aria-valuenow', '45');
    expect(screen.getByLabelText('reason')).toHaveTextContent(
      'SLO burn rate of component:default/orders-api is 20 (over 2)',
    );
    expect(screen.getByLabelText('cost')).toHaveTextContent(
      'Cost so far 0.03, projected 1.4 of a budget of 1 — over budget',
    );
    const checkpoints = screen.getByRole('table', { name: 'checkpoints' });
    expect(within(checkpoints).getByText('passed')).toBeInTheDocument();
    const pauses = screen.getByRole('table', { name: 'pauses' });
    expect(within(pauses).getByText('health')).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'rows per second over time' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'batch size over time' }),
    ).toBeInTheDocument();
  });

  it('pauses with the version it showed, and starts a definition', async () => {
    const api = fakeApi();
    await renderForEntity(<BackfillContent />, {
      apis: [[backfillApiRef, api]],
      entity: ordersApi,
    });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Pause' }, { timeout: 10_000 }),
    );
    await waitFor(() =>
      expect(api.control).toHaveBeenCalledWith(7, 'pause', 5),
    );
    expect(await screen.findByText('now paused')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() =>
      expect(api.start).toHaveBeenCalledWith('orders-amount-cents'),
    );
    expect(await screen.findByText('run #8 enqueued')).toBeInTheDocument();
  });
});
