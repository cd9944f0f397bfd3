// The payments module's facade: money movements that know nothing about tickets. Payment attempts
// (TapPay calls, confirmation, reconciliation) and refunds are rows; the business they pay for
// (orders) starts attempts and refunds inside its own transactions and is told, through its
// `Payee`, when a charge succeeded. Nothing outside this module reads or writes the rows.
import type { Order, PaymentsConfig, Wallet } from '../../../../shared/contracts/orders.ts';
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
    /** The wallets offered (TAPPAY_WALLETS); none when absent. */
    wallets?: readonly Wallet[];
    /** Each wallet's TapPay merchant. */
    walletMerchantIds?: Record<Wallet, string>;
    /** Apple Pay's merchant identifier and the domain-association file Apple issued. */
    applePay?: { merchantIdentifier: string | null; domainAssociation: string | null };
    googlePayMerchantId?: string | null;
    /** Test-only fault injection (FAULT_INJECT); null in every real deployment. */
    faultInject?: 'crash-after-charge' | null;
  };
}

export function createPaymentsService(deps: PaymentsDeps) {
  const { db, config } = deps;
  const wallets = config.wallets ?? [];
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
    wallets: {
      enabled: config.wallets ?? [],
      merchantIds: config.walletMerchantIds ?? {
        linepay: '',
        jkopay: '',
        applepay: '',
        googlepay: '',
      },
    },
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
        wallets: [...wallets],
        applePayMerchantIdentifier: wallets.includes('applepay')
          ? (config.applePay?.merchantIdentifier ?? null)
          : null,
        googlePayMerchantId: wallets.includes('googlepay')
          ? (config.googlePayMerchantId ?? null)
          : null,
      };
    },

    /**
     * Apple Pay's domain-association file (APPLE_PAY_DOMAIN_ASSOCIATION), served at
     * /.well-known/apple-developer-merchantid-domain-association; null when not configured.
     */
    applePayDomainAssociation(): string | null {
      return config.applePay?.domainAssociation ?? null;
    },

    /** 422 VALIDATION_FAILED for a wallet the merchant does not offer (checked before a hold). */
    assertMethodOffered: attempts.assertMethodOffered,

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
              method: latest.method,
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
