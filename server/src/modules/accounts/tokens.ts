// Session tokens: HS256 JWTs whose jti is a sessions row (sessions.ts); signing out or revoking
// deletes the row. Also the short-lived sign-in challenge of a TOTP account (typ "totp").
import { SignJWT, jwtVerify } from 'jose';
import { newId } from '../../shared/ids.ts';

export const TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** How long a sign-in challenge waits for its TOTP code. */
export const CHALLENGE_TTL_SECONDS = 5 * 60;

export interface TokenClaims {
  userId: string;
  jti: string;
  expiresAt: Date;
}

export function createTokenService(secret: string) {
  const key = new TextEncoder().encode(secret);
  return {
    async issue(userId: string, now: Date): Promise<{ token: string; claims: TokenClaims }> {
      const jti = newId();
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + TOKEN_TTL_SECONDS;
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setJti(jti)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
      return { token, claims: { userId, jti, expiresAt: new Date(exp * 1000) } };
    },
    /** The claims of a valid token, or null (bad signature, wrong alg, expired, malformed). */
    async verify(token: string, now: Date): Promise<TokenClaims | null> {
      try {
        const { payload, protectedHeader } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          currentDate: now,
        });
        if (
          protectedHeader.typ !== 'JWT' ||
          typeof payload.sub !== 'string' ||
          typeof payload.jti !== 'string' ||
          typeof payload.exp !== 'number'
        ) {
          return null;
        }
        return { userId: payload.sub, jti: payload.jti, expiresAt: new Date(payload.exp * 1000) };
      } catch {
        return null;
      }
    },
    /** A password-checked sign-in waiting for its TOTP code: never a session token. */
    async issueChallenge(userId: string, now: Date): Promise<string> {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'totp' })
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + CHALLENGE_TTL_SECONDS)
        .sign(key);
    },
    /** The user id of a valid, unexpired challenge, or null. */
    async verifyChallenge(token: string, now: Date): Promise<string | null> {
      try {
        const { payload, protectedHeader } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          currentDate: now,
          typ: 'totp',
        });
        return protectedHeader.typ === 'totp' && typeof payload.sub === 'string'
          ? payload.sub
          : null;
      } catch {
        return null;
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
