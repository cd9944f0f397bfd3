// Periodic work on orders: unpaid holds past their time expire; paid orders whose hand-over
// deadline passed are refunded; delivered orders complete by themselves after the game.
import { z } from 'zod';
import type { Db } from '../../platform/db/dialect.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import { HOUR, type Clock } from '../../shared/clock.ts';
import { SYSTEM, type OrderTransitions } from './orders.transitions.ts';
import * as repo from './orders.repository.ts';

const BATCH = 100;

/**
 * Ends one checkout hold at its own `expires_at`: enqueued with the hold, due at that instant, so
 * the listing is back on sale within the worker's poll (~1 s), not at the next 30 s sweep (which
 * stays as the safety net for a job that ran early or not at all).
 */
export const holdExpiryJob = defineJob(
  'orders.hold-expiry',
  z.object({ orderId: z.string().min(1).max(64) }),
  'urgent',
);

export interface OrderSweepsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  transitions: OrderTransitions;
  /** Settles the order's payment attempts that may still charge (before its hold ends). */
  settleOpenPayments: (orderId: string) => Promise<void>;
  config: { autoCompleteHours: number };
}

export function createOrderSweeps(deps: OrderSweepsDeps) {
  const { db, uow, clock, transitions } = deps;

  /** A hold whose time ran out: settle its open payment attempts first, then expire it. */
  async function expireHold(orderId: string, requestId: string | null = null): Promise<boolean> {
    await deps.settleOpenPayments(orderId);
    return uow.run(requestId, async (ctx) => {
      const order = await repo.lockOrder(ctx.trx, orderId);
      if (!order || order.status !== 'pending_payment') return false;
      if (order.expires_at > ctx.now.toISOString()) return false;
      await transitions.releaseHold(ctx, order, 'expired', SYSTEM, 'checkout hold ran out');
      return true;
    });
  }

  /** Refunds a paid order whose hand-over deadline passed (the sweep, and the deliver guard). */
  async function refundMissedDelivery(ctx: TxContext, order: repo.OrderRow) {
    await transitions.refund(ctx, order, SYSTEM, 'delivery deadline missed');
  }

  return {
    expireHold,
    refundMissedDelivery,

    /** The hold-expiry job: expires the order if it is still an unpaid hold past its time. */
    async expireHoldWhenDue(orderId: string, requestId: string | null = null): Promise<boolean> {
      const order = await repo.findOrderById(db, orderId);
      if (order?.status !== 'pending_payment') return false;
      return expireHold(orderId, requestId);
    },

    /** Every unpaid hold past its time. */
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

    /** Refunds missed hand-overs, completes delivered orders after the game. */
    async runEscrow(scope: repo.SweepScope = {}): Promise<{ refunded: number; completed: number }> {
      let refunded = 0;
      let completed = 0;
      const missed = await repo.findMissedDeliveries(db, clock.now().toISOString(), BATCH, scope);
      for (const { id } of missed) {
        await uow.run(null, async (ctx) => {
          const order = await repo.lockOrder(ctx.trx, id);
          if (order?.status !== 'paid' || !order.deliver_by) return;
          if (order.deliver_by >= ctx.now.toISOString()) return;
          await refundMissedDelivery(ctx, order);
          refunded++;
        });
      }
      const cutoff = new Date(
        clock.now().getTime() - deps.config.autoCompleteHours * HOUR,
      ).toISOString();
      const done = await repo.findAutoCompletable(db, cutoff, BATCH, scope);
      for (const { id } of done) {
        await uow.run(null, async (ctx) => {
          const order = await repo.lockOrder(ctx.trx, id);
          if (order?.status !== 'delivered') return;
          await transitions.complete(ctx, order, SYSTEM, 'completed automatically after the game');
          completed++;
        });
      }
      return { refunded, completed };
    },
  };
}

export type OrderSweeps = ReturnType<typeof createOrderSweeps>;
