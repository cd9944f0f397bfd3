// The TapPay simulator mounted by the app in simulator mode (issue 16 item 6): its partner key is
// random per process and known only to the app, its 3-D Secure page sends browsers back only to
// PUBLIC_URL, and its journal holds no cardholder data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapPaySimulator } from '../../src/modules/payments/tappay/simulator.ts';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import { cardholder, holdOrder, payOrder, setupSale } from '../factories/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const simPost = (url: string, key: string, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: `/_sim/tappay${url}`,
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    payload: { partner_key: key, ...payload },
  });

describe('the TapPay simulator', () => {
  it('when anyone calls it with the old published key, then it refuses: no cardholder data, no refund, no trade', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    expect((await payOrder(t, sale.buyer, order.id, 'sim_approve')).statusCode).toBe(200);
    const [trade] = t.deps.tappaySimulator!.tradesOfOrder(order.id);
    expect(trade).toBeDefined();

    const query = await simPost('/tpc/transaction/query', 'partner_simulator', {
      records_per_page: 50,
      filters: { rec_trade_id: trade!.recTradeId },
    });
    expect(query.json().status).not.toBe(0);
    expect(query.body).not.toContain(cardholder.email);
    expect(query.body).not.toContain(cardholder.phoneNumber);

    const refund = await simPost('/tpc/transaction/refund', 'partner_simulator', {
      rec_trade_id: trade!.recTradeId,
    });
    expect(refund.json().status).not.toBe(0);
    expect(t.deps.tappaySimulator!.tradesOfOrder(order.id)[0]!.refundedAmount).toBe(0);

    const pay = await simPost('/tpc/payment/pay-by-prime', 'partner_simulator', {
      prime: 'sim_approve',
      merchant_id: 'pitchaseat_SIM',
      amount: 1,
      order_number: 'x',
      details: 'x',
      cardholder: { name: 'a', email: 'a@example.test', phone_number: '0912345678' },
    });
    expect(pay.json().status).not.toBe(0);
  });

  it('when a trade asks to send the browser elsewhere than PUBLIC_URL, then the 3-D Secure page does not redirect there', async () => {
    const sim = createTapPaySimulator({
      partnerKey: 'k',
      merchantId: 'm',
      baseUrl: 'http://localhost:3000/_sim/tappay',
      fetch: async () => new Response('{}'),
      redirectOrigin: 'http://localhost:3000',
    });
    const body = (url: string) => ({
      partner_key: 'k',
      prime: 'sim_3ds',
      merchant_id: 'm',
      amount: 100,
      currency: 'TWD',
      order_number: 'o1',
      details: 'd',
      three_domain_secure: true,
      result_url: { frontend_redirect_url: url, backend_notify_url: 'http://localhost:3000/n' },
      cardholder: { name: 'a', email: 'a@example.test', phone_number: '0912345678' },
    });
    const evil = await sim.payByPrime('k', body('https://evil.example/phish'));
    expect(evil.status).toBe(0);
    expect(await sim.complete3ds(String(evil.rec_trade_id), true)).toBeNull();
    const ours = await sim.payByPrime('k', body('http://localhost:3000/orders/o1'));
    expect(await sim.complete3ds(String(ours.rec_trade_id), true)).toMatch(
      /^http:\/\/localhost:3000\/orders\/o1\?/,
    );
  });

  it('when trades are journalled, then the journal holds no cardholder name, e-mail or phone', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    expect((await payOrder(t, sale.buyer, order.id, 'sim_approve')).statusCode).toBe(200);
    const journal = readFileSync(path.join(t.dataDir, 'tappay-simulator.jsonl'), 'utf8');
    expect(journal).toContain('"recTradeId"');
    expect(journal).not.toContain(cardholder.email);
    expect(journal).not.toContain(cardholder.phoneNumber);
    expect(journal).not.toContain(cardholder.name);
  });
});
