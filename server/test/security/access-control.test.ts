// Who may call what: every private route of the OpenAPI document refuses a caller without a token,
// admin routes refuse users, and owned resources never show or change for another user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.ts';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import {
  documentedRoutes,
  expectErrorShape,
  fillPath,
  PUBLIC_ROUTES,
  type DocRoute,
} from './openapi-routes.ts';
import {
  createGame,
  holdOrder,
  insertListing,
  registerUser,
  setupSale,
  signedInUser,
  type TestUser,
} from '../factories/index.ts';

let t: TestApp;
let routes: DocRoute[];

beforeAll(async () => {
  t = await buildTestApp();
  routes = await documentedRoutes(t);
});
afterAll(async () => t?.close());

function call(route: DocRoute, headers: Record<string, string> = {}, id = newId()) {
  return t.app.inject({
    method: route.method,
    url: fillPath(route.path, id),
    headers,
    ...(route.body ? { payload: {} } : {}),
  });
}

describe('the route matrix of the OpenAPI document', () => {
  it('when a private route is called without a token, then 401 UNAUTHENTICATED before anything else', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC_ROUTES.has(r.label))) {
      const res = await call(route);
      if (res.statusCode !== 401 || expectErrorShape(res).error.code !== 'UNAUTHENTICATED')
        wrong.push(`${route.label} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('when a private route is called with a garbage bearer token, then 401', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC_ROUTES.has(r.label))) {
      const res = await call(route, { authorization: 'Bearer not.a.token' });
      if (res.statusCode !== 401) wrong.push(`${route.label} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('when the document is read, then exactly the private routes declare bearer security', () => {
    const mismatched = routes
      .filter((r) => r.secured === PUBLIC_ROUTES.has(r.label))
      .map((r) => `${r.label} secured=${r.secured}`);
    expect(mismatched).toEqual([]);
  });

  it('when a public route is called without a token, then it answers without asking for one', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => PUBLIC_ROUTES.has(r.label))) {
      const res = await call(route);
      if (res.statusCode === 401 && route.label !== 'POST /api/auth/login')
        wrong.push(`${route.label} → 401`);
      expect(res.statusCode, route.label).toBeLessThan(500);
    }
    expect(wrong).toEqual([]);
  });

  it('when a signed-in user calls any /api/admin route, then 403 FORBIDDEN and no data', async () => {
    const user = await signedInUser(t);
    const admin = routes.filter((r) => r.path.startsWith('/api/admin/'));
    expect(admin.length).toBeGreaterThanOrEqual(7);
    for (const route of admin) {
      const res = await call(route, user.auth);
      expect(res.statusCode, route.label).toBe(403);
      expect(expectErrorShape(res, route.label).error.code).toBe('FORBIDDEN');
    }
  });

  it('when an admin calls the admin routes, then they are not refused (control for the test above)', async () => {
    const admin = await signedInUser(t, { role: 'admin' });
    for (const route of routes.filter((r) => r.path.startsWith('/api/admin/'))) {
      const res = await call(route, admin.auth);
      expect([401, 403], route.label).not.toContain(res.statusCode);
    }
  });
});

describe('owned resources with another user token', () => {
  const refused = (res: { statusCode: number; body: string }, label: string) => {
    expect([403, 404], `${label}: ${res.body}`).toContain(res.statusCode);
    const body = expectErrorShape(res, label);
    expect(Object.keys(body).sort()).toEqual(['error', 'requestId']);
  };

  it("when a stranger reads, pays or acts on someone's order, then 404 and the order is untouched", async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const stranger = await signedInUser(t, { name: 'Stranger Sam' });
    const attempts = [
      { method: 'GET' as const, url: `/api/orders/${order.id}` },
      {
        method: 'POST' as const,
        url: `/api/orders/${order.id}/pay`,
        payload: {
          prime: 'sim_approve',
          cardholder: { name: 'S', email: 's@example.test', phoneNumber: '0912345678' },
        },
      },
      { method: 'POST' as const, url: `/api/orders/${order.id}/cancel` },
      { method: 'POST' as const, url: `/api/orders/${order.id}/deliver`, payload: {} },
      { method: 'POST' as const, url: `/api/orders/${order.id}/confirm` },
      {
        method: 'POST' as const,
        url: `/api/orders/${order.id}/dispute`,
        payload: { reasonCode: 'other', reason: 'x' },
      },
      { method: 'POST' as const, url: `/api/orders/${order.id}/review`, payload: { rating: 1 } },
    ];
    for (const a of attempts) {
      const res = await t.app.inject({ ...a, headers: stranger.auth });
      refused(res, a.url);
      expect(res.body).not.toContain('Buyer Bo');
      expect(res.body).not.toContain('Seller Sue');
    }
    const row = await t.deps.db
      .selectFrom('orders')
      .select(['status', 'buyer_id'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending_payment', buyer_id: sale.buyer.id });
    const payments = await t.deps.db
      .selectFrom('payments')
      .select('id')
      .where('order_id', '=', order.id)
      .execute();
    expect(payments).toEqual([]);
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/me/orders',
      headers: stranger.auth,
    });
    expect(mine.json().items).toEqual([]);
  });

  it("when a stranger edits or cancels someone's listing, then 403/404 and the listing is unchanged", async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const stranger = await signedInUser(t);
    const listingId = await insertListing(t, { game, sellerId: seller.id, price: 500 });
    const before = await listingRow(listingId);
    refused(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/listings/${listingId}`,
        headers: stranger.auth,
        payload: { price: 1, note: 'mine now' },
      }),
      'PATCH listing',
    );
    refused(
      await t.app.inject({
        method: 'DELETE',
        url: `/api/listings/${listingId}`,
        headers: stranger.auth,
      }),
      'DELETE listing',
    );
    expect(await listingRow(listingId)).toEqual(before);
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/me/listings',
      headers: stranger.auth,
    });
    expect(mine.json().items).toEqual([]);
  });

  it("when a stranger deletes someone's reservation, then 404 and it stays", async () => {
    const game = await createGame(t);
    const owner = await signedInUser(t);
    const stranger = await signedInUser(t);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/reservations',
      headers: owner.auth,
      payload: { gameId: game.id },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    refused(
      await t.app.inject({
        method: 'DELETE',
        url: `/api/reservations/${id}`,
        headers: stranger.auth,
      }),
      'DELETE reservation',
    );
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/me/reservations',
      headers: stranger.auth,
    });
    expect(theirs.json().items).toEqual([]);
    const owners = await t.app.inject({
      method: 'GET',
      url: '/api/me/reservations',
      headers: owner.auth,
    });
    expect(owners.json().items.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it("when a stranger marks someone's notification read, then 404 and it stays unread", async () => {
    const owner = await signedInUser(t);
    const stranger = await signedInUser(t);
    const id = await insertNotification(owner);
    refused(
      await t.app.inject({
        method: 'POST',
        url: `/api/notifications/${id}/read`,
        headers: stranger.auth,
      }),
      'read notification',
    );
    await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: stranger.auth,
    });
    const row = await t.deps.db
      .selectFrom('notifications')
      .select('read_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.read_at).toBeNull();
    const theirs = await t.app.inject({
      method: 'GET',
      url: '/api/notifications',
      headers: stranger.auth,
    });
    expect(theirs.json().items).toEqual([]);
    expect(theirs.body).not.toContain('secret seat');
  });

  it('when a payout account is saved, then no response to anyone carries the full number', async () => {
    const owner = await registerUser(t, { name: 'Payee Pat' });
    const stranger = await registerUser(t);
    const account = '123456789012';
    const saved = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: owner.auth,
      payload: { payoutAccount: { bankCode: '822', accountNumber: account } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().payoutAccount).toEqual({ bankCode: '822', accountMasked: '********9012' });
    const reads = [
      await t.app.inject({ method: 'GET', url: '/api/me', headers: owner.auth }),
      await t.app.inject({ method: 'GET', url: '/api/me', headers: stranger.auth }),
      await t.app.inject({ method: 'GET', url: `/api/users/${owner.user.id}` }),
      await t.app.inject({
        method: 'GET',
        url: `/api/users/${owner.user.id}`,
        headers: stranger.auth,
      }),
    ];
    for (const res of [saved, ...reads]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(account);
    }
    expect(reads[1]!.json().payoutAccount).toBeNull();
    expect(reads[1]!.json().id).toBe(stranger.user.id);
    expect(reads[2]!.body).not.toContain(owner.user.email);
  });
});

async function listingRow(id: string) {
  return t.deps.db
    .selectFrom('listings')
    .select(['price', 'note', 'status', 'seller_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function insertNotification(owner: TestUser) {
  const id = newId();
  await t.deps.db
    .insertInto('notifications')
    .values({
      id,
      user_id: owner.id,
      type: 'reservation_match',
      title: 'A ticket for you',
      body: 'secret seat 12-5',
      link: '/listings/x',
      dedupe_key: null,
      read_at: null,
      created_at: t.deps.clock.now().toISOString(),
    })
    .execute();
  return id;
}
