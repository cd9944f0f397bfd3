// @vitest-environment jsdom
// The seller's bulk price change: one request for the chosen listings, a share of face value,
// and the per-listing answer summed up for the seller.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhTWPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { BulkActions } from './bulk-actions.tsx';

beforeAll(() => loadPageStrings());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('bulk actions', () => {
  it('when the seller sets 80% for two chosen listings, then one request carries both and the answer is summed up', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            changed: 1,
            results: [
              { listingId: 'l1', status: 'updated', price: 800, error: null },
              {
                listingId: 'l2',
                status: 'refused',
                price: 400,
                error: { code: 'INVALID_STATE', message: 'x' },
              },
            ],
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onDone = vi.fn();
    render(
      h(
        QueryClientProvider,
        { client: new QueryClient() },
        h(BulkActions, { ids: ['l1', 'l2'], onDone }),
      ),
    );
    expect(screen.getByText('已選 2 筆刊登')).toBeTruthy();
    fireEvent.change(screen.getByLabelText(zhTWPages.bulk.percent), { target: { value: '80' } });
    fireEvent.click(screen.getByRole('button', { name: zhTWPages.bulk.reprice }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('已變更 1 筆，1 筆未變更。'),
    );
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/me/listings/bulk-update');
    expect(JSON.parse(init.body as string)).toEqual({
      listingIds: ['l1', 'l2'],
      price: { kind: 'percentOfFace', percent: 80 },
    });
    expect(onDone).toHaveBeenCalled();
  });
});
