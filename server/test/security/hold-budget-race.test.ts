// The per-address hold budget and the cool-down under parallel requests (issue 16 item 2): many
// fresh accounts behind one address holding at once must not get more than MAX_HOLDS_PER_IP live
// holds. Each account's checkouts are serialised by its user lock, but different accounts are
// not: checkout locks the address's row (hold_addresses) before it counts the address's holds.
// The control (MariaDB only; SQLite runs one writer at a time) runs checkout without that lock
// and shows the budget overrun. Run with TEST_DB=mysql.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AddressLock } from '../../src/modules/orders/index.ts';
import { MAX_HOLDS_PER_IP } from '../../src/modules/orders/orders.rules.ts';
import { buildTestApp, usingMysql, type TestApp } from '../build-test-app.ts';
import {
  createGame,
  errorCode,
  insertListing,
  orderAction,
  signedInUser,
  type TestUser,
  ordersWith,
} from '../factories/index.ts';

let t: TestApp;
let second: TestApp | null = null;
beforeAll(async () => {
  t = await buildTestApp();
  // On MariaDB half the requests go to a second app instance on the same database.
  if (usingMysql()) second = await buildTestApp();
});
afterAll(async () => {
  await second?.close();
  await t.close();
});

const PARALLEL = 14;
const appFor = (i: number) => (second && i % 2 ? second : t);

const hold = (app: TestApp, buyer: TestUser, listingId: string, remoteAddress: string) =>
  app.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: buyer.auth,
    payload: { listingId },
    remoteAddress,
  });

async function listings(n: number) {
  const game = await createGame(t);
  const seller = await signedInUser(t);
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      insertListing(t, { game, sellerId: seller.id, rowLabel: String(i + 1) }),
    ),
  );
}

async function accounts(n: number) {
  return Promise.all(Array.from({ length: n }, () => signedInUser(t)));
}

async function liveHoldsFrom(ip: string) {
  const rows = await t.deps.db
    .selectFrom('orders')
    .select('id')
    .where('hold_ip', '=', ip)
    .where('status', '=', 'pending_payment')
    .execute();
  return rows.length;
}

/** The control's address "lock": none, and the pause a busy server has before it counts. */
const noAddressLock: AddressLock = async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
};

describe('the per-address hold budget under parallel requests', () => {
  it(`when ${PARALLEL} fresh accounts behind one address each hold a listing at once, then only ${MAX_HOLDS_PER_IP} holds are made and the rest get 429 HOLD_LIMIT`, async () => {
    const ids = await listings(PARALLEL);
    const bots = await accounts(PARALLEL);
    const results = await Promise.all(
      ids.map((id, i) => hold(appFor(i), bots[i]!, id, '198.51.100.201')),
    );
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(MAX_HOLDS_PER_IP);
    expect(results.filter((r) => r.statusCode !== 201).map(errorCode)).toEqual(
      Array(PARALLEL - MAX_HOLDS_PER_IP).fill('HOLD_LIMIT'),
    );
    expect(await liveHoldsFrom('198.51.100.201')).toBe(MAX_HOLDS_PER_IP);
  });

  it('when an account that cancelled a hold re-holds that listing from both instances at once, then every attempt gets 429 HOLD_COOLDOWN', async () => {
    const [id] = await listings(1);
    const bot = await signedInUser(t);
    const first = await hold(t, bot, id!, '198.51.100.202');
    expect(first.statusCode, first.body).toBe(201);
    const orderId = (first.json() as { id: string }).id;
    expect((await orderAction(t, bot, orderId, 'cancel')).statusCode).toBe(200);
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => hold(appFor(i), bot, id!, `198.51.100.${i}`)),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(PARALLEL).fill(429));
    expect(results.map(errorCode)).toEqual(Array(PARALLEL).fill('HOLD_COOLDOWN'));
    const pending = await t.deps.db
      .selectFrom('orders')
      .select('id')
      .where('buyer_id', '=', bot.id)
      .where('status', '=', 'pending_payment')
      .execute();
    expect(pending).toEqual([]);
  });

  it.runIf(usingMysql())(
    'when checkout counts without the address lock (control), then one address gets more live holds than the budget',
    async () => {
      const unsafe = ordersWith(t, {
        addressLock: noAddressLock,
      });
      const ids = await listings(PARALLEL);
      const bots = await accounts(PARALLEL);
      await Promise.allSettled(
        ids.map((id, i) =>
          unsafe.checkout.placeHold(
            { id: bots[i]!.id, role: 'user' },
            id,
            undefined,
            null,
            '198.51.100.203',
          ),
        ),
      );
      expect(await liveHoldsFrom('198.51.100.203')).toBeGreaterThan(MAX_HOLDS_PER_IP);
    },
  );
});
