// Sellers who keep their word (issue 18 item 7): cancelling a paid sale is a strike; 2 within 30
// days pause new listings for 14 days (403 SELLING_PAUSED with the date); admins lift it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { DAY, manualClock } from '../../shared/clock.ts';
import {
  createGame,
  errorCode,
  holdOrder,
  insertListing,
  orderAction,
  payOrder,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

/** The seller sells one listing and cancels the paid sale (a strike). */
async function strike(seller: TestUser) {
  const game = await createGame(t);
  const listingId = await insertListing(t, { game, sellerId: seller.id, quantity: 1 });
  const buyer = await signedInUser(t);
  const order = await holdOrder(t, buyer, listingId);
  expect((await payOrder(t, buyer, order.id, 'sim_approve')).statusCode).toBe(200);
  const res = await orderAction(t, seller, order.id, 'cancel', { reason: '票券遺失' });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe('refunded');
}

/** A new session for the same seller (a month of injected time outlives the old one). */
async function signInAgain(user: TestUser): Promise<TestUser> {
  const { token } = await t.deps.tokens.issue(user.id, clock.now());
  return { id: user.id, auth: { authorization: `Bearer ${token}` } };
}

async function list(seller: TestUser) {
  const game = await createGame(t);
  const area = game.areas[0]!;
  return t.app.inject({
    method: 'POST',
    url: '/api/listings',
    headers: seller.auth,
    payload: {
      gameId: game.id,
      areaId: area.id,
      section: 'B5',
      quantity: 1,
      price: area.face_value_max,
      faceValue: area.face_value_max,
      deliveryMethod: 'eticket_transfer',
    },
  });
}

describe('seller strikes', () => {
  it('when a seller cancels two paid sales within 30 days, then new listings are refused with the date for 14 days, then allowed', async () => {
    let seller = await signedInUser(t);
    await strike(seller);
    expect((await list(seller)).statusCode).toBe(201);
    clock.advance(10 * DAY);
    const second = clock.now().getTime();
    seller = await signInAgain(seller);
    await strike(seller);
    const refused = await list(seller);
    expect(refused.statusCode).toBe(403);
    expect(errorCode(refused)).toBe('SELLING_PAUSED');
    const until = Date.parse(refused.json().error.details.until);
    expect(until - second).toBeGreaterThanOrEqual(14 * DAY);
    expect(until - second).toBeLessThan(14 * DAY + 60_000);
    clock.advance(13 * DAY);
    seller = await signInAgain(seller);
    expect((await list(seller)).statusCode).toBe(403);
    clock.advance(DAY + 60_000);
    seller = await signInAgain(seller);
    expect((await list(seller)).statusCode).toBe(201);
  });

  it('when two cancellations are more than 30 days apart, then selling is not paused', async () => {
    const seller = await signedInUser(t);
    await strike(seller);
    clock.advance(31 * DAY);
    const fresh = await signInAgain(seller);
    await strike(fresh);
    expect((await list(fresh)).statusCode).toBe(201);
  });

  it('when an admin lifts the pause, then the seller lists again; members cannot lift it', async () => {
    const admin = await signedInUser(t, { role: 'admin' });
    const seller = await signedInUser(t);
    await strike(seller);
    await strike(seller);
    expect(errorCode(await list(seller))).toBe('SELLING_PAUSED');
    const url = `/api/admin/users/${seller.id}/lift-selling-pause`;
    expect((await t.app.inject({ method: 'POST', url, headers: seller.auth })).statusCode).toBe(
      403,
    );
    const lifted = await t.app.inject({ method: 'POST', url, headers: admin.auth });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toEqual({ pausedUntil: null });
    expect((await list(seller)).statusCode).toBe(201);
  });
});
