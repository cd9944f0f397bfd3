// Hold exhaustion (issue 16 item 2): fresh accounts sweeping a game's listings into unpaid holds.
// An unpaid hold tells the seller nothing (they hear of it when it is paid), live holds are
// budgeted per address, and an account that cancelled a hold waits before holding that listing
// again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLD_COOLDOWN_MS, MAX_HOLDS_PER_IP } from '../../src/modules/orders/orders.rules.ts';
import { manualClock } from '../../src/shared/clock.ts';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import {
  createGame,
  insertListing,
  notificationsAbout,
  orderAction,
  payOrder,
  signedInUser,
  signedInUsers,
  type TestUser,
} from '../factories/index.ts';
import { expectErrorShape } from './openapi-routes.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { CHECKOUT_HOLD_SECONDS: '600' } });
});
afterAll(async () => t.close());

const hold = (buyer: TestUser, listingId: string, remoteAddress: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: buyer.auth,
    payload: { listingId },
    remoteAddress,
  });

async function listingsOfOneGame(count: number) {
  const game = await createGame(t);
  const seller = await signedInUser(t);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      await insertListing(t, {
        game,
        sellerId: seller.id,
        rowLabel: String(i + 1),
        seats: '1-2',
        quantity: 2,
      }),
    );
  }
  return { game, seller, ids };
}

const statusOf = async (listingId: string) =>
  (
    await t.deps.db
      .selectFrom('listings')
      .select('status')
      .where('id', '=', listingId)
      .executeTakeFirstOrThrow()
  ).status;

describe('hold sweeps', () => {
  it('when a buyer holds a listing, then the seller is not notified until it is paid', async () => {
    const { seller, ids } = await listingsOfOneGame(1);
    const buyer = await signedInUser(t);
    const res = await hold(buyer, ids[0]!, '192.0.2.10');
    expect(res.statusCode, res.body).toBe(201);
    const orderId = (res.json() as { id: string }).id;
    expect(await notificationsAbout(t, orderId)).toEqual([]);
    expect((await payOrder(t, buyer, orderId, 'sim_approve')).statusCode).toBe(200);
    // Paid: the seller is told now (the buyer gets the receipt).
    const told = (await notificationsAbout(t, orderId)).map((n) => [n.userId, n.type]);
    expect(told).toEqual(
      expect.arrayContaining([
        [seller.id, 'order_paid'],
        [buyer.id, 'payment_receipt'],
      ]),
    );
    expect(told).toHaveLength(2);
  });

  it('when fresh accounts from one address sweep a game, then holds stop at the per-address budget with 429 HOLD_LIMIT; another address still buys', async () => {
    const { ids } = await listingsOfOneGame(MAX_HOLDS_PER_IP + 3);
    const bots = await signedInUsers(t, 5);
    const answers: number[] = [];
    let limited: Awaited<ReturnType<typeof hold>> | null = null;
    for (const [n, id] of ids.slice(0, -1).entries()) {
      const res = await hold(bots[Math.floor(n / 2)]!, id, '198.51.100.66');
      answers.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(answers.filter((s) => s === 201)).toHaveLength(MAX_HOLDS_PER_IP);
    expect(answers.slice(MAX_HOLDS_PER_IP).every((s) => s === 429)).toBe(true);
    expect(expectErrorShape(limited!).error).toMatchObject({
      code: 'HOLD_LIMIT',
      details: { limit: MAX_HOLDS_PER_IP },
    });
    const onSale = await Promise.all(ids.map(statusOf));
    expect(onSale.filter((s) => s === 'active')).toHaveLength(ids.length - MAX_HOLDS_PER_IP);
    const fan = await signedInUser(t);
    expect((await hold(fan, ids.at(-1)!, '203.0.113.5')).statusCode).toBe(201);
  });

  it('when an account cancels a hold, then it cannot hold that listing again during the cool-down (429 HOLD_COOLDOWN), and it can afterwards', async () => {
    const { ids } = await listingsOfOneGame(1);
    const bot = await signedInUser(t);
    const first = await hold(bot, ids[0]!, '192.0.2.20');
    expect(first.statusCode, first.body).toBe(201);
    const orderId = (first.json() as { id: string }).id;
    expect((await orderAction(t, bot, orderId, 'cancel')).statusCode).toBe(200);
    expect(await statusOf(ids[0]!)).toBe('active');

    const again = await hold(bot, ids[0]!, '192.0.2.21');
    expect(again.statusCode, again.body).toBe(429);
    const error = expectErrorShape(again).error as {
      code: string;
      details: { retryAfterSeconds: number };
    };
    expect(error.code).toBe('HOLD_COOLDOWN');
    expect(error.details.retryAfterSeconds).toBe(HOLD_COOLDOWN_MS / 1000);
    expect(await statusOf(ids[0]!)).toBe('active');

    clock.advance(HOLD_COOLDOWN_MS);
    const later = await hold(bot, ids[0]!, '192.0.2.20');
    expect(later.statusCode, later.body).toBe(201);
  });
});
