import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { queryPlan } from '../../../test/query-plan.ts';
import type { KyselyPlugin } from 'kysely';
import { HOUR, manualClock } from '../../shared/clock.ts';
import { createChannels, createNotificationsService } from '../notifications/index.ts';
import { matchingReservationsQuery } from './reservations.repository.ts';
import { createReservationsService } from './reservations.service.ts';
import {
  createGame,
  insertListing,
  insertReservations,
  insertUsers,
  jobCtx,
  mailJobsFor,
  matchedReservationIds,
  notificationsOf,
  registerUser,
} from '../../../test/factories/index.ts';

let t: TestApp;
const clock = manualClock(new Date());
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => t.close());

const errorCode = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string } }).error.code;

async function reserve(auth: Record<string, string>, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/reservations', headers: auth, payload });
}

const publish = (listingId: string) =>
  t.deps.reservations.handleListingPublished({ listingId }, jobCtx());

describe('reservations API', () => {
  it('when a fan reserves a game, then 201 with the game summary, sorted areas and defaults', async () => {
    const fan = await registerUser(t);
    const game = await createGame(t);
    const [a, b] = [game.areas[1]!, game.areas[0]!];
    const res = await reserve(fan.auth, { gameId: game.id, areaIds: [a.id, b.id], maxPrice: 800 });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      maxPrice: 800,
      quantity: 1,
      status: 'active',
      game: { id: game.id, startsAt: game.startsAt, status: 'scheduled' },
    });
    expect(body.game.homeTeam.id).toBe('ACN011');
    expect(body.game.stadium.id).toBe(game.stadiumId);
    expect(body.areas.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('when fields are malformed, then 400 VALIDATION_FAILED naming them', async () => {
    const fan = await registerUser(t);
    const game = await createGame(t);
    for (const payload of [
      { gameId: game.id, quantity: 0 },
      { gameId: game.id, quantity: 9 },
      { gameId: game.id, quantity: 1.5 },
      { gameId: game.id, maxPrice: 0 },
      { gameId: game.id, maxPrice: -100 },
      { gameId: game.id, maxPrice: 99.5 },
      { gameId: game.id, areaIds: 'nope' },
      { quantity: 1 },
    ]) {
      const res = await reserve(fan.auth, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
  });

  it('when the game does not exist, then 400', async () => {
    const fan = await registerUser(t);
    const res = await reserve(fan.auth, { gameId: '0000000000nosuchgame0000000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.gameId');
  });

  it('when an area belongs to another stadium, then 400 naming areaIds', async () => {
    const fan = await registerUser(t);
    const game = await createGame(t, { homeTeamId: 'ACN011' });
    const elsewhere = await createGame(t, { homeTeamId: 'ADD011' });
    expect(elsewhere.stadiumId).not.toBe(game.stadiumId);
    const res = await reserve(fan.auth, {
      gameId: game.id,
      areaIds: [game.areas[0]!.id, elsewhere.areas[0]!.id],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.areaIds');
  });

  it('when the game has started or is not scheduled, then 422 GAME_NOT_ON_SALE', async () => {
    const fan = await registerUser(t);
    const started = await createGame(t, { startsAt: new Date(clock.now().getTime() - HOUR) });
    const postponed = await createGame(t, { status: 'postponed' });
    const cancelled = await createGame(t, { status: 'cancelled' });
    for (const game of [started, postponed, cancelled]) {
      const res = await reserve(fan.auth, { gameId: game.id });
      expect(res.statusCode).toBe(422);
      expect(errorCode(res)).toBe('GAME_NOT_ON_SALE');
    }
  });

  it('when the same criteria are reserved twice (areas in any order), then 409 DUPLICATE_RESERVATION', async () => {
    const fan = await registerUser(t);
    const game = await createGame(t);
    const [a, b] = [game.areas[0]!.id, game.areas[1]!.id];
    expect(
      (await reserve(fan.auth, { gameId: game.id, areaIds: [a, b], quantity: 2 })).statusCode,
    ).toBe(201);
    const again = await reserve(fan.auth, { gameId: game.id, areaIds: [b, a, b], quantity: 2 });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('DUPLICATE_RESERVATION');
    // Different criteria are a different reservation; another fan may reserve the same.
    expect(
      (await reserve(fan.auth, { gameId: game.id, areaIds: [a, b], quantity: 3 })).statusCode,
    ).toBe(201);
    expect(
      (await reserve(fan.auth, { gameId: game.id, areaIds: [a], quantity: 2 })).statusCode,
    ).toBe(201);
    const other = await registerUser(t);
    expect(
      (await reserve(other.auth, { gameId: game.id, areaIds: [a, b], quantity: 2 })).statusCode,
    ).toBe(201);
  });

  it('when a fan holds 20 active reservations, then the 21st is 422 RESERVATION_LIMIT until one is deleted', async () => {
    const fan = await registerUser(t);
    const game = await createGame(t);
    const ids: string[] = [];
    for (let price = 1; price <= 20; price++) {
      const res = await reserve(fan.auth, { gameId: game.id, maxPrice: price * 100 });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    const over = await reserve(fan.auth, { gameId: game.id, maxPrice: 5000 });
    expect(over.statusCode).toBe(422);
    expect(errorCode(over)).toBe('RESERVATION_LIMIT');
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/reservations/${ids[0]}`,
      headers: fan.auth,
    });
    expect(del.statusCode).toBe(204);
    expect((await reserve(fan.auth, { gameId: game.id, maxPrice: 5000 })).statusCode).toBe(201);
  });

  it('when reservations of started games exist, then they do not count towards the limit', async () => {
    const fan = await registerUser(t);
    const soon = await createGame(t, { startsAt: new Date(clock.now().getTime() + HOUR) });
    const later = await createGame(t, {
      startsAt: new Date(clock.now().getTime() + 30 * 24 * HOUR),
    });
    for (let price = 1; price <= 20; price++)
      expect((await reserve(fan.auth, { gameId: soon.id, maxPrice: price * 100 })).statusCode).toBe(
        201,
      );
    clock.advance(2 * HOUR);
    try {
      expect((await reserve(fan.auth, { gameId: later.id })).statusCode).toBe(201);
    } finally {
      clock.advance(-2 * HOUR);
    }
  });

  it('when a fan lists reservations, then they page newest first with cursors and game summaries', async () => {
    const fan = await registerUser(t);
    const game = await createGame(t);
    const created: string[] = [];
    for (let q = 1; q <= 5; q++) {
      clock.advance(1000);
      created.push((await reserve(fan.auth, { gameId: game.id, quantity: q })).json().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/me/reservations?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: fan.auth,
      });
      expect(res.statusCode).toBe(200);
      const body: {
        items: { id: string; game: { homeTeam: { name: string } } }[];
        nextCursor: string | null;
      } = res.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      for (const item of body.items) {
        expect(item.game.homeTeam.name).toBeTruthy();
        seen.push(item.id);
      }
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());

    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/me/reservations?cursor=garbage',
      headers: fan.auth,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('when the game starts, then the reservation reads as ended and can be filtered by status', async () => {
    const fan = await registerUser(t);
    const soon = await createGame(t, { startsAt: new Date(clock.now().getTime() + HOUR) });
    const later = await createGame(t);
    const ended = (await reserve(fan.auth, { gameId: soon.id })).json().id;
    const active = (await reserve(fan.auth, { gameId: later.id })).json().id;
    clock.advance(2 * HOUR);
    try {
      const all = (
        await t.app.inject({ method: 'GET', url: '/api/me/reservations', headers: fan.auth })
      ).json();
      const status = Object.fromEntries(
        all.items.map((i: { id: string; status: string }) => [i.id, i.status]),
      );
      expect(status).toEqual({ [ended]: 'ended', [active]: 'active' });
      const onlyEnded = (
        await t.app.inject({
          method: 'GET',
          url: '/api/me/reservations?status=ended',
          headers: fan.auth,
        })
      ).json();
      expect(onlyEnded.items.map((i: { id: string }) => i.id)).toEqual([ended]);
    } finally {
      clock.advance(-2 * HOUR);
    }
  });

  it("when someone deletes another fan's reservation, then 404 and it stays; the owner gets 204", async () => {
    const owner = await registerUser(t);
    const other = await registerUser(t);
    const game = await createGame(t);
    const id = (await reserve(owner.auth, { gameId: game.id })).json().id;
    const url = `/api/reservations/${id}`;
    const foreign = await t.app.inject({ method: 'DELETE', url, headers: other.auth });
    expect(foreign.statusCode).toBe(404);
    expect(errorCode(foreign)).toBe('NOT_FOUND');
    expect((await t.app.inject({ method: 'DELETE', url, headers: owner.auth })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'DELETE', url, headers: owner.auth })).statusCode).toBe(
      404,
    );
    const list = (
      await t.app.inject({ method: 'GET', url: '/api/me/reservations', headers: owner.auth })
    ).json();
    expect(list.items).toEqual([]);
    // The same criteria may be reserved again.
    expect((await reserve(owner.auth, { gameId: game.id })).statusCode).toBe(201);
  });

  it('when nobody is signed in, then 401', async () => {
    const game = await createGame(t);
    expect((await reserve({}, { gameId: game.id })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/me/reservations' })).statusCode).toBe(
      401,
    );
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/reservations/abc' })).statusCode,
    ).toBe(401);
  });
});

describe('matching a published listing', () => {
  it('when a listing is published, then exactly the reservations it satisfies match (area × price × quantity)', async () => {
    const game = await createGame(t);
    const [here, there] = [game.areas[0]!.id, game.areas[1]!.id];
    const [seller] = await insertUsers(t, [{}]);
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: here,
      price: 500,
      faceValue: 600,
      quantity: 2,
    });
    const areaCases: [string[], boolean][] = [
      [[], true],
      [[here], true],
      [[there], false],
      [[here, there], true],
    ];
    const priceCases: [number | null, boolean][] = [
      [null, true],
      [499, false],
      [500, true],
      [501, true],
    ];
    const quantityCases: [number, boolean][] = [
      [1, true],
      [2, true],
      [3, false],
    ];
    const cases = areaCases.flatMap(([areaIds, areaOk]) =>
      priceCases.flatMap(([maxPrice, priceOk]) =>
        quantityCases.map(([quantity, quantityOk]) => ({
          areaIds,
          maxPrice,
          quantity,
          expected: areaOk && priceOk && quantityOk,
        })),
      ),
    );
    const users = await insertUsers(
      t,
      cases.map(() => ({})),
    );
    const reservations = await insertReservations(
      t,
      cases.map((c, i) => ({ ...c, userId: users[i]!, gameId: game.id })),
    );
    // Never matched: the seller's own, another game's, an ended one.
    const otherGame = await createGame(t);
    const [outsider, ender] = await insertUsers(t, [{}, {}]);
    const excluded = await insertReservations(t, [
      { userId: seller!, gameId: game.id },
      { userId: outsider!, gameId: otherGame.id },
      { userId: ender!, gameId: game.id, status: 'ended' },
    ]);

    const notified = await publish(listing);

    const matched = await matchedReservationIds(t, listing);
    const expected = reservations.filter((_, i) => cases[i]!.expected);
    expect([...matched].sort()).toEqual([...expected].sort());
    expect(notified).toBe(expected.length);
    for (const id of excluded) expect(matched.has(id)).toBe(false);

    const rows = await notificationsOf(t, [...users, seller!, outsider!, ender!]);
    const expectedUsers = users.filter((_, i) => cases[i]!.expected);
    expect(rows.map((r) => r.user_id).sort()).toEqual([...expectedUsers].sort());
    for (const r of rows) {
      expect(r.type).toBe('reservation_match');
      expect(r.link).toBe(`/listings/${listing}`);
      expect(r.title).toContain('有票了');
      expect(r.body).toContain('NT$500');
    }
    expect(
      await mailJobsFor(
        t,
        rows.map((r) => r.id),
      ),
    ).toHaveLength(rows.length);
  });

  it('when the job runs twice (a retry), then each reservation is matched and notified once', async () => {
    const game = await createGame(t);
    const [seller, a, b] = await insertUsers(t, [{}, {}, {}]);
    await insertReservations(t, [
      { userId: a!, gameId: game.id },
      { userId: b!, gameId: game.id, maxPrice: 900 },
    ]);
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
      price: 400,
    });
    expect(await publish(listing)).toBe(2);
    expect(await publish(listing)).toBe(0);
    const rows = await notificationsOf(t, [a!, b!]);
    expect(rows).toHaveLength(2);
    expect(
      await mailJobsFor(
        t,
        rows.map((r) => r.id),
      ),
    ).toHaveLength(2);
  });

  it('when two reservations of one fan match, then both match but the fan gets one notification', async () => {
    const game = await createGame(t);
    const [seller, fan] = await insertUsers(t, [{}, {}]);
    const ids = await insertReservations(t, [
      { userId: fan!, gameId: game.id },
      { userId: fan!, gameId: game.id, areaIds: [game.areas[0]!.id] },
    ]);
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
    });
    await publish(listing);
    expect([...(await matchedReservationIds(t, listing))].sort()).toEqual([...ids].sort());
    expect(await notificationsOf(t, [fan!])).toHaveLength(1);
  });

  it('when a price cut makes a listing match more reservations, then only the new ones are notified', async () => {
    const game = await createGame(t);
    const [seller, anyPrice, bargain] = await insertUsers(t, [{}, {}, {}]);
    await insertReservations(t, [
      { userId: anyPrice!, gameId: game.id },
      { userId: bargain!, gameId: game.id, maxPrice: 450 },
    ]);
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
      price: 600,
      faceValue: 600,
    });
    expect(await publish(listing)).toBe(1);
    await t.deps.db.updateTable('listings').set({ price: 450 }).where('id', '=', listing).execute();
    expect(await publish(listing)).toBe(1);
    expect(await notificationsOf(t, [anyPrice!])).toHaveLength(1);
    const [cut] = await notificationsOf(t, [bargain!]);
    expect(cut!.body).toContain('NT$450');
  });

  it('when the listing is no longer active, then nobody is notified', async () => {
    const game = await createGame(t);
    const [seller, fan] = await insertUsers(t, [{}, {}]);
    await insertReservations(t, [{ userId: fan!, gameId: game.id }]);
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
      status: 'sold',
    });
    expect(await publish(listing)).toBe(0);
    expect(await publish('0000000000nosuchlisting0000')).toBe(0);
    expect(await notificationsOf(t, [fan!])).toHaveLength(0);
  });

  it('when the game has started by the time the job runs, then nobody is notified and its reservations end', async () => {
    const game = await createGame(t, { startsAt: new Date(clock.now().getTime() + HOUR) });
    const [seller, fan] = await insertUsers(t, [{}, {}]);
    const [reservation] = await insertReservations(t, [{ userId: fan!, gameId: game.id }]);
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
    });
    clock.advance(2 * HOUR);
    try {
      expect(await publish(listing)).toBe(0);
    } finally {
      clock.advance(-2 * HOUR);
    }
    expect(await notificationsOf(t, [fan!])).toHaveLength(0);
    const row = await t.deps.db
      .selectFrom('reservations')
      .select('status')
      .where('id', '=', reservation!)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('ended');
  });

  it('when 2,000 reservations match, then every fan gets one notification in their language and e-mail only if allowed', async () => {
    const game = await createGame(t);
    const specs = Array.from({ length: 2000 }, (_, i) => ({
      locale: i % 3 === 0 ? 'en' : 'zh-TW',
      email_notifications: i % 4 !== 0 ? 1 : 0,
    }));
    const [seller] = await insertUsers(t, [{}]);
    const users = await insertUsers(t, specs);
    await insertReservations(
      t,
      users.map((userId, i) => ({
        userId,
        gameId: game.id,
        areaIds: i % 2 ? [game.areas[0]!.id] : [],
        maxPrice: i % 5 ? null : 1000,
      })),
    );
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
      price: 500,
    });

    expect(await publish(listing)).toBe(2000);

    expect((await matchedReservationIds(t, listing)).size).toBe(2000);
    const rows = await notificationsOf(t, users);
    expect(rows).toHaveLength(2000);
    const localeOf = new Map(users.map((id, i) => [id, specs[i]!.locale]));
    for (const r of rows)
      expect(
        r.title.startsWith(localeOf.get(r.user_id) === 'en' ? 'Tickets available' : '有票了'),
      ).toBe(true);
    const mailAllowed = new Set(users.filter((_, i) => specs[i]!.email_notifications === 1));
    const jobs = await mailJobsFor(
      t,
      rows.map((r) => r.id),
    );
    expect(jobs).toHaveLength(mailAllowed.size);
    const userOf = new Map(rows.map((r) => [r.id, r.user_id]));
    const mailed = new Set(jobs.map((j) => userOf.get(JSON.parse(j.payload).notificationId)));
    expect(mailed).toEqual(mailAllowed);
  });

  it('when a listing fans out to 1,200 reservations, then the statements run are per batch, not per reservation', async () => {
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = t.deps.db.withPlugin(counting);
    const notifications = createNotificationsService({
      db,
      clock,
      live: t.deps.notifications.live,
      mailer: t.deps.mailer,
      publicUrl: t.config.http.publicUrl,
      channels: createChannels({
        db,
        clock,
        publicUrl: t.config.http.publicUrl,
        push: { publicKey: 'unused', send: () => Promise.reject(new Error('no push here')) },
        pushAllowlist: [],
        line: null,
      }),
    });
    const reservations = createReservationsService({
      db,
      clock,
      notifications,
      cached: t.deps.cached,
    });
    const game = await createGame(t);
    const [seller] = await insertUsers(t, [{}]);
    const users = await insertUsers(
      t,
      Array.from({ length: 1200 }, () => ({})),
    );
    await insertReservations(
      t,
      users.map((userId, i) => ({
        userId,
        gameId: game.id,
        areaIds: i % 2 ? [game.areas[0]!.id] : [],
      })),
    );
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
    });
    expect(await reservations.handleListingPublished({ listingId: listing }, jobCtx())).toBe(1200);
    // 2 lookups + per batch of 500: begin/commit-free statements ≈ 8; 3 batches.
    expect(statements).toBeLessThan(40);
  });

  it('when MariaDB picks a fan-out batch as a deadlock victim (fan-outs of one game share e-mail marks), then the batch runs again and every fan is told once', async () => {
    let deadlocks = 0;
    const notifications = {
      ...t.deps.notifications,
      notifyMany: async (...args: Parameters<typeof t.deps.notifications.notifyMany>) => {
        if (deadlocks++ === 0)
          throw Object.assign(new Error('Deadlock found when trying to get lock'), {
            errno: 1213,
          });
        return t.deps.notifications.notifyMany(...args);
      },
    };
    const reservations = createReservationsService({
      db: t.deps.db,
      clock,
      notifications,
      cached: t.deps.cached,
    });
    const game = await createGame(t);
    const [seller] = await insertUsers(t, [{}]);
    const users = await insertUsers(t, [{}, {}, {}]);
    await insertReservations(
      t,
      users.map((userId) => ({ userId, gameId: game.id, areaIds: [] })),
    );
    const listing = await insertListing(t, {
      gameId: game.id,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
    });
    expect(await reservations.handleListingPublished({ listingId: listing }, jobCtx())).toBe(3);
    expect(deadlocks).toBe(2);
    expect(await notificationsOf(t, users)).toHaveLength(3);
  });

  it('when the matching query is planned, then it reads the reservations of one game through reservations_game_idx', async () => {
    const c = matchingReservationsQuery(t.deps.db, {
      id: 'L',
      game_id: 'G',
      seller_id: 'S',
      area_id: 'A',
      quantity: 2,
      remaining: 2,
      split_rule: 'any',
      price: 500,
    }).compile();
    const rows = await queryPlan(t, c);
    if (t.deps.database.dialect === 'mysql') {
      const outer = rows.find((r) => r.table === 'r');
      expect(outer?.key).toBe('reservations_game_idx');
    } else {
      expect(JSON.stringify(rows)).toContain('SEARCH r USING INDEX reservations_game_idx');
    }
  });
});

describe('a new reservation looks back at listings already on sale', () => {
  const lookBack = async (reservationId: string) =>
    t.deps.reservations.handleReservationCreated({ reservationId }, jobCtx());

  it('when matching listings are on sale as a fan reserves, then the fan is told once, about the cheapest match', async () => {
    const fan = await registerUser(t);
    const [seller] = await insertUsers(t, [{}]);
    const game = await createGame(t);
    const [area, otherArea] = [game.areas[0]!.id, game.areas[1]!.id];
    const on = (areaId: string, price: number, quantity = 2, sellerId = seller!) =>
      insertListing(t, { gameId: game.id, areaId, sellerId, price, quantity });
    const dearer = await on(area, 700);
    const cheapest = await on(area, 500);
    await on(otherArea, 300); // an area not asked for
    await on(area, 400, 1); // too few tickets
    await on(area, 200, 2, fan.user.id); // the fan's own
    const res = await reserve(fan.auth, { gameId: game.id, areaIds: [area], quantity: 2 });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as { id: string }).id;
    // The look-back is a job enqueued with the reservation, not work in the request.
    const jobs = await t.deps.db
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'reservation.created')
      .where('payload', '=', JSON.stringify({ reservationId: id }))
      .execute();
    expect(jobs).toHaveLength(1);
    expect(await notificationsOf(t, [fan.user.id])).toHaveLength(0);

    expect(await lookBack(id)).toBe(cheapest);
    const notes = await notificationsOf(t, [fan.user.id]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: 'reservation_match', link: `/listings/${cheapest}` });
    // Once: a retry of the job, or the same listing published again, tells nothing new.
    expect(await lookBack(id)).toBeNull();
    await publish(cheapest);
    expect(await notificationsOf(t, [fan.user.id])).toHaveLength(1);
    expect((await matchedReservationIds(t, cheapest)).has(id)).toBe(true);
    expect((await matchedReservationIds(t, dearer)).has(id)).toBe(false);
  });

  it('when nothing matching is on sale, then the look-back tells nothing and a later listing still does', async () => {
    const fan = await registerUser(t);
    const [seller] = await insertUsers(t, [{}]);
    const game = await createGame(t);
    await insertListing(t, {
      gameId: game.id,
      areaId: game.areas[0]!.id,
      sellerId: seller!,
      price: 900,
    });
    const res = await reserve(fan.auth, { gameId: game.id, maxPrice: 800 });
    const id = (res.json() as { id: string }).id;
    expect(await lookBack(id)).toBeNull();
    expect(await notificationsOf(t, [fan.user.id])).toHaveLength(0);
    const later = await insertListing(t, {
      gameId: game.id,
      areaId: game.areas[0]!.id,
      sellerId: seller!,
      price: 800,
    });
    expect(await publish(later)).toBe(1);
    expect(await notificationsOf(t, [fan.user.id])).toHaveLength(1);
  });
});
