// REDIS_URL wiring: two app instances share cache, pub/sub and rate limits through Redis, and
// readiness follows Redis. Needs Redis at TEST_REDIS_URL (required when CI=true).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { redisAnswers } from './redis-probe.ts';
import { uniqueEmail } from '../../../test/factories/index.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true';
const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp && !IN_CI) {
  console.warn(`Redis did not answer at ${REDIS_URL}: skipping the REDIS_URL wiring tests.`);
}

describe.runIf(redisUp || IN_CI)('two instances on one Redis', () => {
  const prefix = `pas:test:wiring:${randomUUID().slice(0, 8)}:`;
  const env = { REDIS_URL, REDIS_PREFIX: prefix, RATE_LIMIT: 'on' };
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    if (!redisUp) throw new Error(`CI=true and Redis does not answer at ${REDIS_URL}`);
    a = await buildTestApp({ env });
    b = await buildTestApp({ env });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('when Redis answers, then both are ready', async () => {
    expect((await a.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect(await b.deps.ready()).toBe(true);
  });

  it('when one instance caches or publishes, then the other sees it', async () => {
    const key = `wiring:${randomUUID()}`;
    await a.deps.cache.set(key, { seats: 2 }, 60);
    expect(await b.deps.cache.get(key)).toEqual({ seats: 2 });

    const got: string[] = [];
    const channel = `listing:${randomUUID()}`;
    const stop = await b.deps.pubsub.subscribe(channel, (m) => void got.push(m));
    await a.deps.pubsub.publish(channel, 'sold');
    await vi.waitFor(() => expect(got).toEqual(['sold']));
    await stop();
  });

  it('when login attempts are spread over both instances, then the limit counts them together', async () => {
    const attempt = (t: TestApp) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: {} });
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      codes.push((await attempt(a)).statusCode, (await attempt(b)).statusCode);
    }
    expect(codes.every((c) => c === 400)).toBe(true);
    const limited = await attempt(a);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await attempt(b)).statusCode).toBe(429);
  });
});

describe('an instance whose Redis is unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1, as when Redis is down.
    t = await buildTestApp({
      env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: 'pas:down:', RATE_LIMIT: 'on' },
    });
  });
  afterAll(async () => t.close());

  it('when Redis is down, then /readyz is 503 but requests are still served', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: uniqueEmail('redis-down'), password: 'long enough pw', name: 'x' },
    });
    expect(res.statusCode).toBe(201);
  });
});
