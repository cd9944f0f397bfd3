// Money movements that know nothing about tickets: payment-attempt rows, refunds through TapPay's
// Refund API, and the public payment configuration. Orders drive them (modules/orders).
import type { PaymentsConfig } from '../../../../shared/contracts/orders.ts';
import type { Db, Trx } from '../../platform/db/dialect.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { assertRefundTransition, type RefundStatus } from './payment-state.ts';
import * as repo from './payments.repository.ts';
import type { TapPayClient } from './tappay/tappay-client.ts';

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  client: TapPayClient;
  metrics?: Metrics;
  config: {
    provider: 'simulator' | 'tappay';
    appId: string;
    appKey: string;
    env: 'sandbox' | 'production';
    publicUrl: string;
  };
}

export const REFUND_JOB = 'payments.refund';

export function createPaymentsService(deps: PaymentsDeps) {
  const { db, clock, client, metrics, config } = deps;
  const nowIso = () => clock.now().toISOString();

  async function insertRefundRow(
    trx: Trx,
    payment: repo.PaymentRow,
    reason: string,
    requestId: string | null,
  ) {
    const now = nowIso();
    const id = newId();
    await repo.insertRefund(trx, {
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
    await enqueue(trx, REFUND_JOB, { refundId: id }, { requestId });
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
    return db.transaction().execute(async (trx) => {
      const refund = await repo.findRefundForUpdate(trx, refundId);
      if (!refund) return 'failed';
      if (refund.status !== 'pending') return refund.status;
      assertRefundTransition(refund.status, to);
      await repo.updateRefund(trx, refundId, { ...patch, status: to, updated_at: nowIso() });
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
    const outcome = await client.refund({ recTradeId, amount: refund.amount });
    if (outcome.kind === 'refunded') {
      return settleRefund(refundId, 'succeeded', {
        provider_status: 0,
        provider_message: null,
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
      updated_at: nowIso(),
    });
    return 'pending';
  }

  return {
    client,
    processRefund,

    publicConfig(): PaymentsConfig {
      return {
        provider: config.provider,
        appId: config.appId,
        appKey: config.appKey,
        env: config.env,
      };
    },

    /** Where TapPay sends the buyer back and where it posts the backend notify. */
    resultUrls() {
      return {
        frontendRedirectUrl: `${config.publicUrl}/payments/tappay/return`,
        backendNotifyUrl: `${config.publicUrl}/api/payments/tappay/notify`,
      };
    },

    /**
     * Inside the order's transaction: a refund row (and a job that carries it out) for every
     * charge of the order that is not refunded yet. Returns the new refund ids.
     */
    async requestRefundsInTrx(
      trx: Trx,
      orderId: string,
      reason: string,
      requestId: string | null = null,
    ): Promise<string[]> {
      const payments = await repo.findPaymentsOfOrderForUpdate(trx, orderId);
      const refunds = await repo.findRefundsOfOrder(trx, orderId);
      const covered = new Set(
        refunds.filter((r) => r.status !== 'failed').map((r) => r.payment_id),
      );
      const ids: string[] = [];
      for (const p of payments) {
        if (p.status !== 'succeeded' || covered.has(p.id)) continue;
        ids.push(await insertRefundRow(trx, p, reason, requestId));
      }
      return ids;
    },

    /** Inside a transaction: refund one charge (a late or duplicate one). */
    async requestRefundOfPaymentInTrx(
      trx: Trx,
      payment: repo.PaymentRow,
      reason: string,
      requestId: string | null = null,
    ): Promise<string> {
      return insertRefundRow(trx, payment, reason, requestId);
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

export type PaymentsService = ReturnType<typeof createPaymentsService>;
