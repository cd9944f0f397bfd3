// Order flows: the checkout hold, reading orders, the hand-over (deliver, confirm, dispute,
// cancel) and the sweeps that expire holds, refund missed deliveries and complete orders.
import { z } from 'zod';
import type { MyOrdersQuery, Order, OrderPage } from '../../../../shared/contracts/orders.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { AppError, invalidState, notFound, validationFailed } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { HOUR } from '../../shared/clock.ts';
import { findPaymentsOfOrder, OPEN_PAYMENT_STATUSES } from '../payments/index.ts';
import {
  isGameOnSale,
  MAX_TICKETS_PER_GAME,
  MAX_UNPAID_ORDERS,
  mayCancelForPostponement,
} from './order-rules.ts';
import { BUYER, notify, SELLER, SYSTEM } from './order-transitions.ts';
import {
  createOrdersCore,
  lockingClaimer,
  type FlowContext,
  type OrdersCore,
  type OrdersDeps,
  type Viewer,
} from './orders.core.ts';
import { createOrderPayments } from './order-payments.ts';
import { createOrderAdmin } from './order-admin.ts';
import * as repo from './orders.repository.ts';

const OrderCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(64) });

export const ORDER_JOBS = {
  expireHolds: 'orders.expire-holds',
  escrow: 'orders.escrow',
} as const;

const BATCH = 100;

export function createOrdersService(deps: OrdersDeps) {
  const core: OrdersCore = createOrdersCore(deps);
  const { db, dialect, clock, config } = deps;
  const { transitions, tx, loadOrder } = core;
  const claimer = deps.claimer ?? lockingClaimer;
  const payments = createOrderPayments(core);
  const admin = createOrderAdmin(core);

  deps.metrics?.gauge('orders_by_status', 'Orders by status', ['status'], async (gauge) => {
    const rows = await repo.countOrdersByStatus(db);
    gauge.reset();
    for (const r of rows) gauge.set({ status: r.status }, Number(r.n));
  });

  /** A hold whose time ran out: settle its open payment attempts first, then expire it. */
  async function expireHold(orderId: string, requestId: string | null = null): Promise<boolean> {
    const open = (await findPaymentsOfOrder(db, orderId)).filter((p) =>
      OPEN_PAYMENT_STATUSES.includes(p.status),
    );
    for (const p of open) await payments.reconcilePayment(p.id);
    return tx(requestId, async (ctx) => {
      const order = await repo.lockOrder(ctx.trx, dialect, orderId);
      if (!order || order.status !== 'pending_payment') return false;
      if (order.expires_at > ctx.now.toISOString()) return false;
      await transitions.releaseHold(ctx, order, 'expired', SYSTEM, 'checkout hold ran out');
      return true;
    });
  }

  /** Seller action on a party's order: 404 for strangers, 403 for the buyer. */
  async function lockAsSeller(ctx: FlowContext, viewer: Viewer, orderId: string) {
    const order = await repo.lockOrder(ctx.trx, dialect, orderId);
    if (!order) throw notFound('Order');
    core.assertParty({ ...viewer, role: 'user' }, order);
    if (order.seller_id !== viewer.id)
      throw new AppError('FORBIDDEN', 'Only the seller may do this');
    return order;
  }

  async function lockAsBuyer(ctx: FlowContext, viewer: Viewer, orderId: string) {
    const order = await repo.lockOrder(ctx.trx, dialect, orderId);
    if (!order) throw notFound('Order');
    core.assertParty({ ...viewer, role: 'user' }, order);
    if (order.buyer_id !== viewer.id) throw new AppError('FORBIDDEN', 'Only the buyer may do this');
    return order;
  }

  /** Refunds a paid order whose hand-over deadline passed (the sweep, and the deliver guard). */
  async function refundMissedDelivery(ctx: FlowContext, order: repo.OrderRow) {
    await transitions.refund(ctx, order, SYSTEM, 'delivery deadline missed');
  }

  return {
    core,
    ...payments,
    ...admin,
    expireHold,

    /**
     * The checkout hold: claims the listing (`active → held`) and creates the order, in one
     * transaction. With an Idempotency-Key, a repeat returns the same order (`created: false`).
     */
    async placeHold(
      buyer: Viewer,
      listingId: string,
      idempotencyKey: string | undefined,
      requestId: string | null = null,
    ): Promise<{ order: Order; created: boolean }> {
      const replay = async () => {
        if (!idempotencyKey) return null;
        const existing = await repo.findOrderByIdempotencyKey(db, buyer.id, idempotencyKey);
        if (!existing) return null;
        if (existing.listing_id !== listingId) {
          throw validationFailed('This Idempotency-Key was used for another listing', [
            { path: 'headers.idempotency-key', message: 'already used for another listing' },
          ]);
        }
        return { order: await loadOrder(existing.id, buyer), created: false };
      };
      const earlier = await replay();
      if (earlier) return earlier;

      let orderId: string;
      try {
        orderId = await tx(requestId, async (ctx) => {
          const nowIso = ctx.now.toISOString();
          const listing = await claimer.read(ctx.trx, dialect, listingId);
          if (!listing) throw notFound('Listing');
          if (listing.seller_id === buyer.id) {
            throw new AppError('CANNOT_BUY_OWN_LISTING', 'You cannot buy your own listing');
          }
          const game = await repo.findGame(ctx.trx, listing.game_id);
          if (!game || !isGameOnSale(game, ctx.now)) {
            throw new AppError('GAME_NOT_ON_SALE', 'Tickets for this game are not on sale');
          }
          if (listing.status === 'held') {
            // A hold that ran out and was not swept yet gives way here (guard in every path).
            const pending = await repo.findPendingOrderOfListing(ctx.trx, listing.id);
            const holder = pending && (await repo.lockOrder(ctx.trx, dialect, pending.id));
            const stale =
              holder &&
              holder.expires_at <= nowIso &&
              !(await findPaymentsOfOrder(ctx.trx, holder.id)).some((p) =>
                OPEN_PAYMENT_STATUSES.includes(p.status),
              );
            if (!stale)
              throw new AppError('LISTING_UNAVAILABLE', 'Someone else is buying this listing');
            await transitions.releaseHold(ctx, holder, 'expired', SYSTEM, 'checkout hold ran out');
          } else if (listing.status !== 'active') {
            throw new AppError('LISTING_UNAVAILABLE', 'This listing is no longer available');
          }
          await repo.lockUser(ctx.trx, dialect, buyer.id);
          const tickets = await repo.countTicketsOfGame(ctx.trx, buyer.id, listing.game_id, nowIso);
          if (tickets + listing.quantity > MAX_TICKETS_PER_GAME) {
            throw new AppError(
              'PURCHASE_LIMIT',
              `At most ${MAX_TICKETS_PER_GAME} tickets per game per buyer`,
              { limit: MAX_TICKETS_PER_GAME, held: tickets, requested: listing.quantity },
            );
          }
          const unpaid = await repo.countUnpaidOrders(ctx.trx, buyer.id, nowIso);
          if (unpaid >= MAX_UNPAID_ORDERS) {
            throw new AppError(
              'PURCHASE_LIMIT',
              `At most ${MAX_UNPAID_ORDERS} unpaid orders at a time; pay or cancel one first`,
              { limit: MAX_UNPAID_ORDERS, unpaid },
            );
          }
          if (!(await claimer.claim(ctx.trx, listing.id, nowIso))) {
            throw new AppError('LISTING_UNAVAILABLE', 'Someone else is buying this listing');
          }
          const id = newId();
          await repo.insertOrder(ctx.trx, {
            id,
            listing_id: listing.id,
            buyer_id: buyer.id,
            seller_id: listing.seller_id,
            game_id: listing.game_id,
            quantity: listing.quantity,
            unit_price: listing.price,
            // The amount is computed here, once, from the listing: never taken from a client.
            amount: listing.price * listing.quantity,
            status: 'pending_payment',
            idempotency_key: idempotencyKey ?? null,
            expires_at: new Date(
              ctx.now.getTime() + config.checkoutHoldSeconds * 1000,
            ).toISOString(),
            paid_at: null,
            deliver_by: null,
            delivered_at: null,
            delivery_note: null,
            completed_at: null,
            dispute_reason: null,
            created_at: nowIso,
            updated_at: nowIso,
          });
          await repo.insertHistory(ctx.trx, {
            id: newId(),
            order_id: id,
            from_status: null,
            to_status: 'pending_payment',
            actor: 'buyer',
            reason: 'checkout hold',
            created_at: nowIso,
          });
          ctx.effects.listings.push({ gameId: listing.game_id, listingId: listing.id });
          await notify(
            ctx,
            listing.seller_id,
            'order_placed',
            {
              orderId: id,
              listingId: listing.id,
              gameId: listing.game_id,
              amount: listing.price * listing.quantity,
              quantity: listing.quantity,
              role: 'seller',
            },
            `order_placed:${id}`,
          );
          return id;
        });
      } catch (err) {
        // Two requests with one key: the loser finds the winner's order.
        const raced =
          isUniqueViolation(err) || (err instanceof AppError && err.code === 'LISTING_UNAVAILABLE');
        if (raced) {
          const again = await replay();
          if (again) return again;
        }
        throw err;
      }
      return { order: await loadOrder(orderId, buyer), created: true };
    },

    /** One order for its buyer, its seller or an admin; an unpaid hold past its time expires here. */
    async getOrder(viewer: Viewer, orderId: string): Promise<Order> {
      const row = await repo.findOrderById(db, orderId);
      if (!row) throw notFound('Order');
      core.assertParty(viewer, row);
      if (row.status === 'pending_payment' && row.expires_at <= clock.now().toISOString()) {
        await expireHold(row.id);
      }
      return loadOrder(orderId, viewer);
    },

    async listMine(viewer: Viewer, query: MyOrdersQuery): Promise<OrderPage> {
      const before = query.cursor ? decodeCursor(query.cursor, OrderCursor) : undefined;
      const rows = await repo.listOrders(db, {
        ...(query.role === 'seller' ? { sellerId: viewer.id } : { buyerId: viewer.id }),
        status: query.status,
        before,
        limit: query.limit + 1,
      });
      const pageRows = rows.slice(0, query.limit);
      const last = pageRows[pageRows.length - 1];
      return {
        items: await core.summarize(pageRows, viewer),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },

    /**
     * Buyer: an unpaid order is cancelled (the listing is on sale again); a paid order of a
     * postponed game is refunded in full. Seller: a paid order is refunded (the listing stays sold).
     */
    async cancel(viewer: Viewer, orderId: string, requestId: string | null = null): Promise<Order> {
      await tx(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, dialect, orderId);
        if (!order) throw notFound('Order');
        core.assertParty({ ...viewer, role: 'user' }, order);
        if (order.buyer_id === viewer.id) {
          if (order.status === 'pending_payment') {
            if (order.expires_at <= ctx.now.toISOString()) {
              await transitions.releaseHold(ctx, order, 'expired', SYSTEM, 'checkout hold ran out');
            } else {
              await transitions.releaseHold(ctx, order, 'cancelled', BUYER, 'buyer cancelled');
            }
            return;
          }
          const game = await repo.findGame(ctx.trx, order.game_id);
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
      return loadOrder(orderId, viewer);
    },

    /** The seller has sent the ticket (by the deadline; past it the buyer is refunded instead). */
    async deliver(
      viewer: Viewer,
      orderId: string,
      note: string | undefined,
      requestId: string | null = null,
    ): Promise<Order> {
      await tx(requestId, async (ctx) => {
        const order = await lockAsSeller(ctx, viewer, orderId);
        if (
          order.status === 'paid' &&
          order.deliver_by &&
          order.deliver_by < ctx.now.toISOString()
        ) {
          await refundMissedDelivery(ctx, order);
          ctx.defer(invalidState('The hand-over deadline has passed; the buyer was refunded'));
          return;
        }
        await transitions.deliver(ctx, order, note?.trim() || null);
      });
      return loadOrder(orderId, viewer);
    },

    /** The buyer has the ticket: escrow ends, a payout is owed to the seller. */
    async confirm(
      viewer: Viewer,
      orderId: string,
      requestId: string | null = null,
    ): Promise<Order> {
      await tx(requestId, async (ctx) => {
        const order = await lockAsBuyer(ctx, viewer, orderId);
        // A disputed order is settled by an admin (PRODUCT.md §3), not by its buyer.
        if (order.status !== 'delivered') {
          throw invalidState(`The order is ${order.status}; only a delivered order is confirmed`, {
            status: order.status,
          });
        }
        await transitions.complete(ctx, order, BUYER, 'buyer confirmed receipt');
      });
      return loadOrder(orderId, viewer);
    },

    /** The buyer disputes (paid or delivered, until completion): the payout waits for an admin. */
    async dispute(
      viewer: Viewer,
      orderId: string,
      reason: string,
      requestId: string | null = null,
    ): Promise<Order> {
      await tx(requestId, async (ctx) => {
        const order = await lockAsBuyer(ctx, viewer, orderId);
        await transitions.dispute(ctx, order, reason);
      });
      return loadOrder(orderId, viewer);
    },

    // ---- sweeps (periodic jobs)

    /** Job `orders.expire-holds`: every unpaid hold past its time. */
    async expireHolds(scope: repo.SweepScope = {}): Promise<number> {
      let total = 0;
      for (let round = 0; round < 100; round++) {
        const due = await repo.findExpiredHolds(db, clock.now().toISOString(), BATCH, scope);
        let expired = 0;
        for (const { id } of due) if (await expireHold(id)) expired++;
        total += expired;
        if (due.length < BATCH || expired === 0) break;
      }
      return total;
    },

    /** Job `orders.escrow`: refunds missed hand-overs, completes delivered orders after the game. */
    async runEscrow(scope: repo.SweepScope = {}): Promise<{ refunded: number; completed: number }> {
      let refunded = 0;
      let completed = 0;
      const missed = await repo.findMissedDeliveries(db, clock.now().toISOString(), BATCH, scope);
      for (const { id } of missed) {
        await tx(null, async (ctx) => {
          const order = await repo.lockOrder(ctx.trx, dialect, id);
          if (order?.status !== 'paid' || !order.deliver_by) return;
          if (order.deliver_by >= ctx.now.toISOString()) return;
          await refundMissedDelivery(ctx, order);
          refunded++;
        });
      }
      const cutoff = new Date(
        clock.now().getTime() - config.autoCompleteHours * HOUR,
      ).toISOString();
      const done = await repo.findAutoCompletable(db, cutoff, BATCH, scope);
      for (const { id } of done) {
        await tx(null, async (ctx) => {
          const order = await repo.lockOrder(ctx.trx, dialect, id);
          if (order?.status !== 'delivered') return;
          await transitions.complete(ctx, order, SYSTEM, 'completed automatically after the game');
          completed++;
        });
      }
      return { refunded, completed };
    },

    /** Enqueue the next run of a periodic job unless one is already waiting. */
    async schedule(type: string, delayMs: number) {
      await db.transaction().execute(async (trx) => {
        if (await repo.hasPendingJob(trx, type)) return;
        await enqueue(trx, type, null, { runAt: new Date(clock.now().getTime() + delayMs) });
      });
    },
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
