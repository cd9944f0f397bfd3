// Trending and market-stats queries: grouped, a handful per computation whatever the number of
// games. Reads games, orders, listings, reservations and teams. "Up to now" filters (paid_at ≤
// now) keep every figure as of the clock's instant.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/dialect.ts';
import { toNumber } from '../../platform/db/dialect.ts';
import { TRADED_STATUSES } from './demand.ts';

const traded = [...TRADED_STATUSES];

/** Scheduled games that have not started, with their active-listing counts (games_starts_at_idx). */
export async function findUpcomingGames(db: Executor, nowIso: string) {
  const rows = await db
    .selectFrom('games as g')
    .leftJoin('listings as l', (join) =>
      join.onRef('l.game_id', '=', 'g.id').on('l.status', '=', 'active'),
    )
    .select((eb) => ['g.id', 'g.starts_at', eb.fn.count<number>('l.id').as('active_listings')])
    .where('g.starts_at', '>', nowIso)
    .where('g.status', '=', 'scheduled')
    .groupBy(['g.id', 'g.starts_at'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.starts_at,
    activeListings: toNumber(r.active_listings),
  }));
}

const paidHour = sql<string>`substr(o.paid_at, 1, 13)`;

/** Tickets of upcoming games paid in [since, now], per game and hour (orders_paid_at_idx). */
export async function findRecentSales(db: Executor, sinceIso: string, nowIso: string) {
  const rows = await db
    .selectFrom('orders as o')
    .innerJoin('games as g', 'g.id', 'o.game_id')
    .select((eb) => [
      'o.game_id',
      paidHour.as('hour'),
      eb.fn.sum<number>('o.quantity').as('tickets'),
    ])
    .where('o.paid_at', '>=', sinceIso)
    .where('o.paid_at', '<=', nowIso)
    .where('o.status', 'in', traded)
    .where('g.starts_at', '>', nowIso)
    .where('g.status', '=', 'scheduled')
    .groupBy(['o.game_id', paidHour])
    .execute();
  return rows.map((r) => ({
    gameId: r.game_id,
    hourStart: Date.parse(`${r.hour}:00:00.000Z`),
    tickets: toNumber(r.tickets),
  }));
}

/**
 * Fans with an active reservation per upcoming game (reservations_game_idx): each fan once per
 * game, so many reservations from a few accounts cannot push a game up trending.
 */
export async function findActiveReservationCounts(db: Executor, nowIso: string) {
  const rows = await db
    .selectFrom('reservations as r')
    .innerJoin('games as g', 'g.id', 'r.game_id')
    .select((eb) => ['r.game_id', eb.fn.count<number>('r.user_id').distinct().as('n')])
    .where('r.status', '=', 'active')
    .where('g.starts_at', '>', nowIso)
    .where('g.status', '=', 'scheduled')
    .groupBy('r.game_id')
    .execute();
  return rows.map((r) => ({ gameId: r.game_id, count: toNumber(r.n) }));
}

/** Traded orders per upcoming game, all time up to now (orders_game_status_idx). */
export async function findTradeCounts(db: Executor, nowIso: string) {
  const rows = await db
    .selectFrom('orders as o')
    .innerJoin('games as g', 'g.id', 'o.game_id')
    .select((eb) => ['o.game_id', eb.fn.countAll<number>().as('n')])
    .where('o.status', 'in', traded)
    .where('o.paid_at', '<=', nowIso)
    .where('g.starts_at', '>', nowIso)
    .where('g.status', '=', 'scheduled')
    .groupBy('o.game_id')
    .execute();
  return rows.map((r) => ({ gameId: r.game_id, count: toNumber(r.n) }));
}

/** Sold unit prices of these games (orders_game_status_idx), for their medians. */
export function findSoldUnitPrices(db: Executor, gameIds: string[], nowIso: string) {
  if (gameIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('orders')
    .select(['game_id', 'unit_price'])
    .where('game_id', 'in', gameIds)
    .where('status', 'in', traded)
    .where('paid_at', '<=', nowIso)
    .execute();
}

/** Tickets and NT$ traded up to now, and since the start of the 7-day window. */
export async function findTradeTotals(db: Executor, sinceIso: string, nowIso: string) {
  const recent = (column: 'quantity' | 'amount') =>
    sql<number>`sum(case when paid_at >= ${sinceIso} then ${sql.ref(column)} else 0 end)`;
  const row = await db
    .selectFrom('orders')
    .select((eb) => [
      eb.fn.sum<number>('quantity').as('tickets'),
      eb.fn.sum<number>('amount').as('amount'),
      recent('quantity').as('tickets_7d'),
      recent('amount').as('amount_7d'),
    ])
    .where('status', 'in', traded)
    .where('paid_at', '<=', nowIso)
    .executeTakeFirst();
  return {
    ticketsTraded: toNumber(row?.tickets),
    amountTraded: toNumber(row?.amount),
    ticketsTraded7d: toNumber(row?.tickets_7d),
    amountTraded7d: toNumber(row?.amount_7d),
  };
}

/** Tickets traded per pairing of home and away team (at most 30 rows for six teams). */
export async function findTicketsByPairing(db: Executor, nowIso: string) {
  const rows = await db
    .selectFrom('orders as o')
    .innerJoin('games as g', 'g.id', 'o.game_id')
    .select((eb) => [
      'g.home_team_id',
      'g.away_team_id',
      eb.fn.sum<number>('o.quantity').as('tickets'),
    ])
    .where('o.status', 'in', traded)
    .where('o.paid_at', '<=', nowIso)
    .groupBy(['g.home_team_id', 'g.away_team_id'])
    .execute();
  return rows.map((r) => ({
    homeTeamId: r.home_team_id,
    awayTeamId: r.away_team_id,
    tickets: toNumber(r.tickets),
  }));
}

export async function findTeamIds(db: Executor) {
  const rows = await db.selectFrom('teams').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
