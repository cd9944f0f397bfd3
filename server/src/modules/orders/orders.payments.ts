// Paying an order through TapPay, and confirming payments — from the pay call's answer, the
// backend notify, the browser return or the reconciliation sweep. Rules:
// - the amount is the order's, computed at checkout; never from a client or a notify;
// - one attempt in flight per order; an attempt that may have charged is settled through the
//   Record API before anything else happens (never charge twice);
// - confirming is idempotent under row locks (order, then payment): already paid → no-op; a charge
//   for an order that is no longer payable (expired, cancelled, paid by another attempt) is refunded;
// - a notify or return is only a trigger: the Record API must show the trade, its amount and its
//   order number before anything changes.
import type { PayBody, PayResult } from '../../../../shared/contracts/orders.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { AppError, invalidState, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import {
  assertPaymentTransition,
  canPaymentTransition,
  findPaymentById,
  findPaymentByRecTradeId,
  findPaymentForUpdate,
  findPaymentsOfOrder,
  findStalePayments,
  insertPayment,
  isChargedRecord,
  isFailedRecord,
  OPEN_PAYMENT_STATUSES,
  updatePayment,
  type PaymentRow,
  type PayOutcome,
  type TradeRecord,
} from '../payments/index.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { PaymentStatus } from '../../platform/db/schema.ts';
import type { UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import type { Clock } from '../../shared/clock.ts';
import { findGameTimes } from '../catalog/index.ts';
import { isGameOnSale } from '../listings/index.ts';
import type { PaymentsService } from '../payments/index.ts';
import { assertParty, type Viewer } from './orders.access.ts';

import { SYSTEM, type OrderTransitions } from './orders.transitions.ts';
import type { OrderViews } from './orders.views.ts';
import * as repo from './orders.repository.ts';

export const RECONCILE_JOB = 'payments.reconcile';
export const RECONCILE_STALE_JOB = 'payments.reconcile-stale';

/** An attempt still `pending` this long after it started lost its answer (a crash): settle it. */
const LOST_ATTEMPT_MS = 60_000;
/**
 * An open attempt (unknown, requires_action) with no charge at TapPay after this long is given up:
 * 3-D Secure pages and bank authorisations time out well before.
 */
const GIVE_UP_MS = 15 * 60_000;

interface VerifiedTrade {
  recTradeId: string;
  orderNumber: string;
  amount: number;
  bankTransactionId: string | null;
  raw: Record<string, unknown>;
}

const fromRecord = (r: TradeRecord): VerifiedTrade | null =>
  r.orderNumber
    ? {
        recTradeId: r.recTradeId,
        orderNumber: r.orderNumber,
        amount: r.amount,
        bankTransactionId: r.bankTransactionId,
        raw: r.raw,
      }
    : null;

export interface OrderPaymentsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  payments: PaymentsService;
  metrics?: Metrics;
  log: { warn(obj: object, msg?: string): void };
  transitions: OrderTransitions;
  views: Pick<OrderViews, 'load'>;
  /** Test-only fault injection (FAULT_INJECT); null in every real deployment. */
  faultInject?: 'crash-after-charge' | null;
}

export function createOrderPayments(deps: OrderPaymentsDeps) {
  const { db, uow, clock, payments, metrics, log, transitions } = deps;
  const loadOrder = deps.views.load;
  const client = payments.client;
  const count = (outcome: string) => metrics?.paymentOutcomes.inc({ outcome });

  /** Moves an attempt along the payment state table (no-op when it already left `from`). */
  async function settleAttempt(
    paymentId: string,
    to: PaymentStatus,
    patch: Partial<PaymentRow>,
    options: { reconcileLater?: boolean } = {},
  ) {
    await uow.run(null, async (ctx) => {
      const p = await findPaymentForUpdate(ctx.trx, paymentId);
      if (!p || !canPaymentTransition(p.status, to)) return;
      await updatePayment(ctx.trx, paymentId, {
        ...patch,
        status: to,
        updated_at: ctx.now.toISOString(),
      });
      if (options.reconcileLater) {
        await enqueue(
          ctx.trx,
          RECONCILE_JOB,
          { paymentId },
          { runAt: new Date(ctx.now.getTime() + 30_000), requestId: ctx.requestId },
        );
      }
    });
  }

  /**
   * The trade took the buyer's money: the attempt succeeded, and the order is paid — or, if it is
   * no longer payable, the charge is refunded. Idempotent; a trade that does not match the
   * attempt (amount, order number, another rec_trade_id) changes nothing.
   */
  async function confirmPayment(
    paymentId: string,
    trade: VerifiedTrade,
    source: string,
    requestId: string | null = null,
  ): Promise<'paid' | 'noop' | 'refunded' | 'mismatch'> {
    const found = await findPaymentById(db, paymentId);
    if (!found) return 'mismatch';
    return uow.run(requestId, async (ctx) => {
      const order = await repo.lockOrder(ctx.trx, found.order_id);
      const payment = await findPaymentForUpdate(ctx.trx, paymentId);
      if (!order || !payment) return 'mismatch';
      const matches =
        trade.orderNumber === order.id &&
        trade.amount === payment.amount &&
        payment.amount === order.amount &&
        (!payment.rec_trade_id || payment.rec_trade_id === trade.recTradeId);
      if (!matches) {
        log.warn(
          { paymentId, orderId: order.id, source },
          'a trade did not match its payment attempt; nothing changed',
        );
        return 'mismatch';
      }
      if (payment.status === 'succeeded') return 'noop';
      assertPaymentTransition(payment.status, 'succeeded');
      if (!payment.rec_trade_id) {
        // Another attempt cannot own this trade (rec_trade_id is unique).
        const owner = await findPaymentByRecTradeId(ctx.trx, trade.recTradeId);
        if (owner && owner.id !== payment.id) return 'mismatch';
      }
      await updatePayment(ctx.trx, payment.id, {
        status: 'succeeded',
        rec_trade_id: trade.recTradeId,
        bank_transaction_id: trade.bankTransactionId,
        provider_status: 0,
        provider_message: `confirmed (${source})`,
        raw_response: JSON.stringify(trade.raw),
        updated_at: ctx.now.toISOString(),
      });
      count('confirmed');
      if (order.status === 'pending_payment') {
        const game = await findGameTimes(ctx.trx, order.game_id);
        await transitions.markPaid(ctx, order, game?.starts_at ?? ctx.now.toISOString());
        return 'paid';
      }
      // Paid by another attempt, or expired/cancelled meanwhile: this charge goes back.
      const reason =
        order.status === 'expired' || order.status === 'cancelled'
          ? `charge after the order was ${order.status}`
          : 'duplicate charge';
      const refundId = await payments.requestRefundOfPaymentInTrx(
        ctx.trx,
        { ...payment, status: 'succeeded', rec_trade_id: trade.recTradeId },
        reason,
        ctx.requestId,
      );
      ctx.afterCommit(`refund:${refundId}`, () => payments.processRefund(refundId));
      count('refunded_late_charge');
      return 'refunded';
    });
  }

  /**
   * Asks the Record API what became of an attempt that may have charged (pending with a lost
   * answer, requires_action, unknown) and settles it. Returns the attempt's status afterwards.
   */
  async function reconcilePayment(paymentId: string): Promise<PaymentStatus | 'missing'> {
    const p = await findPaymentById(db, paymentId);
    if (!p) return 'missing';
    if (!OPEN_PAYMENT_STATUSES.includes(p.status)) return p.status;
    const answer = await client.queryTrades(
      p.rec_trade_id ? { recTradeId: p.rec_trade_id } : { orderNumber: p.order_id },
    );
    if (answer.kind !== 'ok') return p.status;
    const siblings = await findPaymentsOfOrder(db, p.order_id);
    const ownedElsewhere = new Set(
      siblings.filter((s) => s.id !== p.id && s.rec_trade_id).map((s) => s.rec_trade_id),
    );
    const candidates = answer.records.filter(
      (r) =>
        r.orderNumber === p.order_id &&
        (p.rec_trade_id ? r.recTradeId === p.rec_trade_id : !ownedElsewhere.has(r.recTradeId)),
    );
    const charged = candidates.find((r) => isChargedRecord(r) && r.amount === p.amount);
    const verified = charged && fromRecord(charged);
    if (verified) {
      await confirmPayment(p.id, verified, 'record api');
      return 'succeeded';
    }
    const failed = candidates.find(isFailedRecord);
    const age = clock.now().getTime() - new Date(p.created_at).getTime();
    if (failed && (p.rec_trade_id || candidates.every(isFailedRecord))) {
      await settleAttempt(p.id, 'failed', {
        rec_trade_id: p.rec_trade_id ?? failed.recTradeId,
        provider_message: 'failed (Record API)',
        raw_response: JSON.stringify(failed.raw),
      });
      count('declined');
      return 'failed';
    }
    if (p.status !== 'pending' && age > GIVE_UP_MS) {
      // No charge after this long (3-D Secure abandoned, or the call never reached the bank).
      // A later notify of a charge still finds the attempt: failed → succeeded, then refunded.
      await settleAttempt(p.id, 'failed', { provider_message: 'no charge at TapPay (Record API)' });
      return 'failed';
    }
    if (p.status === 'pending' && age > LOST_ATTEMPT_MS) {
      await settleAttempt(p.id, 'unknown', {
        provider_message: 'answer lost; awaiting the Record API',
      });
      return 'unknown';
    }
    return p.status;
  }

  /** Attempts of an order that might still charge, settled before a new one starts. */
  async function settleOpenAttempts(orderId: string) {
    // Every open attempt, young `pending` ones too: asking the Record API is harmless (a young
    // attempt with no trade stays pending), and it finds at once the charge of an attempt whose
    // process died between TapPay's approval and our commit (the buyer retrying after a crash).
    for (const p of await findPaymentsOfOrder(db, orderId)) {
      if (OPEN_PAYMENT_STATUSES.includes(p.status)) await reconcilePayment(p.id);
    }
  }

  async function recordOutcome(
    payment: PaymentRow,
    orderId: string,
    outcome: PayOutcome,
  ): Promise<{ paymentUrl?: string }> {
    switch (outcome.kind) {
      case 'approved': {
        count('approved');
        const trade =
          outcome.amount !== null && outcome.orderNumber
            ? {
                recTradeId: outcome.recTradeId,
                orderNumber: outcome.orderNumber,
                amount: outcome.amount,
                bankTransactionId: outcome.bankTransactionId,
                raw: outcome.raw,
              }
            : null;
        const result = trade ? await confirmPayment(payment.id, trade, 'pay by prime') : 'mismatch';
        if (result === 'mismatch') {
          // An approval whose amount or order number we cannot match: ask the Record API.
          await settleAttempt(payment.id, 'unknown', {
            rec_trade_id: outcome.recTradeId,
            provider_status: outcome.providerStatus,
            provider_message: 'approval did not match the order; awaiting the Record API',
            raw_response: JSON.stringify(outcome.raw),
          });
          await reconcilePayment(payment.id);
        }
        return {};
      }
      case 'requires_action':
        count('requires_action');
        await settleAttempt(
          payment.id,
          'requires_action',
          {
            rec_trade_id: outcome.recTradeId,
            payment_url: outcome.paymentUrl,
            provider_status: outcome.providerStatus,
            provider_message: outcome.message || null,
            raw_response: JSON.stringify(outcome.raw),
          },
          { reconcileLater: true },
        );
        return { paymentUrl: outcome.paymentUrl };
      case 'declined':
        count('declined');
        await settleAttempt(payment.id, 'failed', {
          rec_trade_id: outcome.recTradeId,
          provider_status: outcome.providerStatus,
          provider_message: outcome.message || null,
          raw_response: JSON.stringify(outcome.raw),
        });
        throw new AppError('PAYMENT_DECLINED', 'The card was declined; try another card', {
          providerStatus: outcome.providerStatus,
          providerMessage: outcome.message,
          orderId,
        });
      case 'unknown': {
        count('unknown');
        await settleAttempt(
          payment.id,
          'unknown',
          {
            rec_trade_id: outcome.recTradeId,
            provider_status: outcome.providerStatus,
            provider_message: outcome.message || null,
            raw_response: outcome.raw ? JSON.stringify(outcome.raw) : null,
          },
          { reconcileLater: true },
        );
        // Before telling the buyer anything, ask TapPay what happened.
        const status = await reconcilePayment(payment.id);
        if (status === 'failed') {
          throw new AppError('PAYMENT_DECLINED', 'The payment did not go through; try again', {
            providerStatus: outcome.providerStatus,
            orderId,
          });
        }
        return {};
      }
    }
  }

  return {
    confirmPayment,
    reconcilePayment,
    settleOpenAttempts,

    /**
     * Pays an order by TapPay prime: 200 paid, 200 with a 3-D Secure `paymentUrl`, or 422
     * PAYMENT_DECLINED (the order stays payable while the hold lasts). An answer TapPay could not
     * give (time-out) is settled through the Record API; if that cannot tell yet, the order is
     * returned still unpaid with its payment `unknown`, and a job finishes the job.
     */
    async pay(
      viewer: Viewer,
      orderId: string,
      body: PayBody,
      requestId: string | null = null,
    ): Promise<PayResult> {
      const existing = await repo.findOrderById(db, orderId);
      if (!existing) throw notFound('Order');
      assertParty(viewer, existing, { admin: false });
      if (existing.buyer_id !== viewer.id) throw new AppError('FORBIDDEN', 'Only the buyer pays');
      // Never charge twice: settle attempts that may have charged before starting another.
      await settleOpenAttempts(orderId);

      const started = await uow.run(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, orderId);
        if (!order) throw notFound('Order');
        if (order.status === 'paid') return { kind: 'already' as const };
        if (order.status !== 'pending_payment') {
          throw invalidState(`The order is ${order.status} and cannot be paid`, {
            status: order.status,
          });
        }
        const game = await findGameTimes(ctx.trx, order.game_id);
        const expired = order.expires_at <= ctx.now.toISOString();
        if (expired || !game || !isGameOnSale(game, ctx.now)) {
          await transitions.releaseHold(
            ctx,
            order,
            'expired',
            SYSTEM,
            expired ? 'checkout hold ran out' : 'game no longer on sale',
          );
          ctx.failAfterCommit(
            invalidState(
              expired
                ? 'The checkout hold ran out; the order has expired'
                : 'Tickets for this game are no longer on sale; the order has expired',
              { status: 'expired' },
            ),
          );
          return { kind: 'expired' as const };
        }
        const attempts = await findPaymentsOfOrder(ctx.trx, order.id);
        if (attempts.some((p) => p.status === 'pending' || p.status === 'unknown')) {
          throw invalidState('A payment for this order is still being processed; wait a moment', {
            status: order.status,
          });
        }
        const nowIso = ctx.now.toISOString();
        const payment: PaymentRow = {
          id: newId(),
          order_id: order.id,
          provider: payments.publicConfig().provider,
          amount: order.amount,
          status: 'pending',
          rec_trade_id: null,
          bank_transaction_id: null,
          provider_status: null,
          provider_message: null,
          payment_url: null,
          raw_response: null,
          created_at: nowIso,
          updated_at: nowIso,
        };
        await insertPayment(ctx.trx, payment);
        return { kind: 'started' as const, payment, order };
      });
      if (started.kind !== 'started') return { order: await loadOrder(orderId, viewer) };

      const { payment, order } = started;
      const outcome = await client.payByPrime({
        prime: body.prime,
        amount: payment.amount,
        orderNumber: order.id,
        details: `Pitch-A-Seat ticket order ${order.id}`.slice(0, 100),
        cardholder: body.cardholder,
        ...payments.resultUrls(),
      });
      if (deps.faultInject === 'crash-after-charge' && outcome.kind === 'approved') {
        // TEST ONLY (FAULT_INJECT): die between TapPay's approval and our commit.
        process.kill(process.pid, 'SIGKILL');
      }
      const { paymentUrl } = await recordOutcome(payment, order.id, outcome);
      const view = await loadOrder(orderId, viewer);
      return paymentUrl && view.status === 'pending_payment'
        ? { order: view, paymentUrl }
        : { order: view };
    },

    /**
     * A notify or a browser return named a trade. Looks it up in the Record API and acts only on
     * what it shows; returns the order it belongs to (from our records) or null.
     */
    async handleTradeSignal(
      recTradeId: string,
      source: 'notify' | 'return',
    ): Promise<string | null> {
      const known = await findPaymentByRecTradeId(db, recTradeId);
      const answer = await client.queryTrades({ recTradeId });
      if (answer.kind !== 'ok') {
        if (known && OPEN_PAYMENT_STATUSES.includes(known.status)) {
          await db
            .transaction()
            .execute((trx) => enqueue(trx, RECONCILE_JOB, { paymentId: known.id }));
        }
        return known?.order_id ?? null;
      }
      const record = answer.records.find((r) => r.recTradeId === recTradeId);
      if (!record?.orderNumber) return known?.order_id ?? null;
      // The attempt it belongs to: by trade id, else the order's attempt still waiting for its
      // answer (a notify can overtake the pay call's own answer).
      let payment = known;
      if (!payment) {
        const order = await repo.findOrderById(db, record.orderNumber);
        if (!order) return null;
        payment = (await findPaymentsOfOrder(db, order.id)).find(
          (p) => !p.rec_trade_id && (p.status === 'pending' || p.status === 'unknown'),
        );
        if (!payment) return null;
      }
      if (record.orderNumber !== payment.order_id || record.amount !== payment.amount) {
        log.warn({ source, paymentId: payment.id }, 'trade signal did not match; ignored');
        return payment.order_id;
      }
      const verified = fromRecord(record);
      if (verified && isChargedRecord(record)) {
        await confirmPayment(payment.id, verified, source);
      } else if (isFailedRecord(record) && payment.rec_trade_id === record.recTradeId) {
        await settleAttempt(payment.id, 'failed', {
          provider_message: `failed (${source}, Record API)`,
          raw_response: JSON.stringify(record.raw),
        });
      }
      return payment.order_id;
    },

    /** Job `payments.reconcile-stale`: attempts left open, refunds left pending. */
    async reconcileStale(): Promise<number> {
      const before = new Date(clock.now().getTime() - LOST_ATTEMPT_MS).toISOString();
      const open = await findStalePayments(db, OPEN_PAYMENT_STATUSES, before, 100);
      for (const p of open) await reconcilePayment(p.id);
      await payments.processStaleRefunds(5 * 60_000);
      return open.length;
    },
  };
}
