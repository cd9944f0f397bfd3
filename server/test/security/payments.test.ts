// The money path against a hostile client: amounts come from the listing, never the request;
// another user's order cannot be paid; bad primes decline without harm; replayed and forged
// notifies change nothing. (Time-outs settled by reconciliation:
// modules/payments/payments-attempts.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import { expectErrorShape } from './openapi-routes.ts';
import {
  cardholder,
  complete3ds,
  errorCode,
  getOrder,
  holdOrder,
  payOrder,
  postNotify,
  setupSale,
  signedInUser,
} from '../factories/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

const sim = () => t.deps.tappaySimulator!;

async function moneyRows(orderId: string) {
  const [order, payments, refunds, history] = await Promise.all([
    t.deps.db
      .selectFrom('orders')
      .select(['status', 'amount'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow(),
    t.deps.db
      .selectFrom('payments')
      .select(['amount', 'status', 'rec_trade_id'])
      .where('order_id', '=', orderId)
      .execute(),
    t.deps.db.selectFrom('refunds').select('id').where('order_id', '=', orderId).execute(),
    t.deps.db
      .selectFrom('order_status_history')
      .select('to_status')
      .where('order_id', '=', orderId)
      .execute(),
  ]);
  return { order, payments, refunds: refunds.length, history: history.map((h) => h.to_status) };
}

const notify = (body: unknown) => postNotify(t, body);

describe('payments against a hostile client', () => {
  it('when the client sends its own amount, price or currency, then the listing total is charged', async () => {
    const sale = await setupSale(t, { quantity: 2 });
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: sale.buyer.auth,
      // quantity is the buyer's to choose (issue 22), within what the listing has: 2 of 2 here.
      payload: { listingId: sale.listingId, amount: 1, price: 1, unitPrice: 1, quantity: 2 },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const order = placed.json();
    expect(order.amount).toBe(sale.amount);
    const paid = await t.app.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/pay`,
      headers: sale.buyer.auth,
      payload: {
        prime: 'sim_approve',
        cardholder,
        amount: 1,
        currency: 'USD',
        order_number: 'someone-else',
        details: 'free',
      },
    });
    expect(paid.statusCode, paid.body).toBe(200);
    const rows = await moneyRows(order.id);
    expect(rows.order).toEqual({ status: 'paid', amount: sale.amount });
    expect(rows.payments).toEqual([
      expect.objectContaining({ amount: sale.amount, status: 'succeeded' }),
    ]);
    const trades = sim().tradesOfOrder(order.id);
    expect(trades.map((tr) => tr.amount)).toEqual([sale.amount]);
  });

  it("when a user pays someone else's order, then 404 and no charge is attempted", async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const thief = await signedInUser(t);
    const res = await payOrder(t, thief, order.id, 'sim_approve');
    expect(res.statusCode, res.body).toBe(404);
    expect(expectErrorShape(res).error.code).toBe('NOT_FOUND');
    // The seller is a party to the order and may know it exists, but only the buyer pays.
    const seller = await payOrder(t, sale.seller, order.id, 'sim_approve');
    expect([403, 404]).toContain(seller.statusCode);
    const rows = await moneyRows(order.id);
    expect(rows.order.status).toBe('pending_payment');
    expect(rows.payments).toEqual([]);
    expect(sim().tradesOfOrder(order.id)).toEqual([]);
  });

  it('when the prime is expired or unknown, then 422 PAYMENT_PRIME_EXPIRED (a declined card: PAYMENT_DECLINED) and the order stays payable', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    for (const [prime, code] of [
      ['expired-prime-0123456789abcdef', 'PAYMENT_PRIME_EXPIRED'],
      ["' OR 1=1 --", 'PAYMENT_PRIME_EXPIRED'],
      ['sim_decline', 'PAYMENT_DECLINED'],
    ] as const) {
      const res = await payOrder(t, sale.buyer, order.id, prime);
      expect(res.statusCode, `${prime}: ${res.body}`).toBe(422);
      expect(errorCode(res)).toBe(code);
    }
    expect((await moneyRows(order.id)).order.status).toBe('pending_payment');
    const ok = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(ok.statusCode, ok.body).toBe(200);
    // Paying again answers the paid order (idempotent) and charges nothing more.
    const again = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(again.statusCode, again.body).toBeLessThan(500);
    const rows = await moneyRows(order.id);
    expect(rows.order.status).toBe('paid');
    expect(rows.payments.filter((p) => p.status === 'succeeded')).toHaveLength(1);
    expect(rows.history.filter((s) => s === 'paid')).toHaveLength(1);
    const charged = sim()
      .tradesOfOrder(order.id)
      .filter((tr) => tr.recordStatus === 0 || tr.recordStatus === 1);
    expect(charged).toHaveLength(1);
  });

  it('when a real notify is replayed many times, then the order is paid once and never refunded', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds');
    const paymentUrl: string = res.json().paymentUrl;
    const recTradeId = paymentUrl.split('/').pop()!;
    await complete3ds(t, paymentUrl);
    const before = await moneyRows(order.id);
    expect(before.order.status).toBe('paid');
    for (let i = 0; i < 5; i++) {
      const replay = await notify({
        rec_trade_id: recTradeId,
        order_number: order.id,
        amount: sale.amount,
        status: 0,
      });
      expect(replay.statusCode).toBe(200);
    }
    expect(await moneyRows(order.id)).toEqual(before);
    expect(before.history.filter((s) => s === 'paid')).toHaveLength(1);
    expect(before.refunds).toBe(0);
  });

  it('when notifies are forged (unknown trade, success claimed, hostile bodies), then nothing changes', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds');
    const recTradeId = (res.json().paymentUrl as string).split('/').pop()!;
    const before = await moneyRows(order.id);
    const forged: unknown[] = [
      { rec_trade_id: 'D20261125FORGED', order_number: order.id, amount: sale.amount, status: 0 },
      { rec_trade_id: recTradeId, order_number: order.id, amount: sale.amount, status: 0 },
      { rec_trade_id: recTradeId, status: 0, record_status: 1, amount: 1 },
      { rec_trade_id: `${recTradeId}' OR '1'='1` },
      { rec_trade_id: { $ne: null } },
      { rec_trade_id: [recTradeId] },
      { __proto__: { status: 0 }, constructor: { prototype: { paid: true } } },
      'x'.repeat(100_000),
      null,
    ];
    for (const body of forged) {
      const r = await notify(body);
      expect(r.statusCode, JSON.stringify(body).slice(0, 80)).toBeLessThan(500);
    }
    expect(await moneyRows(order.id)).toEqual(before);
    expect((await getOrder(t, sale.buyer, order.id)).status).toBe('pending_payment');
    expect(({} as Record<string, unknown>).paid).toBeUndefined();
  });
});
