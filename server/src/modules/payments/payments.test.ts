// The simulator speaks TapPay (paths, JSON, x-api-key) and exists only in simulator mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';

let sim: TestApp;
let live: TestApp;
beforeAll(async () => {
  sim = await buildTestApp();
  live = await buildTestApp({
    env: {
      PAYMENT_PROVIDER: 'tappay',
      TAPPAY_PARTNER_KEY: 'partner_live_test',
      TAPPAY_MERCHANT_ID: 'merchant_live_test',
      TAPPAY_APP_ID: '12345',
      TAPPAY_APP_KEY: 'app_live_test',
      TAPPAY_ENV: 'production',
      PUBLIC_URL: 'https://tickets.example.test',
    },
  });
});
afterAll(async () => {
  await live.close();
  await sim.close();
});

const post = (t: TestApp, url: string, body: unknown, apiKey?: string) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    payload: JSON.stringify(body),
  });

describe('TapPay simulator', () => {
  it('when PAYMENT_PROVIDER=tappay, then the simulator is not mounted and the web app gets TapPay’s public keys', async () => {
    const res = await post(live, '/_sim/tappay/tpc/payment/pay-by-prime', {});
    expect(res.statusCode).toBe(404);
    const page = await live.app.inject({ method: 'GET', url: '/_sim/tappay/3ds/D1' });
    expect(page.statusCode).toBe(404);
    const config = await live.app.inject({ method: 'GET', url: '/api/config/payments' });
    expect(config.json()).toEqual({
      provider: 'tappay',
      appId: '12345',
      appKey: 'app_live_test',
      env: 'production',
      wallets: [],
      applePayMerchantIdentifier: null,
      googlePayMerchantId: null,
    });
    expect(config.body).not.toContain('partner_live_test');
  });

  it('when the partner key is wrong or fields are missing, then TapPay’s error statuses', async () => {
    const key = sim.deps.tappaySimulator!.partnerKey;
    const wrongKey = await post(
      sim,
      '/_sim/tappay/tpc/payment/pay-by-prime',
      { partner_key: 'nope' },
      'nope',
    );
    expect(wrongKey.statusCode).toBe(200);
    expect(wrongKey.json()).toEqual({ status: 80, msg: expect.any(String) });
    const missing = await post(
      sim,
      '/_sim/tappay/tpc/payment/pay-by-prime',
      { partner_key: key },
      key,
    );
    expect(missing.json().status).toBe(501);
    const badPrime = await post(
      sim,
      '/_sim/tappay/tpc/payment/pay-by-prime',
      {
        partner_key: key,
        prime: 'not-a-sim-prime',
        merchant_id: sim.config.payments.merchantId,
        amount: 100,
        currency: 'TWD',
        details: 'x',
        cardholder: { phone_number: '0912345678', name: 'x', email: 'x@example.test' },
      },
      key,
    );
    expect(badPrime.json().status).toBe(121);
    const query = await post(
      sim,
      '/_sim/tappay/tpc/transaction/query',
      { partner_key: key, filters: { rec_trade_id: 'none' } },
      key,
    );
    expect(query.json()).toMatchObject({ status: 2, trade_records: [] });
    const refund = await post(
      sim,
      '/_sim/tappay/tpc/transaction/refund',
      { partner_key: key, rec_trade_id: 'none' },
      key,
    );
    expect(refund.json().status).not.toBe(0);
  });

  it('when an unknown 3-D Secure page is opened or posted, then 404 and never 500', async () => {
    expect(
      (await sim.app.inject({ method: 'GET', url: '/_sim/tappay/3ds/D-nope' })).statusCode,
    ).toBe(404);
    const res = await sim.app.inject({
      method: 'POST',
      url: '/_sim/tappay/3ds/D-nope',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'outcome=approve',
    });
    expect(res.statusCode).toBe(404);
  });
});
