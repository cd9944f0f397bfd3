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
