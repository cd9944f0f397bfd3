// Who may see and act on an order: its buyer and its seller; admins only where a flow says so.
// What a party may do with the order now is one table, orders.actions.ts.
import type { OrderAction } from '../../../../shared/contracts/orders.ts';
import type { TxContext } from '../../platform/db/unit-of-work.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { findGameTimes } from '../catalog/index.ts';
import { allowedMove, type Rule } from './orders.actions.ts';
import type { OrderRow } from './orders.repository.ts';

export interface Viewer {
  id: string;
  role: 'user' | 'admin';
}

/**
 * 404 unless `viewer` is the order's buyer or seller (a stranger cannot tell it exists). With
 * `admin: true` an admin passes too (reading any order); the buyer's and the seller's own actions
 * pass `admin: false`, so an admin who is neither is a stranger there.
 */
export function assertParty(
  viewer: Viewer,
  order: { buyer_id: string; seller_id: string },
  options: { admin: boolean },
) {
  if (options.admin && viewer.role === 'admin') return;
  if (viewer.id !== order.buyer_id && viewer.id !== order.seller_id) throw notFound('Order');
}

/**
 * How `viewer` takes `action` on a locked order now, by the table that also lists the order's
 * `actions` (who acts, and the status it goes to); 409 INVALID_STATE when the table says no.
 */
export async function assertAction(
  ctx: TxContext,
  viewer: Viewer,
  order: OrderRow,
  action: OrderAction,
  refusal?: string,
): Promise<Rule> {
  const game = await findGameTimes(ctx.trx, order.game_id);
  if (!game) throw new AppError('INTERNAL', 'Order without its game');
  return allowedMove(action, { order, game, viewer, now: ctx.now }, refusal);
}
