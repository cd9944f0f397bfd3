// Payment attempts as rows: one call to TapPay's Pay by Prime each, confirmed from the pay call's
// answer, the backend notify, the browser return or the reconciliation sweep. Rules:
// - the amount is the payee's (the order's, computed at checkout); never from a client or a notify;
// - one attempt in flight per order; an attempt that may have charged is settled through the
//   Record API before anything else happens (never charge twice);
// - confirming is idempotent under row locks (the payee's first, then the attempt's): already
//   succeeded → no-op; a charge the payee no longer takes (expired, cancelled, paid by another
//   attempt) is refunded;
// - a notify or return is only a trigger: the Record API must show the trade, its amount and its
//   order number before anything changes.
import type { PayBody, PaymentMethod, Wallet } from '../../../../shared/contracts/orders.ts';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import type { PaymentStatus } from '../../platform/db/schema.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, validationFailed } from '../../shared/errors.ts';
import {
  assertPaymentTransition,
  canPaymentTransition,
  OPEN_PAYMENT_STATUSES,
} from './payment-state.ts';
import type { Refunds } from './payments.refunds.ts';
import * as repo from './payments.repository.ts';
import {
  isChargedRecord,
  isFailedRecord,
  RECORD_STATUS,
  type PayOutcome,
  type TapPayClient,
  type TradeRecord,
} from './tappay/tappay-client.ts';

/** Settles one attempt through the Record API (still open afterwards: the stale sweep retries). */
export const reconcileJob = defineJob(
  'payments.reconcile',
  z.object({ paymentId: z.string().min(1).max(64) }),
);

/**
 * What a payment pays for (an order), as payments sees it. Called inside the transaction that
 * confirms a charge: first to lock what the charge is for (so every flow locks the order before
 * the attempt), then to hand it the charge.
 */
export interface Payee {
  /** Locks the order until commit; its amount due, or null when there is no such order. */
  lock(ctx: TxContext, orderId: string): Promise<{ amount: number } | null>;
  /**
   * The attempt succeeded. `paid`: the charge paid the order. Otherwise the order no longer takes
   * money (expired, cancelled, paid by another attempt) and the charge is refunded for `reason`.
   */
  charged(
    ctx: TxContext,
    charge: { orderId: string; paymentId: string; method: PaymentMethod },
  ): Promise<{ paid: true } | { paid: false; reason: string }>;
}

/** An attempt still `pending` this long after it started lost its answer (a crash): settle it. */
const LOST_ATTEMPT_MS = 60_000;
/**
 * An open attempt (unknown, requires_action) with no charge at TapPay after this long is given up:
 * 3-D Secure pages and bank authorisations time out well before.
 */
const GIVE_UP_MS = 15 * 60_000;
/** The window around an attempt in which an order-number Record query looks for its trade. */
const RECORD_WINDOW_MS = 30 * 60_000;

/**
 * Ours, one per attempt, sent as Pay by Prime's `bank_transaction_id` (TapPay's key for a trade
 * whose answer was lost): 20 characters, letters and digits — what every acquirer accepts.
 */
export function newBankTransactionId(attemptId: string): string {
  return `P${attemptId.slice(0, 10)}${attemptId.slice(-9)}`.toUpperCase();
}

interface VerifiedTrade {
  recTradeId: string;
  orderNumber: string;
  amount: number;
  bankTransactionId: string | null;
  raw: Record<string, unknown>;
}

/** A trade as the Record API shows it; its amount is what it charged (`original_amount`). */
const fromRecord = (r: TradeRecord): VerifiedTrade | null =>
  r.orderNumber
    ? {
        recTradeId: r.recTradeId,
        orderNumber: r.orderNumber,
        amount: r.originalAmount,
        bankTransactionId: r.bankTransactionId,
        raw: r.raw,
      }
    : null;

export interface AttemptsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  client: TapPayClient;
  refunds: Pick<Refunds, 'requestRefund' | 'processStaleRefunds'>;
  /** The order a confirmed charge pays (set once, after orders is built: see deps.ts). */
  payee: () => Payee;
  metrics?: Metrics;
  log?: { warn(obj: object, msg?: string): void; error?(obj: object, msg?: string): void };
  provider: 'simulator' | 'tappay';
  /** Where TapPay sends the buyer back and where it posts the backend notify. */
  resultUrls: { frontendRedirectUrl: string; backendNotifyUrl: string };
  /** Where a buyer who gives up on 3-D Secure goes back to (the order's checkout page). */
  goBackUrl: (orderId: string) => string;
  /** Pay by Prime's `three_domain_secure` (TAPPAY_THREE_DOMAIN_SECURE), for cards. */
  threeDomainSecure: boolean;
  /** The wallets offered (TAPPAY_WALLETS) and each wallet's TapPay merchant. */
  wallets: { enabled: readonly Wallet[]; merchantIds: Record<Wallet, string> };
  /** Test-only fault injection (FAULT_INJECT); null in every real deployment. */
  faultInject?: 'crash-after-charge' | null;
}

export function createAttempts(deps: AttemptsDeps) {
  const { db, uow, clock, client, refunds, metrics } = deps;
  const count = (outcome: string) => metrics?.paymentOutcomes.inc({ outcome });
  /** payment_attempts_total{method, outcome}: started, succeeded, failed, per card or wallet. */
  const countMethod = (method: PaymentMethod, outcome: 'started' | 'succeeded' | 'failed') =>
    metrics?.paymentAttempts.inc({ method, outcome });

  /** Moves an attempt along the payment state table (no-op when it already left `from`). */
  async function settleAttempt(
    paymentId: string,
    to: PaymentStatus,
    patch: Partial<repo.PaymentRow>,
    options: { reconcileLater?: boolean } = {},
  ) {
    await uow.run(null, async (ctx) => {
      const p = await repo.findPaymentForUpdate(ctx.trx, paymentId);
      if (!p || !canPaymentTransition(p.status, to)) return;
      await repo.updatePayment(ctx.trx, paymentId, {
        ...patch,
        status: to,
        updated_at: ctx.now.toISOString(),
      });
      if (to === 'failed') countMethod(p.method, 'failed');
      if (options.reconcileLater) {
        await reconcileJob.enqueue(
          ctx.trx,
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
    const found = await repo.findPaymentById(db, paymentId);
    if (!found) return 'mismatch';
    const payee = deps.payee();
    return uow.run(requestId, async (ctx) => {
      const due = await payee.lock(ctx, found.order_id);
      const payment = await repo.findPaymentForUpdate(ctx.trx, paymentId);
      if (!due || !payment) return 'mismatch';
      const matches =
        trade.orderNumber === payment.order_id &&
        trade.amount === payment.amount &&
        payment.amount === due.amount &&
        (!payment.rec_trade_id || payment.rec_trade_id === trade.recTradeId) &&
        (!payment.bank_transaction_id ||
          !trade.bankTransactionId ||
          payment.bank_transaction_id === trade.bankTransactionId);
      if (!matches) {
        deps.log?.warn(
          { paymentId, orderId: payment.order_id, source },
          'a trade did not match its payment attempt; nothing changed',
        );
        return 'mismatch';
      }
      if (payment.status === 'succeeded') return 'noop';
      assertPaymentTransition(payment.status, 'succeeded');
      if (!payment.rec_trade_id) {
        // Another attempt cannot own this trade (rec_trade_id is unique).
        const owner = await repo.findPaymentByRecTradeId(ctx.trx, trade.recTradeId);
        if (owner && owner.id !== payment.id) return 'mismatch';
      }
      const succeeded: repo.PaymentRow = {
        ...payment,
        status: 'succeeded',
        rec_trade_id: trade.recTradeId,
        bank_transaction_id: payment.bank_transaction_id ?? trade.bankTransactionId,
        provider_status: 0,
        provider_message: `confirmed (${source})`,
        raw_response: JSON.stringify(trade.raw),
        updated_at: ctx.now.toISOString(),
      };
      await repo.updatePayment(ctx.trx, payment.id, succeeded);
      count('confirmed');
      countMethod(payment.method, 'succeeded');
      const taken = await payee.charged(ctx, {
        orderId: payment.order_id,
        paymentId,
        method: payment.method,
      });
      if (taken.paid) return 'paid';
      // Paid by another attempt, or expired/cancelled meanwhile: this charge goes back.
      await refunds.requestRefund(ctx, succeeded, taken.reason);
      count('refunded_late_charge');
      return 'refunded';
    });
  }

  /**
   * Asks the Record API what became of an attempt that may have charged (pending with a lost
   * answer, requires_action, unknown) and settles it. Returns the attempt's status afterwards.
   */
  async function reconcilePayment(paymentId: string): Promise<PaymentStatus | 'missing'> {
    const p = await repo.findPaymentById(db, paymentId);
    if (!p) return 'missing';
    if (!OPEN_PAYMENT_STATUSES.includes(p.status)) return p.status;
    // By the trade's id when we know it, else by our bank_transaction_id (TapPay's documented
    // key for a trade whose answer was lost); only an attempt from before bank_transaction_id
    // existed is looked up by order number, within a time window around the attempt.
    const started = new Date(p.created_at).getTime();
    const answer = await client.queryTrades(
      p.rec_trade_id
        ? { recTradeId: p.rec_trade_id }
        : p.bank_transaction_id
          ? { bankTransactionId: p.bank_transaction_id }
          : {
              orderNumber: p.order_id,
              since: new Date(started - RECORD_WINDOW_MS),
              until: new Date(Math.max(clock.now().getTime(), started) + RECORD_WINDOW_MS),
            },
    );
    if (answer.kind !== 'ok') return p.status;
    const siblings = await repo.findPaymentsOfOrder(db, p.order_id);
    const ownedElsewhere = new Set(
      siblings.filter((s) => s.id !== p.id && s.rec_trade_id).map((s) => s.rec_trade_id),
    );
    const candidates = answer.records.filter(
      (r) =>
        r.orderNumber === p.order_id &&
        (p.rec_trade_id
          ? r.recTradeId === p.rec_trade_id
          : p.bank_transaction_id
            ? r.bankTransactionId === p.bank_transaction_id
            : !ownedElsewhere.has(r.recTradeId)),
    );
    const charged = candidates.find((r) => isChargedRecord(r) && r.originalAmount === p.amount);
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
    for (const p of await repo.findPaymentsOfOrder(db, orderId)) {
      if (OPEN_PAYMENT_STATUSES.includes(p.status)) await reconcilePayment(p.id);
    }
  }

  async function recordOutcome(
    payment: repo.PaymentRow,
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
      case 'declined': {
        await settleAttempt(payment.id, 'failed', {
          rec_trade_id: outcome.recTradeId,
          provider_status: outcome.providerStatus,
          provider_message: outcome.message || null,
          raw_response: JSON.stringify(outcome.raw),
        });
        const details = { providerStatus: outcome.providerStatus, orderId };
        if (outcome.decline === 'prime') {
          count('prime_expired');
          throw new AppError(
            'PAYMENT_PRIME_EXPIRED',
            'The card details expired before the payment; please pay again',
            details,
          );
        }
        if (outcome.decline === 'merchant') {
          // Our keys, merchant or 3-D Secure settings: nothing to do with the buyer's card.
          // Logged at error level and counted (payment_outcomes_total{outcome="merchant_error"}
          // is the alert); the buyer gets a 503 whose message never blames the card.
          count('merchant_error');
          (deps.log?.error ?? deps.log?.warn)?.call(
            deps.log,
            { paymentId: payment.id, orderId, providerStatus: outcome.providerStatus },
            `TapPay refused the payment for a merchant-side reason: ${outcome.message}`,
          );
          throw new AppError(
            'PAYMENT_UNAVAILABLE',
            payment.method === 'card'
              ? 'Card payments are unavailable right now; your card was not charged'
              : 'This payment method is unavailable right now; you were not charged',
            { ...details, method: payment.method },
          );
        }
        count('declined');
        throw new AppError(
          'PAYMENT_DECLINED',
          payment.method === 'card'
            ? 'The card was declined; try another card'
            : 'The wallet declined the payment; try another payment method',
          { ...details, method: payment.method, providerMessage: outcome.message },
        );
      }
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

    /** Refuses a payment method the merchant does not offer (TAPPAY_WALLETS), before any hold. */
    assertMethodOffered(method: PaymentMethod) {
      if (method === 'card' || deps.wallets.enabled.includes(method)) return;
      throw validationFailed('This payment method is not offered', [
        { path: 'body.method', message: `${method} is not enabled (TAPPAY_WALLETS)` },
      ]);
    },

    /** An attempt of the order that may still turn into a charge (the hold must not end yet). */
    async hasOpenAttempt(ex: Executor, orderId: string): Promise<boolean> {
      return (await repo.findPaymentsOfOrder(ex, orderId)).some((p) =>
        OPEN_PAYMENT_STATUSES.includes(p.status),
      );
    },

    /**
     * Inside the order's transaction (its row locked): a new `pending` attempt for `amount`, or
     * null while another attempt is still waiting for TapPay's answer (one in flight per order).
     */
    async startAttempt(
      ctx: TxContext,
      orderId: string,
      amount: number,
      method: PaymentMethod = 'card',
    ): Promise<repo.PaymentRow | null> {
      const attempts = await repo.findPaymentsOfOrder(ctx.trx, orderId);
      if (attempts.some((p) => p.status === 'pending' || p.status === 'unknown')) return null;
      const attempt = repo.newPaymentRow(
        { order_id: orderId, provider: deps.provider, amount, method },
        ctx.now.toISOString(),
      );
      attempt.bank_transaction_id = newBankTransactionId(attempt.id);
      await repo.insertPayment(ctx.trx, attempt);
      countMethod(method, 'started');
      return attempt;
    },

    /**
     * After the attempt's transaction committed: charges the card or wallet by TapPay prime and
     * settles the attempt from the answer — succeeded (the payee is paid), a `paymentUrl` (3-D
     * Secure, or the LINE Pay / JKO Pay page), or 422 PAYMENT_DECLINED. A wallet's prime is paid
     * to that wallet's TapPay merchant, without `three_domain_secure` (the wallet authenticates). An answer TapPay could not give (time-out) is settled through the Record
     * API; if that cannot tell yet, the attempt stays `unknown` and a job finishes the job.
     */
    async charge(
      attempt: repo.PaymentRow,
      input: Omit<PayBody, 'method'> & { details: string },
    ): Promise<{ paymentUrl?: string }> {
      const wallet = attempt.method === 'card' ? null : attempt.method;
      const outcome = await client.payByPrime({
        prime: input.prime,
        amount: attempt.amount,
        orderNumber: attempt.order_id,
        bankTransactionId: attempt.bank_transaction_id ?? newBankTransactionId(attempt.id),
        details: input.details.slice(0, 100),
        cardholder: input.cardholder,
        ...deps.resultUrls,
        goBackUrl: deps.goBackUrl(attempt.order_id),
        ...(wallet
          ? { merchantId: deps.wallets.merchantIds[wallet] }
          : { threeDomainSecure: deps.threeDomainSecure }),
      });
      if (deps.faultInject === 'crash-after-charge' && outcome.kind === 'approved') {
        // TEST ONLY (FAULT_INJECT): die between TapPay's approval and our commit.
        process.kill(process.pid, 'SIGKILL');
      }
      return recordOutcome(attempt, attempt.order_id, outcome);
    },

    /**
     * A notify or a browser return named a trade. Looks it up in the Record API and acts only on
     * what it shows; returns the order it belongs to (from our records) or null. A trade id we
     * never stored costs no Record API call unless its order number names one of our attempts
     * still waiting for its answer (a notify can overtake the pay call's own answer).
     */
    async handleTradeSignal(
      recTradeId: string,
      source: 'notify' | 'return',
      orderNumber?: string,
    ): Promise<string | null> {
      const known = await repo.findPaymentByRecTradeId(db, recTradeId);
      if (!known) {
        const waiting =
          orderNumber &&
          (await repo.findPaymentsOfOrder(db, orderNumber)).some(
            (p) => !p.rec_trade_id && (p.status === 'pending' || p.status === 'unknown'),
          );
        if (!waiting) return null;
      }
      const answer = await client.queryTrades({ recTradeId });
      if (answer.kind !== 'ok') {
        if (known && OPEN_PAYMENT_STATUSES.includes(known.status)) {
          await db
            .transaction()
            .execute((trx) => reconcileJob.enqueue(trx, { paymentId: known.id }));
        }
        return known?.order_id ?? null;
      }
      const record = answer.records.find((r) => r.recTradeId === recTradeId);
      if (!record?.orderNumber) return known?.order_id ?? null;
      // The attempt it belongs to: by trade id, else the order's attempt still waiting for its
      // answer (a notify can overtake the pay call's own answer).
      let payment = known;
      if (!payment) {
        payment = (await repo.findPaymentsOfOrder(db, record.orderNumber)).find(
          (p) =>
            !p.rec_trade_id &&
            (p.status === 'pending' || p.status === 'unknown') &&
            (!p.bank_transaction_id || p.bank_transaction_id === record.bankTransactionId),
        );
        if (!payment) return null;
      }
      if (
        record.orderNumber !== payment.order_id ||
        record.originalAmount !== payment.amount ||
        (payment.bank_transaction_id &&
          record.bankTransactionId &&
          record.bankTransactionId !== payment.bank_transaction_id)
      ) {
        deps.log?.warn({ source, paymentId: payment.id }, 'trade signal did not match; ignored');
        return payment.order_id;
      }
      const verified = fromRecord(record);
      if (verified && isChargedRecord(record)) {
        await confirmPayment(payment.id, verified, source);
      } else if (isFailedRecord(record) && payment.rec_trade_id === record.recTradeId) {
        await settleAttempt(payment.id, 'failed', {
          // A buyer who cancels at the wallet (LINE Pay, JKO Pay) leaves a cancelled trade.
          provider_message:
            record.recordStatus === RECORD_STATUS.cancelled
              ? `cancelled at the wallet (${source}, Record API)`
              : `failed (${source}, Record API)`,
          raw_response: JSON.stringify(record.raw),
        });
      }
      return payment.order_id;
    },

    /** Job `payments.reconcile-stale`: attempts left open, refunds left pending. */
    async reconcileStale(): Promise<number> {
      const before = new Date(clock.now().getTime() - LOST_ATTEMPT_MS).toISOString();
      const open = await repo.findStalePayments(db, OPEN_PAYMENT_STATUSES, before, 100);
      for (const p of open) await reconcilePayment(p.id);
      await refunds.processStaleRefunds(5 * 60_000);
      return open.length;
    },
  };
}

export type Attempts = ReturnType<typeof createAttempts>;
