// Game demand, the one formula behind trending, market stats and the recommendations' popularity
// feature. Pure functions; the service feeds them grouped rows.
import { addDays, DAY, fromTaipei, taipeiDate } from '../../shared/clock.ts';

/** Orders that count as traded tickets (refunded, disputed, expired, cancelled ones do not). */
export const TRADED_STATUSES = ['paid', 'delivered', 'completed'] as const;

export const HALF_LIFE_DAYS = 2;
/** λ in e^(−λ·ageDays): a sale two days old weighs half as much as one made now. */
export const DECAY_PER_DAY = Math.LN2 / HALF_LIFE_DAYS;
/** Weight of one active reservation ("有票通知我") against one ticket sold now. */
export const RESERVATION_WEIGHT = 0.5;

/** Start of the 7-day window: 00:00 Asia/Taipei six days before today (today counts as day 7). */
export function salesWindowStart(now: Date): Date {
  return fromTaipei(addDays(taipeiDate(now), -6));
}

/** Weight of tickets sold `ageMs` ago (never more than 1: a sale cannot be in the future). */
export function saleWeight(ageMs: number): number {
  return Math.exp((-DECAY_PER_DAY * Math.max(0, ageMs)) / DAY);
}

export interface GameDemand {
  startsAt: string;
  score: number;
  soldTickets7d: number;
  /** Traded orders of the game, all time. */
  trades: number;
  activeReservations: number;
  activeListings: number;
}

export interface DemandRows {
  games: { id: string; startsAt: string; activeListings: number }[];
  /** Tickets sold in the window, grouped by game and by the hour they were paid in. */
  sales: { gameId: string; hourStart: number; tickets: number }[];
  reservations: { gameId: string; count: number }[];
  trades: { gameId: string; count: number }[];
}

/**
 * Demand per upcoming game. Sales are grouped by hour; each hour weighs as its midpoint (or now,
 * for the current hour), which is within 1 % of the exact per-sale weight.
 */
export function computeDemand(rows: DemandRows, now: Date): Record<string, GameDemand> {
  const out: Record<string, GameDemand> = {};
  for (const g of rows.games)
    out[g.id] = {
      startsAt: g.startsAt,
      score: 0,
      soldTickets7d: 0,
      trades: 0,
      activeReservations: 0,
      activeListings: g.activeListings,
    };
  const nowMs = now.getTime();
  for (const s of rows.sales) {
    const d = out[s.gameId];
    if (!d) continue;
    const at = Math.min(s.hourStart + 30 * 60_000, nowMs);
    d.score += s.tickets * saleWeight(nowMs - at);
    d.soldTickets7d += s.tickets;
  }
  for (const r of rows.reservations) {
    const d = out[r.gameId];
    if (!d) continue;
    d.activeReservations = r.count;
    d.score += RESERVATION_WEIGHT * r.count;
  }
  for (const t of rows.trades) {
    const d = out[t.gameId];
    if (d) d.trades = t.count;
  }
  return out;
}

/** Hottest first; then more tickets for sale, sooner, id. Games with neither are left out. */
export function rankGames(demand: Record<string, GameDemand>): string[] {
  return Object.entries(demand)
    .filter(([, d]) => d.score > 0 || d.activeListings > 0)
    .sort(
      ([ida, a], [idb, b]) =>
        b.score - a.score ||
        b.activeListings - a.activeListings ||
        a.startsAt.localeCompare(b.startsAt) ||
        ida.localeCompare(idb),
    )
    .map(([id]) => id);
}
