// Buying part of a listing under load (issue 22): 200 checkouts of 1–2 tickets from one 8-ticket
// listing at the same moment — on SQLite, on MariaDB and on two app instances sharing it. Never
// more than 8 tickets held, `remaining` never below 0 nor leaving one seat under `pairs`, and the
// purchase limits hold. The control takes the tickets without the lock and the conditional
// update and sells more tickets than there are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import type { ListingClaimer } from './index.ts';
import { unqueued } from '../../shared/keyed-queue.ts';
import { MAX_UNPAID_ORDERS } from './orders.rules.ts';
import { placeOrder, setupSale, signedInUsers, ordersWith } from '../../../test/factories/index.ts';

const REQUESTS = 200;
const BUYERS = 50;

let t: TestApp;
let second: TestApp | null = null;
beforeAll(async () => {
  t = await buildTestApp();
  if (usingMysql()) second = await buildTestApp();
});
afterAll(async () => {
  await second?.close();
  await t.close();
});

const buyers = (n: number) => signedInUsers(t, n);

const ordersOf = (listingId: string) =>
  t.deps.db.selectFrom('orders').selectAll().where('listing_id', '=', listingId).execute();

const listingOf = (id: string) =>
  t.deps.db
    .selectFrom('listings')
    .select(['status', 'remaining', 'held', 'quantity'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('buying part of a listing under load', () => {
  it(`when ${REQUESTS} checkouts of 1–2 tickets hit one 8-ticket listing (pairs), then at most 8 are held and no single seat is left`, async () => {
    const sale = await setupSale(t, { quantity: 8, splitRule: 'pairs' });
    const crowd = await buyers(BUYERS);
    const apps = second ? [t, second] : [t];
    const results = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        placeOrder(apps[i % apps.length]!, crowd[i % BUYERS]!, sale.listingId, {}, 1 + (i % 2)),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c >= 500)).toEqual([]);
    for (const r of results.filter((x) => x.statusCode !== 201)) {
      expect(['LISTING_UNAVAILABLE', 'QUANTITY_NOT_ALLOWED', 'PURCHASE_LIMIT']).toContain(
        r.json().error.code,
      );
    }
    const orders = await ordersOf(sale.listingId);
    expect(orders).toHaveLength(codes.filter((c) => c === 201).length);
    const sold = orders.reduce((sum, o) => sum + o.quantity, 0);
    const listing = await listingOf(sale.listingId);
    expect(sold).toBeLessThanOrEqual(8);
    expect(listing.remaining).toBeGreaterThanOrEqual(0);
    expect(listing.remaining + listing.held).toBe(8);
    expect(listing.held).toBe(sold);
    expect(listing.remaining).not.toBe(1);
    // Replayed in order of creation, every order was allowed by the rule at its moment.
    let left = 8;
    for (const o of [...orders].sort((a, b) => a.created_at.localeCompare(b.created_at))) {
      expect([1, 2]).toContain(o.quantity);
      left -= o.quantity;
      expect(left === 1).toBe(false);
    }
    // Purchase limits: no buyer has more unpaid orders than allowed.
    const perBuyer = new Map<string, number>();
    for (const o of orders) perBuyer.set(o.buyer_id, (perBuyer.get(o.buyer_id) ?? 0) + 1);
    for (const n of perBuyer.values()) expect(n).toBeLessThanOrEqual(MAX_UNPAID_ORDERS);
    expect(listing.status).toBe(listing.remaining === 0 ? 'held' : 'active');
  });

  it('when one buyer sends many checkouts at once, then their unpaid orders stay within the limit', async () => {
    const sale = await setupSale(t, { quantity: 8 });
    const apps = second ? [t, second] : [t];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        placeOrder(apps[i % apps.length]!, sale.buyer, sale.listingId, {}, 1),
      ),
    );
    expect(results.filter((r) => r.statusCode >= 500)).toEqual([]);
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(MAX_UNPAID_ORDERS);
    expect((await listingOf(sale.listingId)).remaining).toBe(8 - MAX_UNPAID_ORDERS);
  });

  // The control: the same checkout with the guard removed — no row lock, an unconditional
  // decrement of what was read, and the pause a busy server has between reading and writing.
  // SQLite cannot show the race (one writer at a time), so this runs on MariaDB.
  it.runIf(usingMysql())(
    'when tickets are taken without lock or conditional update (control), then more than 8 are sold',
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
        claim: async (ctx, listing, n) => {
          await ctx.trx
            .updateTable('listings')
            .set({ remaining: listing.remaining - n, updated_at: ctx.now.toISOString() })
            .where('id', '=', listing.id)
            .execute();
          return true;
        },
      };
      const unsafe = ordersWith(t, {
        claimer: unguarded,
        // As if each buyer were on a process of their own (the in-process line per listing hides
        // the race on one instance; between instances only the database guards).
        holdQueue: unqueued,
      });
      const sale = await setupSale(t, { quantity: 8, splitRule: 'pairs' });
      const crowd = await buyers(15);
      const results = await Promise.allSettled(
        crowd.map((buyer) =>
          unsafe.checkout.placeHold(
            { id: buyer.id, role: 'user' },
            sale.listingId,
            undefined,
            null,
            null,
            2,
          ),
        ),
      );
      const created = results.filter((r) => r.status === 'fulfilled');
      const sold = (await ordersOf(sale.listingId)).reduce((sum, o) => sum + o.quantity, 0);
      expect(created.length).toBeGreaterThan(4);
      expect(sold).toBeGreaterThan(8);
    },
  );
});
