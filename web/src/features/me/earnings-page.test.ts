// @vitest-environment jsdom
// The seller's earnings page (issue 21 item 14): the four totals, and each sale says where its
// money is (held, payout on its way, paid) with its date.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { orderFixture } from '../../testing/order-fixture.ts';
import { renderPage } from '../../testing/render-page.ts';
import EarningsPage, { earningsQuery } from './earnings-page.tsx';

const p = zhPages;
const game = { ...orderFixture('paid', []).listing.game, listingCount: 0, minPrice: null };
const sale = (orderId: string, payout: unknown) => ({
  orderId,
  game,
  quantity: 1,
  amount: 1000,
  status: payout ? 'completed' : 'paid',
  soldAt: '2026-11-01T04:00:00Z',
  completedAt: payout ? '2026-11-02T04:00:00Z' : null,
  payout,
});
beforeAll(() => loadPageStrings());
afterEach(cleanup);

describe('earnings page', () => {
  it('when a seller has held, pending and paid sales, then the totals and each sale show where the money is', () => {
    renderPage(EarningsPage, {
      path: '/me/earnings',
      url: '/me/earnings',
      data: [
        [
          earningsQuery.queryKey,
          {
            pages: [
              {
                totals: { soldCount: 3, sold: 3000, inEscrow: 1000, pendingPayout: 950, paid: 970 },
                items: [
                  sale('o-paid', {
                    status: 'paid',
                    fee: 30,
                    amount: 970,
                    createdAt: '2026-11-02T04:00:00Z',
                    paidAt: '2026-11-05T04:00:00Z',
                  }),
                  sale('o-owed', {
                    status: 'owed',
                    fee: 50,
                    amount: 950,
                    createdAt: '2026-11-02T04:00:00Z',
                    paidAt: null,
                  }),
                  sale('o-held', null),
                ],
                nextCursor: null,
              },
            ],
            pageParams: [null],
          },
        ],
      ],
    });
    const tiles = screen.getByText(p.earnings.inEscrow).closest('dl')!;
    expect(tiles.textContent).toMatch(/3,000/);
    expect(tiles.textContent).toMatch(/1,000/);
    expect(tiles.textContent).toMatch(/950/);
    expect(tiles.textContent).toMatch(/970/);
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]!.textContent).toContain('已撥款 2026');
    expect(items[0]!.textContent).toMatch(/實收 \S*970/);
    expect(items[1]!.textContent).toContain(p.admin.payout_owed);
    expect(items[2]!.textContent).toContain(p.earnings.payoutNone);
    expect(items[0]!.querySelector('a')!.getAttribute('href')).toBe('/me/orders/o-paid');
  });

  it('when nothing is sold yet, then it says so', () => {
    renderPage(EarningsPage, {
      path: '/me/earnings',
      url: '/me/earnings',
      data: [
        [
          earningsQuery.queryKey,
          {
            pages: [
              {
                totals: { soldCount: 0, sold: 0, inEscrow: 0, pendingPayout: 0, paid: 0 },
                items: [],
                nextCursor: null,
              },
            ],
            pageParams: [null],
          },
        ],
      ],
    });
    expect(screen.getByText(p.earnings.none)).toBeTruthy();
  });
});
