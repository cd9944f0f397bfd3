// Team alerts' queries (issue 21 item 12). The fan-out's one statement per listing reads
// team_reservations_team_idx for the listing's two teams and probes the matches' primary key.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/dialect.ts';
import type { TeamReservationsTable } from '../../platform/db/schema.ts';

export async function countActiveTeamReservations(db: Executor, userId: string) {
  const row = await db
    .selectFrom('team_reservations')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export function findTeamReservationByCriteria(db: Executor, userId: string, criteriaKey: string) {
  return db
    .selectFrom('team_reservations')
    .select(['id', 'status'])
    .where('user_id', '=', userId)
    .where('criteria_key', '=', criteriaKey)
    .executeTakeFirst();
}

export async function insertTeamReservation(db: Executor, row: TeamReservationsTable) {
  await db.insertInto('team_reservations').values(row).execute();
}

/** A user's active team alerts, newest first, with their teams. */
export function findTeamReservationsOfUser(db: Executor, userId: string, id?: string) {
  let q = db
    .selectFrom('team_reservations as r')
    .innerJoin('teams as t', 't.id', 'r.team_id')
    .select([
      'r.id',
      'r.home_only',
      'r.max_price',
      'r.quantity',
      'r.created_at',
      't.id as team_id',
      't.code as team_code',
      't.name as team_name',
      't.name_en as team_name_en',
      't.short_name as team_short_name',
      't.color as team_color',
    ])
    .where('r.user_id', '=', userId)
    .where('r.status', '=', 'active');
  if (id) q = q.where('r.id', '=', id);
  return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').execute();
}

export type TeamReservationListRow = Awaited<ReturnType<typeof findTeamReservationsOfUser>>[number];

/** Deletes the user's team alert with its matches; 0 when it is not theirs (or missing). */
export async function deleteTeamReservation(db: Executor, userId: string, id: string) {
  const owner = await db
    .selectFrom('team_reservations')
    .select('user_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!owner || owner.user_id !== userId) return 0;
  await db.deleteFrom('team_reservation_matches').where('team_reservation_id', '=', id).execute();
  const result = await db
    .deleteFrom('team_reservations')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface TeamMatchTarget {
  id: string;
  seller_id: string;
  quantity: number;
  price: number;
  home_team_id: string;
  away_team_id: string;
}

/**
 * Active team alerts the listing satisfies and that were not matched with it before: a team of
 * its game (the home team only, for home-only alerts), enough tickets, price within the cap, not
 * the seller's own.
 */
export function findMatchingTeamReservations(db: Executor, listing: TeamMatchTarget) {
  return db
    .selectFrom('team_reservations as r')
    .select(['r.id', 'r.user_id'])
    .where('r.team_id', 'in', [listing.home_team_id, listing.away_team_id])
    .where('r.status', '=', 'active')
    .where('r.quantity', '<=', listing.quantity)
    .where('r.user_id', '<>', listing.seller_id)
    .where((eb) => eb.or([eb('r.home_only', '=', 0), eb('r.team_id', '=', listing.home_team_id)]))
    .where((eb) => eb.or([eb('r.max_price', 'is', null), eb('r.max_price', '>=', listing.price)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('team_reservation_matches as m')
            .select(sql.lit(1).as('one'))
            .whereRef('m.team_reservation_id', '=', 'r.id')
            .where('m.listing_id', '=', listing.id),
        ),
      ),
    )
    .execute();
}

export async function findMatchedTeamReservationIds(
  db: Executor,
  listingId: string,
  ids: readonly string[],
) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('team_reservation_matches')
    .select('team_reservation_id')
    .where('team_reservation_id', 'in', [...ids])
    .where('listing_id', '=', listingId)
    .execute();
  return new Set(rows.map((r) => r.team_reservation_id));
}

export async function insertTeamMatches(
  db: Executor,
  listingId: string,
  ids: readonly string[],
  nowIso: string,
) {
  if (ids.length === 0) return;
  await db
    .insertInto('team_reservation_matches')
    .values(
      ids.map((team_reservation_id) => ({
        team_reservation_id,
        listing_id: listingId,
        created_at: nowIso,
      })),
    )
    .execute();
}

/** A closed account's team alerts end. */
export async function endTeamReservationsOfUser(db: Executor, userId: string) {
  await db
    .updateTable('team_reservations')
    .set({ status: 'ended' })
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .execute();
}

export function exportTeamReservationsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('team_reservations')
    .select(['id', 'team_id', 'home_only', 'max_price', 'quantity', 'status', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}
