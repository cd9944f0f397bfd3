// Rate limits (RATE_LIMIT=on) on login, register, checkout, pay and uploads: the request over the
// limit gets 429 RATE_LIMITED with Retry-After; signed-in callers count per account; with Redis
// (TEST_DB=mysql) two instances count together.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '../../src/platform/http/rate-limits.ts';
import { newId } from '../../src/shared/ids.ts';
import { buildTestApp, usingMysql, type TestApp } from '../build-test-app.ts';
import { expectErrorShape } from './openapi-routes.ts';
import { signedInUser, type TestUser } from '../factories/index.ts';

const opened: TestApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});

/** Apps with the limits on; apps built by one call share their Redis counters (own prefix). */
async function limitedApps(count = 1) {
  const env = { RATE_LIMIT: 'on', REDIS_PREFIX: `pas:test:rl:${randomUUID().slice(0, 12)}:` };
  const apps: TestApp[] = [];
  for (let i = 0; i < count; i++) apps.push(await buildTestApp({ env }));
  opened.push(...apps);
  return apps;
}

type Attempt = (
  t: TestApp,
) => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;

function expectLimited(res: {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}) {
  expect(res.statusCode, res.body).toBe(429);
  expect(expectErrorShape(res).error.code).toBe('RATE_LIMITED');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

/** `max` attempts pass the limiter (whatever they answer), the next one is limited. */
async function expectLimitAfter(max: number, attempt: Attempt, apps: TestApp[]) {
  for (let i = 0; i < max; i++) {
    const res = await attempt(apps[i % apps.length]!);
    expect(res.statusCode, `attempt ${i + 1}: ${res.body}`).not.toBe(429);
  }
  expectLimited(await attempt(apps[max % apps.length]!));
}

const login: Attempt = (t) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'nobody@example.test', password: 'guess-guess' },
  });
const register: Attempt = (t) =>
  t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'x' } });
const checkout =
  (user: TestUser): Attempt =>
  (t) =>
    t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: user.auth,
      payload: { listingId: newId() },
    });
const pay =
  (user: TestUser): Attempt =>
  (t) =>
    t.app.inject({
      method: 'POST',
      url: `/api/orders/${newId()}/pay`,
      headers: user.auth,
      payload: {
        prime: 'sim_approve',
        cardholder: { name: 'A', email: 'a@example.test', phoneNumber: '0912345678' },
      },
    });
const upload =
  (user: TestUser): Attempt =>
  (t) =>
    t.app.inject({ method: 'POST', url: '/api/listings', headers: user.auth, payload: {} });

describe('rate limits on one instance', () => {
  it('when login is tried more than the limit, then 429 RATE_LIMITED with Retry-After', async () => {
    const [t] = await limitedApps();
    await expectLimitAfter(RATE_LIMITS.auth.max, login, [t!]);
  });

  it('when register is tried more than the limit, then 429 with Retry-After', async () => {
    const [t] = await limitedApps();
    await expectLimitAfter(RATE_LIMITS.auth.max, register, [t!]);
  });

  it('when one account places checkout holds over the limit, then 429 for it and not for another account', async () => {
    const [t] = await limitedApps();
    const bot = await signedInUser(t!);
    const fan = await signedInUser(t!);
    await expectLimitAfter(RATE_LIMITS.checkout.max, checkout(bot), [t!]);
    expect((await checkout(fan)(t!)).statusCode).toBe(404);
  });

  it('when one account calls pay over the limit (card testing), then 429', async () => {
    const [t] = await limitedApps();
    const carder = await signedInUser(t!);
    await expectLimitAfter(RATE_LIMITS.payment.max, pay(carder), [t!]);
  });

  it('when one account creates listings (uploads) over the limit, then 429 for it and not for another', async () => {
    const [t] = await limitedApps();
    const spammer = await signedInUser(t!);
    const seller = await signedInUser(t!);
    await expectLimitAfter(RATE_LIMITS.upload.max, upload(spammer), [t!]);
    expect((await upload(seller)(t!)).statusCode).toBe(400);
  });

  it('when limits are on, then browsing is not limited by them', async () => {
    const [t] = await limitedApps();
    for (let i = 0; i < RATE_LIMITS.auth.max + 5; i++) {
      expect((await t!.app.inject({ method: 'GET', url: '/api/teams' })).statusCode).toBe(200);
    }
  });
});

describe.runIf(usingMysql())('rate limits shared through Redis by two instances', () => {
  it('when login attempts alternate between two instances, then they count together', async () => {
    const apps = await limitedApps(2);
    await expectLimitAfter(RATE_LIMITS.auth.max, login, apps);
    expectLimited(await login(apps[0]!));
  });

  it('when one account spreads checkout holds and uploads over two instances, then they count together', async () => {
    const apps = await limitedApps(2);
    const bot = await signedInUser(apps[0]!);
    await expectLimitAfter(RATE_LIMITS.checkout.max, checkout(bot), apps);
    await expectLimitAfter(RATE_LIMITS.upload.max, upload(bot), apps);
  });
});
