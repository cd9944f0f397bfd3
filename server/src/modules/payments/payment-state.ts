// The payment attempt's state table. A payment row is one call to TapPay's Pay by Prime; every
// change of its status goes through `assertPaymentTransition`.
import type { PaymentStatus } from '../../platform/db/schema.ts';
import { invalidState } from '../../shared/errors.ts';

export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  // Created just before the call to TapPay.
  pending: ['requires_action', 'succeeded', 'failed', 'unknown'],
  // 3-D Secure: waiting for the buyer's bank.
  requires_action: ['succeeded', 'failed', 'unknown'],
  // No answer, or a time-out code: only the Record API can settle it.
  unknown: ['succeeded', 'failed', 'requires_action'],
  succeeded: [],
  // Only when the Record API later shows a charge for an attempt we had given up on: the money was
  // taken, so the row must say so (and the order is paid or the charge refunded).
  failed: ['succeeded'],
};

/** Attempts that may still turn into a charge: settle them before trying again. */
export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'pending',
  'requires_action',
  'unknown',
];

export function canPaymentTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

export function assertPaymentTransition(from: PaymentStatus, to: PaymentStatus): void {
  if (!canPaymentTransition(from, to)) {
    throw invalidState(`A payment cannot go from ${from} to ${to}`, { from, to });
  }
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

export const REFUND_TRANSITIONS: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = {
  pending: ['succeeded', 'failed'],
  succeeded: [],
  // An operator may retry a refund TapPay refused.
  failed: ['pending'],
};

export function assertRefundTransition(from: RefundStatus, to: RefundStatus): void {
  if (!REFUND_TRANSITIONS[from].includes(to)) {
    throw invalidState(`A refund cannot go from ${from} to ${to}`, { from, to });
  }
}
