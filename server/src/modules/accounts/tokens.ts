// Session tokens: HS256 JWTs with a jti so logout can revoke them.
import { SignJWT, jwtVerify } from 'jose';
import { newId } from '../../shared/ids.ts';

export const TOKEN_TTL_SECONDS = 30 * 24 * 3600;

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
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          currentDate: now,
        });
        if (
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
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
