// @vitest-environment jsdom
// My orders shows a button for each action the server lists for the order (Order.actions), and
// none it does not list, whatever the order's status and its game's status look like.
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrderAction } from '../../../../shared/contracts/orders.ts';
import type { OrderSummary } from '../../api/types.ts';
import { loadPageStrings } from '../../i18n/index.ts';
import zhPages from '../../i18n/zh-TW.pages.json' with { type: 'json' };
import { renderPage } from '../../testing/render-page.ts';
import { meQuery } from '../auth/session.ts';
import { myOrdersQuery } from '../checkout/orders-api.ts';
import MyOrdersPage from './orders-page.tsx';

const me = { id: 'buyer-1', name: 'Bo', email: 'bo@example.test', role: 'user' };
const team = (id: string, name: string) => ({
  id,
  code: id,
  name,
  nameEn: name,
  shortName: name,
  color: '#123456',
});

function order(
  status: OrderSummary['status'],
  actions: OrderAction[],
  gameStatus: OrderSummary['listing']['game']['status'] = 'scheduled',
): OrderSummary {
  const at = new Date().toISOString();
  return {
    id: `o-${status}`,
    status,
    amount: 800,
    quantity: 2,
    unitPrice: 400,
    expiresAt: at,
    paidAt: null,
    deliverBy: null,
    deliveredAt: null,
    completedAt: null,
    createdAt: at,
    updatedAt: at,
    listing: {
      id: 'l1',
      game: {
        id: 'g1',
        year: 2026,
        kind: 'A',
        gameNo: 1,
        startsAt: at,
        localDate: '2026-11-29',
        status: gameStatus,
        homeTeam: team('h', '味全'),
        awayTeam: team('a', '台鋼'),
        stadium: { id: 's', abbe: '天母', name: '天母', nameEn: 'Tianmu', city: '台北' },
        onSale: false,
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
      status: 'sold',
      createdAt: at,
      updatedAt: at,
    },
    buyer: { id: me.id, name: me.name },
    seller: { id: 'seller-1', name: 'Sue' },
    reviewed: false,
    actions,
  };
}

function showMyOrders(o: OrderSummary) {
  return renderPage(MyOrdersPage, {
    path: '/me/orders',
    url: '/me/orders',
    data: [
      [meQuery.queryKey, me],
      [myOrdersQuery('buyer').queryKey, { items: [o], nextCursor: null }],
    ],
  });
}

const buttons = () =>
  [...document.querySelectorAll('.order-actions a, .order-actions button')].map(
    (b) => b.textContent,
  );
const o = zhPages.orders;

beforeAll(() => loadPageStrings());
afterEach(cleanup);

describe('my orders: the buttons of an order', () => {
  it('when an unpaid order may only be cancelled (its game was postponed), then there is no pay button', () => {
    showMyOrders(order('pending_payment', ['cancel'], 'postponed'));
    expect(buttons()).toEqual([o.cancel]);
  });

  it('when the make-up game has begun, then a postponed game no longer offers the refund', () => {
    showMyOrders(order('paid', ['dispute'], 'postponed'));
    expect(buttons()).toEqual([o.dispute]);
    expect(screen.queryByText(o.postponedChoice)).toBeNull();
  });

  it('when a postponed game allows the refund, then it is offered with the dispute', () => {
    showMyOrders(order('paid', ['cancel', 'dispute'], 'postponed'));
    expect(buttons()).toEqual([o.postponedRefund, o.dispute]);
    // The choice is spelled out: keeping needs nothing, the refund is the button.
    expect(screen.getByText(o.postponedChoice)).toBeTruthy();
  });

  it('when an unpaid order may be paid and cancelled, then both buttons show', () => {
    showMyOrders(order('pending_payment', ['pay', 'cancel']));
    expect(buttons()).toEqual([o.pay, o.cancel]);
    expect(screen.getByText(o.pay).getAttribute('href')).toBe('/checkout/o-pending_payment');
  });

  it('when a delivered order is listed, then the buyer confirms or disputes it', () => {
    showMyOrders(order('delivered', ['confirm', 'dispute']));
    expect(buttons()).toEqual([o.confirm, o.dispute]);
  });

  it('when a completed order may be rated, then the rate button shows; when not, nothing', () => {
    showMyOrders(order('completed', ['review']));
    expect(buttons()).toEqual([o.rate]);
    cleanup();
    showMyOrders(order('disputed', []));
    expect(buttons()).toEqual([]);
  });
});
