// Orders and payments in tests: sellers, buyers and listings inserted directly (games from
// fixtures-games.ts), and the HTTP steps of a purchase. Every call makes new rows.
import { expect } from 'vitest';
import type { ListingStatus } from '../src/platform/db/schema.ts';
import type { TestApp } from './build-test-app.ts';
import { insertRows, userRow } from './factories.ts';
import { createGame, type CreateGameOptions, type TestGame } from './fixtures-games.ts';
import { insertListing as insertMarketListing } from './market-fixtures.ts';

export interface TestUser {
  id: string;
  auth: { authorization: string };
}

/** A user row and a token, without the password hash (fast enough for 200 buyers). */
export async function quickUser(
  t: TestApp,
  options: { role?: 'user' | 'admin'; name?: string } = {},
): Promise<TestUser> {
  const row = userRow(t.deps.clock.now(), 'order', {
    name: options.name ?? 'Order Fan',
    role: options.role ?? 'user',
  });
  await insertRows(t, 'users', [row]);
  const { token } = await t.deps.tokens.issue(row.id, t.deps.clock.now());
  return { id: row.id, auth: { authorization: `Bearer ${token}` } };
}

export interface ListingOptions {
  quantity?: number;
  price?: number;
  status?: ListingStatus;
}

export async function insertListing(
  t: TestApp,
  sellerId: string,
  game: TestGame,
  options: ListingOptions = {},
): Promise<string> {
  const area = game.areas[0]!;
  const faceValue = area.face_value_max;
  return insertMarketListing(t, {
    gameId: game.id,
    sellerId,
    areaId: area.id,
    rowLabel: '5',
    seats: '7-8',
    quantity: options.quantity,
    price: Math.min(options.price ?? faceValue, faceValue),
    faceValue,
    status: options.status,
  });
}

/** A game, a seller with one active listing on it, and a buyer. */
export async function setupSale(
  t: TestApp,
  options: ListingOptions & { game?: CreateGameOptions } = {},
) {
  const game = await createGame(t, options.game);
  const seller = await quickUser(t, { name: 'Seller Sue' });
  const buyer = await quickUser(t, { name: 'Buyer Bo' });
  const listingId = await insertListing(t, seller.id, game, options);
  const listing = await t.deps.db
    .selectFrom('listings')
    .selectAll()
    .where('id', '=', listingId)
    .executeTakeFirstOrThrow();
  return { game, seller, buyer, listingId, amount: listing.price * listing.quantity };
}

export function placeOrder(
  t: TestApp,
  buyer: TestUser,
  listingId: string,
  headers: Record<string, string> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: { ...buyer.auth, ...headers },
    payload: { listingId },
  });
}

export async function holdOrder(t: TestApp, buyer: TestUser, listingId: string) {
  const res = await placeOrder(t, buyer, listingId);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; amount: number; status: string; expiresAt: string };
}

export const cardholder = {
  name: '王小明',
  email: 'buyer@example.test',
  phoneNumber: '0912345678',
};

export function payOrder(t: TestApp, buyer: TestUser, orderId: string, prime: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/pay`,
    headers: buyer.auth,
    payload: { prime, cardholder },
  });
}

export function orderAction(
  t: TestApp,
  user: TestUser,
  orderId: string,
  action: 'cancel' | 'deliver' | 'confirm' | 'dispute',
  payload?: Record<string, unknown>,
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/${action}`,
    headers: user.auth,
    ...(payload ? { payload } : {}),
  });
}

export async function getOrder(t: TestApp, user: TestUser, orderId: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/orders/${orderId}`,
    headers: user.auth,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A buyer's paid order: hold, then pay with sim_approve. */
export async function paidOrder(t: TestApp, options: ListingOptions = {}) {
  const sale = await setupSale(t, options);
  const order = await holdOrder(t, sale.buyer, sale.listingId);
  const paid = await payOrder(t, sale.buyer, order.id, 'sim_approve');
  expect(paid.statusCode, paid.body).toBe(200);
  expect(paid.json().order.status).toBe('paid');
  return { ...sale, orderId: order.id };
}

/**
 * The browser's 3-D Secure round trip on the simulator: open the page, submit the form (which
 * sends the backend notify), follow the redirect to our return URL. Returns the final redirect.
 */
export async function complete3ds(
  t: TestApp,
  paymentUrl: string,
  outcome: 'approve' | 'fail' = 'approve',
) {
  const path = new URL(paymentUrl).pathname;
  const page = await t.app.inject({ method: 'GET', url: path });
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toContain('text/html');
  const submit = await t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `outcome=${outcome}`,
  });
  expect(submit.statusCode).toBe(303);
  const back = new URL(String(submit.headers.location));
  const ret = await t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
  expect(ret.statusCode).toBe(303);
  return String(ret.headers.location);
}

/** The `notification.send` jobs enqueued about one order. */
export async function notificationsAbout(t: TestApp, orderId: string) {
  const rows = await t.deps.db
    .selectFrom('jobs')
    .select(['payload'])
    .where('type', '=', 'notification.send')
    .where('payload', 'like', `%${orderId}%`)
    .execute();
  return rows.map(
    (r) =>
      JSON.parse(r.payload) as { userId: string; type: string; params: Record<string, unknown> },
  );
}

export const errorCode = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string } }).error.code;
