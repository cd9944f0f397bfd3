// Sending JSON that is already serialised (cached bodies, see platform/cache/cached.ts readBody):
// Fastify sends a string or a Buffer as it is, without the route's response serializer. Keep the
// route's response schema anyway: it documents the body in the OpenAPI document.
//
// A cached body is sent compressed when the client accepts it (every browser does): it is
// compressed once, the first time it is sent that way, and the compressed copy lives as long as
// the body (a WeakMap keyed by the cached Buffer), so a cache hit costs no compression. The
// request's `Accept-Encoding` picks Brotli or gzip; small bodies go as they are.
//
// Every such body is a public answer (the same for every caller), so it goes with an `ETag` and
// the route's `Cache-Control` (PUBLIC_CACHE), and a request whose `If-None-Match` names the ETag
// gets `304 Not Modified` without a body. The ETag is a digest of the cached body, computed once
// per cached body (each generation of it, kept beside its compressed copies), never per request:
// equal on every instance, different as soon as the body is. Weak (`W/`), since the compressed
// and plain copies are the same JSON. Per-user and money answers never come through here: they
// keep the `Cache-Control: no-store` every data answer carries (security-headers.ts).
import { hash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/** Below this many bytes compression saves less than it costs (one TCP segment either way). */
export const COMPRESS_MIN_BYTES = 1024;

export type Encoding = 'br' | 'gzip';

const compressors: Record<Encoding, (body: Buffer) => Buffer> = {
  // Quality 5: within a few per cent of 11 on JSON at a small fraction of the time.
  br: (body) =>
    brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  gzip: (body) => gzipSync(body),
};

/** Accept-Encoding headers repeat (a handful per browser): their answers are remembered, boundedly. */
const negotiationCache = new Map<string, string>();
const negotiator = new Negotiator<Encoding>({
  supportedValues: ['br', 'gzip'],
  cache: {
    get: (key) => negotiationCache.get(key),
    has: (key) => negotiationCache.has(key),
    set(key, value) {
      if (negotiationCache.size >= 200) negotiationCache.clear();
      negotiationCache.set(key, value);
      return this;
    },
  },
});

/**
 * How long browsers and shared caches may reuse each kind of public cached answer; the one place
 * these decisions live (docs/PERFORMANCE.md, "Conditional requests and HTTP caching").
 */
export const PUBLIC_CACHE = {
  /**
   * Trending games and the market stats: aggregates recomputed on a timer, which no visitor
   * changes by their own action. Reused for 30 s, then up to 60 s more while revalidating.
   */
  market: 'public, max-age=30, stale-while-revalidate=60',
  /**
   * The games of a month (listing counts, lowest prices), a game, its tickets and going prices,
   * and a listing: what a buyer acts on and what sellers and admins change and then read back at
   * once. Browsers revalidate on every use (a 304 when unchanged); shared caches (nginx's
   * microcache) may serve a copy for 1 s.
   */
  live: 'public, max-age=0, s-maxage=1',
} as const;

/** The 304 a route sending through `sendJsonText` answers to a current If-None-Match (OpenAPI). */
export const NOT_MODIFIED = z.null().describe('Not Modified: If-None-Match names the current ETag');

export type PublicCache = (typeof PUBLIC_CACHE)[keyof typeof PUBLIC_CACHE];

/** What is derived from one cached body, once: its compressed copies and its ETag. */
const derived = new WeakMap<Buffer, Partial<Record<Encoding, Buffer>> & { etag?: string }>();

function derivedOf(body: Buffer) {
  let copies = derived.get(body);
  if (!copies) derived.set(body, (copies = {}));
  return copies;
}

/** `body` compressed with `encoding`, computed once per body. */
export function compressedCopy(body: Buffer, encoding: Encoding): Buffer {
  const copies = derivedOf(body);
  return (copies[encoding] ??= compressors[encoding](body));
}

/** The weak ETag of a cached body (a SHA-1 digest of it), computed once per body. */
export function etagOf(body: Buffer): string {
  const copies = derivedOf(body);
  return (copies.etag ??= `W/"${hash('sha1', body, 'base64url')}"`);
}

/** If-None-Match against `etag`, by weak comparison (RFC 9110 §13.1.2): a list or `*`. */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header === etag) return true;
  const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);
  const wanted = opaque(etag);
  for (const part of header.split(',')) {
    const tag = part.trim();
    if (tag === '*' || opaque(tag) === wanted) return true;
  }
  return false;
}

/**
 * Sends cached JSON text, a public answer, with its ETag and `cache` as Cache-Control: 304 when
 * the request's If-None-Match names the ETag, else the body, compressed when `request` accepts it
 * and it is worth it. Given the body itself (a cache hit) it sends at once and returns nothing, so
 * a handler returning this costs no promise; given a promise, it returns one that resolves once
 * the body is sent (Fastify accepts an undefined result once the reply is sent).
 */
export function sendJsonText(
  request: FastifyRequest,
  reply: FastifyReply,
  json: Buffer | Promise<Buffer>,
  cache: PublicCache,
): void | Promise<void> {
  if (!Buffer.isBuffer(json))
    return json.then((body) => {
      sendBody(request, reply, body, cache);
    });
  sendBody(request, reply, json, cache);
}

function sendBody(
  request: FastifyRequest,
  reply: FastifyReply,
  json: Buffer,
  cache: PublicCache,
): FastifyReply {
  const etag = etagOf(json);
  reply.headers({ etag, 'cache-control': cache, vary: 'accept-encoding' });
  if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  const accepted = request.headers['accept-encoding'];
  const encoding =
    json.length >= COMPRESS_MIN_BYTES && accepted ? negotiator.negotiate(accepted) : null;
  if (!encoding) return reply.send(json);
  return reply.header('content-encoding', encoding).send(compressedCopy(json, encoding));
}
