// Sellers' scorecards (issue 18 item 7) and the admins' hand-over health (item 8), from histories
// built step by step on the injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/build-test-app.ts';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import {
  createGame,
  holdOrder,
  insertListing,
  orderAction,
  payOrder,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { DAY, HOUR, manualClock } from '../../shared/clock.ts';

const clock = manualClock(new Date(Date.now() + 60_000));
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  // A database of its own: hand-over health counts every order on it.
  t = await buildPrivateTestApp({ clock });
  admin = await signedInUser(t, { role: 'admin' });
});
afterAll(async () => t.close());

/** Sessions are re-issued after the clock moved a lot (an old one would have expired). */
async function fresh(user: TestUser, mfa = false): Promise<TestUser> {
  const { token } = await t.deps.tokens.issue(user.id, clock.now(), { mfa });
  return { id: user.id, auth: { authorization: `Bearer ${token}` } };
}

/** One paid sale of `seller`'s: a new game a week away, a new buyer. */
async function sale(seller: TestUser) {
  const game = await createGame(t);
  const listingId = await insertListing(t, { game, sellerId: seller.id, quantity: 1 });
  const buyer = await signedInUser(t);
  const order = await holdOrder(t, buyer, listingId);
  const paid = await payOrder(t, buyer, order.id, 'sim_approve');
  expect(paid.statusCode, paid.body).toBe(200);
  return { buyer, orderId: order.id as string };
}

const ok = (res: { statusCode: number; body: string }) =>
  expect(res.statusCode, res.body).toBe(200);

async function resolve(orderId: string, outcome: 'refund' | 'release') {
  admin = await fresh(admin, true);
  ok(
    await t.app.inject({
      method: 'POST',
      url: `/api/admin/orders/${orderId}/resolve`,
      headers: admin.auth,
      payload: { outcome, reason: 'decided on the evidence' },
    }),
  );
}

describe('seller scorecard', () => {
  it('when a seller has a history, then the scorecard counts the last 90 days: on time, cancelled after payment, disputes lost, median paid → sent', async () => {
    let seller = await signedInUser(t);
    // Long ago (outside the window): sent within the hour.
    const old = await sale(seller);
    clock.advance(HOUR);
    ok(await orderAction(t, seller, old.orderId, 'deliver'));
    clock.advance(91 * DAY);
    seller = await fresh(seller);

    // Sent after 2 h and after 6 h (both by the 24 h deadline).
    const a = await sale(seller);
    clock.advance(2 * HOUR);
    ok(await orderAction(t, seller, a.orderId, 'deliver'));
    const b = await sale(seller);
    clock.advance(6 * HOUR);
    ok(await orderAction(t, seller, b.orderId, 'deliver'));
    // Cancelled after payment (a strike): not a hand-over that was due.
    const c = await sale(seller);
    ok(await orderAction(t, seller, c.orderId, 'cancel', { reason: '票券遺失' }));
    // Disputed before hand-over and refunded by an admin: a dispute lost.
    const d = await sale(seller);
    ok(
      await orderAction(t, d.buyer, d.orderId, 'dispute', {
        reasonCode: 'not_received',
      }),
    );
    await resolve(d.orderId, 'refund');
    // A dispute released to the seller is not lost.
    const r = await sale(seller);
    ok(await orderAction(t, seller, r.orderId, 'deliver'));
    ok(await orderAction(t, r.buyer, r.orderId, 'dispute', { reasonCode: 'wrong_seats' }));
    await resolve(r.orderId, 'release');
    // Paid and never sent: the deadline passes.
    await sale(seller);
    clock.advance(25 * HOUR);

    const res = await t.app.inject({ method: 'GET', url: `/api/users/${seller.id}/scorecard` });
    ok(res);
    expect(res.json()).toEqual({
      windowDays: 90,
      // a, b and r were sent in time; the unsent one missed its deadline.
      handoversDue: 4,
      handoversOnTime: 3,
      cancelledAfterPayment: 1,
      disputesLost: 1,
      // 120, 360 and 0 minutes.
      medianMinutesToSend: 120,
    });
  });

  it('when a seller has sold nothing, then the scorecard is zeros with no median', async () => {
    const seller = await signedInUser(t);
    const res = await t.app.inject({ method: 'GET', url: `/api/users/${seller.id}/scorecard` });
    ok(res);
    expect(res.json()).toEqual({
      windowDays: 90,
      handoversDue: 0,
      handoversOnTime: 0,
      cancelledAfterPayment: 0,
      disputesLost: 0,
      medianMinutesToSend: null,
    });
  });
});

describe('hand-over health', () => {
  it('when orders were sent, missed and disputed, then the admin sees the on-time share, the median and open disputes by age; members get 403', async () => {
    // Well past the scorecard's history: the 30-day window holds only what this test builds.
    clock.advance(40 * DAY);
    let seller = await fresh(await signedInUser(t));
    const oldest = await sale(seller);
    ok(await orderAction(t, oldest.buyer, oldest.orderId, 'dispute', { reasonCode: 'not_valid' }));
    clock.advance(8.5 * DAY);
    seller = await fresh(seller);
    const middle = await sale(seller);
    ok(await orderAction(t, middle.buyer, middle.orderId, 'dispute', { reasonCode: 'not_valid' }));
    clock.advance(1.5 * DAY);
    seller = await fresh(seller);
    const onTime = await sale(seller);
    clock.advance(3 * HOUR);
    ok(await orderAction(t, seller, onTime.orderId, 'deliver'));
    await sale(seller); // never sent
    clock.advance(25 * HOUR);
    const newest = await sale(seller);
    ok(
      await orderAction(t, newest.buyer, newest.orderId, 'dispute', {
        reasonCode: 'other',
        reason: '?',
      }),
    );

    admin = await fresh(admin, true);
    const member = await signedInUser(t);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/admin/handover-health',
          headers: member.auth,
        })
      ).statusCode,
    ).toBe(403);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/admin/handover-health',
      headers: admin.auth,
    });
    ok(res);
    expect(res.json()).toEqual({
      windowDays: 30,
      // Due: sent on time (1), never sent (1), the two older disputes past their deadlines.
      handoversDue: 4,
      handoversOnTime: 1,
      onTimeShare: 0.25,
      medianMinutesToSend: 180,
      openDisputes: [
        { bucket: 'under_1d', count: 1 },
        { bucket: '1_to_3d', count: 1 },
        { bucket: '3_to_7d', count: 0 },
        { bucket: 'over_7d', count: 1 },
      ],
    });
    const lastDay = await t.app.inject({
      method: 'GET',
      url: '/api/admin/handover-health?days=1',
      headers: admin.auth,
    });
    ok(lastDay);
    expect(lastDay.json()).toMatchObject({
      windowDays: 1,
      handoversDue: 0,
      onTimeShare: null,
      medianMinutesToSend: null,
    });
  });
});
