// The buyer-seller journey on the real app and database, payments through the TapPay simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { DAY, HOUR, manualClock } from '../../shared/clock.ts';
import {
  complete3ds,
  createGame,
  errorCode,
  getOrder,
  holdOrder,
  insertListing,
  notificationsAbout,
  orderAction,
  paidOrder,
  payOrder,
  placeOrder,
  setupSale,
  signedInUser,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({
    clock,
    env: { CHECKOUT_HOLD_SECONDS: '600', AUTO_COMPLETE_HOURS: '24' },
  });
});
afterAll(async () => t.close());

const listingStatus = async (id: string) =>
  (
    await t.deps.db
      .selectFrom('listings')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

describe('checkout hold', () => {
  it('when a buyer orders an active listing, then 201 pending_payment with a hold and the listing is held', async () => {
    const sale = await setupSale(t, { quantity: 2, price: 300 });
    const res = await placeOrder(t, sale.buyer, sale.listingId);
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      status: 'pending_payment',
      amount: 600,
      quantity: 2,
      unitPrice: 300,
      listing: { id: sale.listingId, status: 'held' },
      buyer: { id: sale.buyer.id },
      seller: { id: sale.seller.id },
      payment: null,
    });
    expect(Date.parse(order.expiresAt) - clock.now().getTime()).toBe(600_000);
    expect(order.timeline).toEqual([
      expect.objectContaining({ from: null, to: 'pending_payment', actor: 'buyer' }),
    ]);
    expect(await listingStatus(sale.listingId)).toBe('held');
    // The seller is told when it is paid (order_paid), not of an unpaid hold (issue 16 item 2).
    expect(await notificationsAbout(t, order.id)).toEqual([]);
  });

  it('when someone else already holds the listing, then 409 LISTING_UNAVAILABLE', async () => {
    const sale = await setupSale(t);
    await holdOrder(t, sale.buyer, sale.listingId);
    const other = await signedInUser(t);
    const res = await placeOrder(t, other, sale.listingId);
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('LISTING_UNAVAILABLE');
  });

  it('when the seller tries to buy their own listing, then 422 CANNOT_BUY_OWN_LISTING', async () => {
    const sale = await setupSale(t);
    const res = await placeOrder(t, sale.seller, sale.listingId);
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('CANNOT_BUY_OWN_LISTING');
  });

  it('when the game has started, then 422 GAME_NOT_ON_SALE', async () => {
    const started = await setupSale(t, {
      game: { startsAt: new Date(clock.now().getTime() - HOUR) },
    });
    const res = await placeOrder(t, started.buyer, started.listingId);
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('GAME_NOT_ON_SALE');
  });

  it('when the game is postponed, then 422 GAME_NOT_ON_SALE', async () => {
    const postponed = await setupSale(t, { game: { status: 'postponed' } });
    const res = await placeOrder(t, postponed.buyer, postponed.listingId);
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('GAME_NOT_ON_SALE');
  });

  it('when the listing is unknown, then 404', async () => {
    const buyer = await signedInUser(t);
    const missing = await placeOrder(t, buyer, '00000000000000000000000000');
    expect(missing.statusCode).toBe(404);
  });

  it('when the body is malformed, then 400, never 500', async () => {
    const buyer = await signedInUser(t);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: buyer.auth,
      payload: { listingId: 'x y' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('when nobody is signed in, then 401', async () => {
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/orders',
      payload: { listingId: 'abc' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('when the same Idempotency-Key is sent twice, then the same order comes back (201, then 200)', async () => {
    const sale = await setupSale(t);
    const headers = { 'idempotency-key': `key-${sale.listingId}` };
    const first = await placeOrder(t, sale.buyer, sale.listingId, headers);
    const second = await placeOrder(t, sale.buyer, sale.listingId, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect(second.json()).toEqual(first.json());
  });

  it('when two requests with one Idempotency-Key arrive at once, then they converge on one order', async () => {
    const sale = await setupSale(t);
    const headers = { 'idempotency-key': `key-${sale.listingId}` };
    const both = await Promise.all([
      placeOrder(t, sale.buyer, sale.listingId, headers),
      placeOrder(t, sale.buyer, sale.listingId, headers),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(both[0].json().id).toBe(both[1].json().id);
  });

  it('when an Idempotency-Key is reused for another listing, then 400', async () => {
    const sale = await setupSale(t);
    const other = await setupSale(t);
    const headers = { 'idempotency-key': `key-${sale.listingId}` };
    expect((await placeOrder(t, sale.buyer, sale.listingId, headers)).statusCode).toBe(201);
    const elsewhere = await placeOrder(t, sale.buyer, other.listingId, headers);
    expect(elsewhere.statusCode).toBe(400);
  });
});

describe('purchase limits', () => {
  it('when a buyer would hold more than 8 tickets of one game, then 422 PURCHASE_LIMIT', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const buyer = await signedInUser(t);
    const a = await insertListing(t, { game, sellerId: seller.id, quantity: 6 });
    const b = await insertListing(t, { game, sellerId: seller.id, quantity: 3 });
    const c = await insertListing(t, { game, sellerId: seller.id, quantity: 2 });
    const first = await holdOrder(t, buyer, a);
    expect((await payOrder(t, buyer, first.id, 'sim_approve')).statusCode).toBe(200);
    const tooMany = await placeOrder(t, buyer, b);
    expect(tooMany.statusCode).toBe(422);
    expect(errorCode(tooMany)).toBe('PURCHASE_LIMIT');
    expect(await listingStatus(b)).toBe('active');
    expect((await placeOrder(t, buyer, c)).statusCode).toBe(201); // 6 + 2 = 8 is fine
  });

  it('when a buyer already has 2 unpaid orders, then a third is 422 PURCHASE_LIMIT', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const buyer = await signedInUser(t);
    const ids = await Promise.all(
      [1, 2, 3].map(() => insertListing(t, { game, sellerId: seller.id, quantity: 1 })),
    );
    await holdOrder(t, buyer, ids[0]!);
    await holdOrder(t, buyer, ids[1]!);
    const third = await placeOrder(t, buyer, ids[2]!);
    expect(third.statusCode).toBe(422);
    expect(errorCode(third)).toBe('PURCHASE_LIMIT');
  });
});

describe('paying', () => {
  it('when the card is declined and then approved, then 422 PAYMENT_DECLINED first and the order is paid after', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const declined = await payOrder(t, sale.buyer, order.id, 'sim_decline');
    expect(declined.statusCode).toBe(422);
    expect(errorCode(declined)).toBe('PAYMENT_DECLINED');
    const still = await getOrder(t, sale.buyer, order.id);
    expect(still.status).toBe('pending_payment');
    expect(still.payment).toMatchObject({ status: 'failed', providerStatus: 10003 });

    const ok = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(ok.statusCode, ok.body).toBe(200);
    const paid = ok.json().order;
    expect(paid).toMatchObject({
      status: 'paid',
      payment: { status: 'succeeded', amount: sale.amount },
    });
    expect(paid.paidAt).toBeTruthy();
    expect(paid.deliverBy).toBeTruthy();
    expect(paid.listing.status).toBe('sold');
    expect(paid.timeline.map((e: { to: string }) => e.to)).toEqual(['pending_payment', 'paid']);
    const rows = await t.deps.db
      .selectFrom('payments')
      .selectAll()
      .where('order_id', '=', order.id)
      .orderBy('created_at')
      .execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    for (const r of rows) {
      expect(r.amount).toBe(sale.amount);
      // No card data: "4242" standing alone (last four digits), not inside a random trade id.
      expect(r.raw_response ?? '').not.toMatch(
        /card_info|cardholder|sim_approve|prime|(?<![0-9a-z])4242(?![0-9a-z])/i,
      );
    }
    const notes = await notificationsAbout(t, order.id);
    expect(notes.map((n) => n.type)).toContain('order_paid');
    const trending = await t.deps.db
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'trending.refresh')
      .where('payload', 'like', `%${sale.game.id}%`)
      .execute();
    expect(trending).toHaveLength(1);
  });

  it('when the card needs 3-D Secure, then a paymentUrl, and the simulator page pays the order through the notify', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds');
    expect(res.statusCode, res.body).toBe(200);
    const { paymentUrl, order: pending } = res.json();
    expect(paymentUrl).toMatch(/\/_sim\/tappay\/3ds\//);
    expect(pending.status).toBe('pending_payment');
    expect(pending.payment.status).toBe('requires_action');
    const redirect = await complete3ds(t, paymentUrl);
    expect(redirect).toBe(`/checkout/${order.id}`);
    const paid = await getOrder(t, sale.buyer, order.id);
    expect(paid.status).toBe('paid');
    expect(paid.timeline.filter((e: { to: string }) => e.to === 'paid')).toHaveLength(1);
  });

  it('when a stranger pays someone’s order, then 404', async () => {
    const { orderId } = await paidOrder(t);
    const stranger = await signedInUser(t);
    expect((await payOrder(t, stranger, orderId, 'sim_approve')).statusCode).toBe(404);
  });

  it('when the seller pays their own sale, then 403', async () => {
    const { orderId, seller } = await paidOrder(t);
    expect((await payOrder(t, seller, orderId, 'sim_approve')).statusCode).toBe(403);
  });

  it('when the buyer pays an order that is paid already, then 200 paid and no second charge', async () => {
    const { orderId, buyer } = await paidOrder(t);
    const again = await payOrder(t, buyer, orderId, 'sim_approve');
    expect(again.statusCode).toBe(200);
    expect(again.json().order.status).toBe('paid');
    expect(t.deps.tappaySimulator!.tradesOfOrder(orderId)).toHaveLength(1);
  });
});

describe('hand-over and escrow', () => {
  it('when the seller delivers and the buyer confirms, then completed with a payout owed and a sale counted', async () => {
    const { orderId, buyer, seller, amount } = await paidOrder(t);
    const early = await orderAction(t, buyer, orderId, 'confirm');
    expect(early.statusCode).toBe(409);
    expect(errorCode(early)).toBe('INVALID_STATE');
    const notSeller = await orderAction(t, buyer, orderId, 'deliver', { note: 'x' });
    expect(notSeller.statusCode).toBe(403);
    const delivered = await orderAction(t, seller, orderId, 'deliver', {
      note: 'transferred in the app',
    });
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json()).toMatchObject({
      status: 'delivered',
      deliveryNote: 'transferred in the app',
    });
    const twice = await orderAction(t, seller, orderId, 'deliver');
    expect(twice.statusCode, twice.body).toBe(409);

    const done = await orderAction(t, buyer, orderId, 'confirm');
    expect(done.statusCode).toBe(200);
    expect(done.json().status).toBe('completed');
    expect(done.json().payout).toBeNull(); // buyers do not see the seller's payout
    const sellerView = await getOrder(t, seller, orderId);
    expect(sellerView.payout).toMatchObject({ amount, fee: 0, status: 'owed' });
    expect(sellerView.timeline.map((e: { to: string }) => e.to)).toEqual([
      'pending_payment',
      'paid',
      'delivered',
      'completed',
    ]);
    const user = await t.deps.db
      .selectFrom('users')
      .select('completed_sales')
      .where('id', '=', seller.id)
      .executeTakeFirstOrThrow();
    expect(user.completed_sales).toBe(1);
    const types = (await notificationsAbout(t, orderId)).map((n) => n.type);
    expect(types).toEqual(expect.arrayContaining(['order_delivered', 'order_completed']));
  });

  it('when a stranger reads or acts on an order, then 404', async () => {
    const { orderId } = await paidOrder(t);
    const stranger = await signedInUser(t);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/orders/${orderId}`,
      headers: stranger.auth,
    });
    expect(read.statusCode).toBe(404);
    for (const action of ['cancel', 'deliver', 'confirm'] as const) {
      expect((await orderAction(t, stranger, orderId, action)).statusCode).toBe(404);
    }
  });

  it('when the seller cancels a paid order, then it is refunded through TapPay and the listing stays sold', async () => {
    const { orderId, seller, buyer, listingId, amount } = await paidOrder(t);
    // A paid sale is cancelled only with a reason (the buyer is told; it is a strike).
    for (const payload of [undefined, {}, { reason: '   ' }]) {
      const refused = await orderAction(t, seller, orderId, 'cancel', payload);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(errorCode(refused)).toBe('VALIDATION_FAILED');
    }
    const res = await orderAction(t, seller, orderId, 'cancel', { reason: '臨時有事無法交付' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'refunded',
      refund: { amount, status: 'succeeded', reason: 'seller cancelled' },
    });
    expect(await listingStatus(listingId)).toBe('sold');
    const trade = t.deps.tappaySimulator!.tradesOfOrder(orderId)[0]!;
    expect(trade.refundedAmount).toBe(amount);
    const types = (await notificationsAbout(t, orderId)).map((n) => n.type);
    expect(types).toContain('order_refunded');
    // A buyer cannot cancel a paid order of a scheduled game.
    const { orderId: other, buyer: b2 } = await paidOrder(t);
    const refused = await orderAction(t, b2, other, 'cancel');
    expect(refused.statusCode).toBe(409);
    expect(buyer.id).not.toBe(b2.id);
  });

  it('when the buyer cancels an unpaid order, then it is cancelled and the listing is on sale again', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await orderAction(t, sale.buyer, order.id, 'cancel');
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('cancelled');
    expect(await listingStatus(sale.listingId)).toBe('active');
    const again = await orderAction(t, sale.buyer, order.id, 'cancel');
    expect(again.statusCode).toBe(409);
    // Someone else can buy it now.
    const next = await signedInUser(t);
    expect((await placeOrder(t, next, sale.listingId)).statusCode).toBe(201);
  });

  it('when the buyer disputes a delivered ticket and an admin releases it, then the seller is owed the payout', async () => {
    const adminUser = await signedInUser(t, { role: 'admin' });
    const a = await paidOrder(t);
    await orderAction(t, a.seller, a.orderId, 'deliver');
    const disputed = await orderAction(t, a.buyer, a.orderId, 'dispute', {
      reasonCode: 'wrong_seats',
      reason: 'wrong seats',
    });
    expect(disputed.statusCode).toBe(200);
    expect(disputed.json()).toMatchObject({ status: 'disputed', disputeReason: 'wrong seats' });
    expect(
      (
        await orderAction(t, a.buyer, a.orderId, 'dispute', {
          reasonCode: 'other',
          reason: 'again',
        })
      ).statusCode,
    ).toBe(409);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/admin/orders?status=disputed&limit=50',
      headers: adminUser.auth,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((o: { id: string }) => o.id)).toContain(a.orderId);
    const released = await t.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${a.orderId}/resolve`,
      headers: adminUser.auth,
      payload: { outcome: 'release', reason: 'the buyer got the tickets' },
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ status: 'completed', payout: { status: 'owed' } });
    expect(released.json().timeline.at(-1)).toMatchObject({ actor: 'admin', to: 'completed' });
  });

  it('when the buyer disputes before hand-over and an admin refunds it, then the buyer is paid back once', async () => {
    const adminUser = await signedInUser(t, { role: 'admin' });
    const b = await paidOrder(t);
    await orderAction(t, b.buyer, b.orderId, 'dispute', {
      reasonCode: 'not_received',
      reason: 'seller vanished',
    });
    const refunded = await t.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${b.orderId}/resolve`,
      headers: adminUser.auth,
      payload: { outcome: 'refund', reason: 'nothing was sent' },
    });
    expect(refunded.statusCode).toBe(200);
    expect(refunded.json()).toMatchObject({ status: 'refunded', refund: { status: 'succeeded' } });
    const notAgain = await t.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${b.orderId}/resolve`,
      headers: adminUser.auth,
      payload: { outcome: 'release', reason: 'the buyer got the tickets' },
    });
    expect(notAgain.statusCode).toBe(409);
  });
});

describe('reasons on the timeline (issue 21 item 3)', () => {
  it('when the seller cancels a paid order with a reason, then the refund is on the timeline with their words for both parties', async () => {
    const { orderId, seller, buyer } = await paidOrder(t);
    const res = await orderAction(t, seller, orderId, 'cancel', { reason: '臨時有事無法出貨' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().timeline.at(-1)).toMatchObject({
      to: 'refunded',
      actor: 'seller',
      note: '臨時有事無法出貨',
    });
    const seen = await getOrder(t, buyer, orderId);
    expect(seen.timeline.at(-1)).toMatchObject({ to: 'refunded', note: '臨時有事無法出貨' });
  });

  it('when an order moves without a person giving words, then its timeline note is null, and a dispute and a delivery carry theirs', async () => {
    const { orderId, seller, buyer } = await paidOrder(t);
    await orderAction(t, seller, orderId, 'deliver', { note: '已轉贈' });
    await orderAction(t, buyer, orderId, 'dispute', {
      reasonCode: 'wrong_seats',
      reason: '座位不對',
    });
    const timeline = (await getOrder(t, buyer, orderId)).timeline;
    expect(timeline.map((e: { to: string; note: string | null }) => [e.to, e.note])).toEqual([
      ['pending_payment', null],
      ['paid', null],
      ['delivered', '已轉贈'],
      ['disputed', '座位不對'],
    ]);
  });

  it('when an admin settles a dispute with a reason, then the reason is on the timeline', async () => {
    const adminUser = await signedInUser(t, { role: 'admin' });
    const b = await paidOrder(t);
    await orderAction(t, b.buyer, b.orderId, 'dispute', {
      reasonCode: 'not_received',
      reason: 'seller vanished',
    });
    const refunded = await t.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${b.orderId}/resolve`,
      headers: adminUser.auth,
      payload: { outcome: 'refund', reason: '賣家未回應，全額退款' },
    });
    expect(refunded.statusCode, refunded.body).toBe(200);
    expect(refunded.json().timeline.at(-1)).toMatchObject({
      to: 'refunded',
      actor: 'admin',
      note: '賣家未回應，全額退款',
    });
  });
});

describe('my orders', () => {
  it('when a user lists their orders as buyer or seller, then a cursor page of their own orders, filterable by status', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const buyer = await signedInUser(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const listingId = await insertListing(t, { game, sellerId: seller.id, quantity: 1 });
      const order = await holdOrder(t, buyer, listingId);
      ids.push(order.id);
      if (i < 2) await payOrder(t, buyer, order.id, 'sim_approve');
      clock.advance(1000);
    }
    const page1 = await t.app.inject({
      method: 'GET',
      url: '/api/me/orders?limit=2',
      headers: buyer.auth,
    });
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json();
    expect(body1.items.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
    expect(body1.nextCursor).toBeTruthy();
    const page2 = await t.app.inject({
      method: 'GET',
      url: `/api/me/orders?limit=2&cursor=${body1.nextCursor}`,
      headers: buyer.auth,
    });
    expect(page2.json()).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
    const paid = await t.app.inject({
      method: 'GET',
      url: '/api/me/orders?status=paid',
      headers: buyer.auth,
    });
    expect(
      paid
        .json()
        .items.map((o: { id: string }) => o.id)
        .sort(),
    ).toEqual([ids[0], ids[1]].sort());
    const sold = await t.app.inject({
      method: 'GET',
      url: '/api/me/orders?role=seller',
      headers: seller.auth,
    });
    expect(sold.json().items).toHaveLength(3);
    expect(sold.json().items[0]).toMatchObject({
      seller: { id: seller.id },
      listing: { game: { id: game.id } },
    });
    const none = await t.app.inject({
      method: 'GET',
      url: '/api/me/orders?role=seller',
      headers: buyer.auth,
    });
    expect(none.json().items).toEqual([]);
    const tampered = await t.app.inject({
      method: 'GET',
      url: '/api/me/orders?cursor=xyz',
      headers: buyer.auth,
    });
    expect(tampered.statusCode).toBe(400);
  });
});

describe('job handlers', () => {
  it('when the money-path jobs are registered, then every sweep has a handler', () => {
    for (const type of [
      'orders.expire-holds',
      'orders.hold-expiry',
      'orders.escrow',
      'payments.reconcile',
      'payments.reconcile-stale',
      'payments.refund',
      'notification.send',
      'trending.refresh',
    ]) {
      expect(t.deps.jobs.get(type), type).toBeTypeOf('function');
    }
  });
});

describe('time (manual clock)', () => {
  it('when the hold runs out, then paying is refused, the order expires and the listing is on sale again', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    clock.advance(601_000);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('INVALID_STATE');
    const after = await getOrder(t, sale.buyer, order.id);
    expect(after.status).toBe('expired');
    expect(await listingStatus(sale.listingId)).toBe('active');
    expect(t.deps.tappaySimulator!.tradesOfOrder(order.id)).toHaveLength(0);
  });

  it('when the expire-holds job runs after the hold, then the order expires and the buyer is told', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    expect(await t.deps.orders.sweeps.expireHolds({ gameId: sale.game.id })).toBe(0);
    clock.advance(600_000);
    expect(await t.deps.orders.sweeps.expireHolds({ gameId: sale.game.id })).toBe(1);
    const row = await t.deps.db
      .selectFrom('orders')
      .select('status')
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    expect(await listingStatus(sale.listingId)).toBe('active');
    const types = (await notificationsAbout(t, order.id)).map((n) => n.type);
    expect(types).toContain('order_expired');
  });

  it('when a hold runs out, then its own job, due at expires_at, puts the listing back on sale without waiting for the sweep', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const job = await t.deps.db
      .selectFrom('jobs')
      .select(['run_at', 'status'])
      .where('type', '=', 'orders.hold-expiry')
      .where('payload', '=', JSON.stringify({ orderId: order.id }))
      .executeTakeFirstOrThrow();
    expect(job.run_at).toBe(order.expiresAt);
    const detail = async () =>
      (await t.app.inject({ method: 'GET', url: `/api/listings/${sale.listingId}` })).json().status;
    expect(await detail()).toBe('held');
    // Not due before the hold ends.
    clock.advance(599_000);
    await t.deps.worker.runDueJobs({ types: ['orders.hold-expiry'] });
    expect(await listingStatus(sale.listingId)).toBe('held');
    clock.advance(1_000);
    // Earlier tests' holds are due too: run every due expiry job, batch after batch.
    while ((await t.deps.worker.runDueJobs({ types: ['orders.hold-expiry'] })) > 0);
    expect(await listingStatus(sale.listingId)).toBe('active');
    expect(await detail()).toBe('active');
    expect((await getOrder(t, sale.buyer, order.id)).status).toBe('expired');
  });

  it('when a held listing’s hold ran out unswept, then the next buyer gets it', async () => {
    const sale = await setupSale(t);
    await holdOrder(t, sale.buyer, sale.listingId);
    clock.advance(600_000);
    const next = await signedInUser(t);
    const res = await placeOrder(t, next, sale.listingId);
    expect(res.statusCode, res.body).toBe(201);
  });

  it('when the seller misses the hand-over deadline, then the escrow job refunds the buyer (and a late deliver is refused)', async () => {
    const swept = await paidOrder(t);
    const guarded = await paidOrder(t);
    const order = await getOrder(t, swept.seller, swept.orderId);
    expect(Date.parse(order.deliverBy) - Date.parse(order.paidAt)).toBe(24 * HOUR);
    clock.set(new Date(Date.parse(order.deliverBy) + 60_000));
    expect(await t.deps.orders.sweeps.runEscrow({ gameId: swept.game.id })).toEqual({
      refunded: 1,
      completed: 0,
    });
    const after = await getOrder(t, swept.seller, swept.orderId);
    expect(after).toMatchObject({
      status: 'refunded',
      refund: { amount: swept.amount, status: 'succeeded', reason: 'delivery deadline missed' },
    });
    expect(after.timeline.at(-1)).toMatchObject({ actor: 'system', to: 'refunded' });

    const late = await orderAction(t, guarded.seller, guarded.orderId, 'deliver');
    expect(late.statusCode).toBe(409);
    expect((await getOrder(t, guarded.buyer, guarded.orderId)).status).toBe('refunded');
  });

  it('when the game has been over for AUTO_COMPLETE_HOURS without a dispute, then the order completes by itself', async () => {
    const sale = await setupSale(t, {
      game: { startsAt: new Date(clock.now().getTime() + 2 * DAY) },
    });
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    await payOrder(t, sale.buyer, order.id, 'sim_approve');
    await orderAction(t, sale.seller, order.id, 'deliver');
    clock.set(new Date(Date.parse(sale.game.startsAt) + 23 * HOUR));
    expect((await t.deps.orders.sweeps.runEscrow({ gameId: sale.game.id })).completed).toBe(0);
    clock.advance(HOUR + 1000);
    expect((await t.deps.orders.sweeps.runEscrow({ gameId: sale.game.id })).completed).toBe(1);
    const after = await getOrder(t, sale.seller, order.id);
    expect(after).toMatchObject({ status: 'completed', payout: { status: 'owed' } });
    expect(after.timeline.at(-1)).toMatchObject({ actor: 'system', to: 'completed' });
  });
});
