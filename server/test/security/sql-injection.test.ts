// SQL injection: every string parameter of every documented route (path, query, body fields)
// carries injection strings, signed in, on real rows. The data stays intact: no table shrinks,
// the canary rows are unchanged, nobody becomes an admin, and text is stored literally.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../build-test-app.ts';
import { encodeText, plausibleBody, SQL_INJECTIONS } from './hostile-input.ts';
import { documentedRoutes, STREAM_ROUTE, type DocRoute } from './openapi-routes.ts';
import {
  createGame,
  holdOrder,
  insertListing,
  setupSale,
  signedInUser,
  type TestGame,
  type TestUser,
} from '../factories/index.ts';

const TABLES = [
  'users',
  'teams',
  'games',
  'listings',
  'orders',
  'payments',
  'reservations',
  'notifications',
  'reviews',
] as const;

let t: TestApp;
let routes: DocRoute[];
let user: TestUser;
let admin: TestUser;
let game: TestGame;
let ids: { listing: string; otherListing: string; order: string };
let canary: { sellerId: string; listingId: string };

beforeAll(async () => {
  t = await buildTestApp();
  routes = await documentedRoutes(t);
  user = await signedInUser(t, { name: 'Injector' });
  admin = await signedInUser(t, { role: 'admin' });
  game = await createGame(t);
  const listing = await insertListing(t, { game, sellerId: user.id });
  const sale = await setupSale(t);
  const order = await holdOrder(t, user, sale.listingId);
  ids = { listing, otherListing: sale.listingId, order: order.id };
  // A seller and listing no request below names: they must come out byte for byte the same.
  const canaryGame = await createGame(t);
  const seller = await signedInUser(t, { name: 'Canary Seller' });
  canary = {
    sellerId: seller.id,
    listingId: await insertListing(t, { game: canaryGame, sellerId: seller.id }),
  };
});
afterAll(async () => t?.close());

async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await t.deps.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

async function fingerprint() {
  const [users, listing, teams] = await Promise.all([
    t.deps.db
      .selectFrom('users')
      .selectAll()
      .where('id', 'in', [canary.sellerId, admin.id])
      .orderBy('id')
      .execute(),
    t.deps.db.selectFrom('listings').selectAll().where('id', '=', canary.listingId).execute(),
    t.deps.db.selectFrom('teams').selectAll().orderBy('id').execute(),
  ]);
  const stable = users.map(({ updated_at: _u, ...rest }) => rest);
  return createHash('sha256').update(JSON.stringify({ stable, listing, teams })).digest('hex');
}

const idFor = (field: string) =>
  field === 'listingId'
    ? ids.otherListing
    : field === 'areaId'
      ? game.areas[0]!.id
      : field === 'favoriteTeamId'
        ? 'ACN011'
        : game.id;

/** The real id a path of this route should name, so the injection reaches a real row. */
function realPathId(route: DocRoute) {
  if (route.path.startsWith('/api/orders/')) return ids.order;
  if (route.path.startsWith('/api/listings/')) return ids.listing;
  if (route.path.startsWith('/api/games/')) return game.id;
  return user.id;
}

function requestsFor(route: DocRoute, injection: string) {
  const query = route.query.map((q) => `${q.name}=${encodeText(injection)}`).join('&');
  const body = plausibleBody(route.body, injection, idFor);
  const auth = route.path.startsWith('/api/admin/') ? admin.auth : user.auth;
  const withBody = route.body !== null || route.method === 'POST' || route.method === 'PATCH';
  const make = (pathValue: string, q: string) => ({
    method: route.method,
    url: route.path.replace(/\{\w+\}/g, encodeText(pathValue)) + (q ? `?${q}` : ''),
    headers: auth,
    ...(withBody ? { payload: (body ?? {}) as object } : {}),
  });
  // The injection in the path; and a real row's id in the path with the injection elsewhere.
  return route.pathParams.length
    ? [make(injection, query), make(realPathId(route), query)]
    : [make('', query)];
}

const skipped = (route: DocRoute) =>
  route.label === STREAM_ROUTE ||
  route.label === 'POST /api/auth/logout' ||
  route.label === 'POST /api/admin/users/{id}/suspend' ||
  route.label === 'PATCH /api/admin/games/{id}';

describe('SQL injection in every string parameter', () => {
  it('when every documented route gets injection strings in every string parameter, then no data is lost or changed', async () => {
    const before = { counts: await counts(), fingerprint: await fingerprint() };
    const statuses: number[] = [];
    for (const route of routes.filter((r) => !skipped(r))) {
      for (const injection of SQL_INJECTIONS) {
        for (const request of requestsFor(route, injection)) {
          const res = await t.app.inject(request);
          expect(res.statusCode, `${route.label} ${injection}: ${res.body}`).toBeLessThan(500);
          statuses.push(res.statusCode);
        }
      }
    }
    // Some requests got past validation into services and the database.
    expect(statuses.filter((s) => s < 300).length).toBeGreaterThan(20);
    const after = { counts: await counts(), fingerprint: await fingerprint() };
    expect(after.fingerprint).toBe(before.fingerprint);
    for (const table of TABLES) {
      // On MariaDB other test files add rows meanwhile; nothing may ever disappear.
      if (usingMysql())
        expect(after.counts[table], table).toBeGreaterThanOrEqual(before.counts[table]!);
      else if (table !== 'users' && table !== 'reservations' && table !== 'listings')
        expect(after.counts[table], table).toBe(before.counts[table]);
      else expect(after.counts[table], table).toBeGreaterThanOrEqual(before.counts[table]!);
    }
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: user.auth });
    expect(me.json().role).toBe('user');
  });

  it('when text fields hold injection strings, then they are stored and returned literally', async () => {
    const listing = await insertListing(t, { game, sellerId: user.id });
    for (const injection of SQL_INJECTIONS) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/listings/${listing}`,
        headers: user.auth,
        payload: { note: injection },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().note).toBe(injection.trim());
      const row = await t.deps.db
        .selectFrom('listings')
        .select('note')
        .where('id', '=', listing)
        .executeTakeFirstOrThrow();
      expect(row.note).toBe(injection.trim());
      // Names may not say "admin" (they could pass for staff): that word is swapped out.
      const asName = injection.slice(0, 50).replace(/admin/gi, 'boss');
      const name = await t.app.inject({
        method: 'PATCH',
        url: '/api/me',
        headers: user.auth,
        payload: { name: asName },
      });
      expect(name.statusCode, name.body).toBe(200);
      expect(name.json().name).toBe(asName.trim());
    }
  });

  it('when a login is tried with injection strings, then it is refused and no session is made', async () => {
    for (const injection of SQL_INJECTIONS) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: injection, password: injection },
      });
      expect(res.statusCode, res.body).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });
});
