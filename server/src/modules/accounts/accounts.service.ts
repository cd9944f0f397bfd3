import type {
  Me,
  PublicUser,
  RegisterBody,
  UpdateMeBody,
} from '../../../../shared/contracts/accounts.ts';
import { randomBytes } from 'node:crypto';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db } from '../../platform/db/dialect.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { AccountTokenPurpose } from '../../platform/db/schema.ts';
import { defineSchedule } from '../../platform/jobs/jobs.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { HOUR, type Clock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import * as repo from './accounts.repository.ts';
import { anonymiseUser } from './accounts.privacy.ts';
import { renderAccountMail, type AccountMailInput } from './accounts.mail.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';
import type { SessionMeta, SessionTokens } from './sessions.ts';
import {
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  qrSvg,
  sha256,
} from './totp.ts';

const ReviewCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(40) });

export interface AccountsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  tokens: SessionTokens;
  cached: Pick<CachedReader, 'invalidate' | 'readShared'>;
  mailer: Mailer;
  /** PUBLIC_URL without a trailing slash: the links in account e-mails. */
  publicUrl: string;
  log: { warn(obj: object, msg?: string): void };
}

/** How long each single-use link works. */
export const LINK_TTL_MS: Record<AccountTokenPurpose, number> = {
  verify_email: 24 * HOUR,
  reset_password: HOUR,
  change_email: 24 * HOUR,
};
/** Reset links one address may be sent per hour (more requests still answer 202, silently). */
export const RESETS_PER_ADDRESS_PER_HOUR = 3;
/** A session's last_seen_at is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 5 * 60_000;
/**
 * A verified session (its row joined with its user) is kept in each process this long at most.
 * Every change to a user's row or sessions through this service forgets that user's sessions
 * after commit, on every instance (a namespace generation; docs/SECURITY.md). The time-out only
 * bounds a change made by another process that shares no cache with the server (the admin CLI on
 * the embedded defaults).
 */
const SESSION_CACHE_SECONDS = 60;
/** The cache namespace of one user's verified sessions. */
const sessionsNamespace = (userId: string) => `sessions:${userId}`;

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
  /** The session (= the token's jti). */
  tokenId: string;
  tokenExpiresAt: Date;
  /** This sign-in passed a TOTP code (admins need it for /api/admin). */
  mfa: boolean;
  emailVerified: boolean;
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
    emailVerified: u.email_verified_at !== null,
    ratingAverage: ratingAverage(u.rating_sum, u.rating_count),
    ratingCount: u.rating_count,
    payoutAccount:
      u.payout_account && u.payout_bank_code
        ? { bankCode: u.payout_bank_code, accountMasked: maskAccount(u.payout_account) }
        : null,
  };
}

export function createAccountsService(deps: AccountsDeps) {
  const { db, uow, clock, tokens, cached, mailer, publicUrl, log } = deps;

  /** Account mail is best effort (the user can ask again); a failure is logged, never thrown. */
  function deliver(input: AccountMailInput): Promise<void> {
    return mailer.send(renderAccountMail(input)).catch((err: unknown) => {
      log.warn({ err, kind: input.kind }, 'an account e-mail could not be sent');
    });
  }

  /** A fresh single-use token (256 bits); only its sha256 is stored. */
  function newLinkToken() {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: sha256(token) };
  }

  const link = (page: string, token: string) => `${publicUrl}${page}#token=${token}`;

  /** Inserts a link of `purpose` (voiding the user's older ones of it); returns the raw token. */
  async function createLink(
    exec: repo.Exec,
    userId: string,
    purpose: AccountTokenPurpose,
    now: Date,
    newEmail: string | null = null,
  ) {
    const { token, hash } = newLinkToken();
    await repo.voidAccountTokens(exec, userId, purpose, now.toISOString());
    await repo.insertAccountToken(exec, {
      id: newId(),
      user_id: userId,
      purpose,
      token_hash: hash,
      new_email: newEmail,
      expires_at: new Date(now.getTime() + LINK_TTL_MS[purpose]).toISOString(),
      used_at: null,
      created_at: now.toISOString(),
    });
    return token;
  }

  /** Uses a link token of `purpose` under a row lock: its row, or 400 INVALID_TOKEN. */
  async function consumeLink(
    exec: repo.Exec,
    token: string,
    purpose: AccountTokenPurpose,
    now: Date,
  ) {
    const row = await repo.findAccountTokenForUpdate(exec, sha256(token));
    const ok =
      row &&
      row.purpose === purpose &&
      row.used_at === null &&
      row.expires_at > now.toISOString() &&
      (await repo.useAccountToken(exec, row.id, now.toISOString())) === 1;
    if (!ok || !row) throw new AppError('INVALID_TOKEN', 'This link has expired or was used');
    return row;
  }

  async function sendVerification(user: repo.UserRow, now: Date) {
    const token = await createLink(db, user.id, 'verify_email', now);
    await deliver({
      kind: 'verify_email',
      to: user.email,
      locale: user.locale,
      name: user.name,
      url: link('/verify-email', token),
    });
  }

  async function checkPassword(userId: string, password: string) {
    const user = await repo.findUserById(db, userId);
    if (!user || !(await verifyPassword(user.password_hash, password)))
      throw new AppError('INVALID_CREDENTIALS', 'Wrong password');
    return user;
  }

  /** Checks a TOTP code (single use within its window) or a recovery code, under a lock. */
  async function useSecondFactor(userId: string, code: string): Promise<boolean> {
    return uow.run(null, async ({ trx, now }) => {
      const row = await repo.findTotpForUpdate(trx, userId);
      if (!row?.enabled_at) return false;
      const step = matchTotp(row.secret, code.trim(), now);
      if (step !== null) {
        if (row.last_step !== null && step <= row.last_step) return false;
        await repo.updateTotp(trx, userId, { last_step: step });
        return true;
      }
      const hash = sha256(normalizeRecoveryCode(code));
      const recovery = (await repo.findUnusedRecoveryCodes(trx, userId)).find(
        (r) => r.code_hash === hash,
      );
      if (!recovery) return false;
      return (await repo.useRecoveryCode(trx, recovery.id, now.toISOString())) === 1;
    });
  }

  async function issueRecoveryCodes(exec: repo.Exec, userId: string) {
    const codes = newRecoveryCodes();
    await repo.replaceRecoveryCodes(
      exec,
      userId,
      codes.map((c) => ({ id: newId(), user_id: userId, code_hash: sha256(c), used_at: null })),
    );
    return codes;
  }

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

  /** After a change to the user's row or sessions has committed: their sessions are read again. */
  const forgetSessions = (userId: string) => cached.invalidate(sessionsNamespace(userId));
  /** The same, registered on a transaction: after it commits. */
  const forgetSessionsAfterCommit = (ctx: TxContext, userId: string) =>
    ctx.afterCommit(sessionsNamespace(userId), () => forgetSessions(userId));

  async function issue(user: repo.UserRow, meta: SessionMeta = {}) {
    const { token, claims } = await tokens.issue(user.id, clock.now(), meta);
    return { user: toMe(user), token, expiresAt: claims.expiresAt };
  }

  return {
    /** The schedules this module runs (deps.ts registers them). */
    jobs: [
      defineSchedule('accounts.sessions-cleanup', HOUR, async () => {
        const now = clock.now().toISOString();
        await repo.deleteExpiredSessions(db, now);
        await repo.deleteStaleAccountTokens(
          db,
          new Date(Date.parse(now) - 7 * 24 * HOUR).toISOString(),
        );
      }),
    ],

    async register(input: RegisterBody, role: 'user' | 'admin' = 'user', meta: SessionMeta = {}) {
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
          // Accounts an operator creates (npm run admin) need no link.
          email_verified_at: role === 'admin' ? now : null,
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
      if (!row.email_verified_at) await sendVerification(row, clock.now());
      return issue(row, meta);
    },

    /** Password checked; an account with TOTP answers 401 TOTP_REQUIRED with a challenge. */
    async login(email: string, password: string, meta: SessionMeta = {}) {
      const user = await repo.findUserByEmail(db, email);
      const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      if (!user || !ok) throw new AppError('INVALID_CREDENTIALS', 'Wrong e-mail or password');
      if (user.status !== 'active') throw new AppError('FORBIDDEN', 'This account is suspended');
      const totp = await repo.findTotp(db, user.id);
      if (totp?.enabled_at) {
        const challenge = await tokens.issueChallenge(user.id, clock.now());
        throw new AppError(
          'TOTP_REQUIRED',
          'Enter the code from your authenticator app',
          { challenge },
          401,
        );
      }
      return issue(user, meta);
    },

    /** The second step of a TOTP sign-in: the challenge from login and a code (or recovery code). */
    async loginTotp(challenge: string, code: string, meta: SessionMeta = {}) {
      const userId = await tokens.verifyChallenge(challenge, clock.now());
      if (!userId) throw new AppError('INVALID_TOKEN', 'The sign-in expired; sign in again');
      const user = await repo.findUserById(db, userId);
      if (!user || user.status !== 'active') throw new AppError('INVALID_TOKEN', 'Sign in again');
      if (!(await useSecondFactor(userId, code)))
        throw new AppError('INVALID_TOTP_CODE', 'Wrong or already used code');
      return issue(user, { ...meta, mfa: true });
    },

    async logout(user: AuthUser) {
      await repo.deleteSession(db, user.id, user.tokenId);
      await forgetSessions(user.id);
    },

    /** The signed-in user behind a token, or null when it is invalid, revoked or suspended. */
    async authenticate(token: string): Promise<AuthUser | null> {
      const now = clock.now();
      const claims = await tokens.verify(token, now);
      if (!claims) return null;
      // Most signed-in requests find the session in memory (no round trip to the database).
      const row = await cached.readShared(
        sessionsNamespace(claims.userId),
        claims.jti,
        SESSION_CACHE_SECONDS,
        async () => (await repo.findSessionWithUser(db, claims.jti)) ?? null,
      );
      if (!row || row.user_id !== claims.userId || row.status !== 'active') return null;
      if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
        await repo.touchSession(db, row.session_id, now.toISOString());
        await forgetSessions(row.user_id);
      }
      return {
        id: row.user_id,
        role: row.role,
        locale: row.locale,
        tokenId: claims.jti,
        tokenExpiresAt: claims.expiresAt,
        mfa: row.mfa === 1,
        emailVerified: row.email_verified_at !== null,
      };
    },

    // ---- sessions

    async listSessions(user: AuthUser) {
      const rows = await repo.listSessions(db, user.id, clock.now().toISOString());
      return rows.map((r) => ({
        id: r.id,
        createdAt: r.created_at,
        lastSeenAt: r.last_seen_at,
        userAgent: r.user_agent,
        ip: r.ip,
        current: r.id === user.tokenId,
      }));
    },

    async revokeSession(user: AuthUser, sessionId: string) {
      const deleted = await repo.deleteSession(db, user.id, sessionId);
      await forgetSessions(user.id);
      if (deleted === 0) throw notFound('Session');
    },

    async revokeOtherSessions(user: AuthUser) {
      const revoked = await repo.deleteSessionsOfUser(db, user.id, user.tokenId);
      await forgetSessions(user.id);
      return { revoked };
    },

    // ---- e-mail verification

    async verifyEmail(token: string) {
      const userId = await uow.run(null, async (ctx) => {
        const { trx, now } = ctx;
        const row = await consumeLink(trx, token, 'verify_email', now);
        forgetSessionsAfterCommit(ctx, row.user_id);
        await repo.updateUser(trx, row.user_id, {
          email_verified_at: now.toISOString(),
          updated_at: now.toISOString(),
        });
        return row.user_id;
      });
      return this.getMe(userId);
    },

    async resendVerification(userId: string) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw notFound('User');
      if (user.email_verified_at) return;
      await sendVerification(user, clock.now());
    },

    // ---- password reset (never says whether the address is registered)

    async requestPasswordReset(email: string) {
      const now = clock.now();
      const user = await repo.findUserByEmail(db, email);
      if (!user || user.status !== 'active') return;
      const recent = await repo.countAccountTokensSince(
        db,
        user.id,
        'reset_password',
        new Date(now.getTime() - HOUR).toISOString(),
      );
      if (recent >= RESETS_PER_ADDRESS_PER_HOUR) return;
      const token = await createLink(db, user.id, 'reset_password', now);
      // Not awaited: a slow mail server must not make a registered address answer later.
      void deliver({
        kind: 'reset_password',
        to: user.email,
        locale: user.locale,
        name: user.name,
        url: link('/reset-password', token),
      });
    },

    async confirmPasswordReset(token: string, password: string) {
      const passwordHash = await hashPassword(password);
      const user = await uow.run(null, async (ctx) => {
        const { trx, now } = ctx;
        const row = await consumeLink(trx, token, 'reset_password', now);
        const u = await repo.findUserById(trx, row.user_id);
        if (!u) throw new AppError('INVALID_TOKEN', 'This link has expired or was used');
        forgetSessionsAfterCommit(ctx, u.id);
        await repo.updateUser(trx, u.id, {
          password_hash: passwordHash,
          // The link reached the mailbox: the address is the user's.
          email_verified_at: u.email_verified_at ?? now.toISOString(),
          updated_at: now.toISOString(),
        });
        await repo.deleteSessionsOfUser(trx, u.id, null);
        return u;
      });
      await deliver({
        kind: 'password_changed',
        to: user.email,
        locale: user.locale,
        name: user.name,
        url: `${publicUrl}/login`,
      });
    },

    // ---- changing the password and the e-mail address

    async changePassword(user: AuthUser, currentPassword: string, newPassword: string) {
      const row = await checkPassword(user.id, currentPassword);
      await uow.run(null, async (ctx) => {
        const { trx, now } = ctx;
        forgetSessionsAfterCommit(ctx, user.id);
        await repo.updateUser(trx, user.id, {
          password_hash: await hashPassword(newPassword),
          updated_at: now.toISOString(),
        });
        await repo.deleteSessionsOfUser(trx, user.id, user.tokenId);
      });
      await deliver({
        kind: 'password_changed',
        to: row.email,
        locale: row.locale,
        name: row.name,
        url: `${publicUrl}/login`,
      });
    },

    async requestEmailChange(user: AuthUser, newEmail: string, currentPassword: string) {
      const row = await checkPassword(user.id, currentPassword);
      const taken = await repo.findUserByEmail(db, newEmail);
      if (taken) throw new AppError('EMAIL_TAKEN', 'This e-mail address is already registered');
      const token = await createLink(db, user.id, 'change_email', clock.now(), newEmail.trim());
      await deliver({
        kind: 'confirm_new_email',
        to: newEmail.trim(),
        locale: row.locale,
        name: row.name,
        url: link('/confirm-email', token),
      });
    },

    async confirmEmailChange(token: string) {
      const { before, userId } = await uow.run(null, async (ctx) => {
        const { trx, now } = ctx;
        const link = await consumeLink(trx, token, 'change_email', now);
        const u = await repo.findUserById(trx, link.user_id);
        if (!u || !link.new_email) throw new AppError('INVALID_TOKEN', 'This link is void');
        forgetSessionsAfterCommit(ctx, u.id);
        try {
          await repo.updateUser(trx, u.id, {
            email: link.new_email,
            email_normalized: repo.normalizeEmail(link.new_email),
            email_verified_at: now.toISOString(),
            updated_at: now.toISOString(),
          });
        } catch (err) {
          if (isUniqueViolation(err))
            throw new AppError('EMAIL_TAKEN', 'This e-mail address is already registered');
          throw err;
        }
        return { before: u, userId: u.id };
      });
      await deliver({
        kind: 'email_changed',
        to: before.email,
        locale: before.locale,
        name: before.name,
      });
      return this.getMe(userId);
    },

    // ---- leaving (the privacy module orchestrates; these are accounts' parts)

    /** 401 INVALID_CREDENTIALS unless `password` is the user's; who to tell afterwards. */
    async confirmPassword(userId: string, password: string) {
      const row = await checkPassword(userId, password);
      return { email: row.email, locale: row.locale, name: row.name };
    },

    async tellAccountClosed(who: { email: string; locale: string; name: string }) {
      await deliver({ kind: 'account_deleted', to: who.email, locale: who.locale, name: who.name });
    },

    // ---- two-factor sign-in (TOTP)

    async totpStatus(userId: string) {
      const row = await repo.findTotp(db, userId);
      const remaining = row?.enabled_at
        ? (await repo.findUnusedRecoveryCodes(db, userId)).length
        : 0;
      return { enabled: Boolean(row?.enabled_at), recoveryCodesRemaining: remaining };
    },

    /** A new secret waiting for its first code (replaces a pending one); 409 when enabled. */
    async setupTotp(userId: string) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw notFound('User');
      const secret = newTotpSecret();
      await uow.run(null, async ({ trx, now }) => {
        const existing = await repo.findTotpForUpdate(trx, userId);
        if (existing?.enabled_at)
          throw new AppError('INVALID_STATE', 'Two-factor sign-in is already on');
        if (existing) await repo.deleteTotp(trx, userId);
        await repo.insertTotp(trx, {
          user_id: userId,
          secret,
          enabled_at: null,
          last_step: null,
          created_at: now.toISOString(),
        });
      });
      const uri = otpauthUri(secret, user.email);
      return { secret, otpauthUri: uri, qrSvg: qrSvg(uri) };
    },

    /** The first code turns TOTP on, marks this session as passed, and returns recovery codes. */
    async confirmTotp(user: AuthUser, code: string) {
      return uow.run(null, async (ctx) => {
        const { trx, now } = ctx;
        const row = await repo.findTotpForUpdate(trx, user.id);
        if (!row) throw new AppError('INVALID_STATE', 'Start the set-up first');
        if (row.enabled_at) throw new AppError('INVALID_STATE', 'Two-factor sign-in is already on');
        const step = matchTotp(row.secret, code.trim(), now);
        if (step === null) throw new AppError('INVALID_TOTP_CODE', 'Wrong code');
        await repo.updateTotp(trx, user.id, { enabled_at: now.toISOString(), last_step: step });
        await repo.markSessionMfa(trx, user.tokenId);
        forgetSessionsAfterCommit(ctx, user.id);
        return { recoveryCodes: await issueRecoveryCodes(trx, user.id) };
      });
    },

    async disableTotp(user: AuthUser, password: string, code: string) {
      await checkPassword(user.id, password);
      if (!(await useSecondFactor(user.id, code)))
        throw new AppError('INVALID_TOTP_CODE', 'Wrong or already used code');
      await repo.deleteTotp(db, user.id);
    },

    /** New recovery codes (the old ones stop working), for a current code. */
    async regenerateRecoveryCodes(user: AuthUser, code: string) {
      if (!(await useSecondFactor(user.id, code)))
        throw new AppError('INVALID_TOTP_CODE', 'Wrong or already used code');
      return { recoveryCodes: await issueRecoveryCodes(db, user.id) };
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
      await forgetSessions(userId);
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

    /** Closes the account in the caller's transaction: personal data erased, signed out everywhere. */
    async anonymise(ctx: TxContext, userId: string) {
      forgetSessionsAfterCommit(ctx, userId);
      await anonymiseUser(ctx.trx, userId, ctx.now.toISOString());
    },

    async setSuspended(userId: string, suspended: boolean) {
      const user = await repo.findUserById(db, userId);
      if (!user) throw notFound('User');
      await repo.updateUser(db, userId, {
        status: suspended ? 'suspended' : 'active',
        updated_at: clock.now().toISOString(),
      });
      await forgetSessions(userId);
    },

    async createAdmin(email: string, password: string, name = 'Admin') {
      const existing = await repo.findUserByEmail(db, email);
      if (existing) {
        await repo.updateUser(db, existing.id, {
          role: 'admin',
          password_hash: await hashPassword(password),
          email_verified_at: existing.email_verified_at ?? clock.now().toISOString(),
          updated_at: clock.now().toISOString(),
        });
        await forgetSessions(existing.id);
        return existing.id;
      }
      const { user } = await this.register({ email, password, name }, 'admin');
      return user.id;
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
