// Season-ticket holders (issue 22 item 4): one seat across many games in one request and one
// transaction, each game checked against every rule with a per-game result; bulk price change and
// bulk take-down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { MAX_ACTIVE_LISTINGS_PER_GAME } from '../../../../shared/contracts/listings.ts';
import { DAY } from '../../shared/clock.ts';
import {
  createGame,
  insertListing,
  signedInUser,
  type TestGame,
  type TestUser,
} from '../../../test/factories/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

async function homeGames(n: number): Promise<TestGame[]> {
  const out: TestGame[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      await createGame(t, { startsAt: new Date(t.deps.clock.now().getTime() + (i + 2) * DAY) }),
    );
  return out;
}

function bulk(user: TestUser, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/listings/bulk', headers: user.auth, payload });
}

const seat = (game: TestGame) => ({
  areaId: game.areas[0]!.id,
  section: 'B12',
  row: '5',
  seats: '7-8',
  quantity: 2,
  splitRule: 'pairs',
  deliveryMethod: 'eticket_transfer',
});

const listingsOf = (sellerId: string) =>
  t.deps.db
    .selectFrom('listings')
    .select(['id', 'game_id', 'price', 'face_value', 'status', 'split_rule', 'remaining'])
    .where('seller_id', '=', sellerId)
    .execute();

describe('bulk listing', () => {
  it('when a holder lists one seat across 10 games at 90% of face value, then 10 listings are created with prices per game', async () => {
    const holder = await signedInUser(t);
    const games = await homeGames(10);
    const area = games[0]!.areas[0]!;
    const res = await bulk(holder, {
      ...seat(games[0]!),
      price: { kind: 'percentOfFace', percent: 90 },
      games: games.map((g, i) =>
        i === 0 ? { gameId: g.id, faceValue: area.face_value_min } : { gameId: g.id },
      ),
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.created).toBe(10);
    expect(body.results[0]).toMatchObject({
      gameId: games[0]!.id,
      status: 'created',
      faceValue: area.face_value_min,
      price: Math.floor((area.face_value_min * 90) / 100),
      error: null,
    });
    // Face value defaults to the area's (highest) face value.
    expect(body.results[1]).toMatchObject({
      status: 'created',
      faceValue: area.face_value_max,
      price: Math.floor((area.face_value_max * 90) / 100),
    });
    const rows = await listingsOf(holder.id);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.game_id))).toEqual(new Set(games.map((g) => g.id)));
    for (const r of rows)
      expect(r).toMatchObject({ status: 'active', split_rule: 'pairs', remaining: 2 });
  });

  it('when one game breaks a rule and allOrNothing, then nothing is created and each game has its result', async () => {
    const holder = await signedInUser(t);
    const games = await homeGames(3);
    const started = await createGame(t, { startsAt: new Date(t.deps.clock.now().getTime() - DAY) });
    const res = await bulk(holder, {
      ...seat(games[0]!),
      price: { kind: 'same', price: games[0]!.areas[0]!.face_value_min },
      games: [...games, started].map((g) => ({ gameId: g.id })),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.created).toBe(0);
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
      'refused',
    ]);
    expect(body.results[3].error.code).toBe('GAME_NOT_ON_SALE');
    expect(await listingsOf(holder.id)).toHaveLength(0);
  });

  it('when allOrNothing is off, then the games that pass are created and the others refused per game', async () => {
    const holder = await signedInUser(t);
    const games = await homeGames(2);
    // Another stadium: the area is not part of it.
    const away = await createGame(t, { homeTeamId: 'AJL011', awayTeamId: 'ACN011' });
    const face = games[0]!.areas[0]!.face_value_min;
    const res = await bulk(holder, {
      ...seat(games[0]!),
      allOrNothing: false,
      price: { kind: 'same', price: face + 1 },
      games: [
        { gameId: games[0]!.id, faceValue: face },
        { gameId: games[1]!.id },
        { gameId: away.id },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.created).toBe(1);
    expect(
      body.results.map((r: { status: string; error: { code: string } | null }) => [
        r.status,
        r.error?.code ?? null,
      ]),
    ).toEqual([
      ['refused', 'PRICE_ABOVE_FACE_VALUE'],
      ['created', null],
      ['refused', 'VALIDATION_FAILED'],
    ]);
    expect((await listingsOf(holder.id)).map((r) => r.game_id)).toEqual([games[1]!.id]);
  });

  it('when a game already has the per-game cap of listings, then that game is refused under the lock', async () => {
    const holder = await signedInUser(t);
    const [full, free] = await homeGames(2);
    for (let i = 0; i < MAX_ACTIVE_LISTINGS_PER_GAME; i++)
      await insertListing(t, { game: full!, sellerId: holder.id });
    const res = await bulk(holder, {
      ...seat(full!),
      allOrNothing: false,
      price: { kind: 'percentOfFace', percent: 100 },
      games: [{ gameId: full!.id }, { gameId: free!.id }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual([
      'refused',
      'created',
    ]);
    expect(res.json().results[0].error.code).toBe('INVALID_STATE');
  });

  it('when the same game is given twice or more than 60 games, then 400', async () => {
    const holder = await signedInUser(t);
    const [g] = await homeGames(1);
    const twice = await bulk(holder, {
      ...seat(g!),
      price: { kind: 'same', price: 100 },
      games: [{ gameId: g!.id }, { gameId: g!.id }],
    });
    expect(twice.statusCode).toBe(400);
    const many = await bulk(holder, {
      ...seat(g!),
      price: { kind: 'same', price: 100 },
      games: Array.from({ length: 61 }, (_, i) => ({ gameId: `g${String(i).padStart(25, '0')}` })),
    });
    expect(many.statusCode).toBe(400);
  });
});

describe('bulk price change and take-down', () => {
  it("when a seller changes many listings' price by a share of face value and takes some down, then each has its result", async () => {
    const seller = await signedInUser(t);
    const other = await signedInUser(t);
    const games = await homeGames(3);
    const ids = await Promise.all(
      games.map((g) =>
        insertListing(t, { game: g, sellerId: seller.id, price: 500, faceValue: 1000 }),
      ),
    );
    const notMine = await insertListing(t, { game: games[0]!, sellerId: other.id });
    const upd = await t.app.inject({
      method: 'POST',
      url: '/api/me/listings/bulk-update',
      headers: seller.auth,
      payload: { listingIds: [...ids, notMine], price: { kind: 'percentOfFace', percent: 80 } },
    });
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().changed).toBe(3);
    expect(upd.json().results[3]).toMatchObject({
      listingId: notMine,
      status: 'refused',
      error: { code: 'FORBIDDEN' },
    });
    const prices = await t.deps.db
      .selectFrom('listings')
      .select('price')
      .where('id', 'in', ids)
      .execute();
    expect(prices.map((p) => p.price)).toEqual([800, 800, 800]);

    const down = await t.app.inject({
      method: 'POST',
      url: '/api/me/listings/bulk-cancel',
      headers: seller.auth,
      payload: { listingIds: [ids[0], ids[1], notMine] },
    });
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json().results.map((r: { status: string }) => r.status)).toEqual([
      'cancelled',
      'cancelled',
      'refused',
    ]);
    const statuses = await t.deps.db
      .selectFrom('listings')
      .select(['id', 'status'])
      .where('id', 'in', [...ids, notMine])
      .execute();
    const byId = new Map(statuses.map((s) => [s.id, s.status]));
    expect([byId.get(ids[0]!), byId.get(ids[1]!), byId.get(ids[2]!), byId.get(notMine)]).toEqual([
      'cancelled',
      'cancelled',
      'active',
      'active',
    ]);
  });
});
