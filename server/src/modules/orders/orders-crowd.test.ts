// A flash crowd (issue 20): buyers trying a listing that is already held are refused from a plain
// read, without queueing for the listing's row lock. Shown on MariaDB (TEST_DB=mysql) by holding
// that lock in an open transaction: the refusal comes back while it is still held (without the
// early refusal it waits for the lock until the test times out). SQLite cannot show it: Kysely's
// SQLite driver runs every query on one connection, reads included, one transaction at a time.
// What that read found is kept in memory until the listing changes (no round trip per refusal).
// Buyers who saw the listing free at once line up in their process, one attempt at a time per
// listing, instead of each waiting in the database with a pooled connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import { unqueued, type KeyedQueue } from '../../shared/keyed-queue.ts';
import type { ListingClaimer, Orders } from './index.ts';
import {
  errorCode,
  orderAction,
  placeOrder,
  setupSale,
  signedInUser,
  signedInUsers,
  type TestUser,
  ordersWith,
} from '../../../test/factories/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

describe('a listing already held', () => {
  it.runIf(usingMysql())(
    "when another buyer tries it while the listing's row is locked, then 409 LISTING_UNAVAILABLE comes back before the lock is released",
    async () => {
      const sale = await setupSale(t);
      expect((await placeOrder(t, sale.buyer, sale.listingId)).statusCode).toBe(201);
      const late = await signedInUser(t);

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = t.deps.uow.run(null, async ({ trx }) => {
        await trx
          .selectFrom('listings')
          .select('id')
          .where('id', '=', sale.listingId)
          .forUpdate()
          .execute();
        locked();
        await released;
      });
      await isLocked;
      try {
        const answer = await placeOrder(t, late, sale.listingId);
        expect(answer.statusCode, answer.body).toBe(409);
        expect(errorCode(answer)).toBe('LISTING_UNAVAILABLE');
      } finally {
        release();
        await holder;
      }
    },
  );

  it('when a listing is known held, then refusals come from memory until its hold changes through the service', async () => {
    const sale = await setupSale(t);
    const first = await placeOrder(t, sale.buyer, sale.listingId);
    expect(first.statusCode).toBe(201);
    expect(errorCode(await placeOrder(t, await signedInUser(t), sale.listingId))).toBe(
      'LISTING_UNAVAILABLE',
    );
    // Behind the service: the hold's end moved into the past. The read in memory still says held
    // (a database read would let the next buyer through: the test below).
    const orderId = (first.json() as { id: string }).id;
    const { expires_at } = await t.deps.db
      .selectFrom('orders')
      .select('expires_at')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    await t.deps.db
      .updateTable('orders')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', orderId)
      .execute();
    expect(errorCode(await placeOrder(t, await signedInUser(t), sale.listingId))).toBe(
      'LISTING_UNAVAILABLE',
    );
    // The holder gives up through the service: the listing is forgotten, the next buyer gets it.
    await t.deps.db.updateTable('orders').set({ expires_at }).where('id', '=', orderId).execute();
    expect((await orderAction(t, sale.buyer, orderId, 'cancel')).statusCode).toBe(200);
    const next = await placeOrder(t, await signedInUser(t), sale.listingId);
    expect(next.statusCode, next.body).toBe(201);
  });

  it('when the hold has run out, then the next buyer still gets the listing (the locked path decides)', async () => {
    const sale = await setupSale(t);
    const first = await placeOrder(t, sale.buyer, sale.listingId);
    expect(first.statusCode).toBe(201);
    await t.deps.db
      .updateTable('orders')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', (first.json() as { id: string }).id)
      .execute();
    const next = await placeOrder(t, await signedInUser(t), sale.listingId);
    expect(next.statusCode, next.body).toBe(201);
  });
});

describe('buyers who saw a free listing at the same moment', () => {
  /** Checkout whose locked read of the listing is counted: how many went into the database. */
  function countingCheckout(holdQueue?: KeyedQueue) {
    const counted = { reads: 0 };
    const claimer: ListingClaimer = {
      read: async (trx, listingId) => {
        counted.reads++;
        return t.deps.listings.lifecycle.lock(trx, listingId);
      },
      claim: (ctx, listing, n) => t.deps.listings.lifecycle.claim(ctx, listing, n),
    };
    const orders = ordersWith(t, {
      claimer,
      ...(holdQueue ? { holdQueue } : {}),
    });
    return { orders, counted };
  }
  async function race(orders: Orders, listingId: string, crowd: TestUser[]) {
    return Promise.allSettled(
      crowd.map((b) => orders.checkout.placeHold({ id: b.id, role: 'user' }, listingId, undefined)),
    );
  }

  it('when 20 of them try it on one instance, then one goes into the database and the rest are refused from memory', async () => {
    const sale = await setupSale(t);
    const { orders, counted } = countingCheckout();
    const results = await race(orders, sale.listingId, await signedInUsers(t, 20));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(counted.reads).toBe(1);
  });

  it('when they are not lined up (control), then each of them goes into the database', async () => {
    const sale = await setupSale(t);
    const { orders, counted } = countingCheckout(unqueued);
    const results = await race(orders, sale.listingId, await signedInUsers(t, 20));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(counted.reads).toBeGreaterThan(1);
  });
});
