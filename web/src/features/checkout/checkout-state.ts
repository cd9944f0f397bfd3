// What the checkout page shows for an order (pure; tested): the card form while the buyer may pay
// (the server lists `pay` and the countdown has not run out), else the hold's outcome.
import type { Order } from '../../api/types.ts';
import { secondsLeft } from '../../lib/format.ts';

export type CheckoutView =
  /** The hold is on and the server lets this viewer pay: countdown and card form. */
  | 'pay'
  /** Still held, but the server will not take a payment (the game went off sale…). */
  | 'unpayable'
  /** The hold ran out (by the server's word or by the countdown). */
  | 'expired'
  | 'cancelled'
  /** Paid; whatever happened since is on the order page. */
  | 'paid';

export function checkoutState(
  order: Pick<Order, 'status' | 'actions' | 'expiresAt'>,
  now: number,
): { view: CheckoutView; secondsLeft: number } {
  const left = secondsLeft(order.expiresAt, now);
  const view: CheckoutView = (() => {
    switch (order.status) {
      case 'pending_payment':
        if (left === 0) return 'expired';
        return order.actions.includes('pay') ? 'pay' : 'unpayable';
      case 'expired':
        return 'expired';
      case 'cancelled':
        return 'cancelled';
      default:
        return 'paid';
    }
  })();
  return { view, secondsLeft: left };
}
