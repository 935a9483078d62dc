// In its own file: the permission hook caches answers per module, so a
// denying policy must not share the allowing tests' cache.
import { screen } from '@testing-library/react';
import { remediationApiRef } from './api';
import { AutoPrsPage } from './AutoPrsPage';
import { FixWithPrButton } from './FixWithPrButton';
import {
  ordersApiRef,
  renderForEntity,
  renderWithApis,
} from '../__testUtils__';
import { fakeApi } from './testData';

describe('without the remediation permissions', () => {
  it('hides merge and close from those not allowed', async () => {
    await renderWithApis(
      <AutoPrsPage />,
      [[remediationApiRef, fakeApi()]],
      'deny',
    );
    await screen.findByRole('table', { name: 'auto-PR pull requests' });
    expect(screen.queryByRole('button', { name: 'Merge' })).toBeNull();
  });
  it('is not shown without the permission', async () => {
    await renderForEntity(
      <FixWithPrButton
        entityRef={ordersApiRef}
        controlId="OWN-CODEOWNERS-01"
      />,
      {
        apis: [[remediationApiRef, fakeApi()]],
        policy: 'deny',
      },
    );
    await new Promise(r => setTimeout(r, 50));
    expect(screen.queryByRole('button', { name: 'Fix with a PR' })).toBeNull();
  });
});
