// Pure rules of the money path (PRODUCT.md §1-§2): limits, deadlines, what is on sale.
import type { GameStatus, ListingStatus } from '../../platform/db/schema.ts';
import { HOUR } from '../../shared/clock.ts';
import { platformFee } from '../../shared/money.ts';
import { isGameOnSale } from '../catalog/index.ts';
import { hasGameStarted } from '../listings/index.ts';

export const MAX_TICKETS_PER_GAME = 8;
export const MAX_UNPAID_ORDERS = 2;
/** Seller's hand-over window after payment, and how long before first pitch it closes. */
export const DELIVERY_WINDOW_MS = 24 * HOUR;
export const DELIVERY_CUTOFF_BEFORE_GAME_MS = 3 * HOUR;
/** The least time a seller is given when a ticket is bought close to the game. */
export const MIN_DELIVERY_WINDOW_MS = 1 * HOUR;

export interface GameTimes {
  status: GameStatus;
  starts_at: string;
  makeup_starts_at?: string | null;
}

/** Tickets sell while the game is scheduled and has not started (the catalogue's rule). */
export { isGameOnSale };

/**
 * Where a held listing goes when its hold ends unpaid (expired or cancelled order): on sale
 * again, unless the game was cancelled or has started (a postponed game keeps its listings).
 */
export function listingStatusAfterRelease(game: GameTimes, now: Date): ListingStatus {
  if (game.status === 'cancelled') return 'cancelled';
  return hasGameStarted(game, now) ? 'expired' : 'active';
}

/**
 * The hand-over deadline: 24 h after payment or 3 h before the game, whichever is earlier — but
 * never less than an hour after payment (nor after first pitch) when bought close to the game.
 */
export function deliverDeadline(paidAt: Date, startsAt: Date): Date {
  const rule = Math.min(
    paidAt.getTime() + DELIVERY_WINDOW_MS,
    startsAt.getTime() - DELIVERY_CUTOFF_BEFORE_GAME_MS,
  );
  const floor = Math.min(paidAt.getTime() + MIN_DELIVERY_WINDOW_MS, startsAt.getTime());
  return new Date(Math.max(rule, floor));
}

/** When an undisputed, delivered order completes by itself. */
export function autoCompleteAt(startsAt: Date, autoCompleteHours: number): Date {
  return new Date(startsAt.getTime() + autoCompleteHours * HOUR);
}

/** What the seller is owed for a completed order: total minus the platform fee (rounded down). */
export function payoutOf(total: number, feePercent: number) {
  const fee = platformFee(total, feePercent);
  return { gross: total, fee, net: total - fee };
}

/**
 * A postponed game's buyers may cancel a paid (or delivered) order for a full refund until the
 * make-up game starts (or at any time while no make-up time is known).
 */
export function mayCancelForPostponement(game: GameTimes, now: Date): boolean {
  if (game.status !== 'postponed') return false;
  return !game.makeup_starts_at || game.starts_at > now.toISOString();
}
