// The listing's state table, and the game-timing rules that move a listing (docs/PRODUCT.md §3.2).
// Every status change is one of the moves of listings.lifecycle.ts, checked against the table:
//   claim      active → held                              a buyer's checkout hold
//   release    held → active | expired | cancelled        the hold ended unpaid (by the game)
//   mark sold  held → sold                                the order is paid
//   take down  active | held | expired → cancelled        the seller, an admin, a cancelled game
//   expire     active → expired                           first pitch has passed
//   relist     sold → active                              a postponed game's buyer took a refund
//                                                         before hand-over (orders)
import type { ListingStatus } from '../../platform/db/schema.ts';
import { invalidState } from '../../shared/errors.ts';
import type { GameTiming } from '../catalog/index.ts';

export const LISTING_TRANSITIONS: Readonly<Record<ListingStatus, readonly ListingStatus[]>> = {
  active: ['held', 'expired', 'cancelled'],
  held: ['active', 'sold', 'expired', 'cancelled'],
  sold: ['active'],
  expired: ['cancelled'],
  cancelled: [],
};

export function canListingTransition(from: ListingStatus, to: ListingStatus): boolean {
  return LISTING_TRANSITIONS[from].includes(to);
}

/** 409 INVALID_STATE for an arrow that is not in the table. */
export function assertListingTransition(from: ListingStatus, to: ListingStatus): void {
  if (!canListingTransition(from, to)) {
    throw invalidState(`A listing cannot go from ${from} to ${to}`, { from, to });
  }
}

/** First pitch has passed (a postponed game keeps its listings for the make-up game). */
export function hasGameStarted(game: GameTiming, now: Date): boolean {
  return game.status !== 'postponed' && game.starts_at <= now.toISOString();
}

/** The status a reader sees: an active listing of a started game is expired, job run or not. */
export function effectiveStatus(status: ListingStatus, game: GameTiming, now: Date): ListingStatus {
  return status === 'active' && hasGameStarted(game, now) ? 'expired' : status;
}

/**
 * Where a held listing goes when its hold ends unpaid (expired or cancelled order): on sale
 * again, unless the game was cancelled or has started (a postponed game keeps its listings).
 */
export function statusAfterRelease(game: GameTiming, now: Date): ListingStatus {
  if (game.status === 'cancelled') return 'cancelled';
  return hasGameStarted(game, now) ? 'expired' : 'active';
}
