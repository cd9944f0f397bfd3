import { sql } from 'kysely';
import type { Executor } from '../../platform/db/dialect.ts';
import type {
  AccountTokenPurpose,
  AccountTokensTable,
  SessionsTable,
  TotpRecoveryCodesTable,
  UserTotpTable,
  UsersTable,
} from '../../platform/db/schema.ts';
import { newId } from '../../shared/ids.ts';

export type UserRow = UsersTable;
export type Exec = Executor;

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
    payout_branch_code: null,
    payout_account: null,
    payout_account_name: null,
    rating_sum: 0,
    rating_count: 0,
    completed_sales: 0,
    email_verified_at: null,
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

// ---- sessions (one row per sign-in; the token's jti is the id)

export type SessionRow = SessionsTable;

export async function insertSession(db: Executor, row: SessionRow) {
  await db.insertInto('sessions').values(row).execute();
}

/** The session and its user in one read: what every signed-in request costs. */
export function findSessionWithUser(db: Executor, sessionId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.user_id',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.mfa',
      'users.role',
      'users.locale',
      'users.status',
      'users.email_verified_at',
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, sessionId: string, nowIso: string) {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: nowIso })
    .where('id', '=', sessionId)
    .execute();
}

export function listSessions(db: Executor, userId: string, nowIso: string) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires_at', '>', nowIso)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Deletes one of the user's sessions; the number deleted (0 when it is not theirs). */
export async function deleteSession(db: Executor, userId: string, sessionId: string) {
  const res = await db
    .deleteFrom('sessions')
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes every session of the user but `keep` (all of them when `keep` is null). */
export async function deleteSessionsOfUser(db: Executor, userId: string, keep: string | null) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id', '!=', keep);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function markSessionMfa(db: Executor, sessionId: string) {
  await db.updateTable('sessions').set({ mfa: 1 }).where('id', '=', sessionId).execute();
}

export async function deleteExpiredSessions(db: Executor, nowIso: string) {
  const res = await db.deleteFrom('sessions').where('expires_at', '<', nowIso).executeTakeFirst();
  return Number(res.numDeletedRows);
}

// ---- single-use account links (only the sha256 of a token is stored)

export type AccountTokenRow = AccountTokensTable;

export async function insertAccountToken(db: Executor, row: AccountTokenRow) {
  await db.insertInto('account_tokens').values(row).execute();
}

export function findAccountTokenForUpdate(db: Executor, tokenHash: string) {
  return db
    .selectFrom('account_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

/** Marks the token used unless it already was: 1 when this call used it. */
export async function useAccountToken(db: Executor, id: string, nowIso: string) {
  const res = await db
    .updateTable('account_tokens')
    .set({ used_at: nowIso })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** A new link of one purpose makes the user's older unused ones of that purpose void. */
export async function voidAccountTokens(
  db: Executor,
  userId: string,
  purpose: AccountTokenPurpose,
  nowIso: string,
) {
  await db
    .updateTable('account_tokens')
    .set({ used_at: nowIso })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

export async function countAccountTokensSince(
  db: Executor,
  userId: string,
  purpose: AccountTokenPurpose,
  sinceIso: string,
) {
  const row = await db
    .selectFrom('account_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', sinceIso)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function deleteStaleAccountTokens(db: Executor, beforeIso: string) {
  await db.deleteFrom('account_tokens').where('expires_at', '<', beforeIso).execute();
}

// ---- TOTP

export function findTotp(db: Executor, userId: string) {
  return db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export function findTotpForUpdate(db: Executor, userId: string) {
  return db
    .selectFrom('user_totp')
    .selectAll()
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

export async function deleteTotp(db: Executor, userId: string) {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('user_totp').where('user_id', '=', userId).execute();
}

export async function insertTotp(db: Executor, row: UserTotpTable) {
  await db.insertInto('user_totp').values(row).execute();
}

export async function updateTotp(db: Executor, userId: string, patch: Partial<UserTotpTable>) {
  await db.updateTable('user_totp').set(patch).where('user_id', '=', userId).execute();
}

export async function replaceRecoveryCodes(
  db: Executor,
  userId: string,
  rows: TotpRecoveryCodesTable[],
) {
  await db.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length) await db.insertInto('totp_recovery_codes').values(rows).execute();
}

export function findUnusedRecoveryCodes(db: Executor, userId: string) {
  return db
    .selectFrom('totp_recovery_codes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .forUpdate()
    .execute();
}

export async function useRecoveryCode(db: Executor, id: string, nowIso: string) {
  const res = await db
    .updateTable('totp_recovery_codes')
    .set({ used_at: nowIso })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
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
