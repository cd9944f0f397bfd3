import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListingSort, ListingSummaryDto } from '../../../../shared/contracts/listings.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { manualClock } from '../../shared/clock.ts';
import { createGame, registerUser, type TestGame } from '../../../test/factories/index.ts';

type Seller = Awaited<ReturnType<typeof registerUser>>;

let t: TestApp;
const clock = manualClock();
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

async function createListing(
  seller: Seller,
  game: TestGame,
  o: { area?: number; price: number; quantity?: number },
) {
  clock.advance(1000);
  const area = game.areas[o.area ?? 0]!;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/listings',
    headers: seller.auth,
    payload: {
      gameId: game.id,
      areaId: area.id,
      section: 'A',
      quantity: o.quantity ?? 2,
      price: o.price,
      faceValue: area.face_value_max,
      deliveryMethod: 'paper_mail',
    },
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string };
}

async function rateSeller(seller: Seller, ratingSum: number, ratingCount: number) {
  await t.deps.db
    .updateTable('users')
    .set({ rating_sum: ratingSum, rating_count: ratingCount })
    .where('id', '=', seller.user.id)
    .execute();
}

async function getPage(game: TestGame, query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/listings?${query}` });
  if (res.statusCode !== 200) throw new Error(`page failed: ${res.statusCode} ${res.body}`);
  return res.json() as { items: ListingSummaryDto[]; nextCursor: string | null };
}

/** The order each sort promises, as a comparator over page items. */
function comparator(sort: ListingSort, game: TestGame) {
  const areaRank = (i: ListingSummaryDto) => game.areas.findIndex((a) => a.id === i.area.id);
  const rating = (i: ListingSummaryDto) => i.seller.ratingAverage ?? -1;
  const byId = (a: ListingSummaryDto, b: ListingSummaryDto) => (a.id < b.id ? -1 : 1);
  return (a: ListingSummaryDto, b: ListingSummaryDto): number => {
    switch (sort) {
      case 'price':
        return a.price - b.price || byId(a, b);
      case '-price':
        return b.price - a.price || byId(b, a);
      case 'newest':
        return b.createdAt.localeCompare(a.createdAt) || byId(b, a);
      case 'area':
        return areaRank(a) - areaRank(b) || a.price - b.price || byId(a, b);
      case 'seller_rating':
        return rating(b) - rating(a) || a.price - b.price || byId(a, b);
    }
  };
}

/** A game with three sellers (rated 5.0, 4.5, unrated), listings across three areas. */
async function marketGame() {
  const game = await createGame(t);
  const [top, good, fresh] = [await registerUser(t), await registerUser(t), await registerUser(t)];
  await rateSeller(top, 10, 2);
  await rateSeller(good, 9, 2);
  const min = Math.max(...game.areas.slice(0, 3).map((a) => a.face_value_min));
  const plan: [Seller, number, number, number][] = [
    // seller, area, price offset, quantity
    [fresh, 2, 30, 1],
    [top, 0, 50, 4],
    [good, 1, 10, 2],
    [fresh, 0, 10, 2],
    [top, 2, 10, 1],
    [good, 0, 30, 3],
    [top, 1, 50, 2],
    [fresh, 1, 0, 6],
    [good, 2, 50, 8],
  ];
  const ids: string[] = [];
  for (const [seller, area, offset, quantity] of plan) {
    ids.push((await createListing(seller, game, { area, price: min + offset, quantity })).id);
  }
  return { game, ids, min, sellers: { top, good, fresh } };
}

describe("a game's tickets", () => {
  it.each(['price', '-price', 'newest', 'area', 'seller_rating'] as const)(
    'when sorted by %s, then every page follows the order and the pages add up to every listing once',
    async (sort) => {
      const { game, ids } = await marketGame();
      const all = await getPage(game, `sort=${sort}&limit=50`);
      expect(all.nextCursor).toBeNull();
      expect(all.items).toHaveLength(ids.length);
      expect([...all.items].sort(comparator(sort, game))).toEqual(all.items);

      const paged: ListingSummaryDto[] = [];
      let cursor: string | null = null;
      do {
        const page = await getPage(
          game,
          `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged.map((i) => i.id)).toEqual(all.items.map((i) => i.id));
    },
  );

  it('when sorted by seller rating, then the best-rated seller comes first and unrated sellers last', async () => {
    const { game, sellers } = await marketGame();
    const page = await getPage(game, 'sort=seller_rating&limit=50');
    const order = page.items.map((i) => i.seller.id);
    const firstFresh = order.indexOf(sellers.fresh.user.id);
    expect(order.slice(0, 3)).toEqual(Array(3).fill(sellers.top.user.id));
    expect(order.slice(3, 6)).toEqual(Array(3).fill(sellers.good.user.id));
    expect(firstFresh).toBe(6);
    expect(page.items[0]!.seller).toMatchObject({ ratingAverage: 5, ratingCount: 2 });
    expect(page.items[8]!.seller).toMatchObject({ ratingAverage: null, ratingCount: 0 });
  });

  it.each(['price', '-price', 'newest', 'area', 'seller_rating'] as const)(
    'when listings are added between page fetches (sort %s), then no listing repeats and none that existed is skipped',
    async (sort) => {
      const { game, ids, min, sellers } = await marketGame();
      const seen: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const page = await getPage(
          game,
          `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        // New tickets land before, at and after the cursor position.
        const price = [min, min + 30, min + 60, min + 10][round % 4]!;
        await createListing(sellers.fresh, game, { area: round % 3, price });
        round++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of ids) expect(seen).toContain(id);
    },
  );

  it('when filtered by area, price range and quantity, then only matching listings are returned', async () => {
    const { game, min } = await marketGame();
    const area1 = game.areas[1]!.id;
    const byArea = await getPage(game, `areaId=${area1}&limit=50`);
    expect(byArea.items).toHaveLength(3);
    expect(byArea.items.every((i) => i.area.id === area1)).toBe(true);

    const byPrice = await getPage(game, `minPrice=${min + 10}&maxPrice=${min + 30}&limit=50`);
    expect(byPrice.items.map((i) => i.price).sort()).toEqual(
      [min + 10, min + 10, min + 10, min + 30, min + 30].sort(),
    );

    const byQuantity = await getPage(game, 'quantity=4&limit=50');
    expect(byQuantity.items.map((i) => i.quantity).sort()).toEqual([4, 6, 8]);

    const combined = await getPage(game, `areaId=${area1}&quantity=2&maxPrice=${min + 10}`);
    expect(combined.items.map((i) => [i.price, i.quantity])).toEqual([
      [min, 6],
      [min + 10, 2],
    ]);
  });

  it('when the query is malformed, then 400 VALIDATION_FAILED', async () => {
    const { game } = await marketGame();
    const other = await getPage(game, 'sort=price&limit=2');
    for (const query of [
      'sort=cheapest',
      'limit=51',
      'limit=0',
      'minPrice=500&maxPrice=100',
      'quantity=9',
      'minPrice=abc',
      'cursor=%%%',
      'cursor=eyJzIjoicHJpY2UifQ',
      `sort=newest&cursor=${other.nextCursor}`,
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/games/${game.id}/listings?${query}`,
      });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('when the game does not exist, then 404 for its listings and its price summary', async () => {
    for (const path of ['listings', 'price-summary']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/games/nosuchgame/${path}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('when the default page is read, then 20 items sorted by price with a next cursor, each with seller and area', async () => {
    const game = await createGame(t);
    const seller = await registerUser(t, { name: '票販子' });
    const other = await registerUser(t);
    const area = game.areas[0]!;
    for (let i = 0; i < 12; i++)
      await createListing(seller, game, { price: area.face_value_min + i });
    for (let i = 0; i < 12; i++)
      await createListing(other, game, { price: area.face_value_min + i });
    const page = await getPage(game, '');
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).not.toBeNull();
    expect(page.items[0]).toMatchObject({
      gameId: game.id,
      area: { id: area.id, code: area.code, name: area.name },
      price: area.face_value_min,
      thumbUrl: null,
    });
    expect(page.items.map((i) => i.price)).toEqual([...page.items.map((i) => i.price)].sort());
    const rest = await getPage(game, `cursor=${page.nextCursor}`);
    expect(rest.items).toHaveLength(4);
    expect(rest.nextCursor).toBeNull();
  });
});

describe('going prices', () => {
  it('when a game has active, sold and cancelled listings, then each area shows count, lowest, median and median sold price', async () => {
    const game = await createGame(t);
    const seller = await registerUser(t);
    const [a0, a1] = [game.areas[0]!, game.areas[1]!];
    const p = (n: number) => a0.face_value_min + n;
    for (const n of [0, 100, 300]) await createListing(seller, game, { area: 0, price: p(n) });
    const sold = [
      await createListing(seller, game, { area: 0, price: p(50) }),
      await createListing(seller, game, { area: 0, price: p(150) }),
      await createListing(seller, game, { area: 1, price: a1.face_value_min }),
    ];
    const cancelled = await createListing(seller, game, { area: 0, price: p(1) });
    const url = `/api/games/${game.id}/price-summary`;
    const before = await t.app.inject({ method: 'GET', url });
    expect(before.json().items[0].activeCount).toBe(6);

    await t.deps.db
      .updateTable('listings')
      .set({ status: 'sold' })
      .where(
        'id',
        'in',
        sold.map((s) => s.id),
      )
      .execute();
    const { invalidateListingCaches } = await import('./listings.lifecycle.ts');
    await invalidateListingCaches(t.deps.cached, { gameId: game.id });
    await t.app.inject({
      method: 'DELETE',
      url: `/api/listings/${cancelled.id}`,
      headers: seller.auth,
    });

    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { areaId: string }[];
    expect(items.map((i) => i.areaId)).toEqual(game.areas.map((a) => a.id));
    expect(items[0]).toEqual({
      areaId: a0.id,
      areaCode: a0.code,
      name: a0.name,
      nameEn: a0.name_en,
      activeCount: 3,
      tickets: 6,
      minPrice: p(0),
      minFacePct: Math.round((p(0) * 100) / a0.face_value_max),
      medianPrice: p(100),
      medianSoldPrice: p(100),
    });
    expect(items[1]).toMatchObject({
      activeCount: 0,
      minPrice: null,
      medianPrice: null,
      medianSoldPrice: a1.face_value_min,
    });
    expect(items[2]).toMatchObject({ activeCount: 0, medianSoldPrice: null });
  });

  it('when first pitch passes, then nothing is offered any more and the sold prices stay (the cached answer is rebuilt then)', async () => {
    const game = await createGame(t, { startsAt: new Date(clock.now().getTime() + 3_600_000) });
    const seller = await registerUser(t);
    const a0 = game.areas[0]!;
    await createListing(seller, game, { price: a0.face_value_min });
    const sold = await createListing(seller, game, { price: a0.face_value_min + 10 });
    await t.deps.db
      .updateTable('listings')
      .set({ status: 'sold' })
      .where('id', '=', sold.id)
      .execute();
    const { invalidateListingCaches } = await import('./listings.lifecycle.ts');
    await invalidateListingCaches(t.deps.cached, { gameId: game.id });
    const url = `/api/games/${game.id}/price-summary`;
    const area0 = async () => (await t.app.inject({ method: 'GET', url })).json().items[0];
    expect(await area0()).toMatchObject({
      activeCount: 1,
      tickets: 2,
      minPrice: a0.face_value_min,
      medianPrice: a0.face_value_min,
      medianSoldPrice: a0.face_value_min + 10,
    });
    clock.advance(3_600_000);
    expect(await area0()).toMatchObject({
      activeCount: 0,
      tickets: 0,
      minPrice: null,
      minFacePct: null,
      medianPrice: null,
      medianSoldPrice: a0.face_value_min + 10,
    });
  });
});
