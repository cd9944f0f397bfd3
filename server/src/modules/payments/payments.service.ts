// The payments module's facade: money movements that know nothing about tickets. Payment attempts
// (TapPay calls, confirmation, reconciliation) and refunds are rows; the business they pay for
// (orders) starts attempts and refunds inside its own transactions and is told, through its
// `Payee`, when a charge succeeded. Nothing outside this module reads or writes the rows.
import type { Order, PaymentsConfig } from '../../../../shared/contracts/orders.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import type { Clock } from '../../shared/clock.ts';
import { defineSchedule } from '../../platform/jobs/jobs.ts';
import { createAttempts, reconcileJob, type Payee } from './payments.attempts.ts';
import { createRefunds, refundJob } from './payments.refunds.ts';
import * as repo from './payments.repository.ts';
import type { TapPayClient } from './tappay/tappay-client.ts';

export interface PaymentsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  client: TapPayClient;
  metrics?: Metrics;
  log?: { warn(obj: object, msg?: string): void; error?(obj: object, msg?: string): void };
  config: {
    provider: 'simulator' | 'tappay';
    appId: string;
    appKey: string;
    env: 'sandbox' | 'production';
    publicUrl: string;
    /** Pay by Prime's `three_domain_secure` (TAPPAY_THREE_DOMAIN_SECURE, default on). */
    threeDomainSecure?: boolean;
    /** Test-only fault injection (FAULT_INJECT); null in every real deployment. */
    faultInject?: 'crash-after-charge' | null;
  };
}

export function createPaymentsService(deps: PaymentsDeps) {
  const { db, config } = deps;
  let payee: Payee | null = null;
  const refunds = createRefunds(deps);
  const attempts = createAttempts({
    ...deps,
    refunds,
    payee: () => {
      if (!payee) throw new Error('payments: no payee set (deps.ts sets the orders module)');
      return payee;
    },
    provider: config.provider,
    resultUrls: {
      frontendRedirectUrl: `${config.publicUrl}/payments/tappay/return`,
      backendNotifyUrl: `${config.publicUrl}/api/payments/tappay/notify`,
    },
    goBackUrl: (orderId) => `${config.publicUrl}/checkout/${encodeURIComponent(orderId)}`,
    threeDomainSecure: config.threeDomainSecure ?? true,
    faultInject: config.faultInject,
  });

  return {
    /** Who a confirmed charge pays: set once, when the orders module is built. */
    setPayee(p: Payee) {
      payee = p;
    },

    publicConfig(): PaymentsConfig {
      return {
        provider: config.provider,
        appId: config.appId,
        appKey: config.appKey,
        env: config.env,
      };
    },

    // ---- attempts
    startAttempt: attempts.startAttempt,
    charge: attempts.charge,
    hasOpenAttempt: attempts.hasOpenAttempt,
    /** Settles the order's attempts that may still charge (before a new one, before a hold ends). */
    settleOpenAttempts: attempts.settleOpenAttempts,
    reconcilePayment: attempts.reconcilePayment,
    reconcileStale: attempts.reconcileStale,
    handleTradeSignal: attempts.handleTradeSignal,

    // ---- refunds
    refundOrder: refunds.refundOrder,
    processRefund: refunds.processRefund,

    /** The jobs this module handles, and its reconciliation sweep (deps.ts registers them). */
    jobs: [
      reconcileJob.handle(({ paymentId }) => attempts.reconcilePayment(paymentId)),
      refundJob.handle(async ({ refundId }) => {
        const status = await refunds.processRefund(refundId);
        if (status === 'pending')
          throw new Error('TapPay did not confirm the refund yet; retrying');
      }),
      // Attempts left open and refunds left pending (their jobs died or were lost).
      defineSchedule('payments.reconcile-stale', 2 * 60_000, () => attempts.reconcileStale()),
    ],

    /** The order's latest attempt and latest refund, as the order view shows them. */
    async summaryOf(orderId: string): Promise<Pick<Order, 'payment' | 'refund'>> {
      const [payments, refundRows] = await Promise.all([
        repo.findPaymentsOfOrder(db, orderId),
        repo.findRefundsOfOrder(db, orderId),
      ]);
      const latest = payments[0];
      const refund = refundRows[0];
      return {
        payment: latest
          ? {
              id: latest.id,
              status: latest.status,
              amount: latest.amount,
              providerStatus: latest.provider_status,
              message: latest.provider_message,
              paymentUrl: latest.status === 'requires_action' ? latest.payment_url : null,
              createdAt: latest.created_at,
            }
          : null,
        refund: refund
          ? {
              id: refund.id,
              amount: refund.amount,
              status: refund.status,
              reason: refund.reason,
              createdAt: refund.created_at,
            }
          : null,
      };
    },
  };
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;
