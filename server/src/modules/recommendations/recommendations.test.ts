import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Recommendations,
  type Recommendation,
} from '../../../../shared/contracts/recommendations.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { queryPlan } from '../../../test/query-plan.ts';
import { DAY, HOUR, manualClock } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { assignArm, type Arm } from './experiment.ts';
import * as repo from './recommendations.repository.ts';
import { createRecommendationsService } from './recommendations.service.ts';
import { VISITOR_COOKIE } from './recommendations.routes.ts';
import {
  createGame,
  farEpoch,
  holdOrder,
  insertListing,
  insertOrder,
  insertReservation,
  insertUser,
  payOrder,
  registerUser,
} from '../../../test/factories/index.ts';

// Centuries ahead so no other test file's games are upcoming; each test jumps further ahead.
const clock = manualClock(farEpoch('future'));
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

function jumpAhead() {
  clock.advance(800 * DAY + Math.floor(Math.random() * 400) * DAY);
}
const at = (ms: number) => new Date(clock.now().getTime() + ms);

/** A visitor id whose anonymous key falls into the given arm. */
function visitorIn(arm: Arm) {
  for (;;) {
    const id = newId();
    if (assignArm(`anon:${id}`) === arm) return id;
  }
}

/** A user key (for service calls) in the given arm. */
function keyIn(arm: Arm) {
  return `anon:${visitorIn(arm)}`;
}

async function get(
  query: {
    headers?: Record<string, string>;
    cookies?: Record<string, string>;
    limit?: number;
  } = {},
) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/recommendations?limit=${query.limit ?? 20}`,
    headers: query.headers,
    cookies: query.cookies,
  });
  expect(res.statusCode).toBe(200);
  return { res, body: Recommendations.parse(res.json()) };
}

/** A game of team AAA011 (v AKP011) and one of two other teams, so many days ahead. */
function favouriteAndOtherGame(favouriteInDays: number, otherInDays: number) {
  return Promise.all([
    createGame(t, {
      startsAt: at(favouriteInDays * DAY),
      homeTeamId: 'AAA011',
      awayTeamId: 'AKP011',
    }),
    createGame(t, { startsAt: at(otherInDays * DAY), homeTeamId: 'ADD011', awayTeamId: 'AJL011' }),
  ]);
}

const idsOf = (items: Recommendation[]) => items.map((i) => i.listing.id);

describe('recommendations', () => {
  it('when listings are sold, held, own, of started or cancelled games, then they are never recommended, and at most 3 per game, in both arms', async () => {
    jumpAhead();
    const me = await registerUser(t, { favoriteTeamId: 'ACN011' });
    const seller = await insertUser(t, { rating_sum: 45, rating_count: 10 });
    const big = await createGame(t, { startsAt: at(3 * DAY) });
    const other = await createGame(t, { startsAt: at(5 * DAY), homeTeamId: 'AAA011' });
    const started = await createGame(t, { startsAt: at(-HOUR) });
    const cancelled = await createGame(t, { startsAt: at(4 * DAY), status: 'cancelled' });
    const area = big.areas[0]!.id;
    const many: string[] = [];
    for (let i = 0; i < 6; i++)
      many.push(
        await insertListing(t, { gameId: big.id, sellerId: seller, areaId: area, price: 400 + i }),
      );
    const fine = await insertListing(t, {
      gameId: other.id,
      sellerId: seller,
      areaId: other.areas[0]!.id,
    });
    const excluded = [
      await insertListing(t, {
        gameId: other.id,
        sellerId: me.user.id,
        areaId: other.areas[0]!.id,
      }),
      await insertListing(t, {
        gameId: other.id,
        sellerId: seller,
        areaId: other.areas[0]!.id,
        status: 'sold',
      }),
      await insertListing(t, {
        gameId: other.id,
        sellerId: seller,
        areaId: other.areas[0]!.id,
        status: 'held',
      }),
      await insertListing(t, {
        gameId: other.id,
        sellerId: seller,
        areaId: other.areas[0]!.id,
        status: 'cancelled',
      }),
      await insertListing(t, {
        gameId: started.id,
        sellerId: seller,
        areaId: started.areas[0]!.id,
      }),
      await insertListing(t, {
        gameId: cancelled.id,
        sellerId: seller,
        areaId: cancelled.areas[0]!.id,
      }),
    ];
    for (const arm of ['control', 'personalised'] as const) {
      const { items } = await t.deps.recommendations.recommend({
        userId: me.user.id,
        userKey: keyIn(arm),
        limit: 20,
      });
      const ids = items.map((i) => i.listing.id);
      for (const id of excluded) expect(ids, arm).not.toContain(id);
      expect(
        ids.filter((id) => many.includes(id)),
        arm,
      ).toHaveLength(3);
      expect(ids, arm).toContain(fine);
      const perGame = new Map<string, number>();
      for (const i of items)
        perGame.set(i.listing.game.id, (perGame.get(i.listing.game.id) ?? 0) + 1);
      expect(Math.max(...perGame.values()), arm).toBeLessThanOrEqual(3);
      for (const i of items) {
        expect(i.listing.status).toBe('active');
        expect(i.reasons.length, arm).toBeGreaterThan(0);
      }
    }
  });

  it('when a fan has a favourite team, a reservation and a purchase history, then the fitting listings lead with their reasons', async () => {
    jumpAhead();
    const fan = await registerUser(t, { favoriteTeamId: 'AAA011' });
    const seller = await insertUser(t);
    const past = await createGame(t, { startsAt: at(-20 * DAY), homeTeamId: 'AAA011' });
    const outfield = past.areas.find((a) => a.tier === 'outfield')!;
    for (const days of [40, 30, 25]) {
      await insertOrder(t, {
        gameId: past.id,
        buyerId: fan.user.id,
        sellerId: seller,
        areaId: outfield.id,
        unitPrice: 300,
        quantity: 2,
        status: 'completed',
        paidAt: at(-days * DAY),
      });
    }
    const [favGame, reserved] = await favouriteAndOtherGame(6, 9);
    const neutral = await createGame(t, {
      startsAt: at(8 * DAY),
      homeTeamId: 'ACN011',
      awayTeamId: 'AEO011',
    });
    await insertReservation(t, { userId: fan.user.id, gameId: reserved.id });
    const favOutfield = favGame.areas.find((a) => a.tier === 'outfield')!;
    const fit = await insertListing(t, {
      gameId: favGame.id,
      sellerId: seller,
      areaId: favOutfield.id,
      price: 300,
      faceValue: 400,
    });
    const wanted = await insertListing(t, {
      gameId: reserved.id,
      sellerId: seller,
      areaId: reserved.areas[0]!.id,
      price: 650,
      faceValue: 700,
    });
    const neutralPremium = neutral.areas.find((a) => a.tier === 'premium')!;
    for (let i = 0; i < 5; i++)
      await insertListing(t, {
        gameId: neutral.id,
        sellerId: seller,
        areaId: neutralPremium.id,
        price: 1100 + i,
        faceValue: 1200,
      });

    const { items } = await t.deps.recommendations.recommend({
      userId: fan.user.id,
      userKey: keyIn('personalised'),
      limit: 10,
    });
    const byId = new Map(items.map((i) => [i.listing.id, i]));
    const ids = idsOf(items);
    expect(ids.indexOf(fit)).toBe(0);
    expect(byId.get(fit)!.reasons).toEqual(expect.arrayContaining(['favorite_team', 'price_fit']));
    expect(byId.get(wanted)!.reasons[0]).toBe('reserved_game');
    const neutralPositions = items.flatMap((i, n) => (i.listing.game.id === neutral.id ? [n] : []));
    expect(ids.indexOf(wanted)).toBeGreaterThan(0);
    expect(ids.indexOf(wanted)).toBeLessThan(Math.min(...neutralPositions));
    expect(items[0]!.score).toBeGreaterThan(items[items.length - 1]!.score);
  });

  it('when a fan reserves, picks a favourite team or buys through the API, then their next recommendations already know it', async () => {
    jumpAhead();
    const fan = await registerUser(t);
    const seller = await insertUser(t);
    const [favGame, reserved] = await favouriteAndOtherGame(5, 6);
    const listingsOf = async (gameId: string, areaId: string) => [
      await insertListing(t, { gameId, sellerId: seller, areaId, price: 400 }),
      await insertListing(t, { gameId, sellerId: seller, areaId, price: 450 }),
    ];
    const [toBuy] = await listingsOf(favGame.id, favGame.areas[0]!.id);
    await listingsOf(reserved.id, reserved.areas[0]!.id);
    const recommend = () =>
      t.deps.recommendations.recommend({
        userId: fan.user.id,
        userKey: keyIn('personalised'),
        limit: 10,
      });
    const reasonsOn = (items: Recommendation[], gameId: string) =>
      items.filter((i) => i.listing.game.id === gameId).flatMap((i) => i.reasons);

    const before = await recommend();
    expect(reasonsOn(before.items, reserved.id)).not.toContain('reserved_game');
    expect(reasonsOn(before.items, favGame.id)).not.toContain('favorite_team');

    const reservation = await t.app.inject({
      method: 'POST',
      url: '/api/reservations',
      headers: fan.auth,
      payload: { gameId: reserved.id },
    });
    expect(reservation.statusCode, reservation.body).toBe(201);
    expect(reasonsOn((await recommend()).items, reserved.id)).toContain('reserved_game');

    const me = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: fan.auth,
      payload: { favoriteTeamId: 'AAA011' },
    });
    expect(me.statusCode, me.body).toBe(200);
    expect(reasonsOn((await recommend()).items, favGame.id)).toContain('favorite_team');

    // A paid order forgets the buyer's cached history as its transaction commits.
    const invalidations = vi.spyOn(t.deps.cached, 'invalidate');
    try {
      const order = await holdOrder(t, { id: fan.user.id, auth: fan.auth }, toBuy!);
      invalidations.mockClear();
      const paid = await payOrder(t, { id: fan.user.id, auth: fan.auth }, order.id, 'sim_approve');
      expect(paid.statusCode, paid.body).toBe(200);
      expect(invalidations.mock.calls.flat()).toContain(`user-activity:${fan.user.id}`);
    } finally {
      invalidations.mockRestore();
    }
    const after = await recommend();
    expect(idsOf(after.items)).not.toContain(toBuy);
    expect(reasonsOn(after.items, favGame.id)).toContain('price_fit');
  });

  it('when signed out (cold start), then hot games lead, marked popular, and a visitor cookie is set', async () => {
    jumpAhead();
    const seller = await insertUser(t);
    const buyer = await insertUser(t);
    const hot = await createGame(t, { startsAt: at(6 * DAY), homeTeamId: 'AKP011' });
    const quiet = await createGame(t, { startsAt: at(2 * DAY), homeTeamId: 'AEO011' });
    for (let i = 0; i < 4; i++)
      await insertOrder(t, {
        gameId: hot.id,
        buyerId: buyer,
        sellerId: seller,
        areaId: hot.areas[0]!.id,
        paidAt: at(-i * HOUR),
      });
    const hotListing = await insertListing(t, {
      gameId: hot.id,
      sellerId: seller,
      areaId: hot.areas[1]!.id,
    });
    const quietListing = await insertListing(t, {
      gameId: quiet.id,
      sellerId: seller,
      areaId: quiet.areas[1]!.id,
    });

    for (const arm of ['personalised', 'control'] as const) {
      const { res, body } = await get({ cookies: { [VISITOR_COOKIE]: visitorIn(arm) } });
      expect(res.cookies.find((c) => c.name === VISITOR_COOKIE)).toBeUndefined();
      const ids = idsOf(body.items);
      expect(ids.indexOf(hotListing), arm).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(hotListing), arm).toBeLessThan(ids.indexOf(quietListing));
      expect(body.items.find((i) => i.listing.id === hotListing)!.reasons, arm).toContain(
        'popular',
      );
    }
    const fresh = await get();
    const cookie = fresh.res.cookies.find((c) => c.name === VISITOR_COOKIE);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.value).toMatch(/^[0-9a-z]{26}$/);
  });

  it('when recommendations are shown, then one impression per item is logged with the requestId and arm, and a click is a 204 counted once', async () => {
    jumpAhead();
    const me = await registerUser(t);
    const seller = await insertUser(t);
    const g = await createGame(t, { startsAt: at(2 * DAY) });
    for (let i = 0; i < 3; i++)
      await insertListing(t, { gameId: g.id, sellerId: seller, areaId: g.areas[i]!.id });
    const { body } = await get({ headers: me.auth });
    expect(body.requestId).toMatch(/^[0-9a-z]{26}$/);
    expect(body.items.length).toBeGreaterThanOrEqual(3);
    const clicked = body.items[1]!.listing.id;
    const click = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/recommendations/click',
        headers: me.auth,
        payload: { requestId: body.requestId, listingId: clicked },
      });
    // Impressions are written while the answer goes out; a click at once still finds its own.
    expect((await click()).statusCode).toBe(204);
    await t.deps.recommendations.settled();
    const events = await t.deps.db
      .selectFrom('rec_events')
      .selectAll()
      .where('request_id', '=', body.requestId)
      .orderBy('position')
      .execute();
    expect(
      events.filter((e) => e.kind === 'impression').map((e) => [e.listing_id, e.position]),
    ).toEqual(body.items.map((i, n) => [i.listing.id, n]));
    const arm = assignArm(me.user.id);
    expect(new Set(events.map((e) => `${e.user_key}/${e.arm}`))).toEqual(
      new Set([`${me.user.id}/${arm}`]),
    );

    expect((await click()).statusCode).toBe(204);
    const clicks = await t.deps.db
      .selectFrom('rec_events')
      .select(['arm', 'position', 'user_key'])
      .where('request_id', '=', body.requestId)
      .where('kind', '=', 'click')
      .execute();
    expect(clicks).toEqual([{ arm, position: 1, user_key: me.user.id }]);

    for (const payload of [
      { requestId: body.requestId, listingId: newId() },
      { requestId: newId(), listingId: clicked },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/recommendations/click',
        headers: me.auth,
        payload,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/recommendations/click',
      payload: { requestId: 'x y' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('when impressions are still being written, then the answer does not wait for them and a click waits for its own', async () => {
    jumpAhead();
    const seller = await insertUser(t);
    const g = await createGame(t, { startsAt: at(2 * DAY) });
    for (let i = 0; i < 3; i++)
      await insertListing(t, { gameId: g.id, sellerId: seller, areaId: g.areas[i]!.id });
    // Every insert into rec_events waits until the test opens the gate.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const db = t.deps.db;
    const slowEventInserts = new Proxy(db, {
      get(target, prop) {
        if (prop !== 'insertInto') {
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
        return (table: 'rec_events') => {
          const builder = target.insertInto(table);
          if (table !== 'rec_events') return builder;
          return {
            values: (rows: Parameters<typeof builder.values>[0]) => ({
              execute: async () => {
                await gate;
                return builder.values(rows).execute();
              },
            }),
          };
        };
      },
    });
    const service = createRecommendationsService({ ...t.deps, db: slowEventInserts });
    // The answer comes while its impressions are still held back.
    const userKey = keyIn('personalised');
    const { requestId, items } = await service.recommend({ userId: null, userKey, limit: 5 });
    expect(items.length).toBeGreaterThan(0);
    let clicked = false;
    const click = service.click(requestId, items[0]!.listing.id, userKey).then(() => {
      clicked = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clicked).toBe(false);
    open();
    await click;
    await service.settled();
    const kinds = await t.deps.db
      .selectFrom('rec_events')
      .select('kind')
      .where('request_id', '=', requestId)
      .execute();
    expect(kinds.filter((k) => k.kind === 'click')).toHaveLength(1);
    expect(kinds.filter((k) => k.kind === 'impression')).toHaveLength(items.length);
  });

  it('when the limit is out of range, then 400; within range, then at most that many', async () => {
    jumpAhead();
    for (const limit of ['0', '21', 'x']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/recommendations?limit=${limit}` });
      expect(res.statusCode, limit).toBe(400);
    }
    const { body } = await get({ limit: 5 });
    expect(body.items.length).toBeLessThanOrEqual(5);
  });
});

describe('recommendations: history queries', () => {
  it('when a fan has more reservations than are read, then the limit counts reservations and each comes with all its areas', async () => {
    jumpAhead();
    const fan = await insertUser(t);
    const game = await createGame(t, { startsAt: at(5 * DAY) });
    const [a0, a1] = [game.areas[0]!.id, game.areas[1]!.id];
    const since = at(-90 * DAY).toISOString();
    // Same created_at for all: the limit's cut is decided by the id tiebreaker.
    const createdAt = at(-DAY);
    const areasOf = new Map<string, string[]>();
    for (let i = 0; i < 6; i++) {
      const areaIds = [[], [a0], [a0, a1]][i % 3]!;
      const id = await insertReservation(t, {
        userId: fan,
        gameId: game.id,
        status: i % 2 ? 'active' : 'ended',
        createdAt,
        areaIds,
      });
      areasOf.set(id, areaIds);
    }
    const rows = await repo.findReservations(t.deps.db, fan, since, 4);
    const ids = [...new Set(rows.map((r) => r.id))];
    expect(ids).toHaveLength(4);
    const statusOf = new Map(rows.map((r) => [r.id, r.status]));
    expect(ids.map((id) => statusOf.get(id))).toEqual(['active', 'active', 'active', 'ended']);
    const codes = new Map(game.areas.map((a) => [a.id, a.code]));
    for (const id of ids) {
      const read = rows
        .filter((r) => r.id === id)
        .flatMap((r) => (r.area_code ? [r.area_code] : []));
      expect(read.sort(), id).toEqual(
        areasOf
          .get(id)!
          .map((a) => codes.get(a))
          .sort(),
      );
    }
  });

  it("when a fan's purchases are planned, then the newest are read through orders_buyer_created_idx", async () => {
    const rows = await queryPlan(t, repo.purchasesQuery(t.deps.db, 'U', 'T', 200).compile());
    const plan = JSON.stringify(rows);
    // MariaDB may still scan a near-empty table; the index must at least be a candidate.
    if (t.deps.database.dialect === 'mysql') expect(plan).toContain('orders_buyer_created_idx');
    else expect(plan).toMatch(/SEARCH orders USING INDEX orders_buyer_created_idx/);
  });
});
