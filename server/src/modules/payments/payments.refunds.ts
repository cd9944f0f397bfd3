// Refunds as rows: requested inside the business transaction that decides them (with a job that
// carries each out), carried out through TapPay's Refund API right after commit, idempotently.
import type { Db } from '../../platform/db/dialect.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { assertRefundTransition, type RefundStatus } from './payment-state.ts';
import * as repo from './payments.repository.ts';
import type { TapPayClient } from './tappay/tappay-client.ts';

/** Carries out one pending refund through TapPay (retried until TapPay confirms it). */
export const refundJob = defineJob(
  'payments.refund',
  z.object({ refundId: z.string().min(1).max(64) }),
);

/**
 * Ours, one per refund, sent as the Refund API's `bank_refund_id` (TapPay carries out a
 * bank_refund_id once): 20 letters and digits, derived from the refund row's id.
 */
export function bankRefundIdOf(refundId: string): string {
  return `R${refundId.slice(0, 10)}${refundId.slice(-9)}`.toUpperCase();
}

export interface RefundsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  client: TapPayClient;
  metrics?: Metrics;
}

export function createRefunds(deps: RefundsDeps) {
  const { db, uow, clock, client, metrics } = deps;

  /** A pending refund row of one charge and the job that carries it out; after commit, at once. */
  async function requestRefund(ctx: TxContext, payment: repo.PaymentRow, reason: string) {
    const now = ctx.now.toISOString();
    const id = newId();
    await repo.insertRefund(ctx.trx, {
      id,
      order_id: payment.order_id,
      payment_id: payment.id,
      amount: payment.amount,
      status: 'pending',
      reason,
      provider_status: null,
      provider_message: null,
      raw_response: null,
      created_at: now,
      updated_at: now,
    });
    await refundJob.enqueue(ctx.trx, { refundId: id }, { requestId: ctx.requestId });
    // Carried out right after commit; the job is the backstop when that fails.
    ctx.afterCommit(`refund:${id}`, () => processRefund(id));
    return id;
  }

  async function settleRefund(
    refundId: string,
    to: Exclude<RefundStatus, 'pending'>,
    patch: {
      provider_status: number | null;
      provider_message: string | null;
      raw_response: string | null;
    },
  ): Promise<RefundStatus> {
    return uow.run(null, async (ctx) => {
      const refund = await repo.findRefundForUpdate(ctx.trx, refundId);
      if (!refund) return 'failed';
      if (refund.status !== 'pending') return refund.status;
      assertRefundTransition(refund.status, to);
      await repo.updateRefund(ctx.trx, refundId, {
        ...patch,
        status: to,
        updated_at: ctx.now.toISOString(),
      });
      metrics?.paymentOutcomes.inc({ outcome: to === 'succeeded' ? 'refunded' : 'refund_failed' });
      return to;
    });
  }

  /**
   * Carries out a pending refund. Safe to run twice or concurrently: it first asks the Record
   * API whether the trade is already refunded, and TapPay never refunds more than was charged.
   * Returns `pending` when TapPay's answer is unknown (the job retries).
   */
  async function processRefund(refundId: string): Promise<RefundStatus> {
    const refund = await repo.findRefundById(db, refundId);
    if (!refund) return 'failed';
    if (refund.status !== 'pending') return refund.status;
    const payment = await repo.findPaymentById(db, refund.payment_id);
    if (!payment?.rec_trade_id) {
      return settleRefund(refundId, 'failed', {
        provider_status: null,
        provider_message: 'no TapPay trade to refund',
        raw_response: null,
      });
    }
    const recTradeId = payment.rec_trade_id;
    /** The trade as the Record API sees it, when it shows the refund done. */
    const alreadyRefunded = async () => {
      const record = await client.queryTrades({ recTradeId });
      if (record.kind !== 'ok') return null;
      const trade = record.records.find((r) => r.recTradeId === recTradeId);
      return trade && trade.refundedAmount >= refund.amount ? trade : null;
    };
    const before = await alreadyRefunded();
    if (before) {
      return settleRefund(refundId, 'succeeded', {
        provider_status: 0,
        provider_message: 'already refunded (Record API)',
        raw_response: JSON.stringify(before.raw),
      });
    }
    // A full refund sends no amount (TapPay refunds what is left of the trade, and cancels the
    // authorisation of a trade not captured yet); a partial one names its amount.
    const full = refund.amount === payment.amount;
    const outcome = await client.refund({
      recTradeId,
      bankRefundId: bankRefundIdOf(refund.id),
      ...(full ? {} : { amount: refund.amount }),
    });
    if (outcome.kind === 'refunded') {
      return settleRefund(refundId, 'succeeded', {
        provider_status: 0,
        provider_message:
          outcome.isCaptured === false ? 'authorisation cancelled (not captured yet)' : null,
        raw_response: JSON.stringify(outcome.raw),
      });
    }
    if (outcome.kind === 'failed') {
      // A concurrent run of this refund may have just done it: TapPay then refuses the second.
      const after = await alreadyRefunded();
      if (after) {
        return settleRefund(refundId, 'succeeded', {
          provider_status: 0,
          provider_message: 'refunded by a concurrent attempt (Record API)',
          raw_response: JSON.stringify(after.raw),
        });
      }
      return settleRefund(refundId, 'failed', {
        provider_status: outcome.providerStatus,
        provider_message: outcome.message,
        raw_response: JSON.stringify(outcome.raw),
      });
    }
    await repo.updateRefund(db, refundId, {
      provider_status: outcome.providerStatus,
      provider_message: outcome.message,
      updated_at: clock.now().toISOString(),
    });
    return 'pending';
  }

  return {
    requestRefund,
    processRefund,

    /**
     * Inside the caller's transaction: a refund of every charge of the order that is not refunded
     * yet. Returns the new refund ids.
     */
    async refundOrder(ctx: TxContext, orderId: string, reason: string): Promise<string[]> {
      const payments = await repo.findPaymentsOfOrderForUpdate(ctx.trx, orderId);
      const refunds = await repo.findRefundsOfOrder(ctx.trx, orderId);
      const covered = new Set(
        refunds.filter((r) => r.status !== 'failed').map((r) => r.payment_id),
      );
      const ids: string[] = [];
      for (const p of payments) {
        if (p.status !== 'succeeded' || covered.has(p.id)) continue;
        ids.push(await requestRefund(ctx, p, reason));
      }
      return ids;
    },

    /** Refunds still pending after `olderThanMs` (their job died or was lost). */
    async processStaleRefunds(olderThanMs: number, limit = 50): Promise<number> {
      const before = new Date(clock.now().getTime() - olderThanMs).toISOString();
      const stale = await repo.findPendingRefunds(db, before, limit);
      for (const r of stale) await processRefund(r.id);
      return stale.length;
    },
  };
}

export type Refunds = ReturnType<typeof createRefunds>;
