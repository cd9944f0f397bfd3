import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrendingList, type TrendingItem } from '../../../../shared/contracts/trending.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { addDays, DAY, fromTaipei, HOUR, manualClock, taipeiDate } from '../../shared/clock.ts';
import { trendingRefreshJob } from './index.ts';
import {
  createGame,
  farEpoch,
  insertListing,
  insertOrder,
  insertReservation,
  insertUser,
  type TestGame,
} from '../../../test/factories/index.ts';

// Centuries ahead, so no other test file's games are upcoming; every test jumps further ahead so
// the games of earlier tests have been played.
const clock = manualClock(farEpoch('future'));
let t: TestApp;
let seller: string;
let buyer: string;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  seller = await insertUser(t, { name: 'Seller' });
  buyer = await insertUser(t, { name: 'Buyer' });
});
afterAll(async () => t.close());

function jumpAhead() {
  clock.advance(800 * DAY + Math.floor(Math.random() * 400) * DAY);
  return clock.now();
}

const at = (msFromNow: number) => new Date(clock.now().getTime() + msFromNow);

async function gameIn(days: number, homeTeamId = 'ACN011') {
  return createGame(t, { startsAt: at(days * DAY), homeTeamId });
}

async function sell(
  game: TestGame,
  quantity: number,
  paidAt: Date,
  unitPrice = 500,
  status: 'paid' | 'delivered' | 'completed' | 'refunded' = 'paid',
) {
  await insertOrder(t, {
    gameId: game.id,
    buyerId: buyer,
    sellerId: seller,
    areaId: game.areas[0]!.id,
    quantity,
    unitPrice,
    paidAt,
    status,
  });
}

async function trending(limit = 20): Promise<TrendingItem[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/trending?limit=${limit}` });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('application/json');
  return TrendingList.parse(res.json()).items;
}

/** Only the given games' items, in the answer's order (the MariaDB database is shared). */
const ours = (items: TrendingItem[], games: TestGame[]) =>
  items.filter((i) => games.some((g) => g.id === i.game.id));

const refresh = () =>
  t.deps.jobs.get(trendingRefreshJob.type)!(
    { gameId: 'x' },
    { jobId: 'test', attempt: 1, requestId: null },
  );

describe('trending', () => {
  it('when games sold at different times, then recent sales rank higher with a 2-day half-life, reservations count, played games do not', async () => {
    jumpAhead();
    const a = await gameIn(5);
    const b = await gameIn(6);
    const c = await gameIn(3);
    const d = await gameIn(4);
    const started = await createGame(t, { startsAt: at(-HOUR) });
    const cancelled = await createGame(t, { startsAt: at(2 * DAY), status: 'cancelled' });
    await sell(a, 4, at(-4 * DAY), 600); // 4 × 2^-2 ≈ 1.0
    await sell(a, 6, at(-1 * HOUR), 999, 'refunded'); // not traded
    await sell(b, 2, at(-1 * HOUR), 400); // ≈ 2 × 0.98
    for (let i = 0; i < 3; i++) {
      await insertReservation(t, { userId: await insertUser(t), gameId: c.id }); // 3 × 0.5
    }
    await insertReservation(t, { userId: buyer, gameId: c.id, status: 'ended' });
    await sell(d, 5, at(-8 * DAY), 300); // outside the window: no score, still a median
    await insertListing(t, { gameId: d.id, sellerId: seller, areaId: d.areas[0]!.id });
    await sell(started, 8, at(-2 * HOUR));
    await sell(cancelled, 8, at(-2 * HOUR));

    const items = ours(await trending(), [a, b, c, d, started, cancelled]);
    expect(items.map((i) => i.game.id)).toEqual([b.id, c.id, a.id, d.id]);
    const [ib, ic, ia, id] = items;
    expect(ib!.score).toBeCloseTo(1.97, 1);
    expect(ic!.score).toBeCloseTo(1.5, 5);
    expect(ia!.score).toBeCloseTo(1.0, 1);
    expect(id!.score).toBe(0);
    expect(items.map((i) => i.soldTickets7d)).toEqual([2, 0, 4, 0]);
    expect(items.map((i) => i.medianPrice)).toEqual([400, null, 600, 300]);
    expect(id!.activeListings).toBe(1);
    expect(ib!.game).toMatchObject({ id: b.id, status: 'scheduled', homeTeam: { id: 'ACN011' } });
  });

  it('when two accounts make many reservations for one game, then each fan counts once per game', async () => {
    jumpAhead();
    const swept = await gameIn(3);
    const popular = await gameIn(4);
    const bots = [await insertUser(t), await insertUser(t)];
    for (let i = 0; i < 20; i++)
      for (const bot of bots) await insertReservation(t, { userId: bot, gameId: swept.id });
    for (let i = 0; i < 3; i++)
      await insertReservation(t, { userId: await insertUser(t), gameId: popular.id });
    const items = ours(await trending(), [swept, popular]);
    expect(items.map((i) => i.game.id)).toEqual([popular.id, swept.id]);
    expect(items[1]!.score).toBeCloseTo(1.0, 5); // 2 fans × 0.5, not 40 × 0.5
  });

  it('when the limit is given, then at most that many; out of range is 400', async () => {
    jumpAhead();
    const games = [await gameIn(1), await gameIn(2), await gameIn(3)];
    for (const [i, g] of games.entries()) await sell(g, i + 1, at(-HOUR));
    const two = await trending(2);
    expect(two.length).toBeLessThanOrEqual(2);
    expect(two.map((i) => i.game.id)).toEqual([games[2]!.id, games[1]!.id]);
    const fallback = await t.app.inject({ method: 'GET', url: '/api/trending' });
    expect(fallback.json().items.length).toBeLessThanOrEqual(10);
    for (const limit of ['0', '21', 'abc', '-1']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/trending?limit=${limit}` });
      expect(res.statusCode, limit).toBe(400);
    }
  });

  it('when a sale falls on either side of 00:00 Asia/Taipei six days ago, then only the later one counts as this week', async () => {
    jumpAhead();
    const windowStart = fromTaipei(addDays(taipeiDate(clock.now()), -6));
    const g = await gameIn(2);
    await sell(g, 3, new Date(windowStart.getTime() + 5 * 60_000));
    await sell(g, 7, new Date(windowStart.getTime() - 5 * 60_000));
    const [item] = ours(await trending(), [g]);
    expect(item!.soldTickets7d).toBe(3);
    expect(item!.medianPrice).toBe(500);
  });

  it('when a sale happens, then reads stay cached until trending.refresh runs, then show it', async () => {
    jumpAhead();
    const g = await gameIn(2);
    await sell(g, 1, at(-HOUR));
    const before = ours(await trending(), [g]);
    expect(before[0]!.soldTickets7d).toBe(1);
    const statsBefore = (await t.app.inject({ method: 'GET', url: '/api/stats' })).json();

    await sell(g, 5, at(-1000)); // no job: the cached answer stands
    expect(ours(await trending(), [g])[0]!.soldTickets7d).toBe(1);
    expect((await t.app.inject({ method: 'GET', url: '/api/stats' })).json()).toEqual(statsBefore);

    await refresh();
    expect(ours(await trending(), [g])[0]!.soldTickets7d).toBe(6);
    const statsAfter = (await t.app.inject({ method: 'GET', url: '/api/stats' })).json();
    // This week's figures hold only this test's orders (all-time ones hold everyone's).
    expect(statsAfter.ticketsTraded7d - statsBefore.ticketsTraded7d).toBe(5);
  });

  it('when the clock moves past the cache period, then the answer is recomputed without a job', async () => {
    jumpAhead();
    const g = await gameIn(2);
    await sell(g, 2, at(-HOUR));
    expect(ours(await trending(), [g])[0]!.soldTickets7d).toBe(2);
    await sell(g, 1, at(-1000));
    clock.advance(31_000);
    expect(ours(await trending(), [g])[0]!.soldTickets7d).toBe(3);
  });
});
