// Moves inside a transaction: each checks the state table, writes the order and its history row,
// moves the listing, and enqueues its side effects (notifications, refunds, trending) in the same
// transaction. What must wait for commit (forgetting cached pages, carrying out refunds) is
// registered with the unit of work.
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { OrderStatus } from '../../platform/db/schema.ts';
import type { TxContext } from '../../platform/db/unit-of-work.ts';
import { invalidState } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { addCompletedSale, forgetUserActivity } from '../accounts/index.ts';
import { findGameTimes } from '../catalog/index.ts';
import type { ListingLifecycle } from '../listings/index.ts';
import {
  notificationJob,
  type NotificationParams,
  type NotificationType,
} from '../notifications/index.ts';
import type { PaymentsService } from '../payments/index.ts';
import { trendingRefreshJob } from '../trending/index.ts';
import { assertTransition, type Actor } from './order-state.ts';
import { deliverDeadline, payoutOf } from './orders.rules.ts';
import { scheduleDeliveryReminders } from './orders.reminders.ts';
import * as repo from './orders.repository.ts';

export interface ActorRef {
  kind: Actor;
  /** The admin's user id, kept in the history for the audit trail. */
  id?: string;
}

export const SYSTEM: ActorRef = { kind: 'system' };
export const BUYER: ActorRef = { kind: 'buyer' };
export const SELLER: ActorRef = { kind: 'seller' };

/** Tells `userId`, in the caller's transaction (the notifications module's job). */
export async function notify(
  ctx: Pick<TxContext, 'trx' | 'requestId'>,
  userId: string,
  type: NotificationType,
  params: NotificationParams,
  dedupeKey: string,
) {
  await notificationJob.enqueue(
    ctx.trx,
    { userId, type, params, dedupeKey: dedupeKey.slice(0, 128) },
    { requestId: ctx.requestId },
  );
}

const actorLabel = (a: ActorRef) => (a.kind === 'admin' && a.id ? `admin:${a.id}` : a.kind);

export interface TransitionsDeps {
  payments: Pick<PaymentsService, 'refundOrder'>;
  listings: ListingLifecycle;
  cached: CachedReader;
  platformFeePercent: number;
}

export function createOrderTransitions(deps: TransitionsDeps) {
  const { payments, listings, cached, platformFeePercent } = deps;

  /** The one way an order changes status. */
  async function move(
    ctx: TxContext,
    order: repo.OrderRow,
    to: OrderStatus,
    actor: ActorRef,
    reason: string | null,
    patch: Partial<repo.OrderRow> = {},
    /** A person's own words for this step (a delivery note, a dispute or cancellation reason). */
    note: string | null = null,
  ): Promise<repo.OrderRow> {
    assertTransition(order.status, to);
    const nowIso = ctx.now.toISOString();
    const changed = await repo.updateOrderStatus(ctx.trx, order.id, order.status, {
      ...patch,
      status: to,
      updated_at: nowIso,
    });
    if (!changed) throw invalidState('The order changed meanwhile; reload it and try again');
    // What is derived from the buyer's purchases (recommendations) is stale.
    ctx.afterCommit(`user-activity:${order.buyer_id}`, () =>
      forgetUserActivity(cached, order.buyer_id),
    );
    await repo.insertHistory(ctx.trx, {
      id: newId(),
      order_id: order.id,
      from_status: order.status,
      to_status: to,
      actor: actorLabel(actor),
      reason,
      note,
      created_at: nowIso,
    });
    return { ...order, ...patch, status: to, updated_at: nowIso };
  }

  const listingOf = (order: repo.OrderRow) => ({ id: order.listing_id, game_id: order.game_id });

  const facts = (order: repo.OrderRow) => ({
    orderId: order.id,
    listingId: order.listing_id,
    gameId: order.game_id,
    amount: order.amount,
    quantity: order.quantity,
    price: order.unit_price,
  });

  /** Money back to the buyer through TapPay; the listing stays sold (the ticket was sold). */
  /** Money back to the buyer through TapPay; the listing stays sold (the ticket was sold). */
  async function refund(
    ctx: TxContext,
    order: repo.OrderRow,
    actor: ActorRef,
    reason: string,
    note: string | null = null,
  ) {
    const moved = await move(ctx, order, 'refunded', actor, reason, {}, note);
    await payments.refundOrder(ctx, order.id, reason);
    const f = { ...facts(order), reason };
    await notify(
      ctx,
      order.buyer_id,
      'order_refunded',
      { ...f, role: 'buyer' },
      `order_refunded:${order.id}:buyer`,
    );
    await notify(
      ctx,
      order.seller_id,
      'order_refunded',
      { ...f, role: 'seller' },
      `order_refunded:${order.id}:seller`,
    );
    return moved;
  }

  return {
    move,

    /** A hold ends unpaid: expired (time ran out) or cancelled (buyer, admin, game). */
    async releaseHold(
      ctx: TxContext,
      order: repo.OrderRow,
      to: 'expired' | 'cancelled',
      actor: ActorRef,
      reason: string,
      note: string | null = null,
    ) {
      const moved = await move(ctx, order, to, actor, reason, {}, note);
      await listings.release(
        ctx,
        listingOf(order),
        await findGameTimes(ctx.trx, order.game_id),
        order.quantity,
      );
      if (to === 'expired') {
        await notify(
          ctx,
          order.buyer_id,
          'order_expired',
          facts(order),
          `order_expired:${order.id}`,
        );
      }
      return moved;
    },

    /** The payment is confirmed: the listing is sold and the seller must hand over. */
    async markPaid(
      ctx: TxContext,
      order: repo.OrderRow,
      gameStartsAt: string,
      /** How the buyer paid (card or a wallet): shown on the receipt. */
      paymentMethod: NotificationParams['paymentMethod'] = 'card',
    ) {
      const deliverBy = deliverDeadline(ctx.now, new Date(gameStartsAt)).toISOString();
      const moved = await move(ctx, order, 'paid', SYSTEM, 'payment confirmed', {
        paid_at: ctx.now.toISOString(),
        deliver_by: deliverBy,
      });
      await listings.markSold(ctx, listingOf(order), order.quantity);
      await scheduleDeliveryReminders(ctx.trx, order, deliverBy, ctx.now, ctx.requestId);
      await notify(
        ctx,
        order.seller_id,
        'order_paid',
        { ...facts(order), role: 'seller', deliverBy },
        `order_paid:${order.id}`,
      );
      // The buyer's receipt (issue 21 item 4): order, seats, amount, escrow, hand-over deadline.
      await notify(
        ctx,
        order.buyer_id,
        'payment_receipt',
        { orderId: order.id, role: 'buyer', deliverBy, paymentMethod },
        `payment_receipt:${order.id}`,
      );
      await trendingRefreshJob.enqueue(
        ctx.trx,
        { gameId: order.game_id },
        { requestId: ctx.requestId },
      );
      return moved;
    },

    refund,

    /**
     * A postponed game's buyer takes the refund before the ticket was handed over: the money goes
     * back and the seller, who still has the ticket, has the listing on sale again (`relist`).
     */
    async refundBeforeHandover(
      ctx: TxContext,
      order: repo.OrderRow,
      actor: ActorRef,
      reason: string,
      note: string | null = null,
    ) {
      if (order.status !== 'paid') throw invalidState('The ticket was already handed over');
      const moved = await refund(ctx, order, actor, reason, note);
      await listings.relist(ctx, listingOf(order), order.quantity);
      return moved;
    },

    async deliver(
      ctx: TxContext,
      order: repo.OrderRow,
      note: string | null,
      /** What the buyer is told of the proof (issue 18 item 4). */
      proof: Pick<NotificationParams, 'proof' | 'trackingNumber'> = {},
    ) {
      const moved = await move(
        ctx,
        order,
        'delivered',
        SELLER,
        'ticket sent',
        { delivered_at: ctx.now.toISOString(), delivery_note: note },
        note,
      );
      await notify(
        ctx,
        order.buyer_id,
        'order_delivered',
        { ...facts(order), role: 'buyer', ...proof },
        `order_delivered:${order.id}`,
      );
      return moved;
    },

    /** The buyer disputes: the reason from the list (`code`) and their words, if any. */
    async dispute(ctx: TxContext, order: repo.OrderRow, code: string, reason: string | null) {
      return move(
        ctx,
        order,
        'disputed',
        BUYER,
        `buyer opened a dispute: ${code}`,
        { dispute_reason: reason, dispute_code: code },
        reason,
      );
    },

    /** Escrow ends: a payout is owed to the seller and their record counts one more sale. */
    async complete(
      ctx: TxContext,
      order: repo.OrderRow,
      actor: ActorRef,
      reason: string,
      note: string | null = null,
    ) {
      const nowIso = ctx.now.toISOString();
      const moved = await move(
        ctx,
        order,
        'completed',
        actor,
        reason,
        { completed_at: nowIso },
        note,
      );
      const { gross, fee, net } = payoutOf(order.amount, platformFeePercent);
      const payoutId = newId();
      await repo.insertPayout(ctx.trx, {
        id: payoutId,
        order_id: order.id,
        seller_id: order.seller_id,
        gross_amount: gross,
        fee,
        amount: net,
        status: 'owed',
        paid_at: null,
        created_at: nowIso,
        batch_id: null,
        batch_line: null,
        batch_account: null,
        failure_reason: null,
      });
      await addCompletedSale(ctx.trx, order.seller_id, nowIso);
      await notify(
        ctx,
        order.buyer_id,
        'order_completed',
        { ...facts(order), role: 'buyer' },
        `order_completed:${order.id}:buyer`,
      );
      await notify(
        ctx,
        order.seller_id,
        'order_completed',
        { ...facts(order), role: 'seller', payoutId, amount: net },
        `order_completed:${order.id}:seller`,
      );
      return moved;
    },
  };
}

export type OrderTransitions = ReturnType<typeof createOrderTransitions>;
