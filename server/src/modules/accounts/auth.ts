// Who is calling: a Bearer token (API clients) or the httpOnly session cookie (the web app).
// Unsafe requests authenticated by cookie must echo the CSRF cookie in X-CSRF-Token (double submit).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { AccountsService, AuthUser } from './accounts.service.ts';

export const SESSION_COOKIE = 'pas_session';
export const CSRF_COOKIE = 'pas_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `schema.security` of a route that needs a signed-in user. It documents the route in OpenAPI and
 * makes installAuth answer 401 before the body is read or validated.
 */
export const SIGNED_IN = [{ bearer: [] as string[] }];

/** True when every alternative names a scheme (an empty `{}` alternative means optional sign-in). */
const needsSignIn = (security: unknown) =>
  Array.isArray(security) &&
  security.length > 0 &&
  security.every((s) => typeof s === 'object' && s !== null && Object.keys(s).length > 0);

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

function sameToken(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function installAuth(app: FastifyInstance, accounts: AccountsService) {
  app.decorateRequest('user', null);
  const authenticate = async (
    request: FastifyRequest,
    header: string | undefined,
    cookie: string,
  ) => {
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      request.user = match ? await accounts.authenticate(match[1]!) : null;
      return;
    }
    const user = await accounts.authenticate(cookie);
    if (user && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      const expected = request.cookies[CSRF_COOKIE];
      if (typeof sent !== 'string' || !expected || !sameToken(sent, expected)) {
        throw new AppError('FORBIDDEN', 'Missing or wrong CSRF token');
      }
    }
    request.user = user;
  };
  // Callback style: an anonymous request (most reads) costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/api/')) return done();
    const header = request.headers.authorization;
    const cookie = header === undefined ? request.cookies[SESSION_COOKIE] : '';
    if (header === undefined && !cookie) return done();
    authenticate(request, header, cookie ?? '').then(() => done(), done);
  });
  // Routes declaring `security` refuse anonymous callers first (after the rate limit's count).
  app.addHook('onRoute', (route) => {
    if (!needsSignIn(route.schema?.security)) return;
    const signedIn = async (request: FastifyRequest) => {
      requireUser(request);
    };
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [...existing, signedIn];
  });
}

export function requireUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return request.user;
}

/** An administrator whose sign-in passed a TOTP code (403 TOTP_REQUIRED otherwise). */
export function requireAdmin(request: FastifyRequest): AuthUser {
  const user = requireUser(request);
  if (user.role !== 'admin') throw new AppError('FORBIDDEN', 'Administrators only');
  if (!user.mfa)
    throw new AppError(
      'TOTP_REQUIRED',
      'Administrators need two-factor sign-in: set it up under Security, then sign in with a code',
    );
  return user;
}

/** Selling and checking out need a verified e-mail address (403 EMAIL_NOT_VERIFIED). */
export function requireVerifiedEmail(user: AuthUser): AuthUser {
  if (!user.emailVerified)
    throw new AppError(
      'EMAIL_NOT_VERIFIED',
      'Verify your e-mail address first (open the link we sent, or send it again)',
    );
  return user;
}

export function setSessionCookies(
  reply: FastifyReply,
  token: string,
  expiresAt: Date,
  secure: boolean,
) {
  const base = { path: '/', sameSite: 'lax' as const, secure, expires: expiresAt };
  reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, randomBytes(24).toString('base64url'), { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
