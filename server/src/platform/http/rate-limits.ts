// Per-route request limits, all in one place (app.ts hands them to the routes). Counters live in
// Redis when REDIS_URL is set, so every instance counts together; else in this process.
// RATE_LIMIT=off switches them all off (load tests on a private machine only).
import type { FastifyRequest } from 'fastify';

/** Signed-in callers count per account (many fans share one NAT address); others per IP. */
function perAccount(request: FastifyRequest): string {
  const user = (request as FastifyRequest & { user?: { id?: string } | null }).user;
  return user?.id ? `user:${user.id}` : `ip:${request.ip}`;
}

export interface RouteRateLimit {
  max: number;
  timeWindow: string;
  keyGenerator?: (request: FastifyRequest) => string;
}

export const RATE_LIMITS = {
  /** POST /api/auth/login and /register, per IP: password guessing, mass sign-ups. */
  auth: { max: 20, timeWindow: '1 minute' },
  /** POST /api/orders: checkout holds (a bot sweeping listings into holds). */
  checkout: { max: 10, timeWindow: '1 minute', keyGenerator: perAccount },
  /** POST /api/orders/:id/pay: card testing with stolen cards, one prime after another. */
  payment: { max: 10, timeWindow: '1 minute', keyGenerator: perAccount },
  /** POST /api/listings (up to 5 photos of 8 MB each): upload floods and listing spam. */
  upload: { max: 20, timeWindow: '1 minute', keyGenerator: perAccount },
  /** Password-reset requests and verification resends, per IP (or account): mail bombing. */
  accountMail: { max: 5, timeWindow: '15 minutes', keyGenerator: perAccount },
  /** TOTP codes (sign-in, confirm, disable): 10 guesses in 5 minutes among a million codes. */
  totp: { max: 10, timeWindow: '5 minutes', keyGenerator: perAccount },
  /**
   * TapPay's notify and the browser's return from 3-D Secure, per IP: unauthenticated triggers
   * of a Record API call (the return is a GET, so an `<img>` anywhere can fire it).
   */
  tappaySignal: { max: 30, timeWindow: '1 minute' },
} satisfies Record<string, RouteRateLimit>;
