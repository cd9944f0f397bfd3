// The state table and the rules of the money path, as pure functions.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { HOUR } from '../../shared/clock.ts';
import { assertTransition, canTransition, isTerminal, ORDER_TRANSITIONS } from './order-state.ts';
import { deliverDeadline, payoutOf } from './orders.rules.ts';

describe('order state table', () => {
  it('when docs/PRODUCT.md §3.1 draws an arrow, then the table allows it', () => {
    const arrows: [string, string][] = [
      ['pending_payment', 'paid'],
      ['pending_payment', 'expired'],
      ['pending_payment', 'cancelled'],
      ['paid', 'delivered'],
      ['paid', 'refunded'],
      ['delivered', 'completed'],
      ['delivered', 'disputed'],
      ['disputed', 'completed'],
      ['disputed', 'refunded'],
    ];
    for (const [from, to] of arrows)
      expect(canTransition(from as never, to as never), `${from}→${to}`).toBe(true);
  });

  it('when an order is completed, refunded, expired or cancelled, then nothing follows', () => {
    for (const s of ['completed', 'refunded', 'expired', 'cancelled'] as const) {
      expect(isTerminal(s)).toBe(true);
      expect(ORDER_TRANSITIONS[s]).toEqual([]);
    }
  });

  it('when an arrow is missing, then 409 INVALID_STATE', () => {
    for (const [from, to] of [
      ['pending_payment', 'delivered'],
      ['paid', 'completed'],
      ['expired', 'paid'],
      ['refunded', 'paid'],
      ['completed', 'refunded'],
    ] as const) {
      expect(() => assertTransition(from, to)).toThrow(AppError);
      try {
        assertTransition(from, to);
      } catch (err) {
        expect((err as AppError).code).toBe('INVALID_STATE');
      }
    }
  });
});

describe('rules', () => {
  const paid = new Date('2026-05-01T04:00:00.000Z');
  it('when the game is days away, then the seller has 24 h to hand over', () => {
    const start = new Date(paid.getTime() + 5 * 24 * HOUR);
    expect(deliverDeadline(paid, start).getTime() - paid.getTime()).toBe(24 * HOUR);
  });
  it('when the game is tomorrow evening, then the deadline is 3 h before first pitch', () => {
    const start = new Date(paid.getTime() + 10 * HOUR);
    expect(start.getTime() - deliverDeadline(paid, start).getTime()).toBe(3 * HOUR);
  });
  it('when bought within 3 h of the game, then the seller still gets an hour (never past first pitch)', () => {
    expect(deliverDeadline(paid, new Date(paid.getTime() + 2 * HOUR)).getTime()).toBe(
      paid.getTime() + HOUR,
    );
    const soon = new Date(paid.getTime() + 30 * 60_000);
    expect(deliverDeadline(paid, soon).getTime()).toBe(soon.getTime());
  });
  it('when the platform fee is a percentage, then it is rounded down in the seller’s favour', () => {
    expect(payoutOf(1999, 5)).toEqual({ gross: 1999, fee: 99, net: 1900 });
    expect(payoutOf(1600, 0)).toEqual({ gross: 1600, fee: 0, net: 1600 });
  });
});
