// Recommendation queries: the candidate pool, a user's history, impression and click events.
// Reads listings, games, seat_areas, users, orders and reservations; writes rec_events.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/dialect.ts';
import type { RecEventsTable } from '../../platform/db/schema.ts';
import { TRADED_STATUSES } from '../trending/index.ts';

/**
 * Active listings of scheduled games that have not started, by sellers in good standing, not the
 * caller's own: the pool every model ranks. Narrow rows (numbers and ids only); the cards of the
 * chosen few are loaded afterwards (listings_status_game_idx, then primary keys).
 */
export function findCandidates(db: Executor, nowIso: string, excludeSellerId: string | null) {
  let q = db
    .selectFrom('listings as l')
    .innerJoin('games as g', 'g.id', 'l.game_id')
    .innerJoin('seat_areas as a', 'a.id', 'l.area_id')
    .innerJoin('users as u', 'u.id', 'l.seller_id')
    .select([
      'l.id',
      'l.game_id',
      'l.seller_id',
      'l.price',
      'l.face_value',
      'l.quantity',
      'a.code as area_code',
      'a.tier as area_tier',
      'g.home_team_id',
      'g.away_team_id',
      'g.starts_at',
      'u.rating_sum',
      'u.rating_count',
    ])
    .where('l.status', '=', 'active')
    .where('g.status', '=', 'scheduled')
    .where('g.starts_at', '>', nowIso)
    .where('u.status', '=', 'active');
  if (excludeSellerId) q = q.where('l.seller_id', '!=', excludeSellerId);
  return q.execute();
}

export async function findFavoriteTeam(db: Executor, userId: string) {
  const row = await db
    .selectFrom('users')
    .select('favorite_team_id')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.favorite_team_id ?? null;
}

/**
 * The user's traded purchases since `sinceIso`, newest first, at most `limit`
 * (orders_buyer_created_idx: read in order, no sort). The limit is applied before the joins (a
 * derived table): a fan with 600 purchases costs 200 lookups per joined table, not 600.
 */
export function purchasesQuery(db: Executor, userId: string, sinceIso: string, limit: number) {
  const recent = db
    .selectFrom('orders')
    .select(['listing_id', 'game_id', 'unit_price', 'quantity', 'created_at', 'paid_at'])
    .where('buyer_id', '=', userId)
    .where('status', 'in', [...TRADED_STATUSES])
    .where('created_at', '>=', sinceIso)
    .orderBy('created_at', 'desc')
    .limit(limit);
  return db
    .selectFrom(recent.as('o'))
    .innerJoin('listings as l', 'l.id', 'o.listing_id')
    .innerJoin('seat_areas as a', 'a.id', 'l.area_id')
    .innerJoin('games as g', 'g.id', 'o.game_id')
    .select([
      'o.game_id',
      'o.unit_price',
      'o.quantity',
      'o.created_at',
      'o.paid_at',
      'a.code as area_code',
      'a.tier as area_tier',
      'g.home_team_id',
      'g.away_team_id',
    ])
    .orderBy('o.created_at', 'desc');
}

export function findPurchases(db: Executor, userId: string, sinceIso: string, limit: number) {
  return purchasesQuery(db, userId, sinceIso, limit).execute();
}

/**
 * The user's active reservations, then their others since `sinceIso`, newest first, at most
 * `limit` (reservations_user_idx), each with its seat areas: one row per (reservation, area), or
 * one row with null area columns when it names none. The limit is applied to reservations before
 * the joins (a derived table); rows of one reservation are adjacent.
 */
export function reservationsQuery(db: Executor, userId: string, sinceIso: string, limit: number) {
  const activeFirst = sql<number>`case when status = 'active' then 0 else 1 end`;
  const recent = db
    .selectFrom('reservations')
    .select(['id', 'game_id', 'status', 'max_price', 'created_at', activeFirst.as('active_first')])
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('created_at', '>=', sinceIso), eb('status', '=', 'active')]))
    .orderBy(activeFirst)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit);
  return db
    .selectFrom(recent.as('r'))
    .innerJoin('games as g', 'g.id', 'r.game_id')
    .leftJoin('reservation_areas as ra', 'ra.reservation_id', 'r.id')
    .leftJoin('seat_areas as a', 'a.id', 'ra.area_id')
    .select([
      'r.id',
      'r.game_id',
      'r.status',
      'r.max_price',
      'r.created_at',
      'g.home_team_id',
      'g.away_team_id',
      'a.code as area_code',
      'a.tier as area_tier',
    ])
    .orderBy('r.active_first')
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id');
}

export function findReservations(db: Executor, userId: string, sinceIso: string, limit: number) {
  return reservationsQuery(db, userId, sinceIso, limit).execute();
}

export type RecEventRow = RecEventsTable;

/** One multi-row insert. */
export async function insertRecEvents(db: Executor, rows: RecEventRow[]) {
  if (rows.length === 0) return;
  await db.insertInto('rec_events').values(rows).execute();
}

/** The events of one shown item (rec_events_request_idx). */
export function findItemEvents(db: Executor, requestId: string, listingId: string) {
  return db
    .selectFrom('rec_events')
    .select(['kind', 'user_key', 'arm', 'position'])
    .where('request_id', '=', requestId)
    .where('listing_id', '=', listingId)
    .execute();
}
