// What a game allows, decided once: the catalogue tells readers (`onSale`, `canList`,
// `canReserve`) and listings, orders and reservations refuse the rest with GAME_NOT_ON_SALE.
import type { GameStatus } from '../../platform/db/schema.ts';

export interface GameTiming {
  status: GameStatus;
  starts_at: string;
}

/**
 * Tickets of a game can be listed, bought and asked for (reservations) only while it is
 * scheduled and has not started; a postponed game is off sale until it is scheduled again.
 */
export function isGameOnSale(game: GameTiming, now: Date): boolean {
  return game.status === 'scheduled' && game.starts_at > now.toISOString();
}

/**
 * Until when an answer built on `isGameOnSale` stays true by itself: first pitch while the game is
 * on sale (it goes off sale then), never otherwise (off sale stays off sale until an operator
 * changes the game, and that change invalidates the cached answers). The `validUntil` of every
 * cached answer that says whether a game is on sale.
 */
export function onSaleUntil(game: GameTiming, now: Date): number | null {
  return isGameOnSale(game, now) ? Date.parse(game.starts_at) : null;
}
