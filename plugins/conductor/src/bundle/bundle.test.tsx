import {
  BundleSummary,
  CreateBundleRequest,
} from '@internal/plugin-conductor-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { hoursAgo, renderWithApis } from '../__testUtils__';
import { BundleApi, bundleApiRef } from './api';
import { BundlesPage } from './BundlesPage';

jest.setTimeout(30_000);

const bundle = (
  id: number,
  over: Partial<BundleSummary> = {},
): BundleSummary => ({
  id,
  scope: { kind: 'entity', entityRef: 'component:default/orders-api' },
  since: null,
  createdAt: hoursAgo(2),
  createdBy: 'user:default/admin',
  keyId: 'ab12cd34ef56'.padEnd(64, '0'),
  fileCount: 14,
  sizeBytes: 20480,
  archiveSha256: 'f'.repeat(64),
  downloadPath: `/bundles/${id}/download`,
  ...over,
});

function fakeApi(canCreate: boolean): jest.Mocked<BundleApi> {
  const bundles = [bundle(2, { scope: { kind: 'all' } }), bundle(1)];
  return {
    list: jest.fn(async () => ({ bundles: [...bundles], canCreate })),
    create: jest.fn(async (_request: CreateBundleRequest) => {
      const b = bundle(3, { scope: { kind: 'all' }, fileCount: 15 });
      bundles.unshift(b);
      return b;
    }),
    download: jest.fn(async (_bundle: BundleSummary) => new Blob(['archive'])),
  };
}

describe('BundlesPage', () => {
  it('lists bundles with their download, and an admin creates one', async () => {
    const api = fakeApi(true);
    await renderWithApis(<BundlesPage />, [[bundleApiRef, api]]);
    const table = await screen.findByRole('table', {
      name: 'Evidence bundles',
    });
    const one = within(table)
      .getByText('conductor-bundle-1.jsonl')
      .closest('tr')!;
    expect(within(one).getByText('orders-api')).toBeInTheDocument();
    expect(within(one).getByText('14')).toBeInTheDocument();
    expect(within(one).getByText('20.0')).toBeInTheDocument();
    expect(within(one).getByText('ab12cd34ef56')).toBeInTheDocument();
    const all = within(table)
      .getByText('conductor-bundle-2.jsonl')
      .closest('tr')!;
    expect(within(all).getByText('all entities')).toBeInTheDocument();

    (URL as any).createObjectURL = jest.fn(() => 'blob:x');
    (URL as any).revokeObjectURL = jest.fn();
    fireEvent.click(within(one).getByText('conductor-bundle-1.jsonl'));
    await waitFor(() =>
      expect(api.download).toHaveBeenCalledWith(
        expect.objectContaining({ id: 1 }),
      ),
    );

    fireEvent.click(
      screen.getByRole('button', { name: 'Create a bundle of all entities' }),
    );
    await waitFor(() => expect(api.create).toHaveBeenCalledWith({ all: true }));
    expect(
      await screen.findByText(/^Bundle 3: 15 files signed by key ab12cd34ef56/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('conductor-bundle-3.jsonl'),
    ).toBeInTheDocument();
  });

  it('shows no Create button to someone who may not create bundles', async () => {
    await renderWithApis(
      <BundlesPage />,
      [[bundleApiRef, fakeApi(false)]],
      'deny',
    );
    await screen.findByRole('table', { name: 'Evidence bundles' });
    expect(screen.queryByRole('button', { name: /Create/ })).toBeNull();
  });
});
