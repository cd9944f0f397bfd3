// What accounts holds about a user, for their data export, and erasing it when they leave: the
// users row is kept (orders and reviews point at it) but anonymised; sessions, links and TOTP go.
import type { Executor } from '../../platform/db/dialect.ts';
import * as repo from './accounts.repository.ts';

export const DELETED_USER_NAME = '已刪除的使用者';

export async function exportAccountOfUser(db: Executor, userId: string) {
  const user = await repo.findUserById(db, userId);
  if (!user) return null;
  const sessions = await db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip'])
    .where('user_id', '=', userId)
    .execute();
  const totp = await repo.findTotp(db, userId);
  return {
    profile: {
      id: user.id,
      email: user.email,
      emailVerifiedAt: user.email_verified_at,
      name: user.name,
      favoriteTeamId: user.favorite_team_id,
      locale: user.locale,
      emailNotifications: user.email_notifications === 1,
      role: user.role,
      status: user.status,
      payoutAccount: user.payout_account
        ? { bankCode: user.payout_bank_code, accountNumber: user.payout_account }
        : null,
      ratingSum: user.rating_sum,
      ratingCount: user.rating_count,
      completedSales: user.completed_sales,
      twoFactorEnabled: Boolean(totp?.enabled_at),
      createdAt: user.created_at,
      updatedAt: user.updated_at,
    },
    sessions,
  };
}

/** Erases the user's personal data in `db` (a transaction): the row stays, anonymised. */
export async function anonymiseUser(db: Executor, userId: string, nowIso: string) {
  const email = `deleted-${userId.toLowerCase()}@deleted.invalid`;
  await repo.updateUser(db, userId, {
    email,
    email_normalized: email,
    email_verified_at: null,
    password_hash: '!',
    name: DELETED_USER_NAME,
    favorite_team_id: null,
    email_notifications: 0,
    payout_bank_code: null,
    payout_account: null,
    status: 'deleted',
    updated_at: nowIso,
  });
  await repo.deleteSessionsOfUser(db, userId, null);
  await repo.deleteTotp(db, userId);
  await db.deleteFrom('account_tokens').where('user_id', '=', userId).execute();
}
