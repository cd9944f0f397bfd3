// After checkout, between the two parties: the seller sends the ticket, the buyer confirms or
// disputes, either cancels where the rules allow (PRODUCT.md §3).
import type { Order } from '../../../../shared/contracts/orders.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import { AppError, invalidState, notFound } from '../../shared/errors.ts';
import { findGameTimes } from '../catalog/index.ts';
import { assertParty, type Viewer } from './orders.access.ts';
import { mayCancelForPostponement } from './orders.rules.ts';
import type { OrderSweeps } from './orders.sweeps.ts';
import { BUYER, SELLER, SYSTEM, type OrderTransitions } from './orders.transitions.ts';
import type { OrderViews } from './orders.views.ts';
import * as repo from './orders.repository.ts';

export interface HandoverDeps {
  uow: UnitOfWork;
  transitions: OrderTransitions;
  views: Pick<OrderViews, 'load'>;
  sweeps: Pick<OrderSweeps, 'refundMissedDelivery'>;
}

export function createHandover(deps: HandoverDeps) {
  const { uow, transitions, views, sweeps } = deps;

  /** The order locked for one party's action: 404 for strangers, 403 for the other party. */
  async function lockAs(ctx: TxContext, viewer: Viewer, orderId: string, as: 'buyer' | 'seller') {
    const order = await repo.lockOrder(ctx.trx, orderId);
    if (!order) throw notFound('Order');
    assertParty(viewer, order, { admin: false });
    if ((as === 'buyer' ? order.buyer_id : order.seller_id) !== viewer.id)
      throw new AppError('FORBIDDEN', `Only the ${as} may do this`);
    return order;
  }

  return {
    /**
     * Buyer: an unpaid order is cancelled (the listing is on sale again); a paid order of a
     * postponed game is refunded in full. Seller: a paid order is refunded (the listing stays sold).
     */
    async cancel(viewer: Viewer, orderId: string, requestId: string | null = null): Promise<Order> {
      await uow.run(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, orderId);
        if (!order) throw notFound('Order');
        assertParty(viewer, order, { admin: false });
        if (order.buyer_id === viewer.id) {
          if (order.status === 'pending_payment') {
            if (order.expires_at <= ctx.now.toISOString()) {
              await transitions.releaseHold(ctx, order, 'expired', SYSTEM, 'checkout hold ran out');
            } else {
              await transitions.releaseHold(ctx, order, 'cancelled', BUYER, 'buyer cancelled');
            }
            return;
          }
          const game = await findGameTimes(ctx.trx, order.game_id);
          if (
            (order.status === 'paid' || order.status === 'delivered') &&
            game &&
            mayCancelForPostponement(game, ctx.now)
          ) {
            await transitions.refund(ctx, order, BUYER, 'game postponed: buyer cancelled');
            return;
          }
          throw invalidState(
            order.status === 'paid' || order.status === 'delivered'
              ? 'A paid order can only be cancelled by the seller, or by you if the game is postponed'
              : `The order is ${order.status} and cannot be cancelled`,
            { status: order.status },
          );
        }
        if (order.status !== 'paid') {
          throw invalidState(
            `The order is ${order.status}; a seller can cancel only a paid order`,
            {
              status: order.status,
            },
          );
        }
        await transitions.refund(ctx, order, SELLER, 'seller cancelled');
      });
      return views.load(orderId, viewer);
    },

    /** The seller has sent the ticket (by the deadline; past it the buyer is refunded instead). */
    async deliver(
      viewer: Viewer,
      orderId: string,
      note: string | undefined,
      requestId: string | null = null,
    ): Promise<Order> {
      await uow.run(requestId, async (ctx) => {
        const order = await lockAs(ctx, viewer, orderId, 'seller');
        if (
          order.status === 'paid' &&
          order.deliver_by &&
          order.deliver_by < ctx.now.toISOString()
        ) {
          await sweeps.refundMissedDelivery(ctx, order);
          ctx.failAfterCommit(
            invalidState('The hand-over deadline has passed; the buyer was refunded'),
          );
          return;
        }
        await transitions.deliver(ctx, order, note?.trim() || null);
      });
      return views.load(orderId, viewer);
    },

    /** The buyer has the ticket: escrow ends, a payout is owed to the seller. */
    async confirm(
      viewer: Viewer,
      orderId: string,
      requestId: string | null = null,
    ): Promise<Order> {
      await uow.run(requestId, async (ctx) => {
        const order = await lockAs(ctx, viewer, orderId, 'buyer');
        // A disputed order is settled by an admin (PRODUCT.md §3), not by its buyer.
        if (order.status !== 'delivered') {
          throw invalidState(`The order is ${order.status}; only a delivered order is confirmed`, {
            status: order.status,
          });
        }
        await transitions.complete(ctx, order, BUYER, 'buyer confirmed receipt');
      });
      return views.load(orderId, viewer);
    },

    /** The buyer disputes (paid or delivered, until completion): the payout waits for an admin. */
    async dispute(
      viewer: Viewer,
      orderId: string,
      reason: string,
      requestId: string | null = null,
    ): Promise<Order> {
      await uow.run(requestId, async (ctx) => {
        const order = await lockAs(ctx, viewer, orderId, 'buyer');
        await transitions.dispute(ctx, order, reason);
      });
      return views.load(orderId, viewer);
    },
  };
}

export type Handover = ReturnType<typeof createHandover>;
