// Pure rules of the money path (docs/PRODUCT.md §1.2-§1.3): limits, deadlines, the payout, and
// what a postponed game's buyers may cancel.
import { HOUR } from '../../shared/clock.ts';
import { platformFee } from '../../shared/money.ts';
import type { GameTimes } from '../catalog/index.ts';

export const MAX_TICKETS_PER_GAME = 8;
export const MAX_UNPAID_ORDERS = 2;
/**
 * Live checkout holds from one address, whatever the accounts (a hold sweep by fresh accounts);
 * sized for a household or an office behind one address.
 */
export const MAX_HOLDS_PER_IP = 6;
/** After cancelling a hold, the same account waits this long before holding that listing again. */
export const HOLD_COOLDOWN_MS = 15 * 60_000;
/** Seller's hand-over window after payment, and how long before first pitch it closes. */
export const DELIVERY_WINDOW_MS = 24 * HOUR;
export const DELIVERY_CUTOFF_BEFORE_GAME_MS = 3 * HOUR;
/** The least time a seller is given when a ticket is bought close to the game. */
export const MIN_DELIVERY_WINDOW_MS = 1 * HOUR;

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

/** What the seller is owed for a completed order: total minus the platform fee (rounded down). */
export function payoutOf(total: number, feePercent: number) {
  const fee = platformFee(total, feePercent);
  return { gross: total, fee, net: total - fee };
}

/**
 * A postponed game's buyers choose (docs/PRODUCT.md §2.4): keep the ticket for the make-up game,
 * or a full refund, until the make-up game starts — while no make-up date is known (`postponed`),
 * and once a make-up game is set (`makeup_starts_at`) until its first pitch. The refund applies to
 * orders not yet handed over (`paid`); a delivered order stays valid for the make-up date.
 * In that window its seller may refund a delivered order whose ticket came back.
 */
export function mayCancelForPostponement(
  game: Pick<GameTimes, 'status' | 'starts_at' | 'makeup_starts_at'>,
  now: Date,
): boolean {
  if (game.status === 'postponed') return true;
  if (game.status !== 'scheduled' || !game.makeup_starts_at) return false;
  return game.starts_at > now.toISOString();
}
