// Buying part of a listing (issue 22 item 2): the split rules, the quantity held, ordered and
// paid, `remaining` going down and back up, sold out at 0, purchase limits counting tickets, and
// the game's list and reservations matching listings that can sell the number asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { allowedQuantities, canSellQuantity } from '../../../../shared/contracts/split-rule.ts';
import { SPLIT_RULES } from '../../../../shared/contracts/vocabulary.ts';
import { canSellSql } from '../listings/index.ts';
import { MINUTE, manualClock } from '../../shared/clock.ts';
import {
  createGame,
  insertListing,
  insertReservations,
  jobCtx,
  matchedReservationIds,
  orderAction,
  payOrder,
  placeOrder,
  setupSale,
  signedInUser,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { CHECKOUT_HOLD_SECONDS: '600' } });
});
afterAll(async () => t.close());

const listingRow = (id: string) =>
  t.deps.db
    .selectFrom('listings')
    .select(['status', 'quantity', 'remaining', 'held'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

async function listingDto(id: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/listings/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('split rules', () => {
  it('when a rule is asked about every quantity, then any allows 1..remaining, pairs never leaves one seat, none only the whole', () => {
    expect(allowedQuantities('any', 4)).toEqual([1, 2, 3, 4]);
    expect(allowedQuantities('pairs', 4)).toEqual([1, 2, 4]);
    expect(allowedQuantities('pairs', 3)).toEqual([1, 3]);
    expect(allowedQuantities('pairs', 2)).toEqual([2]);
    expect(allowedQuantities('pairs', 1)).toEqual([1]);
    expect(allowedQuantities('none', 4)).toEqual([4]);
    expect(allowedQuantities('any', 0)).toEqual([]);
    expect(canSellQuantity('any', 4, 5)).toBe(false);
    expect(canSellQuantity('any', 4, 0)).toBe(false);
  });

  it('when the database answers "can sell n" for every rule, remaining and n, then it agrees with canSellQuantity', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const ids = new Map<string, { rule: (typeof SPLIT_RULES)[number]; remaining: number }>();
    for (const rule of SPLIT_RULES)
      for (let remaining = 1; remaining <= 6; remaining++) {
        const id = await insertListing(t, { game, sellerId: seller.id, quantity: 6 });
        await t.deps.db
          .updateTable('listings')
          .set({ remaining, split_rule: rule })
          .where('id', '=', id)
          .execute();
        ids.set(id, { rule, remaining });
      }
    for (let n = 1; n <= 7; n++) {
      const rows = await t.deps.db
        .selectFrom('listings as l')
        .select('l.id')
        .where('l.game_id', '=', game.id)
        .where(canSellSql(n))
        .execute();
      const got = new Set(rows.map((r) => r.id));
      for (const [id, { rule, remaining }] of ids)
        expect(got.has(id), `${rule} remaining ${remaining} n ${n}`).toBe(
          canSellQuantity(rule, remaining, n),
        );
    }
  });
});

describe('buying part of a listing', () => {
  it('when a buyer takes 2 of a 4-ticket listing and pays, then the order is for 2, the listing shows 2 left and stays on sale', async () => {
    const sale = await setupSale(t, { quantity: 4, price: 500 });
    const res = await placeOrder(t, sale.buyer, sale.listingId, {}, 2);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ quantity: 2, unitPrice: 500, amount: 1000 });
    expect(await listingRow(sale.listingId)).toEqual({
      status: 'active',
      quantity: 4,
      remaining: 2,
      held: 2,
    });
    const paid = await payOrder(t, sale.buyer, res.json().id, 'sim_approve');
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json().order).toMatchObject({ status: 'paid', amount: 1000 });
    expect(await listingRow(sale.listingId)).toMatchObject({
      status: 'active',
      remaining: 2,
      held: 0,
    });
    expect(await listingDto(sale.listingId)).toMatchObject({
      quantity: 4,
      remaining: 2,
      splitRule: 'any',
      status: 'active',
    });

    // The last 2, by another buyer: sold out at 0 once paid.
    const other = await signedInUser(t);
    const last = await placeOrder(t, other, sale.listingId);
    expect(last.statusCode, last.body).toBe(201);
    expect(last.json().quantity).toBe(2);
    expect(await listingRow(sale.listingId)).toMatchObject({
      status: 'held',
      remaining: 0,
      held: 2,
    });
    const third = await signedInUser(t);
    const refused = await placeOrder(t, third, sale.listingId, {}, 1);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('LISTING_UNAVAILABLE');
    expect((await payOrder(t, other, last.json().id, 'sim_approve')).statusCode).toBe(200);
    expect(await listingRow(sale.listingId)).toEqual({
      status: 'sold',
      quantity: 4,
      remaining: 0,
      held: 0,
    });
  });

  it('when a listing splits in pairs, then a quantity leaving a single seat is 422 QUANTITY_NOT_ALLOWED with the allowed ones', async () => {
    const sale = await setupSale(t, { quantity: 4, splitRule: 'pairs' });
    const res = await placeOrder(t, sale.buyer, sale.listingId, {}, 3);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'QUANTITY_NOT_ALLOWED',
      details: { splitRule: 'pairs', remaining: 4, requested: 3, allowed: [1, 2, 4] },
    });
    expect(await listingRow(sale.listingId)).toMatchObject({ remaining: 4, held: 0 });
    const ok = await placeOrder(t, sale.buyer, sale.listingId, {}, 2);
    expect(ok.statusCode, ok.body).toBe(201);
    // 2 left under `pairs`: 1 would leave one seat.
    const next = await signedInUser(t);
    const single = await placeOrder(t, next, sale.listingId, {}, 1);
    expect(single.statusCode).toBe(422);
    expect(single.json().error.details.allowed).toEqual([2]);
  });

  it('when a listing sells whole only, then part of it is refused and no quantity buys it whole', async () => {
    const sale = await setupSale(t, { quantity: 3, splitRule: 'none' });
    const part = await placeOrder(t, sale.buyer, sale.listingId, {}, 2);
    expect(part.statusCode).toBe(422);
    expect(part.json().error.code).toBe('QUANTITY_NOT_ALLOWED');
    const whole = await placeOrder(t, sale.buyer, sale.listingId);
    expect(whole.statusCode, whole.body).toBe(201);
    expect(whole.json().quantity).toBe(3);
    expect(await listingRow(sale.listingId)).toMatchObject({ status: 'held', remaining: 0 });
  });

  it('when a buyer asks for more than remain, then 422 QUANTITY_NOT_ALLOWED', async () => {
    const sale = await setupSale(t, { quantity: 2 });
    const res = await placeOrder(t, sale.buyer, sale.listingId, {}, 3);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'QUANTITY_NOT_ALLOWED',
      details: { remaining: 2, requested: 3 },
    });
  });

  it('when a part hold is cancelled or runs out, then its tickets are for sale again', async () => {
    const sale = await setupSale(t, { quantity: 4 });
    const a = await placeOrder(t, sale.buyer, sale.listingId, {}, 3);
    expect(a.statusCode, a.body).toBe(201);
    const cancelled = await orderAction(t, sale.buyer, a.json().id, 'cancel');
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await listingRow(sale.listingId)).toMatchObject({
      status: 'active',
      remaining: 4,
      held: 0,
    });

    // Two holds take all 4 (held); one runs out: the next buyer's checkout releases it.
    const b1 = await signedInUser(t);
    const b2 = await signedInUser(t);
    const h1 = await placeOrder(t, b1, sale.listingId, {}, 2);
    const h2 = await placeOrder(t, b2, sale.listingId, {}, 2);
    expect([h1.statusCode, h2.statusCode]).toEqual([201, 201]);
    expect(await listingRow(sale.listingId)).toMatchObject({
      status: 'held',
      remaining: 0,
      held: 4,
    });
    clock.advance(11 * MINUTE);
    const b3 = await signedInUser(t);
    const h3 = await placeOrder(t, b3, sale.listingId, {}, 4);
    expect(h3.statusCode, h3.body).toBe(201);
    expect(await listingRow(sale.listingId)).toMatchObject({
      status: 'held',
      remaining: 0,
      held: 4,
    });
    const expired = await t.deps.db
      .selectFrom('orders')
      .select('status')
      .where('id', 'in', [h1.json().id, h2.json().id])
      .execute();
    expect(expired.map((o) => o.status)).toEqual(['expired', 'expired']);
  });

  it('when a buyer has tickets of a game, then the purchase limit counts the tickets asked for, not listings', async () => {
    const sale = await setupSale(t, { quantity: 8 });
    const first = await placeOrder(t, sale.buyer, sale.listingId, {}, 6);
    expect(first.statusCode, first.body).toBe(201);
    const other = await insertListing(t, {
      game: sale.game,
      sellerId: sale.seller.id,
      quantity: 4,
    });
    const tooMany = await placeOrder(t, sale.buyer, other, {}, 3);
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().error).toMatchObject({
      code: 'PURCHASE_LIMIT',
      details: { limit: 8, held: 6, requested: 3 },
    });
    const fits = await placeOrder(t, sale.buyer, other, {}, 2);
    expect(fits.statusCode, fits.body).toBe(201);
  });
});

describe('seats together', () => {
  it('when a game is listed for n tickets, then only listings that can sell n come back', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const anyFour = await insertListing(t, { game, sellerId: seller.id, quantity: 4 });
    const pairsThree = await insertListing(t, {
      game,
      sellerId: seller.id,
      quantity: 3,
      splitRule: 'pairs',
    });
    const wholeFive = await insertListing(t, {
      game,
      sellerId: seller.id,
      quantity: 5,
      splitRule: 'none',
    });
    const one = await insertListing(t, { game, sellerId: seller.id, quantity: 1 });
    const ids = async (n: number) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/games/${game.id}/listings?quantity=${n}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[]).map((i) => i.id).sort();
    };
    expect(await ids(2)).toEqual([anyFour].sort());
    expect(await ids(1)).toEqual([anyFour, pairsThree, one].sort());
    expect(await ids(3)).toEqual([anyFour, pairsThree].sort());
    expect(await ids(5)).toEqual([wholeFive]);
  });
});

describe('reservations by quantity', () => {
  it('when a listing is published, then it matches the reservations whose quantity it can sell', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const fans = [await signedInUser(t), await signedInUser(t), await signedInUser(t)];
    const [wantsOne, wantsTwo, wantsThree] = await insertReservations(
      t,
      [1, 2, 3].map((quantity, i) => ({ userId: fans[i]!.id, gameId: game.id, quantity })),
    );
    // 3 tickets in pairs: 1 or 3, never 2 (it would leave one seat).
    const listingId = await insertListing(t, {
      game,
      sellerId: seller.id,
      quantity: 3,
      splitRule: 'pairs',
    });
    await t.deps.reservations.handleListingPublished({ listingId }, jobCtx());
    expect(await matchedReservationIds(t, listingId)).toEqual(new Set([wantsOne, wantsThree]));
    expect((await matchedReservationIds(t, listingId)).has(wantsTwo!)).toBe(false);
  });
});
