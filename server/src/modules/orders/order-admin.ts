// Operator actions that move orders: settling disputes, schedule changes (cancelled → everyone
// refunded; postponed → holders told, buyers may cancel), listing takedowns.
import type {
  AdminGameBody,
  AdminGameResult,
  AdminOrder,
  AdminOrdersQuery,
} from '../../../../shared/contracts/admin.ts';
import type { Order } from '../../../../shared/contracts/orders.ts';
import { z } from 'zod';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { taipeiDate } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { invalidState, notFound } from '../../shared/errors.ts';
import { GAME_MOVED_JOB } from '../catalog/index.ts';
import { ESCROW_STATUSES } from './order-state.ts';
import { notify, type ActorRef } from './order-transitions.ts';
import type { FlowContext, OrdersCore, Viewer } from './orders.core.ts';
import * as repo from './orders.repository.ts';

const OrderCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(64) });

export function createOrderAdmin(core: OrdersCore) {
  const { db, dialect } = core.deps;
  const { transitions, tx, loadOrder } = core;
  const adminRef = (v: Viewer): ActorRef => ({ kind: 'admin', id: v.id });

  /** Takes a listing off sale inside a transaction; a hold on it is cancelled. */
  async function takeDown(ctx: FlowContext, actor: ActorRef, listingId: string, reason: string) {
    const listing = await repo.lockListing(ctx.trx, dialect, listingId);
    if (!listing) throw notFound('Listing');
    if (listing.status === 'sold') {
      throw invalidState('This listing is sold; settle its order instead', { status: 'sold' });
    }
    if (listing.status === 'held') {
      const holder = await repo.findPendingOrderOfListing(ctx.trx, listingId);
      const order = holder && (await repo.lockOrder(ctx.trx, dialect, holder.id));
      if (order?.status === 'pending_payment') {
        await transitions.releaseHold(ctx, order, 'cancelled', actor, reason);
      }
    }
    const nowIso = ctx.now.toISOString();
    if (
      await repo.moveListing(ctx.trx, listingId, ['active', 'held', 'expired'], 'cancelled', nowIso)
    ) {
      ctx.effects.listings.push({ gameId: listing.game_id, listingId });
    }
  }

  return {
    /** Admin: a disputed order is refunded to the buyer or released to the seller. */
    async resolveDispute(
      admin: Viewer,
      orderId: string,
      outcome: 'refund' | 'release',
      requestId: string | null = null,
    ): Promise<Order> {
      await tx(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, dialect, orderId);
        if (!order) throw notFound('Order');
        if (order.status !== 'disputed') {
          throw invalidState(`The order is ${order.status}, not disputed`, {
            status: order.status,
          });
        }
        if (outcome === 'refund') {
          await transitions.refund(ctx, order, adminRef(admin), 'dispute settled: refund to buyer');
        } else {
          await transitions.complete(
            ctx,
            order,
            adminRef(admin),
            'dispute settled: released to seller',
          );
        }
      });
      return loadOrder(orderId, admin);
    },

    async listOrdersForAdmin(admin: Viewer, query: AdminOrdersQuery) {
      const before = query.cursor ? decodeCursor(query.cursor, OrderCursor) : undefined;
      const rows = await repo.listOrders(db, {
        status: query.status,
        before,
        limit: query.limit + 1,
      });
      const pageRows = rows.slice(0, query.limit);
      const byId = new Map(pageRows.map((r) => [r.id, r]));
      const items: AdminOrder[] = (await core.summarize(pageRows, admin)).map((s) => ({
        ...s,
        disputeReason: byId.get(s.id)?.dispute_reason ?? null,
        deliveryNote: byId.get(s.id)?.delivery_note ?? null,
      }));
      const last = pageRows[pageRows.length - 1];
      return {
        items,
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },

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
      return tx(requestId, async (ctx) => {
        const game = await repo.lockGame(ctx.trx, dialect, gameId);
        if (!game) throw notFound('Game');
        if (game.status === 'cancelled') {
          throw invalidState('A cancelled game stays cancelled', { status: game.status });
        }
        const nowIso = ctx.now.toISOString();
        const startsAt = body.startsAt ? new Date(body.startsAt).toISOString() : null;
        const result = {
          listingsCancelled: 0,
          ordersCancelled: 0,
          ordersRefunded: 0,
          holdersNotified: 0,
        };
        const holders = new Set<string>();
        ctx.effects.games.push(gameId);

        if (body.status === 'cancelled') {
          await repo.updateGame(ctx.trx, gameId, { status: 'cancelled', updated_at: nowIso });
          const listings = await repo.cancelActiveListingsOfGame(ctx.trx, gameId, nowIso);
          result.listingsCancelled = listings.length;
          for (const l of listings) {
            ctx.effects.listings.push({ gameId, listingId: l.id });
            holders.add(l.seller_id);
          }
          const affected = await repo.findOrdersOfGame(ctx.trx, gameId, [
            'pending_payment',
            ...ESCROW_STATUSES,
          ]);
          for (const { id } of affected) {
            const order = await repo.lockOrder(ctx.trx, dialect, id);
            if (!order) continue;
            holders.add(order.buyer_id);
            holders.add(order.seller_id);
            if (order.status === 'pending_payment') {
              await transitions.releaseHold(ctx, order, 'cancelled', actor, 'game cancelled');
              result.ordersCancelled++;
            } else if (ESCROW_STATUSES.includes(order.status)) {
              await transitions.refund(ctx, order, actor, 'game cancelled');
              result.ordersRefunded++;
            }
          }
          for (const userId of holders) {
            await notify(ctx, userId, 'game_cancelled', { gameId }, `game_cancelled:${gameId}`);
          }
        } else if (body.status === 'postponed') {
          await repo.updateGame(ctx.trx, gameId, {
            status: 'postponed',
            makeup_starts_at: startsAt,
            ...(startsAt
              ? { starts_at: startsAt, local_date: taipeiDate(new Date(startsAt)) }
              : {}),
            updated_at: nowIso,
          });
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
          await repo.updateGame(ctx.trx, gameId, {
            status: body.status,
            ...(startsAt
              ? { starts_at: startsAt, local_date: taipeiDate(new Date(startsAt)) }
              : {}),
            ...(body.status === 'scheduled' ? { makeup_starts_at: null } : {}),
            updated_at: nowIso,
          });
          if (moved) {
            // Holders of a game whose time changed are told by the notifications module.
            await enqueue(
              ctx.trx,
              GAME_MOVED_JOB,
              { gameId, previousStartsAt: game.starts_at, startsAt },
              { requestId: ctx.requestId },
            );
          }
        }
        result.holdersNotified = holders.size;
        const after = await repo.lockGame(ctx.trx, dialect, gameId);
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

    /** Admin takedown: the listing leaves the site; an unpaid hold on it is cancelled. */
    async takeDownListing(admin: Viewer, listingId: string, requestId: string | null = null) {
      await tx(requestId, (ctx) => takeDown(ctx, adminRef(admin), listingId, 'listing taken down'));
    },

    /** A suspended seller's active listings come down. Returns how many. */
    async takeDownListingsOf(admin: Viewer, sellerId: string, requestId: string | null = null) {
      const ids = await repo.findActiveListingIdsOfSeller(db, sellerId);
      for (const id of ids) {
        await tx(requestId, (ctx) => takeDown(ctx, adminRef(admin), id, 'seller suspended'));
      }
      return ids.length;
    },
  };
}
