// TapPay as documented, through the simulator (issue 23): our bank_transaction_id per attempt and
// reconciliation by it, 915 settled through the Record API, refusals classified by whose problem
// they are, 3-D Secure per environment, go_back_url, original_amount after refunds, order-number
// Record queries within a time window, bank_refund_id and full refunds without an amount, and the
// refund of a trade not captured yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { manualClock } from '../../shared/clock.ts';
import {
  errorCode,
  getOrder,
  holdOrder,
  insertPaymentAttempt,
  paidOrder,
  payOrder,
  postNotify,
  setupSale,
} from '../../../test/factories/index.ts';
import { bankRefundIdOf } from './payments.refunds.ts';
import { SIM_TRADE_NOT_FOUND } from './tappay/simulator.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

const sim = () => t.deps.tappaySimulator!;
const key = () => sim().partnerKey;

async function paymentsOf(orderId: string) {
  return t.deps.db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
}

/** A charge at TapPay for the order that no attempt of ours made (or whose attempt forgot it). */
function strayCharge(orderId: string, amount: number, prime = 'sim_approve') {
  return sim().payByPrime(key(), {
    prime,
    partner_key: key(),
    merchant_id: t.config.payments.merchantId,
    amount,
    currency: 'TWD',
    details: 'ticket',
    order_number: orderId,
    cardholder: { phone_number: '0912345678', name: 'x', email: 'x@example.test' },
  });
}

async function metric(outcome: string) {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  const m = res.body.match(new RegExp(`payment_outcomes_total\\{outcome="${outcome}"\\} (\\d+)`));
  return m ? Number(m[1]) : 0;
}

describe('bank_transaction_id', () => {
  it('when paying, then each attempt sends a bank_transaction_id of its own, kept on its row and on the trade', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    expect((await payOrder(t, sale.buyer, order.id, 'sim_decline')).statusCode).toBe(422);
    expect((await payOrder(t, sale.buyer, order.id, 'sim_approve')).statusCode).toBe(200);
    const rows = await paymentsOf(order.id);
    const trades = sim().tradesOfOrder(order.id);
    expect(rows).toHaveLength(2);
    const ids = rows.map((p) => p.bank_transaction_id);
    expect(ids.every((id) => /^[A-Z0-9]{20}$/.test(id ?? ''))).toBe(true);
    expect(new Set(ids).size).toBe(2);
    expect(trades.map((x) => x.bankTransactionId).sort()).toEqual([...ids].sort());
  });

  it('when a 421 time-out is reconciled, then the Record API is asked for our bank_transaction_id, not the order number, and a stray charge of the order is not taken for ours', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    // An earlier attempt, given up (no trade found then), whose charge landed at TapPay later.
    await insertPaymentAttempt(t, {
      order_id: order.id,
      provider: 'simulator',
      amount: sale.amount,
      status: 'failed',
      provider_message: 'no charge at TapPay (Record API)',
    });
    const stray = await strayCharge(order.id, sale.amount);
    // Now the buyer pays; TapPay approves but answers 421 Gateway Timeout.
    const res = await payOrder(t, sale.buyer, order.id, 'sim_timeout');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().order.status).toBe('paid');
    const attempt = (await paymentsOf(order.id)).find((p) => p.provider_status === 0)!;
    const own = sim()
      .tradesOfOrder(order.id)
      .find((x) => x.bankTransactionId === attempt.bank_transaction_id)!;
    expect(own.recTradeId).not.toBe(stray.rec_trade_id);
    expect(attempt).toMatchObject({ status: 'succeeded', rec_trade_id: own.recTradeId });
  });
});

describe('915 Unknown Error', () => {
  it('when TapPay answers 915 but the bank approved, then the Record API finds the charge and the order is paid', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_unknown_error');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().order.status).toBe('paid');
    const [trade] = sim().tradesOfOrder(order.id);
    expect(await paymentsOf(order.id)).toMatchObject([
      { status: 'succeeded', rec_trade_id: trade!.recTradeId },
    ]);
  });
});

describe('TapPay refusals by code class', () => {
  it('when the bank declines (10003), then PAYMENT_DECLINED: try another card', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_decline');
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('PAYMENT_DECLINED');
  });

  it('when the prime expired (91), then PAYMENT_PRIME_EXPIRED and paying again with a new prime works', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const before = await metric('prime_expired');
    const res = await payOrder(t, sale.buyer, order.id, 'sim_prime_expired');
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('PAYMENT_PRIME_EXPIRED');
    expect(await metric('prime_expired')).toBe(before + 1);
    const again = await payOrder(t, sale.buyer, order.id, 'sim_approve');
    expect(again.json().order.status).toBe('paid');
  });

  it('when our merchant cannot do 3-D Secure (74), then a 503 PAYMENT_UNAVAILABLE that does not blame the card, counted as merchant_error', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const before = await metric('merchant_error');
    const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds_unsupported');
    expect(res.statusCode).toBe(503);
    expect(errorCode(res)).toBe('PAYMENT_UNAVAILABLE');
    expect(res.body).not.toMatch(/declined/i);
    expect(await metric('merchant_error')).toBe(before + 1);
    expect((await getOrder(t, sale.buyer, order.id)).status).toBe('pending_payment');
    expect(sim().tradesOfOrder(order.id)).toEqual([]);
  });

  it('when 3-D Secure is switched off for the environment (TAPPAY_THREE_DOMAIN_SECURE=false), then the same merchant is charged without it', async () => {
    const off = await buildTestApp({ env: { TAPPAY_THREE_DOMAIN_SECURE: 'false' } });
    try {
      const sale = await setupSale(off);
      const order = await holdOrder(off, sale.buyer, sale.listingId);
      const res = await payOrder(off, sale.buyer, order.id, 'sim_3ds_unsupported');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().order.status).toBe('paid');
      expect(off.deps.tappaySimulator!.tradesOfOrder(order.id)[0]!.threeDomainSecure).toBe(false);
    } finally {
      await off.close();
    }
  });
});

describe('go_back_url', () => {
  it('when a payment needs 3-D Secure, then TapPay is given a go_back_url to the order’s checkout page, and the page offers it', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds');
    const [trade] = sim().tradesOfOrder(order.id);
    const goBack = `${t.config.http.publicUrl}/checkout/${order.id}`;
    expect(trade!.goBackUrl).toBe(goBack);
    const page = await t.app.inject({
      method: 'GET',
      url: new URL(res.json().paymentUrl).pathname,
    });
    expect(page.body).toContain(`href="${goBack}"`);
  });
});

describe('original_amount', () => {
  it('when the trade was partly refunded before its notify is acted on, then it is still recognised by its original_amount', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds');
    const recTradeId = res.json().paymentUrl.split('/').pop();
    // The bank approves; someone refunds part of it at TapPay (its portal) before the notify.
    sim().get(recTradeId)!.recordStatus = 1;
    const part = sim().refund(key(), { partner_key: key(), rec_trade_id: recTradeId, amount: 100 });
    expect(part).toMatchObject({ status: 0, refund_amount: 100 });
    expect(sim().get(recTradeId)).toMatchObject({
      amount: sale.amount - 100,
      originalAmount: sale.amount,
    });
    await postNotify(t, { rec_trade_id: recTradeId });
    expect((await getOrder(t, sale.buyer, order.id)).status).toBe('paid');
  });

  it('when a refunded trade is looked up, then the Record API shows amount 0 and original_amount the charge', async () => {
    const { orderId, amount, buyer } = await paidOrder(t);
    const seller = await t.deps.db
      .transaction()
      .execute((trx) =>
        t.deps.payments.refundOrder(
          { trx, now: clock.now(), requestId: null, afterCommit() {}, failAfterCommit() {} },
          orderId,
          'test refund',
        ),
      );
    await t.deps.payments.processRefund(seller[0]!);
    const [trade] = sim().tradesOfOrder(orderId);
    const record = sim().query(key(), {
      partner_key: key(),
      filters: { rec_trade_id: trade!.recTradeId },
    }) as { trade_records: Record<string, unknown>[] };
    expect(record.trade_records[0]).toMatchObject({
      amount: 0,
      original_amount: amount,
      refunded_amount: amount,
      record_status: 3,
    });
    expect((await getOrder(t, buyer, orderId)).refund).toMatchObject({ status: 'succeeded' });
  });
});

describe('Record queries by order number', () => {
  it('when an attempt without a bank_transaction_id is reconciled, then only trades within the window around it count', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    // A charge naming the order, two hours before the attempt (another system, a reused number).
    await strayCharge(order.id, sale.amount);
    clock.advance(2 * 3600_000);
    const paymentId = await insertPaymentAttempt(t, {
      order_id: order.id,
      provider: 'simulator',
      amount: sale.amount,
      status: 'unknown',
      provider_status: 421,
    });
    expect(await t.deps.payments.reconcilePayment(paymentId)).toBe('unknown');
    // A charge inside the window is found.
    const own = await strayCharge(order.id, sale.amount);
    expect(await t.deps.payments.reconcilePayment(paymentId)).toBe('succeeded');
    expect((await paymentsOf(order.id))[0]).toMatchObject({ rec_trade_id: own.rec_trade_id });
  });
});

describe('refunds', () => {
  it('when a paid order is refunded in full, then TapPay gets our bank_refund_id and no amount, and a repeat refunds nothing more', async () => {
    const { orderId, amount } = await paidOrder(t);
    const [refundId] = await t.deps.db
      .transaction()
      .execute((trx) =>
        t.deps.payments.refundOrder(
          { trx, now: clock.now(), requestId: null, afterCommit() {}, failAfterCommit() {} },
          orderId,
          'test refund',
        ),
      );
    expect(await t.deps.payments.processRefund(refundId!)).toBe('succeeded');
    const [trade] = sim().tradesOfOrder(orderId);
    expect(trade!.refunds).toEqual({ [bankRefundIdOf(refundId!)]: amount });
    // TapPay carries out a bank_refund_id once (say the Record check was missed).
    const repeat = sim().refund(key(), {
      partner_key: key(),
      rec_trade_id: trade!.recTradeId,
      bank_refund_id: bankRefundIdOf(refundId!),
    });
    expect(repeat).toMatchObject({ status: 0, refund_amount: amount });
    expect(trade!.refundedAmount).toBe(amount);
  });

  it('when a trade not captured yet is refunded, then its authorisation is cancelled (is_captured false) and the refund succeeds', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_approve_auth');
    expect(res.json().order.status).toBe('paid');
    const [trade] = sim().tradesOfOrder(order.id);
    expect(trade!.recordStatus).toBe(0);
    const [refundId] = await t.deps.db
      .transaction()
      .execute((trx) =>
        t.deps.payments.refundOrder(
          { trx, now: clock.now(), requestId: null, afterCommit() {}, failAfterCommit() {} },
          order.id,
          'test refund',
        ),
      );
    expect(await t.deps.payments.processRefund(refundId!)).toBe('succeeded');
    const row = await t.deps.db
      .selectFrom('refunds')
      .selectAll()
      .where('id', '=', refundId!)
      .executeTakeFirstOrThrow();
    expect(row.provider_message).toMatch(/authorisation cancelled/);
    expect(JSON.parse(row.raw_response!)).toMatchObject({ is_captured: false });
    expect(trade).toMatchObject({ recordStatus: 3, amount: 0, refundedAmount: sale.amount });
  });

  it('when a partial refund hits a trade not captured yet, then the authorisation is lowered and the rest is captured later', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    await payOrder(t, sale.buyer, order.id, 'sim_approve_auth');
    const [trade] = sim().tradesOfOrder(order.id);
    const part = sim().refund(key(), {
      partner_key: key(),
      rec_trade_id: trade!.recTradeId,
      bank_refund_id: 'RPARTIAL1',
      amount: 100,
    });
    expect(part).toMatchObject({ status: 0, is_captured: false, refund_amount: 100 });
    expect(trade).toMatchObject({ recordStatus: 0, amount: sale.amount - 100 });
    sim().capture(trade!.recTradeId);
    expect(trade!.recordStatus).toBe(1);
  });

  it('when a refund names a trade TapPay does not know, then an invalid-argument status, not 10015 (Redeem Failed)', () => {
    const answer = sim().refund(key(), { partner_key: key(), rec_trade_id: 'D-NONE' });
    expect(answer).toEqual(SIM_TRADE_NOT_FOUND);
    expect(answer.status).not.toBe(10015);
  });
});
