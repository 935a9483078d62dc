import { screen } from '@testing-library/react';
import { ordersApi, renderForEntity } from '../__testUtils__';
import { backfillApiRef } from './api';
import { BackfillContent } from './BackfillsPage';
import { fakeApi } from './testFixtures';

// Its own file: permission answers are cached per test file.
jest.setTimeout(30_000);

describe('the Backfills tab for those who may not start or stop', () => {
  it('shows the run without Start, Pause or Cancel', async () => {
    await renderForEntity(<BackfillContent />, {
      apis: [[backfillApiRef, fakeApi()]],
      entity: ordersApi,
      policy: 'deny',
    });
    await screen.findByLabelText('progress', {}, { timeout: 10_000 });
    await new Promise(r => setTimeout(r, 50));
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
  });
});
