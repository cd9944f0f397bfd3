// The order state machine of docs/PRODUCT.md §3.1 as one table. Every status change goes through
// `assertTransition` and is written to order_status_history in the same transaction.
//
// Two arrows beyond the diagram, both needed by rules stated elsewhere in the contract:
//   paid → disputed       "dispute (buyer, until completion)": a paid ticket that never arrives
//                         or is wrong can be disputed before the seller marks it sent.
//   delivered → refunded  "Game cancelled → everyone refunded" applies to tickets already handed
//                         over too; for a postponed game the delivered ticket stays valid, and
//                         only its seller (the ticket came back) or an admin refunds it.
import type { OrderStatus } from '../../platform/db/schema.ts';
import { invalidState } from '../../shared/errors.ts';

export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'expired', 'cancelled'],
  paid: ['delivered', 'refunded', 'disputed'],
  delivered: ['completed', 'disputed', 'refunded'],
  disputed: ['completed', 'refunded'],
  completed: [],
  refunded: [],
  expired: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** 409 INVALID_STATE for an arrow that is not in the table. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw invalidState(`The order is ${from} and cannot become ${to}`, { from, to });
  }
}

export const isTerminal = (status: OrderStatus) => ORDER_TRANSITIONS[status].length === 0;

/** Orders whose tickets count towards a buyer's 8 per game. */
export const TICKET_HOLDING_STATUSES: readonly OrderStatus[] = [
  'pending_payment',
  'paid',
  'delivered',
  'completed',
  'disputed',
];

/** Orders that hold the seller's money in escrow (a refund gives it back to the buyer). */
export const ESCROW_STATUSES: readonly OrderStatus[] = ['paid', 'delivered', 'disputed'];

export type Actor = 'buyer' | 'seller' | 'admin' | 'system';
