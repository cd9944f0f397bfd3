// What a game lets people do, as the catalogue tells it (`onSale`, `canList`, `canReserve`), and
// the proof that the answer is the server's own: for every game status, before and after first
// pitch, buying, listing and setting an alert succeed exactly when the catalogue says they may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GameDetail, GameSummary } from '../../../../shared/contracts/catalog.ts';
import type { ListingDto } from '../../../../shared/contracts/listings.ts';
import { GAME_STATUSES } from '../../../../shared/contracts/vocabulary.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  createGame,
  errorCode,
  insertListing,
  signedInUser,
  type TestGame,
} from '../../../test/factories/index.ts';
import { DAY, HOUR, manualClock, taipeiDate } from '../../shared/clock.ts';
import { GAMES_CACHE_NAMESPACE } from './index.ts';

// A month back, so the "already started" games never reach other test files' real now.
const clock = manualClock(new Date(Date.now() - 30 * DAY));
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

async function gameViews(game: TestGame) {
  await t.deps.cached.invalidate(GAMES_CACHE_NAMESPACE);
  const detail = await t.app.inject({ method: 'GET', url: `/api/games/${game.id}` });
  expect(detail.statusCode, detail.body).toBe(200);
  const day = taipeiDate(new Date(game.startsAt));
  const list = await t.app.inject({ method: 'GET', url: `/api/games?from=${day}&to=${day}` });
  expect(list.statusCode, list.body).toBe(200);
  const summary = (list.json() as { items: GameSummary[] }).items.find((g) => g.id === game.id);
  return { detail: detail.json() as GameDetail, summary: summary! };
}

/** What the server does when someone tries: list a ticket, set an alert, buy a ticket. */
async function attempts(game: TestGame) {
  const seller = await signedInUser(t);
  const fan = await signedInUser(t);
  const area = game.areas[0]!;
  const list = await t.app.inject({
    method: 'POST',
    url: '/api/listings',
    headers: seller.auth,
    payload: {
      gameId: game.id,
      areaId: area.id,
      section: '217',
      quantity: 1,
      price: area.face_value_min,
      faceValue: area.face_value_min,
      deliveryMethod: 'eticket_transfer',
    },
  });
  const reserve = await t.app.inject({
    method: 'POST',
    url: '/api/reservations',
    headers: fan.auth,
    payload: { gameId: game.id },
  });
  const listingId = await insertListing(t, { game, sellerId: seller.id });
  const page = await t.app.inject({ method: 'GET', url: `/api/listings/${listingId}` });
  expect(page.statusCode, page.body).toBe(200);
  const buy = await t.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: fan.auth,
    payload: { listingId },
  });
  const outcome = (res: { statusCode: number; json(): unknown }) =>
    res.statusCode === 201 ? 'accepted' : errorCode(res);
  return {
    list: outcome(list),
    reserve: outcome(reserve),
    buy: outcome(buy),
    listingSaysOnSale: (page.json() as ListingDto).game.onSale,
  };
}

describe('what a game allows', () => {
  it('when a game is postponed, then it is not on sale and neither listing nor alerts are offered', async () => {
    const game = await createGame(t, { status: 'postponed' });
    const { detail, summary } = await gameViews(game);
    expect(summary.onSale).toBe(false);
    expect(detail).toMatchObject({ onSale: false, canList: false, canReserve: false });
  });

  it('when a game is scheduled and first pitch is ahead, then it is on sale, listable and reservable', async () => {
    const game = await createGame(t);
    const { detail, summary } = await gameViews(game);
    expect(summary.onSale).toBe(true);
    expect(detail).toMatchObject({ onSale: true, canList: true, canReserve: true });
  });

  it('when an operator postpones a game, then its listing pages say at once that it is off sale', async () => {
    const game = await createGame(t);
    const seller = await signedInUser(t);
    const admin = await signedInUser(t, { role: 'admin' });
    const listingId = await insertListing(t, { game, sellerId: seller.id });
    const onSale = async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/listings/${listingId}` });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as ListingDto).game.onSale;
    };
    expect(await onSale()).toBe(true); // now cached
    const postponed = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/games/${game.id}`,
      headers: admin.auth,
      payload: { status: 'postponed' },
    });
    expect(postponed.statusCode, postponed.body).toBe(200);
    expect(await onSale()).toBe(false);
  });

  it('when first pitch passes, then a listing page read from the cache says the game is off sale', async () => {
    const game = await createGame(t, { startsAt: new Date(clock.now().getTime() + HOUR) });
    const seller = await signedInUser(t);
    const listingId = await insertListing(t, { game, sellerId: seller.id });
    const read = async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/listings/${listingId}` });
      expect(res.statusCode, res.body).toBe(200);
      const { game: g, status } = res.json() as ListingDto;
      return { onSale: g.onSale, status };
    };
    expect(await read()).toEqual({ onSale: true, status: 'active' }); // now cached
    const start = clock.now();
    clock.advance(HOUR + 60_000);
    try {
      expect(await read()).toEqual({ onSale: false, status: 'expired' });
    } finally {
      clock.set(start);
    }
  });

  const cases = GAME_STATUSES.flatMap((status) =>
    (['ahead', 'past'] as const).map((start) => [status, start] as const),
  );
  it.each(cases)(
    'when a game is %s with first pitch %s, then the server accepts exactly what the catalogue offers',
    async (status, start) => {
      const startsAt = new Date(clock.now().getTime() + (start === 'ahead' ? 3 : -1) * DAY);
      const game = await createGame(t, { status, startsAt });
      const { detail, summary } = await gameViews(game);
      const tried = await attempts(game);
      const expected = (allowed: boolean) => (allowed ? 'accepted' : 'GAME_NOT_ON_SALE');
      expect(tried).toEqual({
        list: expected(detail.canList),
        reserve: expected(detail.canReserve),
        buy: expected(detail.onSale),
        listingSaysOnSale: detail.onSale,
      });
      expect(summary.onSale).toBe(detail.onSale);
    },
  );
});
