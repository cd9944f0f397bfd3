// No double sale under load: many buyers, one listing, at the same moment — on SQLite, on
// MariaDB, and on two app instances sharing one MariaDB. The control test removes the guard (row
// lock + conditional update) and shows the race is real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import type { ListingClaimer } from './index.ts';
import { unqueued } from '../../shared/keyed-queue.ts';
import {
  createGame,
  insertListing,
  placeOrder,
  setupSale,
  signedInUser,
  signedInUsers,
  ordersWith,
} from '../../../test/factories/index.ts';

const BUYERS = 200;

let t: TestApp;
let second: TestApp | null = null;
beforeAll(async () => {
  t = await buildTestApp();
  // With TEST_DB=mysql a second app instance on the same database: a second server.
  if (usingMysql()) second = await buildTestApp();
});
afterAll(async () => {
  await second?.close();
  await t.close();
});

const buyers = (n: number) => signedInUsers(t, n);

async function ordersOf(listingId: string) {
  return t.deps.db.selectFrom('orders').selectAll().where('listing_id', '=', listingId).execute();
}

describe('no double sale', () => {
  it(`when ${BUYERS} buyers order one listing at once, then exactly one 201 and the rest 409`, async () => {
    const sale = await setupSale(t);
    const crowd = await buyers(BUYERS);
    const apps = second ? [t, second] : [t];
    const results = await Promise.all(
      crowd.map((buyer, i) => placeOrder(apps[i % apps.length]!, buyer, sale.listingId)),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c >= 500)).toEqual([]);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(BUYERS - 1);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(r.json().error.code).toBe('LISTING_UNAVAILABLE');
    }
    const rows = await ordersOf(sale.listingId);
    expect(rows).toHaveLength(1);
    const listing = await t.deps.db
      .selectFrom('listings')
      .select('status')
      .where('id', '=', sale.listingId)
      .executeTakeFirstOrThrow();
    expect(listing.status).toBe('held');
  });

  it('when many buyers race for several listings on both instances, then each listing is held once', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const listingIds = await Promise.all(
      [1, 2, 3, 4, 5].map(() => insertListing(t, { game, sellerId: seller.id, quantity: 1 })),
    );
    const crowd = await buyers(60);
    const apps = second ? [t, second] : [t];
    const results = await Promise.all(
      crowd.map((buyer, i) =>
        placeOrder(apps[i % apps.length]!, buyer, listingIds[i % listingIds.length]!),
      ),
    );
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(listingIds.length);
    for (const id of listingIds) expect(await ordersOf(id)).toHaveLength(1);
  });

  // What the in-process line per listing would hide: every buyer straight into the database, as
  // if each were on an instance of their own. The row lock and conditional update decide alone.
  it(`when ${BUYERS} buyers order one listing at once with no line in the process, then still exactly one hold`, async () => {
    const sale = await setupSale(t);
    const crowd = await buyers(BUYERS);
    const lineless = ordersWith(t, { holdQueue: unqueued });
    const results = await Promise.allSettled(
      crowd.map((buyer) =>
        lineless.checkout.placeHold({ id: buyer.id, role: 'user' }, sale.listingId, undefined),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected')
        expect((r.reason as { code?: string }).code).toBe('LISTING_UNAVAILABLE');
    }
    expect(await ordersOf(sale.listingId)).toHaveLength(1);
  });

  // The control: the same checkout with the guard removed — no row lock, an unconditional
  // update, and the pause a busy server has between reading and writing. SQLite cannot show
  // the race at all (one writer at a time), so this runs on MariaDB.
  it.runIf(usingMysql())(
    'when the listing is claimed without lock or conditional update (control), then it is sold more than once',
    async () => {
      const unguarded: ListingClaimer = {
        read: async (trx, listingId) => {
          const row = await trx
            .selectFrom('listings')
            .selectAll()
            .where('id', '=', listingId)
            .executeTakeFirst();
          await new Promise((resolve) => setTimeout(resolve, 50));
          return row;
        },
        claim: async (ctx, listing) => {
          await ctx.trx
            .updateTable('listings')
            .set({ status: 'held', updated_at: ctx.now.toISOString() })
            .where('id', '=', listing.id)
            .execute();
          return true;
        },
      };
      // As if each buyer were on a process of their own (the in-process line per listing hides
      // the race on one instance; between instances only the database guards).
      const unsafe = ordersWith(t, { claimer: unguarded, holdQueue: unqueued });
      const sale = await setupSale(t);
      const crowd = await buyers(15);
      const results = await Promise.allSettled(
        crowd.map((buyer) =>
          unsafe.checkout.placeHold({ id: buyer.id, role: 'user' }, sale.listingId, undefined),
        ),
      );
      const created = results.filter((r) => r.status === 'fulfilled');
      expect(created.length).toBeGreaterThan(1);
      expect((await ordersOf(sale.listingId)).length).toBe(created.length);
    },
  );
});
