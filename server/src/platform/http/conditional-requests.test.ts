// Conditional requests on the real app: the seven public cached answers (games of a month, a game,
// its tickets and prices, a listing, trending, stats) carry an ETag and a public Cache-Control and answer 304 to
// a matching If-None-Match, until what they show changes. Per-user and money answers carry
// neither: they stay `no-store` and never answer 304. deploy/nginx.conf's microcache keeps exactly
// the seven.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  holdOrder,
  setupSale,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { PUBLIC_CACHE } from './json-text.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

let t: TestApp;
let sale: Awaited<ReturnType<typeof setupSale>>;
let buyer: TestUser;
beforeAll(async () => {
  t = await buildTestApp();
  sale = await setupSale(t, { game: { startsAt: new Date(Date.UTC(2034, 4, 7, 10)) } });
  buyer = await signedInUser(t, { name: 'Cache Buyer' });
});
afterAll(() => t?.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br, gzip', ...headers } });

const publicRoutes = () =>
  [
    { name: 'games of a month', url: '/api/games?from=2034-05-01&to=2034-05-31', cache: 'live' },
    { name: 'a game', url: `/api/games/${sale.game.id}`, cache: 'live' },
    { name: "a game's tickets", url: `/api/games/${sale.game.id}/listings`, cache: 'live' },
    { name: "a game's prices", url: `/api/games/${sale.game.id}/price-summary`, cache: 'live' },
    { name: 'a listing', url: `/api/listings/${sale.listingId}`, cache: 'live' },
    { name: 'trending', url: '/api/trending', cache: 'market' },
    { name: 'stats', url: '/api/stats', cache: 'market' },
  ] as const;

describe('public cached answers', () => {
  it('when each is read, then it has an ETag and its public Cache-Control, and a matching If-None-Match gets 304', async () => {
    for (const route of publicRoutes()) {
      const first = await get(route.url);
      expect(first.statusCode, route.name).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag, route.name).toMatch(/^W\/"[\w-]+"$/);
      expect(first.headers['cache-control'], route.name).toBe(PUBLIC_CACHE[route.cache]);
      expect(first.headers['cache-control']).toMatch(/^public, max-age=\d+/);

      const again = await get(route.url, { 'if-none-match': etag });
      expect(again.statusCode, route.name).toBe(304);
      expect(again.rawPayload.length).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe(PUBLIC_CACHE[route.cache]);
      expect(again.headers['x-request-id']).toBeTruthy();
    }
    expect(PUBLIC_CACHE.market).toMatch(/max-age=\d+, stale-while-revalidate=\d+/);
  });

  it('when a signed-in visitor reads one, then the answer is the same public one (no user in it)', async () => {
    const url = `/api/listings/${sale.listingId}`;
    const anonymous = await get(url);
    const signedIn = await get(url, buyer.auth);
    expect(signedIn.headers.etag).toBe(anonymous.headers.etag);
    expect(signedIn.headers['cache-control']).toBe(PUBLIC_CACHE.live);
  });

  it("when the listing is held by a buyer, then its ETag and its game's (detail, tickets, prices) change and the old ones get the new body", async () => {
    const urls = [
      `/api/listings/${sale.listingId}`,
      `/api/games/${sale.game.id}`,
      `/api/games/${sale.game.id}/listings`,
      `/api/games/${sale.game.id}/price-summary`,
    ];
    const before = await Promise.all(urls.map((u) => get(u)));
    await holdOrder(t, buyer, sale.listingId);
    for (const [i, url] of urls.entries()) {
      const after = await get(url, { 'if-none-match': before[i]!.headers.etag as string });
      expect(after.statusCode, url).toBe(200);
      expect(after.headers.etag, url).not.toBe(before[i]!.headers.etag);
    }
  });

  it('when the public route answers an error, then it carries no ETag and stays no-store', async () => {
    for (const url of ['/api/listings/no-such-listing', '/api/games/no-such-game']) {
      const res = await get(url, { 'if-none-match': '*' });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers.etag, url).toBeUndefined();
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });
});

describe('per-user and money answers', () => {
  it('when each is read, even with If-None-Match: *, then it has no ETag, is no-store and is never 304', async () => {
    const owner = await signedInUser(t, { name: 'Order Owner' });
    const order = await holdOrder(t, owner, await freshListing());
    const routes = [
      { url: '/api/me', auth: buyer.auth },
      { url: '/api/me/listings', auth: buyer.auth },
      { url: '/api/me/orders', auth: buyer.auth },
      { url: '/api/me/reservations', auth: buyer.auth },
      { url: '/api/notifications', auth: buyer.auth },
      { url: '/api/recommendations', auth: buyer.auth },
      { url: `/api/orders/${order.id}`, auth: owner.auth },
    ];
    for (const route of routes) {
      const res = await get(route.url, { ...route.auth, 'if-none-match': '*' });
      expect(res.statusCode, route.url).toBe(200);
      expect(res.headers.etag, route.url).toBeUndefined();
      expect(res.headers['cache-control'], route.url).toBe('no-store');
    }
  });
});

async function freshListing() {
  const { listingId } = await setupSale(t, {
    game: { startsAt: new Date(Date.UTC(2034, 4, 8, 10)) },
  });
  return listingId;
}

describe("deploy/nginx.conf's microcache", () => {
  it('when its location is matched against every GET path of the API, then exactly the seven public cached answers match', async () => {
    const conf = readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8');
    const block = /# bench:microcache:start\n([\s\S]*?)# bench:microcache:end/.exec(conf)?.[1];
    const pattern = /location ~ (\S+) \{/.exec(block ?? '')?.[1];
    expect(pattern).toBeTruthy();
    expect(block).toMatch(/proxy_cache_valid 200 1s;/);
    const location = new RegExp(pattern!);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const gets = Object.entries(doc.paths)
      .filter(([, methods]) => 'get' in methods)
      .map(([p]) => p.replace(/\{[^}]+\}/g, '01J0SAMPLEID'));
    expect(gets.length).toBeGreaterThan(20);
    expect(gets.filter((p) => location.test(p)).sort()).toEqual(
      [
        '/api/games',
        '/api/games/01J0SAMPLEID',
        '/api/games/01J0SAMPLEID/listings',
        '/api/games/01J0SAMPLEID/price-summary',
        '/api/listings/01J0SAMPLEID',
        '/api/stats',
        '/api/trending',
      ].sort(),
    );
  });
});
