// Paid once, charged once: replayed and forged notifies, notify racing the pay call, concurrent
// pay calls, a charge after the hold ran out, TapPay time-outs settled by the Record API, and the
// jobs that reconcile attempts and carry out refunds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { MalformedPayload } from '../../platform/jobs/jobs.ts';
import { manualClock } from '../../shared/clock.ts';
import { reconcileJob } from './payments.attempts.ts';
import { refundJob } from './payments.refunds.ts';
import {
  complete3ds,
  errorCode,
  getOrder,
  holdOrder,
  paidOrder,
  payOrder,
  insertPaymentAttempt,
  postNotify,
  setupSale,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

const sim = () => t.deps.tappaySimulator!;

const notify = (body: unknown) => postNotify(t, body);

async function rowsOf(orderId: string) {
  const [payments, refunds, history] = await Promise.all([
    t.deps.db.selectFrom('payments').selectAll().where('order_id', '=', orderId).execute(),
    t.deps.db.selectFrom('refunds').selectAll().where('order_id', '=', orderId).execute(),
    t.deps.db
      .selectFrom('order_status_history')
      .selectAll()
      .where('order_id', '=', orderId)
      .execute(),
  ]);
  return {
    payments,
    refunds,
    paidTransitions: history.filter((h) => h.to_status === 'paid').length,
  };
}

/** An order waiting in 3-D Secure: its trade id and the page URL. */
async function in3ds() {
  const sale = await setupSale(t);
  const order = await holdOrder(t, sale.buyer, sale.listingId);
  const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds');
  expect(res.statusCode, res.body).toBe(200);
  const paymentUrl: string = res.json().paymentUrl;
  const recTradeId = paymentUrl.split('/').pop()!;
  return { ...sale, orderId: order.id, paymentUrl, recTradeId };
}

describe('backend notify and browser return', () => {
  it('when the notify is delivered twice and replayed later, then the order is paid once', async () => {
    const s = await in3ds();
    await complete3ds(t, s.paymentUrl);
    const replay = sim().get(s.recTradeId)!;
    const body = {
      rec_trade_id: replay.recTradeId,
      order_number: s.orderId,
      amount: s.amount,
      status: 0,
    };
    for (let i = 0; i < 3; i++) expect((await notify(body)).statusCode).toBe(200);
    const rows = await rowsOf(s.orderId);
    expect(rows.paidTransitions).toBe(1);
    expect(rows.payments.map((p) => p.status)).toEqual(['succeeded']);
    expect(rows.refunds).toEqual([]);
  });

  it('when notifies, returns and reads arrive all at once, then one paid transition and no refund', async () => {
    const s = await in3ds();
    // The bank approves (the simulator page), but we fire the triggers ourselves, concurrently.
    sim().get(s.recTradeId)!.recordStatus = 1;
    const body = { rec_trade_id: s.recTradeId };
    const results = await Promise.all([
      notify(body),
      notify(body),
      notify(body),
      t.app.inject({ method: 'GET', url: `/payments/tappay/return?rec_trade_id=${s.recTradeId}` }),
      t.app.inject({ method: 'GET', url: `/payments/tappay/return?rec_trade_id=${s.recTradeId}` }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 303, 303]);
    expect(results[3]!.headers.location).toBe(`/checkout/${s.orderId}`);
    const rows = await rowsOf(s.orderId);
    expect(rows.paidTransitions).toBe(1);
    expect(rows.refunds).toEqual([]);
    expect((await getOrder(t, s.buyer, s.orderId)).status).toBe('paid');
  });

  it('when the notify overtakes the pay call’s own answer, then the order is paid once', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_approve_notify');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().order.status).toBe('paid');
    const rows = await rowsOf(order.id);
    expect(rows.paidTransitions).toBe(1);
    expect(rows.payments).toHaveLength(1);
    expect(rows.payments[0]!.provider_message).toMatch(/notify/);
    expect(rows.refunds).toEqual([]);
    expect(sim().tradesOfOrder(order.id)).toHaveLength(1);
  });

  it('when a notify is forged, then nothing changes and the notifier still gets 200', async () => {
    const s = await in3ds();
    const before = await getOrder(t, s.buyer, s.orderId);
    // Unknown trade, garbage, a claim of success for a trade still waiting for 3-D Secure.
    for (const body of [
      { rec_trade_id: 'D-NOT-A-TRADE', order_number: s.orderId, amount: s.amount, status: 0 },
      { rec_trade_id: s.recTradeId, order_number: s.orderId, amount: s.amount, status: 0 },
      { nonsense: true },
      { rec_trade_id: '../../etc/passwd' },
      [],
    ]) {
      const res = await notify(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(200);
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/payments/tappay/notify',
      headers: { 'content-type': 'application/json' },
      payload: '{"rec_trade_id":',
    });
    expect(bad.statusCode).toBe(400);
    const after = await getOrder(t, s.buyer, s.orderId);
    expect(after.status).toBe('pending_payment');
    expect(after.timeline).toEqual(before.timeline);
    const ret = await t.app.inject({
      method: 'GET',
      url: '/payments/tappay/return?rec_trade_id=D-NOPE',
    });
    expect(ret.statusCode).toBe(303);
    expect(ret.headers.location).toBe('/me/orders');
  });

  it('when a real trade is notified with another order’s number, then only the trade’s own order moves', async () => {
    const a = await in3ds();
    const b = await in3ds();
    sim().get(a.recTradeId)!.recordStatus = 1;
    await notify({
      rec_trade_id: a.recTradeId,
      order_number: b.orderId,
      amount: b.amount,
      status: 0,
    });
    expect((await getOrder(t, a.buyer, a.orderId)).status).toBe('paid');
    expect((await getOrder(t, b.buyer, b.orderId)).status).toBe('pending_payment');
  });

  it('when a trade for the order has the wrong amount, then it confirms nothing', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    // An attempt whose answer was lost (no trade id yet) ...
    const paymentId = await insertPaymentAttempt(t, {
      order_id: order.id,
      provider: 'simulator',
      amount: sale.amount,
      status: 'unknown',
      provider_status: 421,
      provider_message: 'Gateway Timeout',
    });
    // ... and a charged trade naming the order, for one dollar less.
    const forged = await sim().payByPrime(t.deps.tappaySimulator!.partnerKey, {
      prime: 'sim_approve',
      partner_key: t.deps.tappaySimulator!.partnerKey,
      merchant_id: t.config.payments.merchantId,
      amount: sale.amount - 1,
      currency: 'TWD',
      details: 'forged',
      order_number: order.id,
      cardholder: { phone_number: '0912345678', name: 'x', email: 'x@example.test' },
    });
    await notify({ rec_trade_id: forged.rec_trade_id });
    expect(await t.deps.payments.reconcilePayment(paymentId)).toBe('unknown');
    const rows = await rowsOf(order.id);
    expect(rows.paidTransitions).toBe(0);
    expect(rows.payments[0]).toMatchObject({ status: 'unknown', rec_trade_id: null });
  });
});

describe('pay calls', () => {
  it('when the buyer presses pay twice at once, then the card is charged once', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const results = await Promise.all([
      payOrder(t, sale.buyer, order.id, 'sim_approve'),
      payOrder(t, sale.buyer, order.id, 'sim_approve'),
    ]);
    for (const r of results) expect([200, 409]).toContain(r.statusCode);
    expect(sim().tradesOfOrder(order.id)).toHaveLength(1);
    expect((await rowsOf(order.id)).paidTransitions).toBe(1);
  });

  it('when TapPay times out (421) but the bank approved, then the Record API finds the charge and the order is paid', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_timeout');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().order.status).toBe('paid');
    const [trade] = sim().tradesOfOrder(order.id);
    const rows = await rowsOf(order.id);
    expect(rows.payments).toHaveLength(1);
    expect(rows.payments[0]).toMatchObject({
      status: 'succeeded',
      rec_trade_id: trade!.recTradeId,
    });
    expect(rows.paidTransitions).toBe(1);
  });

  it('when TapPay times out (422) and the bank declined, then PAYMENT_DECLINED and a new card can pay', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_timeout_decline');
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('PAYMENT_DECLINED');
    const ok = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(ok.json().order.status).toBe('paid');
    const charged = sim()
      .tradesOfOrder(order.id)
      .filter((x) => x.recordStatus === 1);
    expect(charged).toHaveLength(1);
  });

  it('when 3-D Secure is finished after the hold ran out, then the order stays expired and the charge is refunded', async () => {
    const s = await in3ds();
    clock.advance(601_000);
    expect(await t.deps.orders.sweeps.expireHolds({ gameId: s.game.id })).toBe(1);
    await complete3ds(t, s.paymentUrl);
    const after = await getOrder(t, s.buyer, s.orderId);
    expect(after.status).toBe('expired');
    expect(after.refund).toMatchObject({ amount: s.amount, status: 'succeeded' });
    expect(sim().get(s.recTradeId)!.refundedAmount).toBe(s.amount);
  });

  it('when the order was already paid and an older 3-D Secure attempt completes, then that second charge is refunded', async () => {
    const s = await in3ds();
    const ok = await payOrder(t, s.buyer, s.orderId, 'sim_approve');
    expect(ok.json().order.status).toBe('paid');
    await complete3ds(t, s.paymentUrl);
    const rows = await rowsOf(s.orderId);
    expect(rows.paidTransitions).toBe(1);
    expect(rows.refunds).toHaveLength(1);
    expect(rows.refunds[0]).toMatchObject({ status: 'succeeded', reason: 'duplicate charge' });
    expect(sim().get(s.recTradeId)!.refundedAmount).toBe(s.amount);
  });
});

describe('payment jobs', () => {
  it('when a refund job runs twice, then TapPay refunds once', async () => {
    const { orderId, amount } = await paidOrder(t);
    // As if the process stopped right after commit: only the refund job is left to do it.
    const [refundId] = await t.deps.db
      .transaction()
      .execute((trx) =>
        t.deps.payments.refundOrder(
          { trx, now: clock.now(), requestId: null, afterCommit() {}, failAfterCommit() {} },
          orderId,
          'test refund',
        ),
      );
    const run = t.deps.jobs.get(refundJob.type)!;
    const ctx = { jobId: 'test', attempt: 1, requestId: null };
    await run({ refundId }, ctx);
    await run({ refundId }, ctx);
    const row = await t.deps.db
      .selectFrom('refunds')
      .selectAll()
      .where('id', '=', refundId!)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('succeeded');
    expect(t.deps.tappaySimulator!.tradesOfOrder(orderId)[0]!.refundedAmount).toBe(amount);
  });

  it('when a refund job names no refund of ours, then it is done; a malformed one is refused', async () => {
    const run = t.deps.jobs.get(refundJob.type)!;
    const ctx = { jobId: 'test', attempt: 1, requestId: null };
    await expect(run({ refundId: 'no-such-refund' }, ctx)).resolves.toBeUndefined();
    await expect(run({ nonsense: true }, ctx)).rejects.toBeInstanceOf(MalformedPayload);
  });

  it('when the server lost TapPay’s approval before committing (attempt left pending), then reconciliation pays the order', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    // What a crash leaves behind: our attempt row, and a charge at TapPay we never heard about.
    const paymentId = await insertPaymentAttempt(t, {
      id: '0pendingattempt' + order.id.slice(-11),
      order_id: order.id,
      provider: 'simulator',
      amount: sale.amount,
    });
    // While the attempt may still be in flight (no trade at TapPay yet), a pay call waits its turn.
    const early = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(early.statusCode).toBe(409);
    expect(t.deps.tappaySimulator!.tradesOfOrder(order.id)).toEqual([]);
    const key = t.deps.tappaySimulator!.partnerKey;
    const charge = await t.deps.tappaySimulator!.payByPrime(key, {
      prime: 'sim_approve',
      partner_key: key,
      merchant_id: t.config.payments.merchantId,
      amount: sale.amount,
      currency: 'TWD',
      details: 'ticket',
      order_number: order.id,
      cardholder: { phone_number: '0912345678', name: 'x', email: 'x@example.test' },
    });
    // The next pay call settles the open attempt through the Record API first, which shows the
    // charge: paid at once, no second charge (server/test/faults/sigkill.test.ts does it for real).
    const again = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().order.status).toBe('paid');
    await t.deps.jobs.get(reconcileJob.type)!(
      { paymentId },
      { jobId: 'x', attempt: 1, requestId: null },
    );
    const after = await getOrder(t, sale.buyer, order.id);
    expect(after.status).toBe('paid');
    expect(after.payment).toMatchObject({ id: paymentId, status: 'succeeded' });
    expect(t.deps.tappaySimulator!.tradesOfOrder(order.id).map((x) => x.recTradeId)).toEqual([
      charge.rec_trade_id,
    ]);
  });
});

describe('operations', () => {
  it('when /metrics is scraped, then orders by status and payment outcomes are there', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/orders_by_status\{status="paid"\} \d+/);
    expect(res.body).toMatch(/payment_outcomes_total\{outcome="approved"\} \d+/);
  });

  it('when the web app asks for the payment configuration, then it gets public values only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/config/payments' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      provider: 'simulator',
      appId: t.config.payments.appId,
      appKey: t.config.payments.appKey,
      env: 'sandbox',
      wallets: [],
      applePayMerchantIdentifier: null,
      googlePayMerchantId: null,
    });
    expect(res.body).not.toContain(t.deps.tappaySimulator!.partnerKey);
  });
});
