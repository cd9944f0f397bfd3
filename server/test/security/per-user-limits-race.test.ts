// Per-user limits under parallel requests from ONE account (issue 16 item 1): unpaid orders,
// tickets per game, active listings per game, active reservations. Each flow locks the user's
// row first in its transaction; on MariaDB (REPEATABLE READ) a plain read before the lock fixes
// the snapshot and the counts taken after the lock miss what the account's other requests just
// committed. The controls (MariaDB only) run the same flows with the lock removed and show the
// limits overrun — the race the lock closes is real. Run with TEST_DB=mysql.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_LISTINGS_PER_GAME } from '../../../shared/contracts/listings.ts';
import { MAX_ACTIVE_RESERVATIONS } from '../../../shared/contracts/reservations.ts';
import type { UserLock } from '../../src/modules/accounts/index.ts';
import { createListingsService } from '../../src/modules/listings/index.ts';
import { MAX_TICKETS_PER_GAME, MAX_UNPAID_ORDERS } from '../../src/modules/orders/orders.rules.ts';
import { createReservationsService } from '../../src/modules/reservations/index.ts';
import { buildTestApp, usingMysql, type TestApp } from '../build-test-app.ts';
import {
  createGame,
  errorCode,
  insertListing,
  insertOrder,
  insertReservations,
  placeOrder,
  signedInUser,
  type TestGame,
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

const PARALLEL = 12;
const appFor = (i: number) => (second && i % 2 ? second : t);

/** The control's "lock": none, and the pause a busy server has before it counts. */
const noLock: UserLock = async (_db, userId) => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { id: userId, status: 'active' };
};

async function listingsOf(game: TestGame, n: number, quantity = 1) {
  const seller = await signedInUser(t);
  return Promise.all(
    Array.from({ length: n }, () => insertListing(t, { game, sellerId: seller.id, quantity })),
  );
}

async function unpaidOrdersOf(buyerId: string) {
  const rows = await t.deps.db
    .selectFrom('orders')
    .select('id')
    .where('buyer_id', '=', buyerId)
    .where('status', '=', 'pending_payment')
    .execute();
  return rows.length;
}

async function activeListingsOf(sellerId: string, gameId: string) {
  const rows = await t.deps.db
    .selectFrom('listings')
    .select('id')
    .where('seller_id', '=', sellerId)
    .where('game_id', '=', gameId)
    .where('status', '=', 'active')
    .execute();
  return rows.length;
}

async function activeReservationsOf(userId: string) {
  const rows = await t.deps.db
    .selectFrom('reservations')
    .select('id')
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .execute();
  return rows.length;
}

function listingBody(game: TestGame, i: number) {
  const area = game.areas[0]!;
  return {
    gameId: game.id,
    areaId: area.id,
    section: `R${i}`,
    quantity: 1,
    price: area.face_value_min,
    faceValue: area.face_value_min,
    deliveryMethod: 'eticket_transfer',
  };
}

function unsafeOrders() {
  return ordersWith(t, {
    userLock: noLock,
  });
}

describe('per-user limits under parallel requests from one account', () => {
  it(`when one buyer holds ${PARALLEL} listings of a game at once, then only ${MAX_UNPAID_ORDERS} unpaid orders are created`, async () => {
    const game = await createGame(t);
    const listingIds = await listingsOf(game, PARALLEL);
    const buyer = await signedInUser(t);
    const results = await Promise.all(listingIds.map((id, i) => placeOrder(appFor(i), buyer, id)));
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(MAX_UNPAID_ORDERS);
    for (const r of results.filter((x) => x.statusCode !== 201)) {
      expect(r.statusCode).toBe(422);
      expect(errorCode(r)).toBe('PURCHASE_LIMIT');
    }
    expect(await unpaidOrdersOf(buyer.id)).toBe(MAX_UNPAID_ORDERS);
  });

  it(`when a buyer with ${MAX_TICKETS_PER_GAME - 2} paid tickets of a game holds ${PARALLEL} pairs at once, then only one pair is held`, async () => {
    const game = await createGame(t);
    const buyer = await signedInUser(t);
    const seller = await signedInUser(t);
    await insertOrder(t, {
      gameId: game.id,
      buyerId: buyer.id,
      sellerId: seller.id,
      areaId: game.areas[0]!.id,
      quantity: MAX_TICKETS_PER_GAME - 2,
    });
    const listingIds = await listingsOf(game, PARALLEL, 2);
    const results = await Promise.all(listingIds.map((id, i) => placeOrder(appFor(i), buyer, id)));
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 422).map(errorCode)).toEqual(
      Array(PARALLEL - 1).fill('PURCHASE_LIMIT'),
    );
    expect(await unpaidOrdersOf(buyer.id)).toBe(1);
  });

  it(`when a seller with ${MAX_ACTIVE_LISTINGS_PER_GAME - 4} listings of a game lists ${PARALLEL} more at once, then the game stops at ${MAX_ACTIVE_LISTINGS_PER_GAME}`, async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    for (let i = 0; i < MAX_ACTIVE_LISTINGS_PER_GAME - 4; i++)
      await insertListing(t, { game, sellerId: seller.id });
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        appFor(i).app.inject({
          method: 'POST',
          url: '/api/listings',
          headers: seller.auth,
          payload: listingBody(game, i),
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(4);
    expect(await activeListingsOf(seller.id, game.id)).toBe(MAX_ACTIVE_LISTINGS_PER_GAME);
  });

  it(`when a fan with ${MAX_ACTIVE_RESERVATIONS - 3} reservations makes ${PARALLEL} more at once, then they stop at ${MAX_ACTIVE_RESERVATIONS}`, async () => {
    const game = await createGame(t);
    const fan = await signedInUser(t);
    await insertReservations(
      t,
      Array.from({ length: MAX_ACTIVE_RESERVATIONS - 3 }, () => ({
        userId: fan.id,
        gameId: game.id,
      })),
    );
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        appFor(i).app.inject({
          method: 'POST',
          url: '/api/reservations',
          headers: fan.auth,
          payload: { gameId: game.id, maxPrice: 100 + i },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(3);
    expect(await activeReservationsOf(fan.id)).toBe(MAX_ACTIVE_RESERVATIONS);
  });

  // ---- the controls: the same flows without the user lock overrun each limit (MariaDB only;
  // SQLite runs one writer at a time and cannot show the race).

  it.runIf(usingMysql())(
    'when checkout runs without the user lock (control), then one buyer gets more unpaid orders than the limit',
    async () => {
      const unsafe = unsafeOrders();
      const game = await createGame(t);
      const listingIds = await listingsOf(game, PARALLEL);
      const buyer = await signedInUser(t);
      await Promise.allSettled(
        listingIds.map((id) =>
          unsafe.checkout.placeHold({ id: buyer.id, role: 'user' }, id, undefined),
        ),
      );
      expect(await unpaidOrdersOf(buyer.id)).toBeGreaterThan(MAX_UNPAID_ORDERS);
    },
  );

  it.runIf(usingMysql())(
    'when new listings are checked without the user lock (control), then a seller passes the per-game cap',
    async () => {
      const unsafe = createListingsService({
        db: t.deps.db,
        uow: t.deps.uow,
        clock: t.deps.clock,
        storage: t.deps.storage,
        cached: t.deps.cached,
        userLock: noLock,
      });
      const game = await createGame(t);
      const seller = await signedInUser(t);
      for (let i = 0; i < MAX_ACTIVE_LISTINGS_PER_GAME - 4; i++)
        await insertListing(t, { game, sellerId: seller.id });
      await Promise.allSettled(
        Array.from({ length: PARALLEL }, (_, i) =>
          unsafe.create(seller.id, listingBody(game, i) as never, []),
        ),
      );
      expect(await activeListingsOf(seller.id, game.id)).toBeGreaterThan(
        MAX_ACTIVE_LISTINGS_PER_GAME,
      );
    },
  );

  it.runIf(usingMysql())(
    'when reservations are written without the user lock (control), then a fan passes the cap',
    async () => {
      const unsafe = createReservationsService({
        db: t.deps.db,
        clock: t.deps.clock,
        notifications: t.deps.notifications,
        cached: t.deps.cached,
        userLock: noLock,
      });
      const game = await createGame(t);
      const fan = await signedInUser(t);
      await insertReservations(
        t,
        Array.from({ length: MAX_ACTIVE_RESERVATIONS - 3 }, () => ({
          userId: fan.id,
          gameId: game.id,
        })),
      );
      await Promise.allSettled(
        Array.from({ length: PARALLEL }, (_, i) =>
          unsafe.create(fan.id, { gameId: game.id, maxPrice: 100 + i }),
        ),
      );
      expect(await activeReservationsOf(fan.id)).toBeGreaterThan(MAX_ACTIVE_RESERVATIONS);
    },
  );
});
