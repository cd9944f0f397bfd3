// Listings queries. Reads games, seat_areas, stadiums, teams and users (read-only joins).
import { sql, type Expression, type SqlBool } from 'kysely';
import { affectedRows, type Executor } from '../../platform/db/dialect.ts';
import { newId } from '../../shared/ids.ts';
import type { ListingImagesTable, ListingStatus, ListingsTable } from '../../platform/db/schema.ts';
import { joinTeamsAndStadium } from '../catalog/index.ts';

export type ListingRow = ListingsTable;
export type ListingImageRow = ListingImagesTable;

/** What a new listing must be given; everything else starts at its default. */
export type NewListingFields = Pick<
  ListingRow,
  'game_id' | 'seller_id' | 'area_id' | 'section' | 'quantity' | 'price' | 'face_value'
> &
  Partial<ListingRow>;

/**
 * A new listing's row (not inserted): active, an e-ticket transfer, no row, seats, note or photo.
 * Selling, demo data, test factories and bench fixtures start here.
 */
export function newListingRow(fields: NewListingFields, nowIso: string): ListingRow {
  return {
    id: newId(),
    row_label: null,
    seats: null,
    delivery_method: 'eticket_transfer',
    note: null,
    status: 'active',
    cover_thumb_key: null,
    split_rule: 'any',
    created_at: nowIso,
    updated_at: nowIso,
    remaining: fields.quantity,
    held: 0,
    ...fields,
  };
}

/**
 * The listing can sell `n` tickets now (shared/contracts/split-rule.ts `canSellQuantity`, in SQL
 * over the listings table as `table`): enough remain, and taking n leaves what the rule allows.
 */
export function canSellSql(n: number, table = 'l'): Expression<SqlBool> {
  const remaining = sql.ref(`${table}.remaining`);
  const rule = sql.ref(`${table}.split_rule`);
  return sql<SqlBool>`(${remaining} >= ${n} and (${rule} = 'any' or (${rule} = 'pairs' and ${remaining} - ${n} <> 1) or (${rule} = 'none' and ${remaining} = ${n})))`;
}

/**
 * A checkout takes `n` tickets: only if the listing is still active with exactly the `remaining`
 * the caller checked the split rule against (a conditional update: the guard that holds on any
 * number of instances). At 0 left the listing is `held` until its holds are paid or let go.
 * Returns whether it took them.
 */
export async function takeTickets(
  db: Executor,
  listingId: string,
  remaining: number,
  n: number,
  nowIso: string,
): Promise<boolean> {
  const result = await db
    .updateTable('listings')
    .set({
      status: remaining === n ? 'held' : 'active',
      remaining: remaining - n,
      held: sql<number>`held + ${n}`,
      updated_at: nowIso,
    })
    .where('id', '=', listingId)
    .where('status', '=', 'active')
    .where('remaining', '=', remaining)
    .executeTakeFirst();
  return affectedRows(result) === 1;
}

/** A hold of `n` tickets ended unpaid: they are for sale again. */
export async function returnHeldTickets(
  db: Executor,
  listingId: string,
  n: number,
  nowIso: string,
) {
  await db
    .updateTable('listings')
    .set({
      remaining: sql<number>`remaining + ${n}`,
      held: sql<number>`held - ${n}`,
      updated_at: nowIso,
    })
    .where('id', '=', listingId)
    .execute();
}

/** `n` sold tickets came back to the seller (a refund before hand-over): for sale again. */
export async function returnSoldTickets(
  db: Executor,
  listingId: string,
  n: number,
  nowIso: string,
) {
  await db
    .updateTable('listings')
    .set({ remaining: sql<number>`remaining + ${n}`, updated_at: nowIso })
    .where('id', '=', listingId)
    .execute();
}

/**
 * A hold of `n` tickets is paid: they leave `held`; a `held` listing with none remaining and no
 * other hold is `sold`. One statement over the row's current values (status is computed from
 * the old ones on both dialects: it is assigned first, and MySQL applies SET left to right).
 * Returns whether the listing became sold.
 */
export async function sellHeldTickets(
  db: Executor,
  listingId: string,
  n: number,
  nowIso: string,
): Promise<boolean> {
  await db
    .updateTable('listings')
    .set({
      status: sql<ListingStatus>`case when status = 'held' and remaining = 0 and held = ${n} then 'sold' else status end`,
      held: sql<number>`held - ${n}`,
      updated_at: nowIso,
    })
    .where('id', '=', listingId)
    .execute();
  const row = await db
    .selectFrom('listings')
    .select('status')
    .where('id', '=', listingId)
    .executeTakeFirst();
  return row?.status === 'sold';
}

export function findGameForListing(db: Executor, gameId: string) {
  return db
    .selectFrom('games')
    .select(['id', 'stadium_id', 'starts_at', 'status'])
    .where('id', '=', gameId)
    .executeTakeFirst();
}

export function findArea(db: Executor, areaId: string) {
  return db.selectFrom('seat_areas').selectAll().where('id', '=', areaId).executeTakeFirst();
}

export async function countActiveListings(db: Executor, sellerId: string, gameId: string) {
  const row = await db
    .selectFrom('listings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seller_id', '=', sellerId)
    .where('status', '=', 'active')
    .where('game_id', '=', gameId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertListing(db: Executor, row: ListingRow, images: ListingImageRow[]) {
  await db.insertInto('listings').values(row).execute();
  if (images.length) await db.insertInto('listing_images').values(images).execute();
}

/** The listing row, locked for the rest of the transaction (MySQL; SQLite serialises writers). */
export function lockListing(db: Executor, listingId: string) {
  return db
    .selectFrom('listings')
    .selectAll()
    .where('id', '=', listingId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Price, note and seats: what a seller may change. Status changes are moves (listings.lifecycle.ts).
 */
export async function updateListing(
  db: Executor,
  listingId: string,
  patch: Partial<
    Pick<ListingRow, 'price' | 'note' | 'section' | 'row_label' | 'seats' | 'updated_at'>
  >,
) {
  await db.updateTable('listings').set(patch).where('id', '=', listingId).execute();
}

/**
 * Moves listings still in one of `from` to `to` (a conditional update: a listing that left
 * `from` meanwhile is left alone). Returns how many moved.
 */
export async function updateListingStatus(
  db: Executor,
  listingIds: readonly string[],
  from: readonly ListingStatus[],
  to: ListingStatus,
  nowIso: string,
): Promise<number> {
  if (listingIds.length === 0) return 0;
  const result = await db
    .updateTable('listings')
    .set({ status: to, updated_at: nowIso })
    .where('id', 'in', listingIds)
    .where('status', 'in', from)
    .executeTakeFirst();
  return affectedRows(result);
}

/** A game's listings in one of `statuses` (a cancelled game takes them down). */
export function findListingsOfGame(
  db: Executor,
  gameId: string,
  statuses: readonly ListingStatus[],
) {
  return db
    .selectFrom('listings')
    .select(['id', 'game_id', 'seller_id', 'status'])
    .where('game_id', '=', gameId)
    .where('status', 'in', statuses)
    .orderBy('id')
    .execute();
}

/** A seller's active listings (their suspension takes them down). */
/**
 * The seller's listings still on the market (active or held), locked: a hold on one waits for
 * the caller's transaction, or has already turned it `held` (closing an account, privacy).
 */
export function lockOpenListingsOfSeller(db: Executor, sellerId: string) {
  return db
    .selectFrom('listings')
    .select(['id', 'status'])
    .where('seller_id', '=', sellerId)
    .where('status', 'in', ['active', 'held'])
    .forUpdate()
    .execute();
}

export async function findActiveListingIdsOfSeller(db: Executor, sellerId: string) {
  const rows = await db
    .selectFrom('listings')
    .select('id')
    .where('seller_id', '=', sellerId)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}

/** Everything the detail view shows, for many listings in one query. */
function detailQuery(db: Executor) {
  return db
    .selectFrom('listings as l')
    .innerJoin('games as g', 'g.id', 'l.game_id')
    .select([
      'l.id',
      'l.game_id',
      'l.seller_id',
      'l.area_id',
      'l.section',
      'l.row_label',
      'l.seats',
      'l.quantity',
      'l.remaining',
      'l.split_rule',
      'l.price',
      'l.face_value',
      'l.delivery_method',
      'l.note',
      'l.status',
      'l.created_at',
      'l.updated_at',
      'g.year as game_year',
      'g.kind as game_kind',
      'g.game_no',
      'g.starts_at as game_starts_at',
      'g.local_date as game_local_date',
      'g.status as game_status',
    ])
    .$call(joinTeamsAndStadium)
    .innerJoin('seat_areas as a', 'a.id', 'l.area_id')
    .innerJoin('users as u', 'u.id', 'l.seller_id')
    .select([
      'a.code as area_code',
      'a.name as area_name',
      'a.name_en as area_name_en',
      'a.tier as area_tier',
      'a.face_value_min as area_min',
      'a.face_value_max as area_max',
      'u.name as seller_name',
      'u.rating_sum as seller_rating_sum',
      'u.rating_count as seller_rating_count',
    ]);
}

export type ListingDetailRow = Awaited<
  ReturnType<ReturnType<typeof detailQuery>['executeTakeFirstOrThrow']>
>;

export function findListingDetails(db: Executor, listingIds: string[]) {
  if (listingIds.length === 0) return Promise.resolve([]);
  return detailQuery(db).where('l.id', 'in', listingIds).execute();
}

export function findImagesOfListings(db: Executor, listingIds: string[]) {
  if (listingIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('listing_images')
    .selectAll()
    .where('listing_id', 'in', listingIds)
    .orderBy('listing_id')
    .orderBy('position')
    .execute();
}

/** "Effective" status filters: an active listing of a started game counts as expired. */
export type SellerStatusFilter = ListingStatus | undefined;

export function sellerListingsQuery(
  db: Executor,
  sellerId: string,
  options: {
    status: SellerStatusFilter;
    nowIso: string;
    limit: number;
    after?: { createdAt: string; id: string };
  },
) {
  const { status, nowIso, limit, after } = options;
  let q = detailQuery(db).where('l.seller_id', '=', sellerId);
  if (status === 'active') {
    q = q
      .where('l.status', '=', 'active')
      .where((eb) => eb.or([eb('g.status', '=', 'postponed'), eb('g.starts_at', '>', nowIso)]));
  } else if (status === 'expired') {
    q = q.where((eb) =>
      eb.or([
        eb('l.status', '=', 'expired'),
        eb.and([
          eb('l.status', '=', 'active'),
          eb('g.status', '!=', 'postponed'),
          eb('g.starts_at', '<=', nowIso),
        ]),
      ]),
    );
  } else if (status) {
    q = q.where('l.status', '=', status);
  }
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('l.created_at', '<', after.createdAt),
        eb.and([eb('l.created_at', '=', after.createdAt), eb('l.id', '<', after.id)]),
      ]),
    );
  }
  return q.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(limit);
}

export function findSellerListings(...args: Parameters<typeof sellerListingsQuery>) {
  return sellerListingsQuery(...args).execute();
}

// ---- a game's tickets page --------------------------------------------------------------------

/**
 * Seller rating as an integer sort key (average × 1000, floored; -1 when unrated so they sort
 * last). The keyset compares the same expression the ORDER BY uses, with the value the database
 * returned, so pages never skip or repeat a row.
 */
const ratingKey = sql<number>`case when u.rating_count = 0 then -1 else floor(u.rating_sum * 1000 / u.rating_count) end`;

export type GamePageKeyset =
  | { s: 'price' | '-price'; p: number; id: string }
  | { s: 'newest'; c: string; id: string }
  | { s: 'area'; o: number; p: number; id: string }
  | { s: 'seller_rating'; r: number; p: number; id: string };

export interface GamePageFilters {
  areaId?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  quantity?: number | undefined;
}

/** The hot query of a game's tickets page (its SQL is snapshotted in listings-sql.test.ts). */
export function gameListingsPageQuery(
  db: Executor,
  gameId: string,
  sort: GamePageKeyset['s'],
  filters: GamePageFilters,
  limit: number,
  after?: GamePageKeyset,
) {
  let q = db
    .selectFrom('listings as l')
    .innerJoin('seat_areas as a', 'a.id', 'l.area_id')
    .innerJoin('users as u', 'u.id', 'l.seller_id')
    .select([
      'l.id',
      'l.game_id',
      'l.area_id',
      'l.section',
      'l.row_label',
      'l.seats',
      'l.quantity',
      'l.remaining',
      'l.split_rule',
      'l.price',
      'l.face_value',
      'l.delivery_method',
      'l.cover_thumb_key',
      'l.created_at',
      'l.seller_id',
      'a.code as area_code',
      'a.name as area_name',
      'a.name_en as area_name_en',
      'a.tier as area_tier',
      'a.face_value_min as area_min',
      'a.face_value_max as area_max',
      'a.sort_order as area_sort',
      'u.name as seller_name',
      'u.rating_sum as seller_rating_sum',
      'u.rating_count as seller_rating_count',
      ratingKey.as('rating_key'),
    ])
    .where('l.game_id', '=', gameId)
    .where('l.status', '=', 'active');
  if (filters.areaId) q = q.where('l.area_id', '=', filters.areaId);
  if (filters.minPrice !== undefined) q = q.where('l.price', '>=', filters.minPrice);
  if (filters.maxPrice !== undefined) q = q.where('l.price', '<=', filters.maxPrice);
  if (filters.quantity !== undefined) q = q.where(canSellSql(filters.quantity));

  if (after) {
    q = q.where((eb) => {
      switch (after.s) {
        case 'price':
          return eb.or([
            eb('l.price', '>', after.p),
            eb.and([eb('l.price', '=', after.p), eb('l.id', '>', after.id)]),
          ]);
        case '-price':
          return eb.or([
            eb('l.price', '<', after.p),
            eb.and([eb('l.price', '=', after.p), eb('l.id', '<', after.id)]),
          ]);
        case 'newest':
          return eb.or([
            eb('l.created_at', '<', after.c),
            eb.and([eb('l.created_at', '=', after.c), eb('l.id', '<', after.id)]),
          ]);
        case 'area':
          return eb.or([
            eb('a.sort_order', '>', after.o),
            eb.and([eb('a.sort_order', '=', after.o), eb('l.price', '>', after.p)]),
            eb.and([
              eb('a.sort_order', '=', after.o),
              eb('l.price', '=', after.p),
              eb('l.id', '>', after.id),
            ]),
          ]);
        case 'seller_rating':
          return eb.or([
            eb(ratingKey, '<', after.r),
            eb.and([eb(ratingKey, '=', after.r), eb('l.price', '>', after.p)]),
            eb.and([
              eb(ratingKey, '=', after.r),
              eb('l.price', '=', after.p),
              eb('l.id', '>', after.id),
            ]),
          ]);
      }
    });
  }

  switch (sort) {
    case 'price':
      q = q.orderBy('l.price', 'asc').orderBy('l.id', 'asc');
      break;
    case '-price':
      q = q.orderBy('l.price', 'desc').orderBy('l.id', 'desc');
      break;
    case 'newest':
      q = q.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc');
      break;
    case 'area':
      q = q.orderBy('a.sort_order', 'asc').orderBy('l.price', 'asc').orderBy('l.id', 'asc');
      break;
    case 'seller_rating':
      q = q.orderBy(ratingKey, 'desc').orderBy('l.price', 'asc').orderBy('l.id', 'asc');
      break;
  }
  return q.limit(limit);
}

export function findGameListingsPage(...args: Parameters<typeof gameListingsPageQuery>) {
  return gameListingsPageQuery(...args).execute();
}

export type GameListingRow = Awaited<ReturnType<typeof findGameListingsPage>>[number];

/** Prices of a game's active and sold listings, for the going-price summary. */
export function findGamePricePoints(db: Executor, gameId: string) {
  return db
    .selectFrom('listings')
    .select(['area_id', 'price', 'status', 'face_value', 'remaining', 'split_rule'])
    .where('game_id', '=', gameId)
    .where('status', 'in', ['active', 'sold'])
    .execute();
}

// ---- expiry ---------------------------------------------------------------------------------

/** Active listings of games that have started (postponed games keep theirs for the make-up). */
export function findActiveListingsOfStartedGames(db: Executor, nowIso: string, limit: number) {
  return db
    .selectFrom('listings as l')
    .innerJoin('games as g', 'g.id', 'l.game_id')
    .select(['l.id', 'l.game_id'])
    .where('l.status', '=', 'active')
    .where('g.starts_at', '<=', nowIso)
    .where('g.status', '!=', 'postponed')
    .limit(limit)
    .execute();
}
