// @vitest-environment jsdom
// The admin picks the listing to take down and the account to suspend from search results, not a
// pasted id (issue 21 item 10); a pasted page URL searches by its id; payouts link to their order.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { orderFixture } from '../../testing/order-fixture.ts';
import { renderPage } from '../../testing/render-page.ts';
import { payoutsQuery } from './admin-api.ts';
import AdminPage from './admin-page.tsx';

const p = zhPages;
const game = orderFixture('paid', []).listing.game;
const listing = {
  id: 'L123',
  status: 'active',
  section: '217',
  rowLabel: '5',
  quantity: 2,
  remaining: 2,
  price: 800,
  createdAt: '2026-11-01T00:00:00Z',
  game: { ...game, listingCount: 1, minPrice: 800, isDemo: false },
  seller: { id: 'U9', name: 'Sue Seller', email: 'sue@example.test' },
};
const user = {
  id: 'U9',
  email: 'sue@example.test',
  name: 'Sue Seller',
  role: 'user',
  status: 'active',
  completedSales: 3,
  createdAt: '2026-10-01T00:00:00Z',
};

let fetchMock: ReturnType<typeof vi.fn>;
beforeAll(() => loadPageStrings());
beforeEach(() => {
  fetchMock = vi.fn(async (url: string) => {
    const u = String(url);
    const items = u.startsWith('/api/admin/listings?')
      ? [listing]
      : u.startsWith('/api/admin/users?')
        ? [user]
        : [];
    return new Response(JSON.stringify({ items, nextCursor: null }));
  });
  vi.stubGlobal('fetch', fetchMock);
  vi.stubGlobal('confirm', () => true);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
const calls = () =>
  fetchMock.mock.calls.map(([url, init]) => [
    (init as RequestInit | undefined)?.method ?? 'GET',
    String(url),
  ]);

function openModeration() {
  renderPage(AdminPage, { path: '/admin', url: '/admin', data: [] });
  fireEvent.click(screen.getByRole('button', { name: p.admin.moderation }));
}

describe('admin: find, then act', () => {
  it('when the admin searches listings by a seller e-mail and presses take down on a result, then that listing is taken down', async () => {
    openModeration();
    fireEvent.change(screen.getByRole('searchbox', { name: p.adminFind.listings }), {
      target: { value: 'sue@example' },
    });
    fireEvent.submit(screen.getAllByRole('search')[0]!);
    const button = await screen.findByRole('button', { name: `${p.admin.takedown} L123` });
    expect(screen.getByText(/sue@example\.test/)).toBeTruthy();
    expect(calls()).toContainEqual(['GET', '/api/admin/listings?q=sue%40example']);
    fireEvent.click(button);
    await waitFor(() => expect(calls()).toContainEqual(['DELETE', '/api/admin/listings/L123']));
  });

  it('when a user page URL is pasted into the user search, then it searches by the id and suspends the picked account', async () => {
    openModeration();
    fireEvent.change(screen.getByRole('searchbox', { name: p.adminFind.users }), {
      target: { value: 'https://x.tw/users/U9?ref=1' },
    });
    fireEvent.submit(screen.getAllByRole('search')[1]!);
    const button = await screen.findByRole('button', { name: `${p.admin.suspend} Sue Seller` });
    expect(calls()).toContainEqual(['GET', '/api/admin/users?q=U9']);
    fireEvent.click(button);
    await waitFor(() => expect(calls()).toContainEqual(['POST', '/api/admin/users/U9/suspend']));
  });

  it('when payouts are listed, then each links to its order', () => {
    renderPage(AdminPage, {
      path: '/admin',
      url: '/admin',
      data: [
        [
          payoutsQuery.queryKey,
          {
            pages: [
              {
                items: [
                  {
                    id: 'P1',
                    orderId: 'ORDER0000abcd1234',
                    seller: { id: 'U9', name: 'Sue', payoutAccount: null },
                    grossAmount: 800,
                    fee: 0,
                    amount: 800,
                    status: 'owed',
                    paidAt: null,
                    createdAt: '2026-11-01T00:00:00Z',
                  },
                ],
                nextCursor: null,
              },
            ],
            pageParams: [null],
          },
        ],
      ],
    });
    fireEvent.click(screen.getByRole('button', { name: p.admin.payouts }));
    const link = screen.getByRole('link', { name: `${p.adminFind.openOrder} abcd1234` });
    expect(link.getAttribute('href')).toBe('/me/orders/ORDER0000abcd1234');
  });
});
