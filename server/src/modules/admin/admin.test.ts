// Operators: schedule changes that move money, payouts, takedowns, suspensions; admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { DAY, manualClock } from '../../shared/clock.ts';
import {
  createGame,
  errorCode,
  getOrder,
  holdOrder,
  insertListing,
  notificationsAbout,
  orderAction,
  payOrder,
  placeOrder,
  setupSale,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { PLATFORM_FEE_PERCENT: '5' } });
  admin = await signedInUser(t, { role: 'admin', name: 'Ops' });
});
afterAll(async () => t.close());

const as = (
  user: TestUser,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) =>
  t.app.inject({
    method,
    url,
    headers: user.auth,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

const statusOf = async (table: 'listings' | 'orders', id: string) =>
  (
    await t.deps.db
      .selectFrom(table)
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

describe('admin access', () => {
  it('when a non-admin or nobody calls the admin API, then 403 or 401', async () => {
    const user = await signedInUser(t);
    for (const [method, url] of [
      ['GET', '/api/admin/orders'],
      ['GET', '/api/admin/payouts'],
      ['PATCH', '/api/admin/games/x'],
      ['DELETE', '/api/admin/listings/x'],
      ['POST', '/api/admin/users/x/suspend'],
    ] as const) {
      expect(
        (await as(user, method, url, method === 'GET' || method === 'DELETE' ? undefined : {}))
          .statusCode,
      ).toBe(403);
      expect((await t.app.inject({ method, url })).statusCode).toBe(401);
    }
  });
});

describe('game changes', () => {
  it('when a game is cancelled, then listings are cancelled, holds released and every paid order refunded', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const [active, held, paidL, deliveredL] = await Promise.all(
      [1, 2, 3, 4].map(() => insertListing(t, { game, sellerId: seller.id, quantity: 1 })),
    );
    const holder = await signedInUser(t);
    const hold = await holdOrder(t, holder, held!);
    const payer = await signedInUser(t);
    const paid = await holdOrder(t, payer, paidL!);
    await payOrder(t, payer, paid.id, 'sim_approve');
    const receiver = await signedInUser(t);
    const delivered = await holdOrder(t, receiver, deliveredL!);
    await payOrder(t, receiver, delivered.id, 'sim_approve');
    await orderAction(t, seller, delivered.id, 'deliver');

    const res = await as(admin, 'PATCH', `/api/admin/games/${game.id}`, { status: 'cancelled' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      game: { id: game.id, status: 'cancelled' },
      listingsCancelled: 1,
      ordersCancelled: 1,
      ordersRefunded: 2,
    });
    expect(await statusOf('listings', active!)).toBe('cancelled');
    expect(await statusOf('listings', held!)).toBe('cancelled');
    expect(await statusOf('orders', hold.id)).toBe('cancelled');
    for (const [user, id] of [
      [payer, paid.id],
      [receiver, delivered.id],
    ] as const) {
      const o = await getOrder(t, user, id);
      expect(o).toMatchObject({
        status: 'refunded',
        refund: { status: 'succeeded', reason: 'game cancelled' },
      });
      expect(o.timeline.at(-1).actor).toBe('admin');
      const types = (await notificationsAbout(t, id)).map((n) => n.type);
      expect(types).toContain('order_refunded');
    }
    const told = await t.deps.db
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'notification.send')
      .where('payload', 'like', `%game_cancelled:${game.id}%`)
      .execute();
    const users = told.map((j) => JSON.parse(j.payload).userId);
    expect(users).toEqual(expect.arrayContaining([holder.id, payer.id, receiver.id, seller.id]));
    const again = await as(admin, 'PATCH', `/api/admin/games/${game.id}`, { status: 'scheduled' });
    expect(again.statusCode).toBe(409);
    expect((await placeOrder(t, await signedInUser(t), active!)).statusCode).toBe(422);
  });

  it('when a game is postponed to a make-up date, then holders are told and a buyer may cancel for a full refund', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    await payOrder(t, sale.buyer, order.id, 'sim_approve');
    const makeUp = new Date(clock.now().getTime() + 20 * DAY).toISOString();
    const res = await as(admin, 'PATCH', `/api/admin/games/${sale.game.id}`, {
      status: 'postponed',
      startsAt: makeUp,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      // A make-up game: on sale again at its new start (docs/PRODUCT.md §2.2).
      game: { status: 'scheduled', startsAt: makeUp, makeupStartsAt: makeUp },
      holdersNotified: 1,
    });
    const told = await t.deps.db
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'notification.send')
      .where('payload', 'like', `%game_postponed:${sale.game.id}%`)
      .execute();
    expect(told.map((j) => JSON.parse(j.payload))).toEqual([
      expect.objectContaining({
        userId: sale.buyer.id,
        type: 'game_postponed',
        params: expect.objectContaining({ startsAt: makeUp, previousStartsAt: sale.game.startsAt }),
      }),
    ]);
    const cancelled = await orderAction(t, sale.buyer, order.id, 'cancel');
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'refunded', refund: { amount: sale.amount } });
    const bad = await as(admin, 'PATCH', `/api/admin/games/${sale.game.id}`, { status: 'nope' });
    expect(bad.statusCode).toBe(400);
    const missing = await as(admin, 'PATCH', '/api/admin/games/00000000000000000000000000', {
      status: 'final',
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('payouts', () => {
  it('when an order completes, then a payout net of the platform fee is owed; marking it paid tells the seller', async () => {
    const sale = await setupSale(t, { quantity: 1, price: 500 });
    await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: sale.seller.auth,
      payload: { payoutAccount: { bankCode: '822', accountNumber: '123456789012' } },
    });
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    await payOrder(t, sale.buyer, order.id, 'sim_approve');
    await orderAction(t, sale.seller, order.id, 'deliver');
    await orderAction(t, sale.buyer, order.id, 'confirm');
    const list = await as(admin, 'GET', '/api/admin/payouts?status=owed&limit=50');
    expect(list.statusCode).toBe(200);
    const payout = list.json().items.find((p: { orderId: string }) => p.orderId === order.id);
    expect(payout).toMatchObject({
      grossAmount: 500,
      fee: 25,
      amount: 475,
      status: 'owed',
      seller: {
        id: sale.seller.id,
        payoutAccount: { bankCode: '822', accountMasked: '********9012' },
      },
    });
    expect(list.body).not.toContain('123456789012');
    const paid = await as(admin, 'POST', `/api/admin/payouts/${payout.id}/paid`);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', paidAt: expect.any(String) });
    expect((await as(admin, 'POST', `/api/admin/payouts/${payout.id}/paid`)).statusCode).toBe(409);
    const types = (await notificationsAbout(t, payout.id)).map((n) => n.type);
    expect(types.filter((x) => x === 'payout_paid')).toHaveLength(1);
  });
});

describe('takedowns and suspensions', () => {
  it('when an admin takes a listing down, then it is cancelled (a hold on it too); a sold one is 409', async () => {
    const a = await setupSale(t);
    expect((await as(admin, 'DELETE', `/api/admin/listings/${a.listingId}`)).statusCode).toBe(204);
    expect(await statusOf('listings', a.listingId)).toBe('cancelled');
    const b = await setupSale(t);
    const hold = await holdOrder(t, b.buyer, b.listingId);
    expect((await as(admin, 'DELETE', `/api/admin/listings/${b.listingId}`)).statusCode).toBe(204);
    expect(await statusOf('orders', hold.id)).toBe('cancelled');
    expect(await statusOf('listings', b.listingId)).toBe('cancelled');
    const c = await setupSale(t);
    const sold = await holdOrder(t, c.buyer, c.listingId);
    await payOrder(t, c.buyer, sold.id, 'sim_approve');
    const res = await as(admin, 'DELETE', `/api/admin/listings/${c.listingId}`);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('INVALID_STATE');
    expect(
      (await as(admin, 'DELETE', '/api/admin/listings/00000000000000000000000000')).statusCode,
    ).toBe(404);
  });

  it('when a user is suspended, then their token stops working and their listings come down', async () => {
    const sale = await setupSale(t);
    const res = await as(admin, 'POST', `/api/admin/users/${sale.seller.id}/suspend`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ id: sale.seller.id, status: 'suspended', listingsCancelled: 1 });
    expect((await as(sale.seller, 'GET', '/api/me')).statusCode).toBe(401);
    expect(await statusOf('listings', sale.listingId)).toBe('cancelled');
    const back = await as(admin, 'POST', `/api/admin/users/${sale.seller.id}/suspend`, {
      suspended: false,
    });
    expect(back.json().status).toBe('active');
    expect((await as(sale.seller, 'GET', '/api/me')).statusCode).toBe(200);
    expect((await as(admin, 'POST', `/api/admin/users/${admin.id}/suspend`)).statusCode).toBe(409);
  });
});
