import type {
  Me,
  PublicUser,
  RegisterBody,
  UpdateMeBody,
} from '../../../../shared/contracts/accounts.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db } from '../../platform/db/dialect.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Clock } from '../../shared/clock.ts';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import * as repo from './accounts.repository.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import type { TokenService } from './tokens.ts';

const ReviewCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(40) });

export interface AccountsDeps {
  db: Db;
  clock: Clock;
  tokens: TokenService;
  cached: Pick<CachedReader, 'invalidate'>;
}

/**
 * The cache namespace of what is derived from one user's own activity (favourite team, purchases,
 * reservations), such as the recommendations' history: whoever changes one of these invalidates
 * it after commit (`forgetUserActivity`).
 */
export const userActivityNamespace = (userId: string) => `user-activity:${userId}`;

export function forgetUserActivity(
  cached: Pick<CachedReader, 'invalidate'>,
  ...userIds: string[]
): Promise<void> {
  return cached.invalidate(...[...new Set(userIds)].map(userActivityNamespace));
}

export interface AuthUser {
  id: string;
  role: 'user' | 'admin';
  locale: string;
  tokenId: string;
  tokenExpiresAt: Date;
}

export const ratingAverage = (sum: number, count: number) =>
  count ? Math.round((sum / count) * 10) / 10 : null;

export function maskAccount(account: string) {
  return `${'*'.repeat(Math.max(0, account.length - 4))}${account.slice(-4)}`;
}

export function toMe(u: repo.UserRow): Me {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    favoriteTeamId: u.favorite_team_id,
    locale: u.locale === 'en' ? 'en' : 'zh-TW',
    emailNotifications: u.email_notifications === 1,
    role: u.role,
    ratingAverage: ratingAverage(u.rating_sum, u.rating_count),
    ratingCount: u.rating_count,
    payoutAccount:
      u.payout_account && u.payout_bank_code
        ? { bankCode: u.payout_bank_code, accountMasked: maskAccount(u.payout_account) }
        : null,
  };
}

export function createAccountsService(deps: AccountsDeps) {
  const { db, clock, tokens, cached } = deps;

  async function assertTeam(teamId: string | null | undefined) {
    if (!teamId) return;
    const team = await db
      .selectFrom('teams')
      .select('id')
      .where('id', '=', teamId)
      .executeTakeFirst();
    if (!team)
      throw new AppError('VALIDATION_FAILED', 'Unknown team', [
        { path: 'body.favoriteTeamId', message: 'unknown team' },
      ]);
  }

  async function issue(user: repo.UserRow) {
    const { token, claims } = await tokens.issue(user.id, clock.now());
    return { user: toMe(user), token, expiresAt: claims.expiresAt };
  }

  return {
    async register(input: RegisterBody, role: 'user' | 'admin' = 'user') {
      await assertTeam(input.favoriteTeamId);
      const now = clock.now().toISOString();
      const row = repo.newUserRow(
        {
          email: input.email.trim(),
          password_hash: await hashPassword(input.password),
          name: input.name,
          favorite_team_id: input.favoriteTeamId ?? null,
          locale: input.locale ?? 'zh-TW',
          role,
        },
        now,
      );
      try {
        await repo.insertUser(db, row);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('EMAIL_TAKEN', 'This e-mail address is already registered');
        throw err;
      }
      return issue(row);
    },

    async login(email: string, password: string) {
      const user = await repo.findUserByEmail(db, email);
      const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      if (!user || !ok) throw new AppError('INVALID_CREDENTIALS', 'Wrong e-mail or password');
      if (user.status !== 'active') throw new AppError('FORBIDDEN', 'This account is suspended');
      return issue(user);
    },

    async logout(user: AuthUser) {
      await repo.insertRevokedToken(db, user.tokenId, user.id, user.tokenExpiresAt.toISOString());
    },

    /** The signed-in user behind a token, or null when it is invalid, revoked or suspended. */
    async authenticate(token: string): Promise<AuthUser | null> {
      const claims = await tokens.verify(token, clock.now());
      if (!claims) return null;
      const [revoked, user] = await Promise.all([
        repo.isTokenRevoked(db, claims.jti),
        repo.findUserById(db, claims.userId),
      ]);
      if (revoked || !user || user.status !== 'active') return null;
      return {
        id: user.id,
        role: user.role,
        locale: user.locale,
        tokenId: claims.jti,
        tokenExpiresAt: claims.expiresAt,
      };
    },

    async getMe(userId: string) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw notFound('User');
      return toMe(user);
    },

    async updateMe(userId: string, patch: UpdateMeBody) {
      await assertTeam(patch.favoriteTeamId);
      const set: Partial<repo.UserRow> = { updated_at: clock.now().toISOString() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.favoriteTeamId !== undefined) set.favorite_team_id = patch.favoriteTeamId;
      if (patch.locale !== undefined) set.locale = patch.locale;
      if (patch.emailNotifications !== undefined)
        set.email_notifications = patch.emailNotifications ? 1 : 0;
      if (patch.payoutAccount !== undefined) {
        set.payout_bank_code = patch.payoutAccount?.bankCode ?? null;
        set.payout_account = patch.payoutAccount?.accountNumber ?? null;
        set.payout_branch_code = patch.payoutAccount?.branchCode ?? null;
        set.payout_account_name = patch.payoutAccount?.accountName ?? null;
      }
      await repo.updateUser(db, userId, set);
      if (patch.favoriteTeamId !== undefined) await forgetUserActivity(cached, userId);
      return this.getMe(userId);
    },

    async getPublicProfile(userId: string, cursor?: string, limit = 10): Promise<PublicUser> {
      const user = await repo.findUserById(db, userId);
      if (!user) throw notFound('User');
      const before = cursor ? decodeCursor(cursor, ReviewCursor) : undefined;
      const rows = await repo.findReviewsOfSeller(db, userId, limit + 1, before);
      const pageRows = rows.slice(0, limit);
      const last = pageRows[pageRows.length - 1];
      return {
        id: user.id,
        name: user.name,
        ratingAverage: ratingAverage(user.rating_sum, user.rating_count),
        ratingCount: user.rating_count,
        completedSales: user.completed_sales,
        memberSince: user.created_at,
        reviews: pageRows.map((r) => ({
          rating: r.rating,
          comment: r.comment,
          createdAt: r.created_at,
          buyerName: r.buyer_name,
        })),
        reviewsNextCursor:
          rows.length > limit && last
            ? encodeCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },

    async setSuspended(userId: string, suspended: boolean) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw notFound('User');
      await repo.updateUser(db, userId, {
        status: suspended ? 'suspended' : 'active',
        updated_at: clock.now().toISOString(),
      });
    },

    async createAdmin(email: string, password: string, name = 'Admin') {
      const existing = await repo.findUserByEmail(db, email);
      if (existing) {
        await repo.updateUser(db, existing.id, {
          role: 'admin',
          password_hash: await hashPassword(password),
          updated_at: clock.now().toISOString(),
        });
        return existing.id;
      }
      const { user } = await this.register({ email, password, name }, 'admin');
      return user.id;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
