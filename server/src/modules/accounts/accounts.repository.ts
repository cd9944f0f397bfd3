import { sql } from 'kysely';
import type { Executor } from '../../platform/db/dialect.ts';
import type { UsersTable } from '../../platform/db/schema.ts';
import { newId } from '../../shared/ids.ts';

export type UserRow = UsersTable;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** What a new account must be given; everything else starts at its default. */
export type NewUserFields = Pick<UserRow, 'email' | 'password_hash' | 'name'> & Partial<UserRow>;

/**
 * A new account's row (not inserted): active, a fan, zh-TW, e-mail on, no favourite team, payout
 * account, ratings or sales yet. Registration, test factories and bench fixtures all start here.
 */
export function newUserRow(fields: NewUserFields, now: string): UserRow {
  return {
    id: newId(),
    email_normalized: normalizeEmail(fields.email),
    favorite_team_id: null,
    locale: 'zh-TW',
    email_notifications: 1,
    role: 'user',
    status: 'active',
    payout_bank_code: null,
    payout_account: null,
    rating_sum: 0,
    rating_count: 0,
    completed_sales: 0,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

export function findUserById(db: Executor, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email_normalized', '=', normalizeEmail(email))
    .executeTakeFirst();
}

export async function insertUser(db: Executor, row: UserRow) {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Executor, id: string, patch: Partial<UserRow>) {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

// ---- what other modules do to a user row inside their transactions (accounts owns the rows)

/**
 * Locks the user's row until commit: one flow at a time per user (a buyer's checkout, a seller's
 * new listing, a fan's reservation), so the limits each flow counts stay exact on MySQL.
 * Call it FIRST in the transaction, before any plain read: under REPEATABLE READ the snapshot is
 * fixed at the first non-locking read, and counts read in an older snapshot miss the rows other
 * requests of the same user committed while this one waited for the lock (docs/SECURITY.md).
 */
export type UserLock = (
  db: Executor,
  userId: string,
) => Promise<{ id: string; status: string } | undefined>;

export function lockUser(db: Executor, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'status'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** A completed order counts one more sale on the seller's record. */
export async function addCompletedSale(db: Executor, sellerId: string, nowIso: string) {
  await db
    .updateTable('users')
    .set((eb) => ({ completed_sales: eb('completed_sales', '+', 1), updated_at: nowIso }))
    .where('id', '=', sellerId)
    .execute();
}

/** Exact, in the database: concurrent reviews of one seller never lose an update. */
export async function addSellerRating(
  db: Executor,
  sellerId: string,
  rating: number,
  nowIso: string,
) {
  await db
    .updateTable('users')
    .set({
      rating_sum: sql`rating_sum + ${rating}`,
      rating_count: sql`rating_count + 1`,
      updated_at: nowIso,
    })
    .where('id', '=', sellerId)
    .execute();
}

export async function insertRevokedToken(
  db: Executor,
  jti: string,
  userId: string,
  expiresAt: string,
) {
  await db
    .insertInto('revoked_tokens')
    .values({ jti, user_id: userId, expires_at: expiresAt })
    .execute();
}

export async function isTokenRevoked(db: Executor, jti: string) {
  const row = await db
    .selectFrom('revoked_tokens')
    .select('jti')
    .where('jti', '=', jti)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteExpiredRevocations(db: Executor, nowIso: string) {
  await db.deleteFrom('revoked_tokens').where('expires_at', '<', nowIso).execute();
}

export function findReviewsOfSeller(
  db: Executor,
  sellerId: string,
  limit: number,
  before?: { createdAt: string; id: string },
) {
  let q = db
    .selectFrom('reviews')
    .innerJoin('users as buyer', 'buyer.id', 'reviews.buyer_id')
    .select([
      'reviews.id',
      'reviews.rating',
      'reviews.comment',
      'reviews.created_at',
      'buyer.name as buyer_name',
    ])
    .where('reviews.seller_id', '=', sellerId);
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('reviews.created_at', '<', before.createdAt),
        eb.and([eb('reviews.created_at', '=', before.createdAt), eb('reviews.id', '<', before.id)]),
      ]),
    );
  }
  return q
    .orderBy('reviews.created_at', 'desc')
    .orderBy('reviews.id', 'desc')
    .limit(limit)
    .execute();
}
