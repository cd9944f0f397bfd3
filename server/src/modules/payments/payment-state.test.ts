// The payment attempt's and the refund's state tables, as pure functions.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import {
  assertPaymentTransition,
  assertRefundTransition,
  OPEN_PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
} from './payment-state.ts';

describe('payment state table', () => {
  it('when a payment succeeded, then it never changes again', () => {
    expect(PAYMENT_TRANSITIONS.succeeded).toEqual([]);
    expect(() => assertPaymentTransition('succeeded', 'failed')).toThrow(AppError);
  });

  it('when an attempt is open, then only the Record API can settle it either way', () => {
    for (const from of OPEN_PAYMENT_STATUSES) {
      expect(PAYMENT_TRANSITIONS[from]).toContain('succeeded');
      expect(PAYMENT_TRANSITIONS[from]).toContain('failed');
    }
  });

  it('when an attempt given up on shows a charge after all, then it may still succeed', () => {
    expect(() => assertPaymentTransition('failed', 'succeeded')).not.toThrow();
  });

  it('when a refund succeeded, then it is final; a failed one may be retried', () => {
    expect(() => assertRefundTransition('succeeded', 'pending')).toThrow(AppError);
    expect(() => assertRefundTransition('failed', 'pending')).not.toThrow();
  });
});
