import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVE_LISTINGS_PER_GAME } from '../../../../shared/contracts/listings.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { DAY, HOUR, manualClock } from '../../shared/clock.ts';
import { listingPublishedJob } from '../reservations/index.ts';
import {
  createGame,
  placeOrder,
  registerUser,
  setupSale,
  type TestGame,
} from '../../../test/factories/index.ts';

const EXPIRY_SCHEDULE = 'listings.expire-started';

type Seller = Awaited<ReturnType<typeof registerUser>>;

let t: TestApp;
// Starts a month in the past so moving it past a test game's first pitch never reaches the real
// "now" of other test files sharing the MariaDB database.
const clock = manualClock(new Date(Date.now() - 30 * DAY));
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

const errorOf = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string; details?: unknown } }).error;

function listingBody(game: TestGame, overrides: Record<string, unknown> = {}) {
  const area = game.areas[0]!;
  return {
    gameId: game.id,
    areaId: area.id,
    section: '217',
    row: '5',
    seats: '11-12',
    quantity: 2,
    price: area.face_value_min,
    faceValue: area.face_value_min,
    deliveryMethod: 'eticket_transfer',
    note: '可面交',
    ...overrides,
  };
}

async function post(seller: Seller, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/listings', headers: seller.auth, payload });
}

async function createListing(seller: Seller, game: TestGame, overrides = {}) {
  const res = await post(seller, listingBody(game, overrides));
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; price: number; status: string; createdAt: string };
}

function jobsFor(listingId: string) {
  return t.deps.db
    .selectFrom('jobs')
    .selectAll()
    .where('type', '=', listingPublishedJob.type)
    .where('payload', '=', JSON.stringify({ listingId }))
    .execute();
}

describe('selling a ticket', () => {
  it('when a seller lists a ticket as JSON, then 201 with the listing in its detail shape', async () => {
    const seller = await registerUser(t, { name: '賣家阿宏' });
    const game = await createGame(t);
    const area = game.areas[0]!;
    const res = await post(seller, listingBody(game));
    expect(res.statusCode).toBe(201);
    const listing = res.json();
    expect(listing).toMatchObject({
      game: { id: game.id, status: 'scheduled', startsAt: game.startsAt },
      area: { id: area.id, code: area.code, faceValueMin: area.face_value_min },
      section: '217',
      row: '5',
      seats: '11-12',
      quantity: 2,
      price: area.face_value_min,
      faceValue: area.face_value_min,
      deliveryMethod: 'eticket_transfer',
      note: '可面交',
      images: [],
      seller: { id: seller.user.id, name: '賣家阿宏', ratingAverage: null, ratingCount: 0 },
      status: 'active',
      createdAt: clock.now().toISOString(),
    });
    expect(listing.game.homeTeam.id).toBe('ACN011');
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(listing);
  });

  it('when a listing is created, then a listing.published job is written with its request id', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/listings',
      headers: { ...seller.auth, 'x-request-id': 'req-listing-created-1' },
      payload: listingBody(game),
    });
    expect(res.statusCode).toBe(201);
    const jobs = await jobsFor(res.json().id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'pending', request_id: 'req-listing-created-1' });
  });

  it('when nobody is signed in, then 401 UNAUTHENTICATED', async () => {
    const game = await createGame(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/listings',
      payload: listingBody(game),
    });
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  });

  it('when the price is above the face value, then 422 PRICE_ABOVE_FACE_VALUE', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const area = game.areas[0]!;
    const res = await post(
      seller,
      listingBody(game, { faceValue: area.face_value_min, price: area.face_value_min + 1 }),
    );
    expect(res.statusCode).toBe(422);
    expect(errorOf(res)).toMatchObject({
      code: 'PRICE_ABOVE_FACE_VALUE',
      details: { faceValue: area.face_value_min },
    });
  });

  it('when the face value lies outside the area range, then 422 FACE_VALUE_OUT_OF_RANGE', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const area = game.areas[0]!;
    for (const faceValue of [area.face_value_min - 1, area.face_value_max + 1]) {
      const res = await post(seller, listingBody(game, { faceValue, price: 100 }));
      expect(res.statusCode).toBe(422);
      expect(errorOf(res)).toMatchObject({
        code: 'FACE_VALUE_OUT_OF_RANGE',
        details: { min: area.face_value_min, max: area.face_value_max },
      });
    }
    const atMax = await post(
      seller,
      listingBody(game, { faceValue: area.face_value_max, price: area.face_value_max }),
    );
    expect(atMax.statusCode).toBe(201);
  });

  it('when the face value is 0 (a free ticket), then 422 FACE_VALUE_OUT_OF_RANGE', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const res = await post(seller, listingBody(game, { faceValue: 0, price: 1 }));
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('FACE_VALUE_OUT_OF_RANGE');
  });

  it('when the area belongs to another stadium or does not exist, then 400 VALIDATION_FAILED', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const other = await createGame(t, { homeTeamId: 'AJL011' });
    expect(other.stadiumId).not.toBe(game.stadiumId);
    for (const areaId of [other.areas[0]!.id, 'no-such-area']) {
      const res = await post(seller, listingBody(game, { areaId }));
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path: 'body.areaId' }],
      });
    }
  });

  it('when the game does not exist, then 400 VALIDATION_FAILED on gameId', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const res = await post(seller, listingBody(game, { gameId: 'no-such-game' }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ details: [{ path: 'body.gameId' }] });
  });

  it.each([
    ['quantity 0', { quantity: 0 }, 'body.quantity'],
    ['quantity 9', { quantity: 9 }, 'body.quantity'],
    ['a fractional quantity', { quantity: 1.5 }, 'body.quantity'],
    ['an unknown delivery method', { deliveryMethod: 'carrier_pigeon' }, 'body.deliveryMethod'],
    ['a 501-character note', { note: '票'.repeat(501) }, 'body.note'],
    ['no section', { section: undefined }, 'body.section'],
    ['a blank section', { section: '   ' }, 'body.section'],
    ['a price of 0', { price: 0 }, 'body.price'],
    ['a price as text', { price: 'cheap' }, 'body.price'],
  ])('when the body has %s, then 400 VALIDATION_FAILED naming the field', async (_, o, path) => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const res = await post(seller, listingBody(game, o));
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect((error.details as { path: string }[]).map((d) => d.path)).toContain(path);
  });

  it('when the note has exactly 500 characters and quantity is 8, then it is accepted', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const res = await post(seller, listingBody(game, { note: '票'.repeat(500), quantity: 8 }));
    expect(res.statusCode).toBe(201);
    expect(res.json().note).toHaveLength(500);
  });

  it.each(['postponed', 'cancelled', 'in_progress', 'final'] as const)(
    'when the game is %s, then 422 GAME_NOT_ON_SALE',
    async (status) => {
      const seller = await registerUser(t);
      const game = await createGame(t, { status });
      const res = await post(seller, listingBody(game));
      expect(res.statusCode).toBe(422);
      expect(errorOf(res).code).toBe('GAME_NOT_ON_SALE');
    },
  );

  it('when the game has already started, then 422 GAME_NOT_ON_SALE', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t, { startsAt: new Date(clock.now().getTime() - 1000) });
    const res = await post(seller, listingBody(game));
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('GAME_NOT_ON_SALE');
  });

  it(`when a seller already has ${MAX_ACTIVE_LISTINGS_PER_GAME} active listings for a game, then 409 INVALID_STATE until one is cancelled`, async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const other = await createGame(t);
    const ids: string[] = [];
    for (let i = 0; i < MAX_ACTIVE_LISTINGS_PER_GAME; i++) {
      ids.push((await createListing(seller, game, { section: `S${i}` })).id);
    }
    const over = await post(seller, listingBody(game));
    expect(over.statusCode).toBe(409);
    expect(errorOf(over)).toMatchObject({
      code: 'INVALID_STATE',
      details: { limit: MAX_ACTIVE_LISTINGS_PER_GAME, active: MAX_ACTIVE_LISTINGS_PER_GAME },
    });
    // Another game and another seller are not affected.
    expect((await post(seller, listingBody(other))).statusCode).toBe(201);
    expect((await post(await registerUser(t), listingBody(game))).statusCode).toBe(201);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/listings/${ids[0]}`,
      headers: seller.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await post(seller, listingBody(game))).statusCode).toBe(201);
  });

  it('when the seller is suspended, then their token no longer lists anything (401)', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    await t.deps.accounts.setSuspended(seller.user.id, true);
    const res = await post(seller, listingBody(game));
    expect(res.statusCode).toBe(401);
  });
});

describe('reading, changing and cancelling a listing', () => {
  it('when the id is unknown or malformed, then 404 or 400', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/listings/nosuchlisting' });
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('NOT_FOUND');
    const malformed = await t.app.inject({ method: 'GET', url: '/api/listings/bad%20id!' });
    expect(malformed.statusCode).toBe(400);
  });

  it('when the seller lowers the price, then 200, the detail shows it and a listing.published job is written', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const area = game.areas[0]!;
    const listing = await createListing(seller, game, {
      faceValue: area.face_value_max,
      price: area.face_value_max,
    });
    // Read it once so the detail is cached; the change must still show.
    await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
      payload: { price: area.face_value_max - 50, note: '降價' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ price: area.face_value_max - 50, note: '降價' });
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.json()).toMatchObject({ price: area.face_value_max - 50, note: '降價' });
    expect(await jobsFor(listing.id)).toHaveLength(2);
  });

  it('when the seller raises the price or changes only the note, then no new listing.published job', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const area = game.areas[0]!;
    const listing = await createListing(seller, game, {
      faceValue: area.face_value_max,
      price: area.face_value_min,
    });
    for (const payload of [{ price: area.face_value_min + 10 }, { note: null }]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/listings/${listing.id}`,
        headers: seller.auth,
        payload,
      });
      expect(res.statusCode).toBe(200);
    }
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.json()).toMatchObject({ price: area.face_value_min + 10, note: null });
    expect(await jobsFor(listing.id)).toHaveLength(1);
  });

  it('when the seller corrects the seats and the note of an active listing, then 200 and the detail and game page show them (issue 21 item 9)', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const listing = await createListing(seller, game);
    await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/listings` });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
      payload: { section: ' 218 ', row: '6', seats: '3-4', note: '靠走道' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ section: '218', row: '6', seats: '3-4', note: '靠走道' });
    const page = await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/listings` });
    expect(page.json().items[0]).toMatchObject({ id: listing.id, section: '218', row: '6' });
    // Row and seats may be cleared; the section may not.
    const cleared = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
      payload: { row: null, seats: '' },
    });
    expect(cleared.json()).toMatchObject({ section: '218', row: null, seats: null });
    for (const payload of [
      { section: '' },
      { section: '   ' },
      { section: null },
      { row: 'x'.repeat(17) },
      { seats: 'x'.repeat(65) },
    ]) {
      const bad = await t.app.inject({
        method: 'PATCH',
        url: `/api/listings/${listing.id}`,
        headers: seller.auth,
        payload,
      });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('when a buyer holds tickets of the listing, then its seats and note cannot change (409) but the price still can', async () => {
    const sale = await setupSale(t, { quantity: 2 });
    const hold = await placeOrder(t, sale.buyer, sale.listingId, {}, 1);
    expect(hold.statusCode, hold.body).toBe(201);
    for (const payload of [{ section: 'Z9' }, { note: '換位子了' }, { seats: '1' }]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/listings/${sale.listingId}`,
        headers: sale.seller.auth,
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(409);
      expect(errorOf(res)).toMatchObject({ code: 'INVALID_STATE', details: { held: 1 } });
    }
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${sale.listingId}` });
    expect(read.json()).toMatchObject({ seats: '7-8', note: null });
    const price = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${sale.listingId}`,
      headers: sale.seller.auth,
      payload: { price: 1 },
    });
    expect(price.statusCode).toBe(200);
  });

  it("when another user tries to change a listing's seats, then 403 and nothing changes", async () => {
    const seller = await registerUser(t);
    const intruder = await registerUser(t);
    const game = await createGame(t);
    const listing = await createListing(seller, game);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: intruder.auth,
      payload: { section: 'X1', note: 'mine now' },
    });
    expect(res.statusCode).toBe(403);
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.json()).toMatchObject({ section: '217', note: '可面交' });
  });

  it('when a patch raises the price above the face value, then 422 PRICE_ABOVE_FACE_VALUE', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const listing = await createListing(seller, game);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
      payload: { price: listing.price + 1 },
    });
    expect(res.statusCode).toBe(422);
    expect(errorOf(res).code).toBe('PRICE_ABOVE_FACE_VALUE');
  });

  it('when a patch is empty or malformed, then 400 VALIDATION_FAILED', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const listing = await createListing(seller, game);
    for (const payload of [{}, { price: -5 }, { note: 'x'.repeat(501) }]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/listings/${listing.id}`,
        headers: seller.auth,
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('VALIDATION_FAILED');
    }
  });

  it("when another user changes or cancels someone's listing, then 403 FORBIDDEN and nothing changes", async () => {
    const seller = await registerUser(t);
    const intruder = await registerUser(t);
    const game = await createGame(t);
    const listing = await createListing(seller, game);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: intruder.auth,
      payload: { price: 1 },
    });
    expect(patch.statusCode).toBe(403);
    expect(errorOf(patch).code).toBe('FORBIDDEN');
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/listings/${listing.id}`,
      headers: intruder.auth,
    });
    expect(del.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'DELETE', url: `/api/listings/${listing.id}` });
    expect(anonymous.statusCode).toBe(401);
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.json()).toMatchObject({ status: 'active', price: listing.price });
  });

  it('when the seller cancels, then 204, it reads as cancelled, leaves the game page and cannot be changed', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const listing = await createListing(seller, game);
    const before = await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/listings` });
    expect(before.json().items.map((i: { id: string }) => i.id)).toEqual([listing.id]);

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
    });
    expect(del.statusCode).toBe(204);
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().status).toBe('cancelled');
    const after = await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/listings` });
    expect(after.json().items).toEqual([]);

    for (const req of [
      { method: 'DELETE' as const, payload: undefined },
      { method: 'PATCH' as const, payload: { price: 1 } },
    ]) {
      const res = await t.app.inject({
        method: req.method,
        url: `/api/listings/${listing.id}`,
        headers: seller.auth,
        ...(req.payload ? { payload: req.payload } : {}),
      });
      expect(res.statusCode).toBe(409);
      expect(errorOf(res).code).toBe('INVALID_STATE');
    }
  });

  it('when a sold listing is read by id, then it is still returned with status sold', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const listing = await createListing(seller, game);
    await t.deps.db
      .updateTable('listings')
      .set({ status: 'sold' })
      .where('id', '=', listing.id)
      .execute();
    const { invalidateListingCaches } = await import('./listings.lifecycle.ts');
    await invalidateListingCaches(t.deps.cached, { gameId: game.id, listingId: listing.id });
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.json().status).toBe('sold');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
      payload: { price: 1 },
    });
    expect(patch.statusCode).toBe(409);
  });
});

describe("a seller's own listings", () => {
  it('when the seller pages through their listings, then newest first, only their own, filtered by status', async () => {
    const seller = await registerUser(t);
    const someoneElse = await registerUser(t);
    const game = await createGame(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      ids.push((await createListing(seller, game, { section: `M${i}` })).id);
    }
    await createListing(someoneElse, game);
    await t.app.inject({ method: 'DELETE', url: `/api/listings/${ids[1]}`, headers: seller.auth });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/me/listings?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: seller.auth,
      });
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        items: { id: string; game: { id: string } }[];
        nextCursor: string | null;
      };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const active = await t.app.inject({
      method: 'GET',
      url: '/api/me/listings?status=active',
      headers: seller.auth,
    });
    expect(active.json().items.map((i: { id: string }) => i.id)).toEqual([
      ids[4],
      ids[3],
      ids[2],
      ids[0],
    ]);
    const cancelled = await t.app.inject({
      method: 'GET',
      url: '/api/me/listings?status=cancelled',
      headers: seller.auth,
    });
    expect(cancelled.json().items.map((i: { id: string }) => i.id)).toEqual([ids[1]]);
  });

  it('when the status filter is unknown or nobody is signed in, then 400 or 401', async () => {
    const seller = await registerUser(t);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/me/listings?status=lost',
      headers: seller.auth,
    });
    expect(bad.statusCode).toBe(400);
    const bogusCursor = await t.app.inject({
      method: 'GET',
      url: '/api/me/listings?cursor=not-a-cursor',
      headers: seller.auth,
    });
    expect(bogusCursor.statusCode).toBe(400);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/me/listings' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('caching', () => {
  const hits = async () => {
    const metric = await t.deps.metrics.cacheLookups.get();
    return metric.values.find((v) => v.labels.result === 'hit')?.value ?? 0;
  };

  it('when a game page is read twice, then the second read is served from the cache; a new listing still shows at once', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const first = await createListing(seller, game);
    const url = `/api/games/${game.id}/listings`;
    await t.app.inject({ method: 'GET', url });
    const before = await hits();
    const again = await t.app.inject({ method: 'GET', url });
    expect(await hits()).toBeGreaterThan(before);
    expect(again.json().items.map((i: { id: string }) => i.id)).toEqual([first.id]);

    clock.advance(1000);
    const second = await createListing(seller, game, { price: first.price - 1 });
    const after = await t.app.inject({ method: 'GET', url });
    expect(after.json().items.map((i: { id: string }) => i.id)).toEqual([second.id, first.id]);
  });

  it("when a listing changes, then the catalogue's games cache is invalidated too", async () => {
    const seller = await registerUser(t);
    const game = await createGame(t);
    const generation = async () => (await t.deps.cache.get<number>('gen:games')) ?? 0;
    const g0 = await generation();
    const listing = await createListing(seller, game);
    const g1 = await generation();
    expect(g1).toBeGreaterThan(g0);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
      payload: { note: 'x' },
    });
    const g2 = await generation();
    expect(g2).toBeGreaterThan(g1);
    await t.app.inject({
      method: 'DELETE',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
    });
    expect(await generation()).toBeGreaterThan(g2);
  });
});

describe('first pitch', () => {
  it('when the game starts, then its tickets leave every view at once and the job marks them expired', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t, { startsAt: new Date(clock.now().getTime() + HOUR) });
    const listing = await createListing(seller, game);
    const page = `/api/games/${game.id}/listings`;
    const summary = `/api/games/${game.id}/price-summary`;
    expect((await t.app.inject({ method: 'GET', url: page })).json().items).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: summary })).json().items[0].activeCount).toBe(
      1,
    );
    await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });

    clock.advance(HOUR + 1000);
    // Before any job has run, the guard hides the tickets, even from the cache.
    expect((await t.app.inject({ method: 'GET', url: page })).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    const afterSummary = (await t.app.inject({ method: 'GET', url: summary })).json();
    expect(afterSummary.items[0]).toMatchObject({ activeCount: 0, minPrice: null });
    const detail = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(detail.json().status).toBe('expired');
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/me/listings?status=expired',
      headers: seller.auth,
    });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([listing.id]);
    const mineActive = await t.app.inject({
      method: 'GET',
      url: '/api/me/listings?status=active',
      headers: seller.auth,
    });
    expect(mineActive.json().items).toEqual([]);

    const create = await post(seller, listingBody(game));
    expect(create.statusCode).toBe(422);
    expect(errorOf(create).code).toBe('GAME_NOT_ON_SALE');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/listings/${listing.id}`,
      headers: seller.auth,
      payload: { price: 1 },
    });
    expect(patch.statusCode).toBe(409);
    expect(errorOf(patch).code).toBe('INVALID_STATE');

    const handler = t.deps.jobs.get(EXPIRY_SCHEDULE);
    expect(handler).toBeDefined();
    await handler!(null, { jobId: 'test', attempt: 1, requestId: null });
    const row = await t.deps.db
      .selectFrom('listings')
      .select('status')
      .where('id', '=', listing.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    // The sweep keeps itself scheduled.
    const next = await t.deps.db
      .selectFrom('jobs')
      .select('run_at')
      .where('type', '=', EXPIRY_SCHEDULE)
      .where('status', '=', 'pending')
      .execute();
    expect(next.length).toBeGreaterThanOrEqual(1);
  });

  it('when a postponed game passes its old start, then its listings are hidden but not expired', async () => {
    const seller = await registerUser(t);
    const game = await createGame(t, { startsAt: new Date(clock.now().getTime() + HOUR) });
    const listing = await createListing(seller, game);
    await t.deps.db
      .updateTable('games')
      .set({ status: 'postponed' })
      .where('id', '=', game.id)
      .execute();
    clock.advance(2 * HOUR);
    await t.deps.listings.expireStartedListings();
    const read = await t.app.inject({ method: 'GET', url: `/api/listings/${listing.id}` });
    expect(read.json()).toMatchObject({ status: 'active', game: { status: 'postponed' } });
    const page = await t.app.inject({ method: 'GET', url: `/api/games/${game.id}/listings` });
    expect(page.json().items).toEqual([]);
  });
});

describe('API description', () => {
  it('when the OpenAPI document is read, then the listing routes are in it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/listings',
        '/api/listings/{id}',
        '/api/me/listings',
        '/api/games/{id}/listings',
        '/api/games/{id}/price-summary',
      ]),
    );
  });
});
