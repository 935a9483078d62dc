import { screen } from '@testing-library/react';
import { renderWithApis } from '../__testUtils__';
import { federationApiRef } from './api';
import { fakeApi } from './fixtures';
import { FederationPage } from './FederationPage';

// A file of its own: the permission answers are cached per page load, and
// the other tests' "allowed" must not answer for this one.
jest.setTimeout(30_000);

describe('FederationPage without the permission', () => {
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
