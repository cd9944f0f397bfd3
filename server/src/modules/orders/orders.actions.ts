// What the viewer of an order may do next (`Order.actions`): who may move an order where, as one
// table over the state table (order-state.ts) and the rules of orders.rules.ts. The web shows a
// button for each action listed and re-derives nothing; the hand-over and dispute flows decide
// with the same table (`allowedMove`), and orders-actions.test.ts presses every button for every
// party to prove that the list and the flows agree.
import type { OrderAction } from '../../../../shared/contracts/orders.ts';
import { ORDER_ACTIONS } from '../../../../shared/contracts/vocabulary.ts';
import type { OrderStatus } from '../../platform/db/schema.ts';
import { invalidState } from '../../shared/errors.ts';
import { isGameOnSale, type GameTimes } from '../catalog/index.ts';
import { canTransition } from './order-state.ts';
import { mayCancelForPostponement } from './orders.rules.ts';

export interface ActionFacts {
  order: {
    status: OrderStatus;
    buyer_id: string;
    seller_id: string;
    expires_at: string;
    deliver_by: string | null;
    /** The buyer has rated the seller for this order (unknown to flows: `review` is refused). */
    reviewed?: boolean;
  };
  game: Pick<GameTimes, 'status' | 'starts_at' | 'makeup_starts_at'>;
  viewer: { id: string; role: 'user' | 'admin' };
  now: Date;
}

export type Party = 'buyer' | 'seller' | 'admin';

export interface Rule {
  by: Party;
  /** The status the action moves the order to; it must be an arrow of the state table. */
  to?: OrderStatus;
  when?: (f: ActionFacts) => boolean;
}

const holdOpen = (f: ActionFacts) => f.order.expires_at > f.now.toISOString();
const statusIs =
  (...statuses: OrderStatus[]) =>
  (f: ActionFacts) =>
    statuses.includes(f.order.status);

const RULES: Record<OrderAction, Rule[]> = {
  pay: [{ by: 'buyer', to: 'paid', when: (f) => holdOpen(f) && isGameOnSale(f.game, f.now) }],
  cancel: [
    // An unpaid hold: the listing goes back on sale.
    { by: 'buyer', to: 'cancelled', when: holdOpen },
    // A postponed game: its buyers may take a full refund of an order not yet handed over. A
    // delivered ticket stays valid for the make-up date: the buyer who holds it cannot take the
    // money back too.
    {
      by: 'buyer',
      to: 'refunded',
      when: (f) => statusIs('paid')(f) && mayCancelForPostponement(f.game, f.now),
    },
    // The seller cannot deliver: the buyer is refunded.
    { by: 'seller', to: 'refunded', when: statusIs('paid') },
    // A postponed game's delivered ticket came back to its seller: the seller confirms it and the
    // buyer is refunded. Without the seller, only an admin refunds it (the buyer disputes).
    {
      by: 'seller',
      to: 'refunded',
      when: (f) => statusIs('delivered')(f) && mayCancelForPostponement(f.game, f.now),
    },
  ],
  deliver: [
    {
      by: 'seller',
      to: 'delivered',
      when: (f) => !f.order.deliver_by || f.order.deliver_by >= f.now.toISOString(),
    },
  ],
  // A disputed order is settled by an admin, not confirmed by its buyer.
  confirm: [{ by: 'buyer', to: 'completed', when: statusIs('delivered') }],
  dispute: [{ by: 'buyer', to: 'disputed' }],
  review: [{ by: 'buyer', when: (f) => statusIs('completed')(f) && f.order.reviewed === false }],
  refund: [{ by: 'admin', to: 'refunded', when: statusIs('disputed') }],
  release: [{ by: 'admin', to: 'completed', when: statusIs('disputed') }],
};

function partiesOf(f: ActionFacts): Set<Party> {
  const parties = new Set<Party>();
  if (f.viewer.id === f.order.buyer_id) parties.add('buyer');
  else if (f.viewer.id === f.order.seller_id) parties.add('seller');
  if (f.viewer.role === 'admin') parties.add('admin');
  return parties;
}

/** The first rule that lets this viewer take `action` now, if any. */
function ruleFor(action: OrderAction, f: ActionFacts, parties = partiesOf(f)): Rule | undefined {
  return RULES[action].find(
    (rule) =>
      parties.has(rule.by) &&
      (!rule.to || canTransition(f.order.status, rule.to)) &&
      (!rule.when || rule.when(f)),
  );
}

/** The actions open to this viewer now, in the vocabulary's order. */
export function orderActions(f: ActionFacts): OrderAction[] {
  const parties = partiesOf(f);
  return ORDER_ACTIONS.filter((action) => ruleFor(action, f, parties) !== undefined);
}

/**
 * The flows' decision: the rule by which this viewer takes `action` now (its `by` and `to` say
 * who acts and where the order goes), or 409 INVALID_STATE with `refusal`. Strangers (404) and
 * the wrong party (403) are told apart before, where the order is locked.
 */
export function allowedMove(action: OrderAction, f: ActionFacts, refusal?: string): Rule {
  const rule = ruleFor(action, f);
  if (rule) return rule;
  throw invalidState(refusal ?? `The order is ${f.order.status}; you cannot ${action} it now`, {
    status: f.order.status,
  });
}
