// Team alerts (issue 21 item 12): "tell me about tickets for any 樂天 home game under NT$X".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  createGame,
  insertListing,
  jobCtx,
  notificationsOf,
  registerUser,
} from '../../../test/factories/index.ts';
import { manualClock } from '../../shared/clock.ts';

let t: TestApp;
const clock = manualClock(new Date());
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

const follow = (auth: Record<string, string>, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/team-reservations', headers: auth, payload });
const publish = (listingId: string) =>
  t.deps.reservations.handleListingPublished({ listingId }, jobCtx());

describe('team alerts', () => {
  it('when a fan follows a team, then it is listed with its criteria and can be removed', async () => {
    const fan = await registerUser(t);
    const res = await follow(fan.auth, { teamId: 'AJL011', homeOnly: true, maxPrice: 500 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      team: { id: 'AJL011', name: '樂天桃猿' },
      homeOnly: true,
      maxPrice: 500,
      quantity: 1,
    });
    const again = await follow(fan.auth, { teamId: 'AJL011', homeOnly: true, maxPrice: 500 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DUPLICATE_RESERVATION');

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/me/team-reservations',
      headers: fan.auth,
    });
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([res.json().id]);

    const other = await registerUser(t);
    const stolen = await t.app.inject({
      method: 'DELETE',
      url: `/api/team-reservations/${res.json().id}`,
      headers: other.auth,
    });
    expect(stolen.statusCode).toBe(404);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/team-reservations/${res.json().id}`,
      headers: fan.auth,
    });
    expect(del.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/me/team-reservations',
      headers: fan.auth,
    });
    expect(after.json().items).toEqual([]);
  });

  it('when the team is unknown or fields are malformed, then 400; signed out, 401', async () => {
    const fan = await registerUser(t);
    for (const payload of [
      { teamId: 'NOPE01' },
      { teamId: 'AJL011', maxPrice: 0 },
      { teamId: 'AJL011', quantity: 9 },
      { teamId: 'AJL011', homeOnly: 'yes' },
    ]) {
      const res = await follow(fan.auth, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await follow({}, { teamId: 'AJL011' })).statusCode).toBe(401);
  });

  it('when a listing is published, then home-only, price and quantity decide who is told, once', async () => {
    const seller = await registerUser(t);
    const homeFan = await registerUser(t); // 樂天 home games under 500
    const anyFan = await registerUser(t); // any 樂天 game
    const cheapFan = await registerUser(t); // any 樂天 game under 300
    const pairFan = await registerUser(t); // 樂天, 4 tickets together
    const otherFan = await registerUser(t); // 兄弟 home games
    await follow(homeFan.auth, { teamId: 'AJL011', homeOnly: true, maxPrice: 500 });
    await follow(anyFan.auth, { teamId: 'AJL011' });
    await follow(cheapFan.auth, { teamId: 'AJL011', maxPrice: 300 });
    await follow(pairFan.auth, { teamId: 'AJL011', quantity: 4 });
    await follow(otherFan.auth, { teamId: 'ACN011', homeOnly: true });
    // The seller's own team alert never tells them about their own listing.
    await follow(seller.auth, { teamId: 'AJL011' });

    const fans = [homeFan, anyFan, cheapFan, pairFan, otherFan, seller];
    const told = async () =>
      (
        await notificationsOf(
          t,
          fans.map((f) => f.user.id),
        )
      )
        .filter((n) => n.type === 'reservation_match')
        .map((n) => fans.findIndex((f) => f.user.id === n.user_id))
        .sort();

    // 樂天 away at 兄弟: 400 a ticket, two tickets.
    const away = await createGame(t, { homeTeamId: 'ACN011', awayTeamId: 'AJL011' });
    const l1 = await insertListing(t, { game: away, sellerId: seller.user.id, price: 400 });
    await publish(l1);
    expect(await told()).toEqual([1, 4]); // anyFan (away game counts), otherFan (兄弟 home)

    // 樂天 at home: 450 → homeFan too; anyFan is told about this new listing.
    const home = await createGame(t, { homeTeamId: 'AJL011', awayTeamId: 'ADD011' });
    const l2 = await insertListing(t, { game: home, sellerId: seller.user.id, price: 450 });
    await publish(l2);
    expect(await told()).toEqual([0, 1, 1, 4]);

    // Published again (a retry or a price cut): nobody is told twice.
    await publish(l2);
    expect(await told()).toEqual([0, 1, 1, 4]);

    // Four cheap tickets at home: cheapFan and pairFan too.
    const l3 = await insertListing(t, {
      game: home,
      sellerId: seller.user.id,
      price: 250,
      quantity: 4,
    });
    await publish(l3);
    expect(await told()).toEqual([0, 0, 1, 1, 1, 2, 3, 4]);
  });

  it('when a fan has a game alert and a team alert that both match, then they are told once', async () => {
    const seller = await registerUser(t);
    const fan = await registerUser(t);
    const game = await createGame(t, { homeTeamId: 'AJL011', awayTeamId: 'ADD011' });
    await follow(fan.auth, { teamId: 'AJL011' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reservations',
      headers: fan.auth,
      payload: { gameId: game.id },
    });
    expect(res.statusCode).toBe(201);
    const listing = await insertListing(t, { game, sellerId: seller.user.id, price: 300 });
    await publish(listing);
    const mine = (await notificationsOf(t, [fan.user.id])).filter(
      (n) => n.type === 'reservation_match',
    );
    expect(mine).toHaveLength(1);
  });
});
