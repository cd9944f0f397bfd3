// Operator actions that move orders: settling disputes, schedule changes (cancelled → everyone
// refunded; postponed → holders told, buyers may cancel), listing takedowns.
import type { AdminGameBody, AdminGameResult } from '../../../../shared/contracts/admin.ts';
import type { Order } from '../../../../shared/contracts/orders.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import { invalidState, notFound, validationFailed } from '../../shared/errors.ts';
import { lockGame, updateGameSchedule } from '../catalog/index.ts';
import { findActiveListingIdsOfSeller, type ListingLifecycle } from '../listings/index.ts';
import {
  gameMovedJob,
  type NotificationParams,
  type NotificationType,
} from '../notifications/index.ts';
import { ESCROW_STATUSES } from './order-state.ts';
import { assertAction, type Viewer } from './orders.access.ts';
import { deliverDeadline } from './orders.rules.ts';
import { notify, SYSTEM, type ActorRef, type OrderTransitions } from './orders.transitions.ts';
import type { OrderViews } from './orders.views.ts';
import { scheduleDeliveryReminders } from './orders.reminders.ts';
import * as repo from './orders.repository.ts';

export interface OrderAdminDeps {
  db: Db;
  uow: UnitOfWork;
  listings: ListingLifecycle;
  transitions: OrderTransitions;
  views: Pick<OrderViews, 'load' | 'listForAdmin'>;
}

export function createOrderAdmin(deps: OrderAdminDeps) {
  const { db, uow, listings, transitions, views } = deps;
  const adminRef = (v: Viewer): ActorRef => ({ kind: 'admin', id: v.id });

  /** Takes a listing off sale inside a transaction; a hold on it is cancelled. */
  async function takeDown(ctx: TxContext, actor: ActorRef, listingId: string, reason: string) {
    const listing = await listings.lock(ctx.trx, listingId);
    if (!listing) throw notFound('Listing');
    if (listing.status === 'sold') {
      throw invalidState('This listing is sold; settle its order instead', { status: 'sold' });
    }
    if (listing.held > 0) {
      // Every unpaid hold on it is cancelled (a listing bought in part may have several).
      for (const holder of await repo.findPendingOrdersOfListing(ctx.trx, listingId)) {
        const order = await repo.lockOrder(ctx.trx, holder.id);
        if (order?.status === 'pending_payment') {
          await transitions.releaseHold(ctx, order, 'cancelled', actor, reason);
        }
      }
    }
    await listings.takeDown(ctx, listing);
  }

  /**
   * Everything sold for a game is undone: its listings come down, holds are released and every
   * order in escrow is refunded (a cancelled game, a game suspended before the club's inning).
   */
  async function refundGame(
    ctx: TxContext,
    gameId: string,
    actor: ActorRef,
    reason: string,
    holders = new Set<string>(),
  ) {
    const result = { listingsCancelled: 0, ordersCancelled: 0, ordersRefunded: 0 };
    const takenDown = await listings.takeDownAllOfGame(ctx, gameId);
    result.listingsCancelled = takenDown.length;
    for (const l of takenDown) holders.add(l.seller_id);
    const affected = await repo.findOrdersOfGame(ctx.trx, gameId, [
      'pending_payment',
      ...ESCROW_STATUSES,
    ]);
    for (const { id } of affected) {
      const order = await repo.lockOrder(ctx.trx, id);
      if (!order) continue;
      holders.add(order.buyer_id);
      holders.add(order.seller_id);
      if (order.status === 'pending_payment') {
        await transitions.releaseHold(ctx, order, 'cancelled', actor, reason);
        result.ordersCancelled++;
      } else if (ESCROW_STATUSES.includes(order.status)) {
        await transitions.refund(ctx, order, actor, reason);
        result.ordersRefunded++;
      }
    }
    return result;
  }

  return {
    /**
     * The schedule sync changed a game (catalog has written it): `refund` undoes every sale of the
     * game (cancelled, or suspended before the club's inning); `postponed` (no make-up date yet)
     * stops the hand-over clock of paid orders; `moved` (a make-up date, a new time) sets it from
     * the new first pitch. Whoever has a stake is told by the notifications module.
     */
    async applyScheduleChange(
      gameId: string,
      change: {
        action: 'refund' | 'postponed' | 'moved';
        reason: string;
        /** Refund: what every buyer and seller is told (the key the game's fan-out uses too). */
        notice?: { type: NotificationType; params: NotificationParams; dedupeKey: string };
      },
      requestId: string | null = null,
    ) {
      return uow.run(requestId, async (ctx) => {
        const game = await lockGame(ctx.trx, gameId);
        if (!game) throw notFound('Game');
        await listings.forgetGame(ctx, gameId);
        if (change.action === 'refund') {
          const holders = new Set<string>();
          const result = await refundGame(ctx, gameId, SYSTEM, change.reason, holders);
          const notice = change.notice;
          if (notice)
            for (const userId of holders)
              await notify(ctx, userId, notice.type, notice.params, notice.dedupeKey);
          return result;
        }
        const paid = await repo.findOrdersOfGame(ctx.trx, gameId, ['paid']);
        for (const { id } of paid) {
          const order = await repo.lockOrder(ctx.trx, id);
          if (order?.status !== 'paid' || !order.paid_at) continue;
          const deliverBy =
            change.action === 'postponed'
              ? null
              : deliverDeadline(ctx.now, new Date(game.starts_at)).toISOString();
          await repo.setDeliverBy(ctx.trx, order.id, deliverBy);
          // Reminders of the old deadline do nothing now (they carry it); new ones for the new.
          if (deliverBy)
            await scheduleDeliveryReminders(ctx.trx, order, deliverBy, ctx.now, ctx.requestId);
        }
        return { listingsCancelled: 0, ordersCancelled: 0, ordersRefunded: 0 };
      });
    },

    /** Admin: a disputed order is refunded to the buyer or released to the seller. */
    async resolveDispute(
      admin: Viewer,
      orderId: string,
      outcome: 'refund' | 'release',
      requestId: string | null = null,
      reason: string,
    ): Promise<Order> {
      const note = reason?.trim() || null;
      // Both parties receive the admin's words (issue 18 item 6): a settlement without them is refused.
      if (!note)
        throw validationFailed('Write the note both parties receive', [
          { path: 'body.reason', message: 'required' },
        ]);
      await uow.run(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, orderId);
        if (!order) throw notFound('Order');
        await assertAction(
          ctx,
          admin,
          order,
          outcome,
          `The order is ${order.status}, not disputed`,
        );
        for (const [userId, role] of [
          [order.buyer_id, 'buyer'],
          [order.seller_id, 'seller'],
        ] as const) {
          await notify(
            ctx,
            userId,
            'dispute_resolved',
            { orderId: order.id, gameId: order.game_id, role, outcome, note },
            `dispute_resolved:${order.id}:${role}`,
          );
        }
        if (outcome === 'refund') {
          await transitions.refund(
            ctx,
            order,
            adminRef(admin),
            'dispute settled: refund to buyer',
            note,
          );
        } else {
          await transitions.complete(
            ctx,
            order,
            adminRef(admin),
            'dispute settled: released to seller',
            note,
          );
        }
      });
      return views.load(orderId, admin);
    },

    listOrders: views.listForAdmin,

    /**
     * Admin schedule change. `cancelled`: its listings are cancelled, holds released and every
     * paid order refunded. `postponed` (with the make-up start when known): holders are told and
     * buyers may cancel for a full refund until the make-up game. Other statuses just change.
     */
    async changeGameStatus(
      admin: Viewer,
      gameId: string,
      body: AdminGameBody,
      requestId: string | null = null,
    ): Promise<AdminGameResult> {
      const actor = adminRef(admin);
      return uow.run(requestId, async (ctx) => {
        const game = await lockGame(ctx.trx, gameId);
        if (!game) throw notFound('Game');
        if (game.status === 'cancelled') {
          throw invalidState('A cancelled game stays cancelled', { status: game.status });
        }
        const startsAt = body.startsAt ? new Date(body.startsAt).toISOString() : null;
        const result = {
          listingsCancelled: 0,
          ordersCancelled: 0,
          ordersRefunded: 0,
          holdersNotified: 0,
        };
        const holders = new Set<string>();
        await updateGameSchedule(
          ctx.trx,
          gameId,
          { status: body.status, startsAt },
          ctx.now.toISOString(),
        );
        // Its listings show whether the game is on sale: every cached page of them is stale.
        await listings.forgetGame(ctx, gameId);

        if (body.status === 'cancelled') {
          Object.assign(result, await refundGame(ctx, gameId, actor, 'game cancelled', holders));
          for (const userId of holders) {
            await notify(ctx, userId, 'game_cancelled', { gameId }, `game_cancelled:${gameId}`);
          }
        } else if (body.status === 'postponed') {
          const affected = await repo.findOrdersOfGame(ctx.trx, gameId, [
            'pending_payment',
            ...ESCROW_STATUSES,
          ]);
          for (const o of affected) holders.add(o.buyer_id);
          for (const userId of holders) {
            await notify(
              ctx,
              userId,
              'game_postponed',
              { gameId, startsAt, previousStartsAt: game.starts_at },
              `game_postponed:${gameId}:${startsAt ?? 'tbd'}`,
            );
          }
        } else {
          const moved = startsAt !== null && startsAt !== game.starts_at;
          if (moved) {
            // Holders of a game whose time changed are told by the notifications module.
            await gameMovedJob.enqueue(
              ctx.trx,
              { gameId, previousStartsAt: game.starts_at, startsAt },
              { requestId: ctx.requestId },
            );
          }
        }
        result.holdersNotified = holders.size;
        const after = await lockGame(ctx.trx, gameId);
        return {
          game: {
            id: gameId,
            status: after!.status,
            startsAt: after!.starts_at,
            localDate: after!.local_date,
            makeupStartsAt: after!.makeup_starts_at,
          },
          ...result,
        };
      });
    },

    /** The platform has wired the money to the seller: record it and tell them. */
    async markPayoutPaid(payoutId: string, requestId: string | null = null): Promise<void> {
      await uow.run(requestId, async (ctx) => {
        const payout = await repo.lockPayout(ctx.trx, payoutId);
        if (!payout) throw notFound('Payout');
        if (payout.status !== 'owed')
          throw invalidState('This payout is already paid', { status: payout.status });
        await repo.markPayoutPaid(ctx.trx, payoutId, ctx.now.toISOString());
        await notify(
          ctx,
          payout.seller_id,
          'payout_paid',
          { payoutId, orderId: payout.order_id, amount: payout.amount },
          `payout_paid:${payoutId}`,
        );
      });
    },

    /** Admin takedown: the listing leaves the site; an unpaid hold on it is cancelled. */
    async takeDownListing(admin: Viewer, listingId: string, requestId: string | null = null) {
      await uow.run(requestId, (ctx) =>
        takeDown(ctx, adminRef(admin), listingId, 'listing taken down'),
      );
    },

    /** A suspended seller's active listings come down. Returns how many. */
    async takeDownListingsOf(admin: Viewer, sellerId: string, requestId: string | null = null) {
      const ids = await findActiveListingIdsOfSeller(db, sellerId);
      for (const id of ids) {
        await uow.run(requestId, (ctx) => takeDown(ctx, adminRef(admin), id, 'seller suspended'));
      }
      return ids.length;
    },
  };
}
