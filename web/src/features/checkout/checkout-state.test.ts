import { describe, expect, it } from 'vitest';
import type { OrderAction } from '../../../../shared/contracts/orders.ts';
import type { OrderStatus } from '../../api/types.ts';
import { checkoutState } from './checkout-state.ts';

const now = Date.parse('2026-11-28T10:00:00.000Z');
const order = (status: OrderStatus, actions: OrderAction[], expiresInSeconds = 300) => ({
  status,
  actions,
  expiresAt: new Date(now + expiresInSeconds * 1000).toISOString(),
});

describe('checkout state', () => {
  it('when the hold is on and the server lets the buyer pay, then the card form shows with the time left', () => {
    expect(checkoutState(order('pending_payment', ['pay', 'cancel'], 125), now)).toEqual({
      view: 'pay',
      secondsLeft: 125,
    });
  });

  it('when the countdown has run out, then the hold has ended even before the server says so', () => {
    expect(checkoutState(order('pending_payment', ['pay', 'cancel'], -1), now).view).toBe(
      'expired',
    );
    expect(checkoutState(order('expired', []), now).view).toBe('expired');
  });

  it('when the server no longer takes a payment for a held order, then no card form shows', () => {
    expect(checkoutState(order('pending_payment', ['cancel']), now).view).toBe('unpayable');
    expect(checkoutState(order('pending_payment', []), now).view).toBe('unpayable');
  });

  it('when the order was cancelled, then that is said', () => {
    expect(checkoutState(order('cancelled', []), now).view).toBe('cancelled');
  });

  it('when the order was paid, then the page shows the success whatever followed', () => {
    for (const status of ['paid', 'delivered', 'completed', 'disputed', 'refunded'] as const) {
      expect(checkoutState(order(status, []), now).view).toBe('paid');
    }
  });
});
