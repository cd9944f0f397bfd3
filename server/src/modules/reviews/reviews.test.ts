import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import type { OrderStatus } from '../../platform/db/schema.ts';
import { findReviewsOfOrders } from './index.ts';
import {
  createGame,
  insertOrder,
  insertUser,
  registerUser,
  type TestGame,
} from '../../../test/factories/index.ts';

let t: TestApp;
let game: TestGame;
beforeAll(async () => {
  t = await buildTestApp();
  game = await createGame(t);
});
afterAll(async () => t.close());

const errorCode = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string } }).error.code;

async function orderOf(buyerId: string, status: OrderStatus = 'completed') {
  const sellerId = await insertUser(t, { name: 'Seller' });
  const orderId = await insertOrder(t, {
    gameId: game.id,
    buyerId,
    sellerId,
    areaId: game.areas[0]!.id,
    status,
  });
  return { sellerId, orderId };
}

const review = (orderId: string, auth: Record<string, string>, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/orders/${orderId}/review`, headers: auth, payload });

async function sellerRating(sellerId: string) {
  return t.deps.db
    .selectFrom('users')
    .select(['rating_sum', 'rating_count'])
    .where('id', '=', sellerId)
    .executeTakeFirstOrThrow();
}

describe('reviews', () => {
  it('when the buyer rates a completed order, then 201, the rating is exact and the seller is notified', async () => {
    const buyer = await registerUser(t, { name: '小明' });
    const { sellerId, orderId } = await orderOf(buyer.user.id);
    const res = await review(orderId, buyer.auth, { rating: 4, comment: '  準時交票，推！ ' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ orderId, rating: 4, comment: '準時交票，推！' });
    expect(res.json().id).toMatch(/^[0-9a-z]{26}$/);

    const second = await orderOf(buyer.user.id);
    await t.deps.db
      .updateTable('orders')
      .set({ seller_id: sellerId })
      .where('id', '=', second.orderId)
      .execute();
    expect((await review(second.orderId, buyer.auth, { rating: 5 })).statusCode).toBe(201);
    expect(await sellerRating(sellerId)).toEqual({ rating_sum: 9, rating_count: 2 });

    const profile = await t.app.inject({ method: 'GET', url: `/api/users/${sellerId}` });
    expect(profile.json()).toMatchObject({ ratingAverage: 4.5, ratingCount: 2 });
    expect(profile.json().reviews).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rating: 4, comment: '準時交票，推！', buyerName: '小明' }),
        expect.objectContaining({ rating: 5, comment: null, buyerName: '小明' }),
      ]),
    );

    const jobs = await t.deps.db
      .selectFrom('jobs')
      .select(['payload'])
      .where('type', '=', 'notification.send')
      .where('payload', 'like', `%review:${orderId}%`)
      .execute();
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0]!.payload)).toMatchObject({
      userId: sellerId,
      type: 'review_received',
      params: { orderId, rating: 4, buyerName: '小明' },
      dedupeKey: `review:${orderId}`,
    });
  });

  it('when the buyer has rated an order, then the order says reviewed (and not before)', async () => {
    const buyer = await registerUser(t);
    const { orderId } = await orderOf(buyer.user.id);
    const get = async () =>
      (
        await t.app.inject({ method: 'GET', url: `/api/orders/${orderId}`, headers: buyer.auth })
      ).json();
    expect((await get()).reviewed).toBe(false);
    expect((await review(orderId, buyer.auth, { rating: 5 })).statusCode).toBe(201);
    expect((await get()).reviewed).toBe(true);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/me/orders?role=buyer',
      headers: buyer.auth,
    });
    expect(list.json().items.find((o: { id: string }) => o.id === orderId)?.reviewed).toBe(true);
  });

  it('when someone other than the buyer reviews, then 404 and nothing changes', async () => {
    const buyer = await registerUser(t);
    const stranger = await registerUser(t);
    const { sellerId, orderId } = await orderOf(buyer.user.id);
    const res = await review(orderId, stranger.auth, { rating: 1 });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('NOT_FOUND');
    // The seller cannot rate themself either, and an unknown order is the same 404.
    const unknown = await review('00000000000000000000000000', buyer.auth, { rating: 3 });
    expect(unknown.statusCode).toBe(404);
    expect(await sellerRating(sellerId)).toEqual({ rating_sum: 0, rating_count: 0 });
  });

  it('when signed out, then 401', async () => {
    const buyer = await registerUser(t);
    const { orderId } = await orderOf(buyer.user.id);
    const res = await review(orderId, {}, { rating: 3 });
    expect(res.statusCode).toBe(401);
  });

  it('when the order is not completed yet, then 409 INVALID_STATE', async () => {
    const buyer = await registerUser(t);
    for (const status of [
      'pending_payment',
      'paid',
      'delivered',
      'disputed',
      'refunded',
    ] as const) {
      const { orderId } = await orderOf(buyer.user.id, status);
      const res = await review(orderId, buyer.auth, { rating: 5 });
      expect(res.statusCode, status).toBe(409);
      expect(errorCode(res)).toBe('INVALID_STATE');
    }
  });

  it('when the rating or comment is out of range, then 400 VALIDATION_FAILED', async () => {
    const buyer = await registerUser(t);
    const { orderId } = await orderOf(buyer.user.id);
    for (const payload of [
      { rating: 0 },
      { rating: 6 },
      { rating: 3.5 },
      { rating: '5' },
      {},
      { rating: 5, comment: 'x'.repeat(501) },
    ]) {
      const res = await review(orderId, buyer.auth, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    const ok = await review(orderId, buyer.auth, { rating: 5, comment: 'x'.repeat(500) });
    expect(ok.statusCode).toBe(201);
  });

  it('when the buyer reviews twice, then 409 ALREADY_REVIEWED and the rating counts once', async () => {
    const buyer = await registerUser(t);
    const { sellerId, orderId } = await orderOf(buyer.user.id);
    expect((await review(orderId, buyer.auth, { rating: 2 })).statusCode).toBe(201);
    const again = await review(orderId, buyer.auth, { rating: 5 });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('ALREADY_REVIEWED');
    expect(await sellerRating(sellerId)).toEqual({ rating_sum: 2, rating_count: 1 });
    const other = await orderOf(buyer.user.id);
    const reviews = await findReviewsOfOrders(t.deps.db, [orderId, other.orderId]);
    expect(reviews.get(orderId)).toMatchObject({ rating: 2, comment: null });
    expect(reviews.has(other.orderId)).toBe(false);
  });

  it('when two reviews of one order race, then one 201 and one 409 ALREADY_REVIEWED', async () => {
    const buyer = await registerUser(t);
    const { sellerId, orderId } = await orderOf(buyer.user.id);
    const results = await Promise.all(
      [3, 5, 4, 1].map((rating) => review(orderId, buyer.auth, { rating })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409]);
    const winner = results.find((r) => r.statusCode === 201)!.json() as { rating: number };
    expect(await sellerRating(sellerId)).toEqual({ rating_sum: winner.rating, rating_count: 1 });
    const rows = await t.deps.db
      .selectFrom('reviews')
      .select('id')
      .where('order_id', '=', orderId)
      .execute();
    expect(rows).toHaveLength(1);
  });
});
