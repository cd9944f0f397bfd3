// What the logs hold: the app's and the worker's pino output, captured at trace level through a
// scripted flow (register, log in, payout account, failed login, list, buy, pay by prime, 3-D
// Secure, TapPay notify, jobs), contains no password, token, CSRF value, prime, partner key,
// payout account number or card number. The logger is built as main.ts builds it.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_LOG_PATHS } from '../../src/app.ts';
import type { TestApp } from '../build-test-app.ts';
import { buildPrivateTestApp } from '../fixtures/private-app.ts';
import {
  complete3ds,
  createGame,
  holdOrder,
  insertListing,
  markEmailVerified,
  payOrder,
  signedInUser,
  uniqueEmail,
} from '../factories/index.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString('utf8'));
    done();
  },
});
const logger = pino(
  { level: 'trace', redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } },
  sink,
);

const PASSWORD = 'Pa55word-never-logged-7781';
const WRONG_PASSWORD = 'Wrong-guess-never-logged-4410';
const ACCOUNT = '998877665544';
const secrets: Record<string, string> = {};

let t: TestApp;
beforeAll(async () => {
  t = await buildPrivateTestApp({
    log: logger,
    loggerInstance: logger,
    env: { MAIL_TRANSPORT: 'log' },
  });
});
afterAll(async () => t?.close());

async function scriptedFlow() {
  const email = uniqueEmail('logged');
  const registered = await t.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, password: PASSWORD, name: 'Log Fan' },
  });
  expect(registered.statusCode, registered.body).toBe(201);
  secrets.registerToken = registered.json().token;
  await markEmailVerified(t, registered.json().user.id);

  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const token = login.json().token as string;
  secrets.token = token;
  const session = login.cookies.find((c) => c.name === 'pas_session')!.value;
  const csrf = login.cookies.find((c) => c.name === 'pas_csrf')!.value;
  secrets.csrf = csrf;

  const failed = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: WRONG_PASSWORD },
  });
  expect(failed.statusCode).toBe(401);
  const invalid = await t.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: 'not-an-email', password: WRONG_PASSWORD, name: '' },
  });
  expect(invalid.statusCode).toBe(400);

  const profile = await t.app.inject({
    method: 'PATCH',
    url: '/api/me',
    headers: { cookie: `pas_session=${session}; pas_csrf=${csrf}`, 'x-csrf-token': csrf },
    payload: { payoutAccount: { bankCode: '822', accountNumber: ACCOUNT } },
  });
  expect(profile.statusCode, profile.body).toBe(200);
  const forbidden = await t.app.inject({
    method: 'PATCH',
    url: '/api/me',
    headers: { cookie: `pas_session=${session}; pas_csrf=${csrf}`, 'x-csrf-token': 'bad' },
    payload: { name: 'x' },
  });
  expect(forbidden.statusCode).toBe(403);

  // A seller's listing, bought and paid by prime; then a 3-D Secure payment and its notify.
  const buyer = {
    id: registered.json().user.id as string,
    auth: { authorization: `Bearer ${token}` },
  };
  const seller = await signedInUser(t);
  const game = await createGame(t);
  const first = await holdOrder(t, buyer, await insertListing(t, { game, sellerId: seller.id }));
  const paid = await payOrder(t, buyer, first.id, 'sim_approve');
  expect(paid.statusCode, paid.body).toBe(200);
  const declined = await payOrder(
    t,
    buyer,
    (await holdOrder(t, buyer, await insertListing(t, { game, sellerId: seller.id }))).id,
    'prime_that_is_secret_123456',
  );
  expect(declined.statusCode).toBe(422);
  // TapPay times out: the pay flow logs and settles through the Record API.
  const timedOut = await holdOrder(t, buyer, await insertListing(t, { game, sellerId: seller.id }));
  await payOrder(t, buyer, timedOut.id, 'sim_timeout');
  const third = await holdOrder(t, buyer, await insertListing(t, { game, sellerId: seller.id }));
  const threeDs = await payOrder(t, buyer, third.id, 'sim_3ds');
  expect(threeDs.statusCode, threeDs.body).toBe(200);
  await complete3ds(t, threeDs.json().paymentUrl);
  await t.app.inject({
    method: 'POST',
    url: '/api/payments/tappay/notify',
    payload: { rec_trade_id: 'D-unknown', prime: 'sim_approve', partner_key: 'forged-key' },
  });
  await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: buyer.auth });
  await t.deps.worker.drain();
}

describe('logs', () => {
  it('when a scripted flow runs with trace logging, then no secret appears in the log output', async () => {
    await scriptedFlow();
    const output = lines.join('');
    // The capture works: requests, and the payment path, were logged.
    expect(output).toContain('/api/auth/login');
    expect(output).toContain('/api/orders/');
    expect(output.length).toBeGreaterThan(5000);

    const forbidden = {
      password: PASSWORD,
      wrongPassword: WRONG_PASSWORD,
      token: secrets.token!,
      tokenSignature: secrets.token!.split('.')[2]!,
      registerToken: secrets.registerToken!,
      csrf: secrets.csrf!,
      partnerKey: t.deps.tappaySimulator!.partnerKey,
      declinedPrime: 'prime_that_is_secret_123456',
      prime: '"sim_approve"',
      threeDsPrime: '"sim_3ds"',
      payoutAccount: ACCOUNT,
      cardNumber: '4242424242424242',
    };
    const leaks = Object.entries(forbidden)
      .filter(([, value]) => output.includes(value))
      .map(([name]) => {
        const at = output.indexOf(forbidden[name as keyof typeof forbidden]);
        return `${name}: …${output.slice(Math.max(0, at - 200), at + 60)}…`;
      });
    expect(leaks).toEqual([]);
  });

  it('when secret fields are logged by mistake up to three levels deep, then pino redacts them', () => {
    const before = lines.length;
    logger.info(
      {
        password: 'leak-1',
        prime: 'leak-2',
        body: { password: 'leak-3', cardholder: { name: 'ok' }, accountNumber: 'leak-4' },
        req: { headers: { authorization: 'leak-5', cookie: 'leak-6', 'x-csrf-token': 'leak-7' } },
        res: { headers: { 'set-cookie': 'leak-8' } },
        request: { headers: { 'x-api-key': 'leak-9' }, body: { partner_key: 'leak-10' } },
        card: { card_number: 'leak-11', token: 'leak-12' },
      },
      'careless log line',
    );
    const line = lines.slice(before).join('');
    expect(line).toContain('careless log line');
    expect(line).not.toMatch(/leak-\d+/);
    expect(line).toContain('"name":"ok"');
  });
});
