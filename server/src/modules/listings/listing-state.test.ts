// The listing's state table and the game-timing rules that move a listing, as pure functions.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import type { ListingStatus } from '../../platform/db/schema.ts';
import {
  assertListingTransition,
  canListingTransition,
  effectiveStatus,
  LISTING_TRANSITIONS,
  statusAfterRelease,
} from './listing-state.ts';

const now = new Date('2026-05-01T00:00:00.000Z');
const later = '2026-05-02T10:00:00.000Z';
const earlier = '2026-04-30T10:00:00.000Z';

describe('listing state table', () => {
  it('when a move of the lifecycle is drawn, then the table allows it', () => {
    const moves: [ListingStatus, ListingStatus][] = [
      ['active', 'held'], // claim
      ['held', 'active'], // release, game still to come
      ['held', 'expired'], // release, game started
      ['held', 'cancelled'], // release, game cancelled; take down
      ['held', 'sold'], // mark sold
      ['active', 'cancelled'], // take down
      ['expired', 'cancelled'], // take down
      ['active', 'expired'], // expire
      ['sold', 'active'], // relist: a postponed game's refund before hand-over
    ];
    for (const [from, to] of moves)
      expect(canListingTransition(from, to), `${from}→${to}`).toBe(true);
  });

  it('when a listing is sold or cancelled, then nothing follows but a relist', () => {
    expect(LISTING_TRANSITIONS.sold).toEqual(['active']);
    expect(LISTING_TRANSITIONS.cancelled).toEqual([]);
  });

  it('when an arrow is missing, then 409 INVALID_STATE', () => {
    for (const [from, to] of [
      ['sold', 'held'],
      ['expired', 'active'],
      ['active', 'sold'],
      ['cancelled', 'active'],
    ] as [ListingStatus, ListingStatus][]) {
      try {
        assertListingTransition(from, to);
        expect.unreachable(`${from}→${to} should be refused`);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('INVALID_STATE');
      }
    }
  });
});

describe('game timing', () => {
  it('when a hold ends before the game, then the listing is on sale again', () => {
    expect(statusAfterRelease({ status: 'scheduled', starts_at: later }, now)).toBe('active');
  });

  it('when a hold ends after first pitch, then the listing has expired', () => {
    expect(statusAfterRelease({ status: 'scheduled', starts_at: earlier }, now)).toBe('expired');
  });

  it('when a hold ends on a cancelled game, then the listing is cancelled', () => {
    expect(statusAfterRelease({ status: 'cancelled', starts_at: later }, now)).toBe('cancelled');
  });

  it('when a hold ends on a postponed game past its old start, then the listing is on sale again', () => {
    expect(statusAfterRelease({ status: 'postponed', starts_at: earlier }, now)).toBe('active');
  });

  it('when first pitch has passed and the sweep has not run, then an active listing reads as expired', () => {
    expect(effectiveStatus('active', { status: 'scheduled', starts_at: earlier }, now)).toBe(
      'expired',
    );
    expect(effectiveStatus('held', { status: 'scheduled', starts_at: earlier }, now)).toBe('held');
  });
});
