// A seller's earnings page (issue 21 item 14): sold, held in escrow, pending payout and paid,
// from the seller's own orders and payouts, a page at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { manualClock, MINUTE } from '../../shared/clock.ts';
import {
  createGame,
  insertOrder,
  insertPayout,
  signedInUser,
  type TestGame,
  type TestUser,
} from '../../../test/factories/index.ts';
import type { OrderStatus } from '../../platform/db/schema.ts';

const clock = manualClock(new Date('2026-09-01T02:00:00Z'));
let t: TestApp;
let game: TestGame;
let buyer: TestUser;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  game = await createGame(t);
  buyer = await signedInUser(t);
});
afterAll(async () => t.close());

const earnings = (user: TestUser | null, query: Record<string, string> = {}) =>
  t.app.inject({
    method: 'GET',
    url: '/api/me/earnings',
    query,
    ...(user ? { headers: user.auth } : {}),
  });

/** One order a minute after the last (so newest-first is known), with its payout if given. */
async function sale(
  seller: TestUser,
  amount: number,
  status: OrderStatus,
  payout?: { fee: number; paid?: boolean },
) {
  clock.advance(MINUTE);
  const orderId = await insertOrder(t, {
    gameId: game.id,
    areaId: game.areas[0]!.id,
    buyerId: buyer.id,
    sellerId: seller.id,
    quantity: 1,
    unitPrice: amount,
    status,
    paidAt: status === 'pending_payment' ? null : clock.now(),
  });
  if (payout) {
    const id = await insertPayout(t, {
      orderId,
      sellerId: seller.id,
      amount: amount - payout.fee,
      fee: payout.fee,
    });
    if (payout.paid)
      await t.deps.db
        .updateTable('payouts')
        .set({ status: 'paid', paid_at: clock.now().toISOString() })
        .where('id', '=', id)
        .execute();
  }
  return orderId;
}

describe('seller earnings', () => {
  it('when a seller has held, completed, paid-out, refunded and unpaid orders, then the totals count each where it is and only theirs', async () => {
    const seller = await signedInUser(t, { name: 'Seller Earns' });
    const other = await signedInUser(t, { name: 'Other Seller' });
    const held = await sale(seller, 1000, 'paid');
    const delivered = await sale(seller, 600, 'delivered');
    const owed = await sale(seller, 600, 'completed', { fee: 30 });
    const paidOut = await sale(seller, 1000, 'completed', { fee: 50, paid: true });
    await sale(seller, 800, 'refunded');
    await sale(seller, 700, 'pending_payment');
    await sale(other, 10_000, 'completed', { fee: 500, paid: true });

    const res = await earnings(seller);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.totals).toEqual({
      soldCount: 4,
      sold: 3200,
      inEscrow: 1600,
      pendingPayout: 570,
      paid: 950,
    });
    expect(body.items.map((s: { orderId: string }) => s.orderId)).toEqual([
      paidOut,
      owed,
      delivered,
      held,
    ]);
    expect(body.items[0]).toMatchObject({
      amount: 1000,
      status: 'completed',
      game: { id: game.id },
      payout: { status: 'paid', fee: 50, amount: 950 },
    });
    expect(body.items[0].payout.paidAt).toEqual(expect.any(String));
    expect(body.items[1].payout).toMatchObject({ status: 'owed', amount: 570, paidAt: null });
    expect(body.items[3]).toMatchObject({ status: 'paid', payout: null });

    const theirs = (await earnings(other)).json();
    expect(theirs.totals).toEqual({
      soldCount: 1,
      sold: 10_000,
      inEscrow: 0,
      pendingPayout: 0,
      paid: 9500,
    });
    expect(theirs.items).toHaveLength(1);
  });

  it('when the sales fill more than a page, then the pages follow each other and the totals stay whole', async () => {
    const seller = await signedInUser(t);
    const ids = [];
    for (const amount of [100, 200, 300]) ids.push(await sale(seller, amount, 'paid'));
    const first = (await earnings(seller, { limit: '2' })).json();
    expect(first.items.map((s: { orderId: string }) => s.orderId)).toEqual([ids[2], ids[1]]);
    expect(first.totals.sold).toBe(600);
    const second = (await earnings(seller, { limit: '2', cursor: first.nextCursor })).json();
    expect(second.items.map((s: { orderId: string }) => s.orderId)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });

  it('when nobody is signed in, then 401', async () => {
    expect((await earnings(null)).statusCode).toBe(401);
  });
});
