// The TapPay client against TapPay-shaped JSON answers (server/test/fixtures/tappay): what it
// sends, and how it reads success, decline, 3-D Secure, time-outs, records and refunds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyDecline,
  createTapPayClient,
  isChargedRecord,
  safeRaw,
  TAPPAY_HOSTS,
  type FetchLike,
} from './tappay-client.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/tappay/${name}`, import.meta.url), 'utf8');

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function fakeTapPay(answer: string | (() => Promise<never>), status = 200) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, headers: init.headers, body: JSON.parse(init.body) });
    if (typeof answer !== 'string') return answer();
    return { status, text: async () => answer };
  };
  const client = createTapPayClient({
    baseUrl: TAPPAY_HOSTS.sandbox,
    partnerKey: 'partner_test_key',
    merchantId: 'pitchaseat_CTBC',
    fetch,
    timeoutMs: 200,
  });
  return { client, sent };
}

const payInput = {
  prime: 'prime_0123456789abcdef',
  amount: 1600,
  orderNumber: '01kabcdefghjkmnpqrstvwxyz0',
  bankTransactionId: 'P01KABCDEFGTVWXYZ0AB',
  details: 'Pitch-A-Seat ticket order',
  cardholder: { name: '王小明', email: 'buyer@example.test', phoneNumber: '+886912345678' },
  frontendRedirectUrl: 'https://pitch-a-seat.example/payments/tappay/return',
  backendNotifyUrl: 'https://pitch-a-seat.example/api/payments/tappay/notify',
  goBackUrl: 'https://pitch-a-seat.example/checkout/01kabcdefghjkmnpqrstvwxyz0',
  threeDomainSecure: true,
};

describe('Pay by Prime', () => {
  it('when paying, then the request follows TapPay: path, x-api-key, TWD amount, order number, bank_transaction_id, 3-D Secure and result URLs with go_back_url', async () => {
    const { client, sent } = fakeTapPay(fixture('pay-by-prime.success.json'));
    await client.payByPrime(payInput);
    expect(sent).toHaveLength(1);
    const [req] = sent;
    expect(req!.url).toBe('https://sandbox.tappaysdk.com/tpc/payment/pay-by-prime');
    expect(req!.headers).toEqual({
      'content-type': 'application/json',
      'x-api-key': 'partner_test_key',
    });
    expect(req!.body).toEqual({
      prime: 'prime_0123456789abcdef',
      partner_key: 'partner_test_key',
      merchant_id: 'pitchaseat_CTBC',
      amount: 1600,
      currency: 'TWD',
      order_number: '01kabcdefghjkmnpqrstvwxyz0',
      bank_transaction_id: 'P01KABCDEFGTVWXYZ0AB',
      details: 'Pitch-A-Seat ticket order',
      cardholder: { phone_number: '+886912345678', name: '王小明', email: 'buyer@example.test' },
      three_domain_secure: true,
      result_url: {
        frontend_redirect_url: 'https://pitch-a-seat.example/payments/tappay/return',
        backend_notify_url: 'https://pitch-a-seat.example/api/payments/tappay/notify',
        go_back_url: 'https://pitch-a-seat.example/checkout/01kabcdefghjkmnpqrstvwxyz0',
      },
      remember: false,
    });
  });

  it('when 3-D Secure is switched off (TAPPAY_THREE_DOMAIN_SECURE=false), then three_domain_secure is false', async () => {
    const { client, sent } = fakeTapPay(fixture('pay-by-prime.success.json'));
    await client.payByPrime({ ...payInput, threeDomainSecure: false });
    expect(sent[0]!.body.three_domain_secure).toBe(false);
  });

  it('when TapPay refuses, then the code says whose problem it is: the card, the prime, or our configuration', async () => {
    const answer = (status: number, msg: string) => JSON.stringify({ status, msg });
    const cases: [number, string, string][] = [
      [10003, 'Card Error', 'card'],
      [91, 'Expired prime', 'prime'],
      [121, 'Invalid arguments : prime', 'prime'],
      [61, 'Merchant not found or removed', 'merchant'],
      [74, 'This merchant does not support 3DS2.0', 'merchant'],
      [75, 'This merchant does not support non-3D secure', 'merchant'],
      [80, 'Invaild x-api-key or app key', 'merchant'],
      [89, 'This merchant does not support this currency', 'merchant'],
      [510, 'Invalid arguments : amount', 'merchant'],
    ];
    for (const [status, msg, decline] of cases) {
      const outcome = await fakeTapPay(answer(status, msg)).client.payByPrime(payInput);
      expect(outcome, String(status)).toMatchObject({ kind: 'declined', decline });
      expect(classifyDecline(status)).toBe(decline);
    }
  });

  it('when TapPay answers 915 (Unknown Error), then the outcome is unknown, never declined', async () => {
    const outcome = await fakeTapPay(
      JSON.stringify({ status: 915, msg: 'Unknown Error' }),
    ).client.payByPrime(payInput);
    expect(outcome).toMatchObject({ kind: 'unknown', providerStatus: 915 });
  });

  it('when TapPay answers status 0, then approved with the trade id, and the kept answer has no card data', async () => {
    const { client } = fakeTapPay(fixture('pay-by-prime.success.json'));
    const outcome = await client.payByPrime(payInput);
    expect(outcome).toMatchObject({
      kind: 'approved',
      recTradeId: 'D20261124Q1wbRb',
      bankTransactionId: 'TP20261124Q1wbRb',
      amount: 1600,
      orderNumber: '01kabcdefghjkmnpqrstvwxyz0',
      providerStatus: 0,
    });
    const raw = JSON.stringify(outcome.kind === 'approved' ? outcome.raw : null);
    expect(raw).not.toMatch(/card_info|4242|424242|card_identifier|prime|partner/);
    expect(raw).toContain('D20261124Q1wbRb');
  });

  it('when the bank declines, then declined with TapPay’s status and message', async () => {
    const { client } = fakeTapPay(fixture('pay-by-prime.decline.json'));
    expect(await client.payByPrime(payInput)).toMatchObject({
      kind: 'declined',
      decline: 'card',
      providerStatus: 10003,
      message: 'Card Error',
      recTradeId: 'D20261124Q1wbRc',
    });
  });

  it('when 3-D Secure is needed, then requires_action with the payment_url', async () => {
    const { client } = fakeTapPay(fixture('pay-by-prime.3ds.json'));
    expect(await client.payByPrime(payInput)).toMatchObject({
      kind: 'requires_action',
      recTradeId: 'D20261124Q1wbRd',
      paymentUrl: expect.stringMatching(/^https:\/\/.+D20261124Q1wbRd$/),
    });
  });

  it('when TapPay answers 421 or 422 (gateway/authorisation time-out), then the outcome is unknown', async () => {
    const gateway = await fakeTapPay(
      fixture('pay-by-prime.gateway-timeout.json'),
    ).client.payByPrime(payInput);
    expect(gateway).toMatchObject({ kind: 'unknown', providerStatus: 421, recTradeId: null });
    const auth = await fakeTapPay(
      fixture('pay-by-prime.authorization-timeout.json'),
    ).client.payByPrime(payInput);
    expect(auth).toMatchObject({
      kind: 'unknown',
      providerStatus: 422,
      recTradeId: 'D20261124Q1wbRe',
    });
  });

  it('when the network fails, the answer is late, not JSON or a 5xx, then the outcome is unknown (never declined)', async () => {
    const refused = fakeTapPay(() => Promise.reject(new Error('connect ECONNREFUSED')));
    expect(await refused.client.payByPrime(payInput)).toMatchObject({ kind: 'unknown' });
    const hanging = fakeTapPay(() => new Promise<never>(() => {}));
    const late = await hanging.client.payByPrime(payInput);
    expect(late).toMatchObject({ kind: 'unknown', message: expect.stringContaining('200 ms') });
    expect(
      await fakeTapPay('<html>502 Bad Gateway</html>', 502).client.payByPrime(payInput),
    ).toMatchObject({
      kind: 'unknown',
    });
    expect(await fakeTapPay('not json', 200).client.payByPrime(payInput)).toMatchObject({
      kind: 'unknown',
    });
    // The error text never carries the prime.
    expect(JSON.stringify(late)).not.toContain(payInput.prime);
  });
});

describe('Record API', () => {
  it('when querying by trade id, bank_transaction_id or order number, then the filters are TapPay’s (an order number within a time window) and the records are read', async () => {
    const { client, sent } = fakeTapPay(fixture('record.success.json'));
    const byTrade = await client.queryTrades({ recTradeId: 'D20261124Q1wbRb' });
    await client.queryTrades({
      orderNumber: '01kabcdefghjkmnpqrstvwxyz0',
      since: new Date(1795500000000),
      until: new Date(1795503600000),
    });
    await client.queryTrades({ bankTransactionId: 'TP20261124Q1wbRb' });
    expect(sent[0]!.url).toBe('https://sandbox.tappaysdk.com/tpc/transaction/query');
    expect(sent[0]!.body).toMatchObject({
      partner_key: 'partner_test_key',
      filters: { rec_trade_id: 'D20261124Q1wbRb' },
    });
    expect(sent[1]!.body).toMatchObject({
      filters: {
        order_number: '01kabcdefghjkmnpqrstvwxyz0',
        time: { start_time: 1795500000000, end_time: 1795503600000 },
      },
    });
    expect(sent[2]!.body).toMatchObject({
      filters: { bank_transaction_id: 'TP20261124Q1wbRb' },
    });
    expect(byTrade.kind).toBe('ok');
    if (byTrade.kind !== 'ok') return;
    expect(byTrade.records.map((r) => [r.recTradeId, r.recordStatus, r.amount])).toEqual([
      ['D20261124Q1wbRb', 1, 1600],
      ['D20261124Q1wbRc', -1, 1600],
    ]);
    expect(byTrade.records.map(isChargedRecord)).toEqual([true, false]);
    // What a trade charged is its original_amount (amount shrinks with refunds).
    expect(byTrade.records.map((r) => r.originalAmount)).toEqual([1600, 1600]);
    expect(JSON.stringify(byTrade.records)).not.toMatch(/王小明|buyer@example|4242|cardholder/);
  });

  it('when nothing matches (status 2, end of list), then an empty list; when unreachable, then an error', async () => {
    expect(
      await fakeTapPay(fixture('record.empty.json')).client.queryTrades({ recTradeId: 'x' }),
    ).toEqual({
      kind: 'ok',
      records: [],
    });
    const down = fakeTapPay(() => Promise.reject(new Error('ETIMEDOUT')));
    expect((await down.client.queryTrades({ recTradeId: 'x' })).kind).toBe('error');
  });
});

describe('Refund API', () => {
  it('when refunding, then the body names the trade, our bank_refund_id and (partial refunds only) the amount; status 0 means refunded', async () => {
    const { client, sent } = fakeTapPay(fixture('refund.success.json'));
    const outcome = await client.refund({
      recTradeId: 'D20261124Q1wbRb',
      bankRefundId: 'R01KABCDEFGTVWXYZ0AB',
    });
    await client.refund({ recTradeId: 'D20261124Q1wbRb', bankRefundId: 'R2', amount: 600 });
    expect(sent[0]!.url).toBe('https://sandbox.tappaysdk.com/tpc/transaction/refund');
    expect(sent[0]!.body).toEqual({
      partner_key: 'partner_test_key',
      rec_trade_id: 'D20261124Q1wbRb',
      bank_refund_id: 'R01KABCDEFGTVWXYZ0AB',
    });
    expect(sent[1]!.body).toMatchObject({ bank_refund_id: 'R2', amount: 600 });
    expect(outcome).toMatchObject({ kind: 'refunded', refundAmount: 1600 });
  });

  it('when TapPay refuses the refund, then failed; when it does not answer, then unknown', async () => {
    expect(
      await fakeTapPay(fixture('refund.failure.json')).client.refund({
        recTradeId: 'D20261124Q1wbRb',
        bankRefundId: 'R1',
      }),
    ).toMatchObject({ kind: 'failed', providerStatus: 10009 });
    const down = fakeTapPay(() => Promise.reject(new Error('socket hang up')));
    expect((await down.client.refund({ recTradeId: 'x', bankRefundId: 'R1' })).kind).toBe(
      'unknown',
    );
  });
});

describe('safeRaw', () => {
  it('when an answer is kept, then only whitelisted scalar fields survive', () => {
    expect(
      safeRaw({
        status: 0,
        rec_trade_id: 'D1',
        prime: 'p',
        partner_key: 'k',
        card_info: { last_four: '4242' },
        cardholder: { name: 'x' },
        card_secret: { card_key: 'a' },
      }),
    ).toEqual({ status: 0, rec_trade_id: 'D1' });
  });
});
