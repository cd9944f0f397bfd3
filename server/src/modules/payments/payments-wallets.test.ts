// Local wallets through TapPay (issue 23 item 7), through the simulator: LINE Pay and JKO Pay send
// the buyer to the wallet's page (payment_url) and come back by the notify and the browser return;
// Apple Pay and Google Pay pay their prime at once. Each wallet's prime goes to its own merchant,
// the method is kept on the attempt, shown on the order and the receipt, and counted in /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import {
  errorCode,
  getOrder,
  holdOrder,
  postNotify,
  setupSale,
  type TestUser,
} from '../../../test/factories/index.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { SIMULATOR_PREFIX } from './tappay/simulator.routes.ts';

const ASSOCIATION = '7B227073704964223A2239333734...simulated-association-file';
let t: TestApp;
beforeAll(async () => {
  // A database of its own on MariaDB: the test drains the job queue, which must hold its jobs only.
  t = await buildPrivateTestApp({
    env: {
      TAPPAY_WALLETS: 'linepay, jkopay,applepay,googlepay',
      APPLE_PAY_DOMAIN_ASSOCIATION: ASSOCIATION,
    },
  });
});
afterAll(async () => t.close());

const sim = () => t.deps.tappaySimulator!;
const cardholder = { name: 'Buyer Bo', email: 'bo@example.test', phoneNumber: '0912345678' };

function pay(buyer: TestUser, orderId: string, prime: string, method: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/pay`,
    headers: buyer.auth,
    payload: { prime, cardholder, method },
  });
}

function attemptsOf(orderId: string) {
  return t.deps.db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
}

async function attemptsMetric(method: string, outcome: string) {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  const m = res.body.match(
    new RegExp(`payment_attempts_total\\{method="${method}",outcome="${outcome}"\\} (\\d+)`),
  );
  return m ? Number(m[1]) : 0;
}

/** The buyer acts on the simulated wallet page; returns where the browser is sent. */
async function atWallet(paymentUrl: string, outcome: 'approve' | 'decline' | 'cancel') {
  const path = new URL(paymentUrl).pathname;
  const page = await t.app.inject({ method: 'GET', url: path });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain(`action="${path}"`);
  const res = await t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `outcome=${outcome}`,
  });
  expect(res.statusCode).toBe(303);
  return res.headers.location!;
}

/** The browser follows the wallet's redirect to our return, which sends it to the checkout page. */
async function browserReturn(location: string) {
  const url = new URL(location);
  expect(url.origin).toBe(t.config.http.publicUrl);
  const res = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  expect(res.statusCode).toBe(303);
  return res.headers.location;
}

describe('wallet configuration', () => {
  const tappay = {
    PAYMENT_PROVIDER: 'tappay',
    PUBLIC_URL: 'https://tickets.example.test',
    TAPPAY_PARTNER_KEY: 'partner_x',
    TAPPAY_MERCHANT_ID: 'shop_CTBC',
    TAPPAY_APP_ID: '12345',
    TAPPAY_APP_KEY: 'app_x',
    DATA_DIR: '/tmp/pas-config-test',
  };

  it('when TAPPAY_WALLETS names an unknown wallet, then the server refuses to start', () => {
    expect(() => loadConfig({ TAPPAY_WALLETS: 'linepay,paypal' })).toThrow(/TAPPAY_WALLETS/);
  });

  it('when a wallet is enabled in tappay mode without its merchant, then the server refuses to start and names the variable', () => {
    expect(() => loadConfig({ ...tappay, TAPPAY_WALLETS: 'jkopay' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...tappay, TAPPAY_WALLETS: 'jkopay' })).toThrow(
      /TAPPAY_MERCHANT_ID_JKOPAY: required when TAPPAY_WALLETS includes jkopay/,
    );
    const ok = loadConfig({
      ...tappay,
      TAPPAY_WALLETS: 'jkopay',
      TAPPAY_MERCHANT_ID_JKOPAY: 'shop_JKOPAY',
    });
    expect(ok.payments).toMatchObject({
      wallets: ['jkopay'],
      walletMerchantIds: { jkopay: 'shop_JKOPAY' },
    });
  });

  it('when Apple Pay is enabled in tappay mode without its merchant identifier or domain file, then the server refuses to start', () => {
    const env = { ...tappay, TAPPAY_WALLETS: 'applepay', TAPPAY_MERCHANT_ID_APPLEPAY: 'shop_AP' };
    expect(() => loadConfig(env)).toThrow(
      /APPLE_PAY_MERCHANT_IDENTIFIER, APPLE_PAY_DOMAIN_ASSOCIATION: required/,
    );
    expect(() =>
      loadConfig({
        ...env,
        APPLE_PAY_MERCHANT_IDENTIFIER: 'merchant.test.shop',
        APPLE_PAY_DOMAIN_ASSOCIATION: 'abc',
      }),
    ).not.toThrow();
  });

  it('when Google Pay is enabled in production without Google merchant id, then the server refuses to start (sandbox does not need it)', () => {
    const env = { ...tappay, TAPPAY_WALLETS: 'googlepay', TAPPAY_MERCHANT_ID_GOOGLEPAY: 'shop_GP' };
    expect(() => loadConfig(env)).not.toThrow();
    expect(() => loadConfig({ ...env, TAPPAY_ENV: 'production' })).toThrow(
      /GOOGLE_PAY_MERCHANT_ID: required/,
    );
  });

  it('when no wallets are configured, then the public config offers none and a wallet payment is refused before anything is charged', async () => {
    const plain = await buildTestApp();
    try {
      const config = await plain.app.inject({ method: 'GET', url: '/api/config/payments' });
      expect(config.json()).toMatchObject({ wallets: [], applePayMerchantIdentifier: null });
      const sale = await setupSale(plain);
      const order = await holdOrder(plain, sale.buyer, sale.listingId);
      const res = await plain.app.inject({
        method: 'POST',
        url: `/api/orders/${order.id}/pay`,
        headers: sale.buyer.auth,
        payload: { prime: 'sim_linepay', cardholder, method: 'linepay' },
      });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
      expect(res.json().error.details).toEqual([
        { path: 'body.method', message: 'linepay is not enabled (TAPPAY_WALLETS)' },
      ]);
      expect(plain.deps.tappaySimulator!.tradesOfOrder(order.id)).toEqual([]);
      const well = await plain.app.inject({
        method: 'GET',
        url: '/.well-known/apple-developer-merchantid-domain-association',
      });
      expect(well.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('when wallets are configured, then the public config lists them with the Apple Pay merchant identifier, and Apple\u2019s domain file is served', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/config/payments' });
    expect(res.json()).toMatchObject({
      wallets: ['linepay', 'jkopay', 'applepay', 'googlepay'],
      applePayMerchantIdentifier: 'merchant.local.pitchaseat.simulator',
    });
    const well = await t.app.inject({
      method: 'GET',
      url: '/.well-known/apple-developer-merchantid-domain-association',
    });
    expect(well.statusCode).toBe(200);
    expect(well.headers['content-type']).toMatch(/^text\/plain/);
    expect(well.body).toBe(ASSOCIATION);
  });
});

describe.each([
  { wallet: 'linepay', name: 'LINE Pay', merchant: 'pitchaseat_SIM_LINEPAY', method: 'line_pay' },
  { wallet: 'jkopay', name: '街口支付', merchant: 'pitchaseat_SIM_JKOPAY', method: 'jko_pay' },
] as const)('$wallet (redirect to the wallet)', ({ wallet, name, merchant, method }) => {
  async function startAtWallet() {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await pay(sale.buyer, order.id, `sim_${wallet}`, wallet);
    expect(res.statusCode, res.body).toBe(200);
    const { paymentUrl } = res.json() as { paymentUrl: string };
    expect(paymentUrl).toMatch(
      new RegExp(`^${t.config.http.publicUrl}${SIMULATOR_PREFIX}/wallet/`),
    );
    return { sale, order, paymentUrl };
  }

  it('when the buyer pays at the wallet, then the notify and the return confirm it through the Record API: paid, by this wallet, on its own merchant, without 3-D Secure', async () => {
    const before = await attemptsMetric(wallet, 'succeeded');
    const { sale, order, paymentUrl } = await startAtWallet();
    const [waiting] = await attemptsOf(order.id);
    expect(waiting).toMatchObject({ method: wallet, status: 'requires_action' });
    const [trade] = sim().tradesOfOrder(order.id);
    expect(trade).toMatchObject({ merchantId: merchant, wallet, threeDomainSecure: false });

    const location = await atWallet(paymentUrl, 'approve');
    expect(location).toContain('/payments/tappay/return?');
    expect(new URL(location).searchParams.get('status')).toBe('0');
    // The notify (sent before the redirect) already paid it; the return changes nothing more.
    expect((await getOrder(t, sale.buyer, order.id)).status).toBe('paid');
    expect(await browserReturn(location)).toBe(`/checkout/${order.id}`);

    const view = await getOrder(t, sale.buyer, order.id);
    expect(view.status).toBe('paid');
    expect(view.payment).toMatchObject({ method: wallet, status: 'succeeded' });
    const query = await sim().query(sim().partnerKey, {
      partner_key: sim().partnerKey,
      filters: { rec_trade_id: trade!.recTradeId },
    });
    expect(query.trade_records).toMatchObject([{ payment_method: method, record_status: 1 }]);
    expect(await attemptsMetric(wallet, 'succeeded')).toBe(before + 1);

    // The receipt names the wallet.
    await t.deps.worker.drain();
    const receipt = await t.deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', sale.buyer.id)
      .where('type', '=', 'payment_receipt')
      .execute();
    expect(receipt).toHaveLength(1);
    expect(JSON.stringify(receipt[0])).toContain(`付款方式：${name}`);
  });

  it('when the wallet declines, then the attempt fails and the order stays payable', async () => {
    const { sale, order, paymentUrl } = await startAtWallet();
    const location = await atWallet(paymentUrl, 'decline');
    expect(new URL(location).searchParams.get('status')).not.toBe('0');
    await browserReturn(location);
    const view = await getOrder(t, sale.buyer, order.id);
    expect(view.status).toBe('pending_payment');
    expect(view.payment).toMatchObject({ method: wallet, status: 'failed' });
    expect(view.actions).toContain('pay');
    // Another method pays it.
    const card = await pay(sale.buyer, order.id, 'sim_approve', 'card');
    expect(card.json().order).toMatchObject({ status: 'paid', payment: { method: 'card' } });
  });

  it('when the buyer cancels at the wallet, then the attempt fails as cancelled and the order stays payable', async () => {
    const before = await attemptsMetric(wallet, 'failed');
    const { sale, order, paymentUrl } = await startAtWallet();
    const location = await atWallet(paymentUrl, 'cancel');
    expect(await browserReturn(location)).toBe(`/checkout/${order.id}`);
    const [attempt] = await attemptsOf(order.id);
    expect(attempt).toMatchObject({ status: 'failed', method: wallet });
    expect(attempt!.provider_message).toMatch(/^cancelled at the wallet/);
    const view = await getOrder(t, sale.buyer, order.id);
    expect(view.status).toBe('pending_payment');
    expect(await attemptsMetric(wallet, 'failed')).toBe(before + 1);
    // And the buyer can try the wallet again.
    const again = await pay(sale.buyer, order.id, `sim_${wallet}`, wallet);
    expect(again.statusCode).toBe(200);
    await atWallet(again.json().paymentUrl, 'approve');
    expect((await getOrder(t, sale.buyer, order.id)).status).toBe('paid');
  });

  it('when the notify comes again (a replay), then nothing changes: one charge, one receipt, no refund', async () => {
    const { sale, order, paymentUrl } = await startAtWallet();
    await atWallet(paymentUrl, 'approve');
    const [trade] = sim().tradesOfOrder(order.id);
    const notify = {
      rec_trade_id: trade!.recTradeId,
      order_number: order.id,
      status: 0,
      amount: sale.amount,
    };
    for (let i = 0; i < 3; i++) expect((await postNotify(t, notify)).statusCode).toBe(200);
    await browserReturn(
      `${t.config.http.publicUrl}/payments/tappay/return?rec_trade_id=${trade!.recTradeId}`,
    );
    const attempts = await attemptsOf(order.id);
    expect(attempts).toMatchObject([{ status: 'succeeded', method: wallet }]);
    const refunds = await t.deps.db
      .selectFrom('refunds')
      .select('id')
      .where('order_id', '=', order.id)
      .execute();
    expect(refunds).toEqual([]);
    expect(sim().get(trade!.recTradeId)).toMatchObject({ refundedAmount: 0, recordStatus: 1 });
    const history = await t.deps.db
      .selectFrom('order_status_history')
      .select('to_status')
      .where('order_id', '=', order.id)
      .where('to_status', '=', 'paid')
      .execute();
    expect(history).toHaveLength(1);
  });

  it('when its prime is paid as a card (the card merchant), then TapPay refuses it as ours (61): 503, not a decline', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await pay(sale.buyer, order.id, `sim_${wallet}`, 'card');
    expect(res.statusCode).toBe(503);
    expect(errorCode(res)).toBe('PAYMENT_UNAVAILABLE');
    expect(sim().tradesOfOrder(order.id)).toEqual([]);
  });
});

describe.each([
  { wallet: 'applepay', merchant: 'pitchaseat_SIM_APPLEPAY', method: 'apple_pay' },
  { wallet: 'googlepay', merchant: 'pitchaseat_SIM_GOOGLEPAY', method: 'google_pay' },
] as const)('$wallet (prime from the payment sheet)', ({ wallet, merchant, method }) => {
  it('when the sheet gave an approved prime, then the order is paid at once, by this wallet, on its own merchant', async () => {
    const before = await attemptsMetric(wallet, 'started');
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await pay(sale.buyer, order.id, `sim_${wallet}_approve`, wallet);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().paymentUrl).toBeUndefined();
    expect(res.json().order).toMatchObject({
      status: 'paid',
      payment: { method: wallet, status: 'succeeded' },
    });
    const [trade] = sim().tradesOfOrder(order.id);
    expect(trade).toMatchObject({ merchantId: merchant, wallet, threeDomainSecure: false });
    const query = await sim().query(sim().partnerKey, {
      partner_key: sim().partnerKey,
      filters: { rec_trade_id: trade!.recTradeId },
    });
    expect(query.trade_records).toMatchObject([{ payment_method: method }]);
    expect(await attemptsMetric(wallet, 'started')).toBe(before + 1);
  });

  it('when the bank declines the wallet\u2019s card, then PAYMENT_DECLINED names the wallet, not the card, and the order stays payable', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await pay(sale.buyer, order.id, `sim_${wallet}_decline`, wallet);
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('PAYMENT_DECLINED');
    expect(res.json().error).toMatchObject({
      message: 'The wallet declined the payment; try another payment method',
      details: { method: wallet },
    });
    const view = await getOrder(t, sale.buyer, order.id);
    expect(view.status).toBe('pending_payment');
    expect(view.payment).toMatchObject({ method: wallet, status: 'failed' });
  });

  it('when a notify for its trade comes (and again), then the paid order is left as it is', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    await pay(sale.buyer, order.id, `sim_${wallet}_approve`, wallet);
    const [trade] = sim().tradesOfOrder(order.id);
    const notify = { rec_trade_id: trade!.recTradeId, order_number: order.id, status: 0 };
    for (let i = 0; i < 2; i++) expect((await postNotify(t, notify)).statusCode).toBe(200);
    expect(await attemptsOf(order.id)).toMatchObject([{ status: 'succeeded', method: wallet }]);
    expect(sim().get(trade!.recTradeId)).toMatchObject({ refundedAmount: 0 });
  });

  it('when the order is refunded, then the wallet trade is refunded through the same Refund API', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    await pay(sale.buyer, order.id, `sim_${wallet}_approve`, wallet);
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/orders/${order.id}/cancel`,
      headers: sale.seller.auth,
      payload: { reason: 'cannot attend' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    await t.deps.worker.drain();
    const [trade] = sim().tradesOfOrder(order.id);
    expect(sim().get(trade!.recTradeId)).toMatchObject({ recordStatus: 3, amount: 0 });
  });
});

describe('the wallet page', () => {
  it('when a trade asks to be sent back anywhere but PUBLIC_URL, then the wallet page redirects nowhere', async () => {
    const answer = await sim().payByPrime(sim().partnerKey, {
      prime: 'sim_linepay',
      partner_key: sim().partnerKey,
      merchant_id: 'pitchaseat_SIM_LINEPAY',
      amount: 500,
      currency: 'TWD',
      details: 'ticket',
      order_number: 'ORDER-ELSEWHERE',
      cardholder: { phone_number: '0912345678', name: 'x', email: 'x@example.test' },
      result_url: {
        frontend_redirect_url: 'https://evil.example/return',
        backend_notify_url: 'https://evil.example/notify',
      },
    });
    expect(answer.status).toBe(0);
    const res = await t.app.inject({
      method: 'POST',
      url: `${SIMULATOR_PREFIX}/wallet/${String(answer.rec_trade_id)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'outcome=approve',
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers.location).toBeUndefined();
  });

  it('when LINE Pay is asked for without result_url, then the simulator refuses it as TapPay does', async () => {
    const answer = await sim().payByPrime(sim().partnerKey, {
      prime: 'sim_jkopay',
      partner_key: sim().partnerKey,
      merchant_id: 'pitchaseat_SIM_JKOPAY',
      amount: 500,
      currency: 'TWD',
      details: 'ticket',
      order_number: 'ORDER-NO-URLS',
      cardholder: { phone_number: '0912345678', name: 'x', email: 'x@example.test' },
    });
    expect(answer).toMatchObject({ status: 4 });
  });
});
