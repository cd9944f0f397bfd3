// Reservations queries. The hot one is findMatchingReservations: one indexed statement per listing,
// whatever the number of reservations (reservations_game_idx, the reservation_areas primary key
// and the reservation_matches primary key).
import { sql, type ExpressionBuilder } from 'kysely';
import { type Executor } from '../../platform/db/dialect.ts';
import type { DB, ReservationsTable, SplitRule } from '../../platform/db/schema.ts';
import { allowedQuantities } from '../../../../shared/contracts/split-rule.ts';
import { canSellSql } from '../listings/index.ts';

export type ReservationRow = ReservationsTable;

/** Game statuses in which a reservation can still be served (a postponed game gets a new date). */
export const LIVE_GAME_STATUSES = ['scheduled', 'postponed'] as const;

export function findGame(db: Executor, gameId: string) {
  return db
    .selectFrom('games')
    .select(['id', 'stadium_id', 'status', 'starts_at'])
    .where('id', '=', gameId)
    .executeTakeFirst();
}

export async function findAreaIdsOfStadium(
  db: Executor,
  stadiumId: string,
  areaIds: readonly string[],
) {
  if (areaIds.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('seat_areas')
    .select('id')
    .where('stadium_id', '=', stadiumId)
    .where('id', 'in', [...areaIds])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** "Still in play": active and its game neither started nor off. */
function isLive(eb: ExpressionBuilder<DB, 'reservations' | 'games'>, nowIso: string) {
  return eb.and([
    eb('reservations.status', '=', 'active'),
    eb('games.starts_at', '>', nowIso),
    eb('games.status', 'in', [...LIVE_GAME_STATUSES]),
  ]);
}

export async function countLiveReservations(db: Executor, userId: string, nowIso: string) {
  const row = await db
    .selectFrom('reservations')
    .innerJoin('games', 'games.id', 'reservations.game_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('reservations.user_id', '=', userId)
    .where((eb) => isLive(eb, nowIso))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function findReservationByCriteria(db: Executor, userId: string, criteriaKey: string) {
  return db
    .selectFrom('reservations')
    .innerJoin('games', 'games.id', 'reservations.game_id')
    .select([
      'reservations.id',
      'reservations.status',
      'games.starts_at',
      'games.status as game_status',
    ])
    .where('reservations.user_id', '=', userId)
    .where('reservations.criteria_key', '=', criteriaKey)
    .executeTakeFirst();
}

export async function insertReservation(
  db: Executor,
  row: ReservationRow,
  areaIds: readonly string[],
) {
  await db.insertInto('reservations').values(row).execute();
  if (areaIds.length)
    await db
      .insertInto('reservation_areas')
      .values(areaIds.map((area_id) => ({ reservation_id: row.id, area_id })))
      .execute();
}

/** Deletes a reservation with its areas and matches; the caller has checked it is the user's. */
export async function deleteReservation(db: Executor, userId: string, id: string) {
  await db.deleteFrom('reservation_areas').where('reservation_id', '=', id).execute();
  await db.deleteFrom('reservation_matches').where('reservation_id', '=', id).execute();
  const result = await db
    .deleteFrom('reservations')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function findReservationOwner(db: Executor, id: string) {
  return db
    .selectFrom('reservations')
    .select(['id', 'user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

const RESERVATION_COLUMNS = [
  'reservations.id',
  'reservations.max_price',
  'reservations.quantity',
  'reservations.status',
  'reservations.created_at',
  'games.id as game_id',
  'games.starts_at',
  'games.local_date',
  'games.status as game_status',
  'home.id as home_id',
  'home.code as home_code',
  'home.name as home_name',
  'home.name_en as home_name_en',
  'home.short_name as home_short_name',
  'home.color as home_color',
  'away.id as away_id',
  'away.code as away_code',
  'away.name as away_name',
  'away.name_en as away_name_en',
  'away.short_name as away_short_name',
  'away.color as away_color',
  'stadiums.id as stadium_id',
  'stadiums.abbe as stadium_abbe',
  'stadiums.name as stadium_name',
  'stadiums.name_en as stadium_name_en',
  'stadiums.city as stadium_city',
] as const;

function selectReservations(db: Executor) {
  return db
    .selectFrom('reservations')
    .innerJoin('games', 'games.id', 'reservations.game_id')
    .innerJoin('teams as home', 'home.id', 'games.home_team_id')
    .innerJoin('teams as away', 'away.id', 'games.away_team_id')
    .innerJoin('stadiums', 'stadiums.id', 'games.stadium_id')
    .select(RESERVATION_COLUMNS);
}

export type ReservationListRow = Awaited<
  ReturnType<ReturnType<typeof selectReservations>['execute']>
>[number];

export function findReservationById(db: Executor, id: string) {
  return selectReservations(db).where('reservations.id', '=', id).executeTakeFirst();
}

/** A user's reservations, newest first (reservations_user_idx), keyset-paged. */
export function findReservationsOfUser(
  db: Executor,
  userId: string,
  opts: {
    nowIso: string;
    status?: 'active' | 'ended';
    before?: { createdAt: string; id: string };
    limit: number;
  },
) {
  let q = selectReservations(db).where('reservations.user_id', '=', userId);
  if (opts.status === 'active') q = q.where((eb) => isLive(eb, opts.nowIso));
  if (opts.status === 'ended') q = q.where((eb) => eb.not(isLive(eb, opts.nowIso)));
  const before = opts.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('reservations.created_at', '<', before.createdAt),
        eb.and([
          eb('reservations.created_at', '=', before.createdAt),
          eb('reservations.id', '<', before.id),
        ]),
      ]),
    );
  return q
    .orderBy('reservations.created_at', 'desc')
    .orderBy('reservations.id', 'desc')
    .limit(opts.limit)
    .execute();
}

export async function findAreasOfReservations(db: Executor, reservationIds: readonly string[]) {
  if (reservationIds.length === 0) return [];
  return db
    .selectFrom('reservation_areas')
    .innerJoin('seat_areas', 'seat_areas.id', 'reservation_areas.area_id')
    .select([
      'reservation_areas.reservation_id',
      'seat_areas.id',
      'seat_areas.stadium_id',
      'seat_areas.code',
      'seat_areas.name',
      'seat_areas.name_en',
      'seat_areas.tier',
      'seat_areas.face_value_min',
      'seat_areas.face_value_max',
      'seat_areas.sort_order',
    ])
    .where('reservation_areas.reservation_id', 'in', [...reservationIds])
    .orderBy('seat_areas.sort_order')
    .orderBy('seat_areas.code')
    .execute();
}

// ---- matching ----

/** The listing a `listing.published` job is about, with what the notification shows. */
export function findListingForMatching(db: Executor, listingId: string) {
  return db
    .selectFrom('listings')
    .innerJoin('games', 'games.id', 'listings.game_id')
    .innerJoin('teams as home', 'home.id', 'games.home_team_id')
    .innerJoin('teams as away', 'away.id', 'games.away_team_id')
    .innerJoin('seat_areas', 'seat_areas.id', 'listings.area_id')
    .select([
      'listings.id',
      'listings.game_id',
      'listings.seller_id',
      'listings.area_id',
      'listings.quantity',
      'listings.remaining',
      'listings.split_rule',
      'listings.price',
      'listings.status',
      'games.starts_at',
      'games.status as game_status',
      'games.home_team_id',
      'games.away_team_id',
      'home.short_name as home_zh',
      'home.name_en as home_en',
      'away.short_name as away_zh',
      'away.name_en as away_en',
      'seat_areas.name as area_zh',
      'seat_areas.name_en as area_en',
    ])
    .where('listings.id', '=', listingId)
    .executeTakeFirst();
}

export interface MatchTarget {
  id: string;
  game_id: string;
  seller_id: string;
  area_id: string;
  quantity: number;
  remaining: number;
  split_rule: SplitRule;
  price: number;
}

/**
 * Active reservations of the listing's game that this listing satisfies and that were not matched
 * with it before: enough tickets, price within the cap, an area they asked for (or any area), not
 * the seller's own. One statement; the correlated EXISTS probes are primary-key lookups.
 */
export function findMatchingReservations(db: Executor, listing: MatchTarget) {
  return matchingReservationsQuery(db, listing).execute();
}

export function matchingReservationsQuery(db: Executor, listing: MatchTarget) {
  return (
    db
      .selectFrom('reservations as r')
      .select(['r.id', 'r.user_id'])
      .where('r.game_id', '=', listing.game_id)
      .where('r.status', '=', 'active')
      // The listing can sell the reservation's quantity now (remaining tickets, split rule).
      .where('r.quantity', 'in', [0, ...allowedQuantities(listing.split_rule, listing.remaining)])
      .where('r.user_id', '<>', listing.seller_id)
      .where((eb) => eb.or([eb('r.max_price', 'is', null), eb('r.max_price', '>=', listing.price)]))
      .where((eb) =>
        eb.or([
          eb.not(
            eb.exists(
              eb
                .selectFrom('reservation_areas as any_area')
                .select(sql.lit(1).as('one'))
                .whereRef('any_area.reservation_id', '=', 'r.id'),
            ),
          ),
          eb.exists(
            eb
              .selectFrom('reservation_areas as this_area')
              .select(sql.lit(1).as('one'))
              .whereRef('this_area.reservation_id', '=', 'r.id')
              .where('this_area.area_id', '=', listing.area_id),
          ),
        ]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('reservation_matches as m')
              .select(sql.lit(1).as('one'))
              .whereRef('m.reservation_id', '=', 'r.id')
              .where('m.listing_id', '=', listing.id),
          ),
        ),
      )
  );
}

/** A reservation with its criteria, for the look-back at listings already on sale. */
export function findReservationForLookBack(db: Executor, id: string) {
  return db
    .selectFrom('reservations')
    .innerJoin('games', 'games.id', 'reservations.game_id')
    .select([
      'reservations.id',
      'reservations.user_id',
      'reservations.game_id',
      'reservations.max_price',
      'reservations.quantity',
      'reservations.status',
      'games.starts_at',
      'games.status as game_status',
    ])
    .where('reservations.id', '=', id)
    .executeTakeFirst();
}

export async function hasAnyMatch(db: Executor, reservationId: string) {
  const row = await db
    .selectFrom('reservation_matches')
    .select('listing_id')
    .where('reservation_id', '=', reservationId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The cheapest listing on sale that satisfies a reservation (listings_game_price_idx: one game's
 * active listings in price order), not the fan's own.
 */
export function findCheapestMatchingListing(
  db: Executor,
  r: { game_id: string; user_id: string; quantity: number; max_price: number | null },
  areaIds: readonly string[],
) {
  let q = db
    .selectFrom('listings')
    .select(['listings.id'])
    .where('listings.game_id', '=', r.game_id)
    .where('listings.status', '=', 'active')
    .where(canSellSql(r.quantity, 'listings'))
    .where('listings.seller_id', '<>', r.user_id);
  if (r.max_price !== null) q = q.where('listings.price', '<=', r.max_price);
  if (areaIds.length) q = q.where('listings.area_id', 'in', [...areaIds]);
  return q.orderBy('listings.price').orderBy('listings.id').limit(1).executeTakeFirst();
}

export async function findAreaIdsOfReservation(db: Executor, reservationId: string) {
  const rows = await db
    .selectFrom('reservation_areas')
    .select('area_id')
    .where('reservation_id', '=', reservationId)
    .execute();
  return rows.map((r) => r.area_id);
}

/** Of these reservations, the ones already matched with the listing (primary-key lookups). */
export async function findMatchedReservationIds(
  db: Executor,
  listingId: string,
  reservationIds: readonly string[],
) {
  if (reservationIds.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('reservation_matches')
    .select('reservation_id')
    .where('reservation_id', 'in', [...reservationIds])
    .where('listing_id', '=', listingId)
    .execute();
  return new Set(rows.map((r) => r.reservation_id));
}

export async function insertMatches(
  db: Executor,
  listingId: string,
  reservationIds: readonly string[],
  nowIso: string,
) {
  if (reservationIds.length === 0) return;
  await db
    .insertInto('reservation_matches')
    .values(
      reservationIds.map((reservation_id) => ({
        reservation_id,
        listing_id: listingId,
        created_at: nowIso,
      })),
    )
    .execute();
}

/** Reservations of a game that has started end (reservations_game_idx). */
export async function endReservationsOfGame(db: Executor, gameId: string) {
  await db
    .updateTable('reservations')
    .set({ status: 'ended' })
    .where('game_id', '=', gameId)
    .where('status', '=', 'active')
    .execute();
}
