// Unauthenticated triggers must not amplify (issue 16 item 7): TapPay's notify and the browser's
// return are limited per IP and cost no Record API call for trades the app never created;
// signed-out recommendation impressions are throttled, and a click counts only for an impression
// shown to the same viewer.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_COOKIE } from '../../src/modules/recommendations/recommendations.routes.ts';
import {
  ANON_IP_LOG_MAX,
  ANON_VISITOR_LOG_MS,
} from '../../src/modules/recommendations/recommendations.service.ts';
import { RATE_LIMITS } from '../../src/platform/http/rate-limits.ts';
import { DAY, manualClock } from '../../src/shared/clock.ts';
import { newId } from '../../src/shared/ids.ts';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import {
  createGame,
  farEpoch,
  holdOrder,
  insertListing,
  insertUser,
  payOrder,
  setupSale,
  signedInUser,
} from '../factories/index.ts';
import { expectErrorShape } from './openapi-routes.ts';

const opened: TestApp[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map((t) => t.close()));
});
async function app(options: Parameters<typeof buildTestApp>[0] = {}) {
  const t = await buildTestApp(options);
  opened.push(t);
  return t;
}

const notify = (t: TestApp, payload: object, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/payments/tappay/notify', payload, remoteAddress });
const browserReturn = (t: TestApp, query: Record<string, string>, remoteAddress = '127.0.0.1') =>
  t.app.inject({
    method: 'GET',
    url: `/payments/tappay/return?${new URLSearchParams(query).toString()}`,
    remoteAddress,
  });

describe('TapPay notify and return', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await app();
  });
  const recordCalls = () => t.deps.tappaySimulator!.recordCalls();

  it('when notify and return name trades and orders the app never created, then no Record API call is made', async () => {
    const before = recordCalls();
    for (let i = 0; i < 100; i++) {
      const fake = { rec_trade_id: `D${randomUUID().replaceAll('-', '')}`, order_number: newId() };
      expect((await notify(t, fake)).statusCode).toBe(200);
      const back = await browserReturn(t, fake);
      expect(back.statusCode).toBe(303);
      expect(back.headers.location).toBe('/me/orders');
    }
    expect(recordCalls() - before).toBe(0);

    // Control: a trade the app did create is looked up (the Record API decides).
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await payOrder(t, sale.buyer, order.id, 'sim_3ds');
    expect(res.statusCode, res.body).toBe(200);
    const [trade] = t.deps.tappaySimulator!.tradesOfOrder(order.id);
    const known = recordCalls();
    await notify(t, { rec_trade_id: trade!.recTradeId, order_number: order.id });
    expect(recordCalls()).toBe(known + 1);
    const back = await browserReturn(t, { rec_trade_id: trade!.recTradeId });
    expect(back.headers.location).toBe(`/checkout/${order.id}`);
    expect(recordCalls()).toBe(known + 2);
  });

  it('when one address sends notify or return over the limit, then 429 RATE_LIMITED; another address is not limited', async () => {
    const limited = await app({
      env: { RATE_LIMIT: 'on', REDIS_PREFIX: `pas:test:rl:${randomUUID().slice(0, 12)}:` },
    });
    const fake = { rec_trade_id: 'D20261203unknown', order_number: newId() };
    const { max } = RATE_LIMITS.tappaySignal;
    const sends = [
      () => notify(limited, fake, '203.0.113.7'),
      () => browserReturn(limited, fake, '203.0.113.7'),
    ];
    for (const send of sends) {
      for (let i = 0; i < max; i++) {
        expect((await send()).statusCode, `attempt ${i + 1}`).not.toBe(429);
      }
      const res = await send();
      expect(res.statusCode, res.body).toBe(429);
      expect(expectErrorShape(res).error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await notify(limited, fake, '203.0.113.8')).statusCode).toBe(200);
  });
});

describe('recommendation impressions and clicks', () => {
  // Far ahead so no other test file's games are upcoming.
  const clock = manualClock(new Date(farEpoch('future').getTime() + 5000 * DAY));
  let t: TestApp;
  beforeAll(async () => {
    clock.advance(Math.floor(Math.random() * 1000) * DAY);
    t = await app({ clock });
    const seller = await insertUser(t);
    for (let g = 0; g < 4; g++) {
      const game = await createGame(t, { startsAt: new Date(clock.now().getTime() + 2 * DAY) });
      for (const area of game.areas.slice(0, 6))
        await insertListing(t, { gameId: game.id, sellerId: seller, areaId: area.id });
    }
  });

  const recommend = (options: { remoteAddress?: string; cookie?: string; auth?: object } = {}) =>
    t.app.inject({
      method: 'GET',
      url: '/api/recommendations?limit=20',
      remoteAddress: options.remoteAddress ?? '198.51.100.1',
      headers: { ...(options.auth ?? {}) },
      ...(options.cookie ? { cookies: { [VISITOR_COOKIE]: options.cookie } } : {}),
    });
  const loggedRows = async (where: { userKeyLike: string }) => {
    await t.deps.recommendations.settled();
    const rows = await t.deps.db
      .selectFrom('rec_events')
      .select(['request_id', 'user_key'])
      .where('kind', '=', 'impression')
      .where('user_key', 'like', where.userKeyLike)
      .execute();
    return rows;
  };

  it('when 1,000 signed-out GETs come from one address, then at most the per-address budget of answers is logged', async () => {
    const before = (await loggedRows({ userKeyLike: 'anon:%' })).length;
    let shown = 0;
    for (let i = 0; i < 1000; i++) {
      const res = await recommend({ remoteAddress: '198.51.100.7' });
      expect(res.statusCode).toBe(200);
      shown += (res.json() as { items: unknown[] }).items.length;
    }
    expect(shown).toBeGreaterThan(1000 * 10);
    const written = (await loggedRows({ userKeyLike: 'anon:%' })).length - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(ANON_IP_LOG_MAX * 20);
  });

  it('when one visitor reloads many times, then its answers are logged once per interval', async () => {
    const visitor = newId();
    for (let i = 0; i < 30; i++) {
      expect(
        (await recommend({ remoteAddress: '198.51.100.20', cookie: visitor })).statusCode,
      ).toBe(200);
    }
    const rows = await loggedRows({ userKeyLike: `anon:${visitor}` });
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);
    clock.advance(ANON_VISITOR_LOG_MS);
    await recommend({ remoteAddress: '198.51.100.20', cookie: visitor });
    const later = await loggedRows({ userKeyLike: `anon:${visitor}` });
    expect(new Set(later.map((r) => r.request_id)).size).toBe(2);
  });

  it('when someone clicks an impression shown to another viewer, then 404 and no click is counted', async () => {
    const fan = await signedInUser(t);
    const other = await signedInUser(t);
    const shown = (await recommend({ auth: fan.auth })).json() as {
      requestId: string;
      items: { listing: { id: string } }[];
    };
    const visitor = newId();
    const anonShown = (
      await recommend({ remoteAddress: '198.51.100.30', cookie: visitor })
    ).json() as typeof shown;
    await t.deps.recommendations.settled();
    const click = (body: typeof shown, extra: { headers?: object; cookie?: string }) =>
      t.app.inject({
        method: 'POST',
        url: '/api/recommendations/click',
        headers: { ...(extra.headers ?? {}) },
        ...(extra.cookie ? { cookies: { [VISITOR_COOKIE]: extra.cookie } } : {}),
        payload: { requestId: body.requestId, listingId: body.items[0]!.listing.id },
      });
    for (const res of [
      await click(shown, { headers: other.auth }),
      await click(shown, {}),
      await click(shown, { cookie: newId() }),
      await click(anonShown, { cookie: newId() }),
      await click(anonShown, { headers: fan.auth }),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
    }
    const clicks = () =>
      t.deps.db
        .selectFrom('rec_events')
        .select('request_id')
        .where('kind', '=', 'click')
        .where('request_id', 'in', [shown.requestId, anonShown.requestId])
        .execute();
    expect(await clicks()).toHaveLength(0);
    expect((await click(shown, { headers: fan.auth })).statusCode).toBe(204);
    expect((await click(anonShown, { cookie: visitor })).statusCode).toBe(204);
    expect(await clicks()).toHaveLength(2);
  });
});
