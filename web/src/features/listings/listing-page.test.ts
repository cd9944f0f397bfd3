// @vitest-environment jsdom
// The listing page offers "Buy" only when the server says the listing's game is on sale
// (ListingGame.onSale): an active listing of a postponed game cannot be bought.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPageStrings } from '../../i18n/index.ts';
import type { Listing, OrderSummary } from '../../api/types.ts';
import zhTW from '../../i18n/zh-TW.json' with { type: 'json' };
import zhTWPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { meQuery } from '../auth/session.ts';
import { myHoldsQuery } from '../checkout/orders-api.ts';
import ListingPage from './listing-page.tsx';
import { listingQuery } from './listings-api.ts';

const team = (id: string, name: string) => ({
  id,
  code: id,
  name,
  nameEn: name,
  shortName: name,
  color: '#123456',
});

function listing(game: Partial<Listing['game']>): Listing {
  const at = new Date().toISOString();
  return {
    id: 'l1',
    game: {
      id: 'g1',
      year: 2026,
      kind: 'A',
      gameNo: 101,
      startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      localDate: '2026-11-29',
      status: 'scheduled',
      homeTeam: team('h', '味全'),
      awayTeam: team('a', '台鋼'),
      stadium: { id: 's', abbe: '天母', name: '天母棒球場', nameEn: 'Tianmu', city: '台北' },
      onSale: true,
      ...game,
    },
    area: {
      id: 'a1',
      code: 'A',
      name: '內野',
      nameEn: 'Infield',
      tier: 'A',
      faceValueMin: 300,
      faceValueMax: 500,
    },
    section: '217',
    row: null,
    seats: null,
    quantity: 2,
    remaining: 2,
    splitRule: 'any',
    price: 400,
    faceValue: 400,
    deliveryMethod: 'eticket_transfer',
    note: null,
    images: [],
    seller: { id: 'seller-1', name: 'Sue', ratingAverage: null, ratingCount: 0 },
    status: 'active',
    createdAt: at,
    updatedAt: at,
  };
}

function showListing(l: Listing, holds: OrderSummary[] = []) {
  return renderPage(ListingPage, {
    path: '/listings/:id',
    url: `/listings/${l.id}`,
    data: [
      [meQuery.queryKey, { id: 'buyer-1', name: 'Bo', email: 'bo@example.test', role: 'user' }],
      [listingQuery(l.id).queryKey, l],
      [myHoldsQuery.queryKey, { items: holds, nextCursor: null }],
    ],
  });
}

/** The viewer's unpaid order on `l`, its hold ending in `seconds`. */
function hold(l: Listing, seconds: number): OrderSummary {
  return {
    id: 'o1',
    status: 'pending_payment',
    amount: l.price * l.quantity,
    quantity: l.quantity,
    unitPrice: l.price,
    expiresAt: new Date(Date.now() + seconds * 1000).toISOString(),
    paidAt: null,
    deliverBy: null,
    deliveredAt: null,
    completedAt: null,
    createdAt: l.createdAt,
    updatedAt: l.createdAt,
    listing: { ...l, status: 'held' },
    buyer: { id: 'buyer-1', name: 'Bo' },
    seller: { id: l.seller.id, name: l.seller.name },
    reviewed: false,
    actions: ['pay', 'cancel'],
  };
}

const buyButton = () => document.querySelector('.buy-button');

beforeAll(() => loadPageStrings());
afterEach(cleanup);

describe('listing page', () => {
  it('when the game is on sale, then an active listing can be bought', () => {
    showListing(listing({}));
    expect(buyButton()).not.toBeNull();
    expect(screen.queryByText(zhTW.game.notOnSale)).toBeNull();
  });

  it('when the game is postponed, then an active listing offers no "Buy" and says why', () => {
    showListing(listing({ status: 'postponed', onSale: false }));
    expect(buyButton()).toBeNull();
    expect(screen.getByText(zhTW.game.notOnSale)).toBeTruthy();
  });

  it('when the server says the game is off sale, then the page believes it whatever the status', () => {
    showListing(listing({ status: 'scheduled', onSale: false }));
    expect(buyButton()).toBeNull();
  });

  it('when the viewer holds the listing (Back from checkout), then it says so with the time left and continues to payment', () => {
    const l = { ...listing({}), status: 'held' as const };
    showListing(l, [hold(l, 521)]);
    const link = screen.getByRole('link', { name: zhTW.listing.continueToPay });
    expect(link.getAttribute('href')).toBe('/checkout/o1');
    expect(screen.getByText(/8:4[01]/)).toBeTruthy();
    expect(screen.queryByText(zhTWPages.listingStatus.held)).toBeNull();
  });

  it('when the page still shows the listing as active but the viewer holds it, then it offers to continue, not to buy again', () => {
    const l = listing({});
    showListing(l, [hold(l, 300)]);
    expect(screen.getByRole('link', { name: zhTW.listing.continueToPay })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /購買/ })).toBeNull();
  });

  it("when the viewer's hold has run out, then the listing does not claim it is held for them", () => {
    const l = listing({});
    showListing(l, [hold(l, -5)]);
    expect(screen.queryByRole('link', { name: zhTW.listing.continueToPay })).toBeNull();
    expect(buyButton()).not.toBeNull();
  });

  it('when a 4-ticket listing splits in pairs, then the buyer picks 1, 2 or 4 and the total follows', () => {
    showListing({ ...listing({}), quantity: 4, remaining: 4, splitRule: 'pairs', price: 400 });
    const picker = screen.getByLabelText(zhTWPages.split.howMany) as HTMLSelectElement;
    expect([...picker.options].map((o) => o.value)).toEqual(['1', '2', '4']);
    expect(picker.value).toBe('4');
    expect(buyButton()?.textContent).toContain('1,600');
    fireEvent.change(picker, { target: { value: '2' } });
    expect(buyButton()?.textContent).toContain('800');
    expect(buyButton()?.textContent).not.toContain('1,600');
  });

  it('when part of a listing is sold, then it says how many are left; a whole-only listing has no picker', () => {
    showListing({ ...listing({}), quantity: 4, remaining: 2, splitRule: 'none' });
    expect(screen.getByText(zhTWPages.split.left.replace('{{count}}', '2'))).toBeTruthy();
    expect(screen.queryByLabelText(zhTWPages.split.howMany)).toBeNull();
    expect(screen.getByText(zhTWPages.split.none)).toBeTruthy();
  });
});
