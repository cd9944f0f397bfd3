// Sessions: every token issued is a sessions row (id = the token's jti), so a revoked or deleted
// session stops its token on every instance at its next request (the row joined with its user is
// kept in memory, and every change through the accounts service forgets it: accounts.service.ts).
// Expired rows are deleted by the `accounts.sessions-cleanup` schedule.
import type { Executor } from '../../platform/db/dialect.ts';
import * as repo from './accounts.repository.ts';
import type { TokenService } from './tokens.ts';

export interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
  /** The sign-in passed a TOTP code. */
  mfa?: boolean;
}

/** An address rounded to its network (IPv4 /24, IPv6 /48): where from, not who. */
export function approximateIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0`;
  if (ip.includes(':')) {
    const groups = ip.split('::')[0]!.split(':').filter(Boolean).slice(0, 3);
    return `${groups.join(':')}::`;
  }
  return null;
}

/** Session tokens: the JWT signer plus the row that makes each token revocable. */
export function createSessionTokens(db: Executor, jwt: TokenService) {
  return {
    async issue(userId: string, now: Date, meta: SessionMeta = {}) {
      const issued = await jwt.issue(userId, now);
      const nowIso = now.toISOString();
      await repo.insertSession(db, {
        id: issued.claims.jti,
        user_id: userId,
        created_at: nowIso,
        last_seen_at: nowIso,
        expires_at: issued.claims.expiresAt.toISOString(),
        user_agent: meta.userAgent ? meta.userAgent.slice(0, 200) : null,
        ip: approximateIp(meta.ip),
        mfa: meta.mfa ? 1 : 0,
      });
      return issued;
    },
    verify: jwt.verify,
    issueChallenge: jwt.issueChallenge,
    verifyChallenge: jwt.verifyChallenge,
  };
}

export type SessionTokens = ReturnType<typeof createSessionTokens>;
