import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  insertListing as insertFactoryListing,
  insertRows,
  registerUser,
} from '../../../test/factories/index.ts';
import type { GameDetail, GameSummary } from '../../../../shared/contracts/catalog.ts';
import type { ListingStatus } from '../../platform/db/schema.ts';
import { DAY, HOUR, addDays, fromTaipei, manualClock, taipeiDate } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import { findGameSummaries, findGameSummary, GAMES_CACHE_NAMESPACE, newGameRow } from './index.ts';

// Now, for every test in this file: 2031-06-10 12:00 in Taipei.
const NOW = new Date('2031-06-10T04:00:00.000Z');
const clock = manualClock(NOW);

let t: TestApp;
let sellerId: string;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  sellerId = (await registerUser(t)).user.id;
});
afterAll(async () => t.close());

const errorOf = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string; details?: unknown } }).error;

/** A unique season per game: (year, kind, game_no) never collides with other tests' games. */
let gameCounter = 0;
const testYear = 3000 + Math.floor(Math.random() * 6000);

async function insertGame(opts: {
  localDate: string;
  localTime?: string;
  home?: string;
  away?: string;
  stadium?: string;
  status?: 'scheduled' | 'final' | 'postponed';
}) {
  const stadium = await t.deps.db
    .selectFrom('stadiums')
    .select('id')
    .where('abbe', '=', opts.stadium ?? '洲際')
    .executeTakeFirstOrThrow();
  const row = newGameRow(
    {
      year: testYear,
      kind: 'A',
      game_no: ++gameCounter,
      home_team_id: opts.home ?? 'ACN011',
      away_team_id: opts.away ?? 'AJL011',
      stadium_id: stadium.id,
      starts_at: fromTaipei(opts.localDate, opts.localTime ?? '18:35').toISOString(),
      local_date: opts.localDate,
      status: opts.status ?? 'scheduled',
    },
    NOW.toISOString(),
  );
  await insertRows(t, 'games', [row]);
  return row.id;
}

async function areaOf(gameId: string) {
  return t.deps.db
    .selectFrom('games')
    .innerJoin('seat_areas', 'seat_areas.stadium_id', 'games.stadium_id')
    .select(['seat_areas.id', 'seat_areas.face_value_max'])
    .where('games.id', '=', gameId)
    .orderBy('seat_areas.sort_order')
    .executeTakeFirstOrThrow();
}

async function insertListing(gameId: string, price: number, status: ListingStatus = 'active') {
  const area = await areaOf(gameId);
  await insertFactoryListing(t, {
    gameId,
    sellerId,
    areaId: area.id,
    price,
    faceValue: Math.max(price, area.face_value_max),
    status,
    createdAt: NOW,
  });
}

const today = taipeiDate(NOW);
const inDays = (n: number) => addDays(today, n);

async function listGames(query: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/games?${query}` });
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: GameSummary[] }).items;
}

describe('catalogue: teams and stadiums', () => {
  it('when the teams are asked for, then the six clubs come with code, names and colour', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/teams' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string }[];
    expect(items.map((i) => i.id).sort()).toEqual(
      ['AAA011', 'ACN011', 'ADD011', 'AEO011', 'AJL011', 'AKP011'].sort(),
    );
    expect(items.find((i) => i.id === 'ACN011')).toEqual({
      id: 'ACN011',
      code: 'ACN011',
      name: '中信兄弟',
      nameEn: 'CTBC Brothers',
      shortName: '兄弟',
      color: '#F5C400',
    });
  });

  it('when the stadiums are asked for, then all eleven come with their seat areas and price ranges', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/stadiums' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      abbe: string;
      capacity: number | null;
      areas: { faceValueMin: number; faceValueMax: number; tier: string; code: string }[];
    }[];
    expect(items).toHaveLength(11);
    for (const s of items) {
      expect(s.areas.length).toBeGreaterThan(0);
      for (const a of s.areas) expect(a.faceValueMin).toBeLessThanOrEqual(a.faceValueMax);
    }
    const dome = items.find((s) => s.abbe === '大巨蛋')!;
    expect(dome).toMatchObject({ name: '臺北大巨蛋', nameEn: 'Taipei Dome', capacity: 40071 });
    expect(dome.areas[0]).toMatchObject({
      code: 'B1-HOT',
      name: '內野B1熱區',
      tier: 'premium',
      faceValueMin: 1100,
      faceValueMax: 2900,
    });
    expect(items.find((s) => s.abbe === '台東')!.capacity).toBeNull();
  });
});

describe('catalogue: games of a date range', () => {
  it('when games lie in the range, then they come sorted by start with teams, stadium and no listings', async () => {
    const late = await insertGame({ localDate: inDays(3), localTime: '18:35' });
    const early = await insertGame({
      localDate: inDays(3),
      localTime: '17:05',
      home: 'AEO011',
      away: 'AAA011',
      stadium: '新莊',
    });
    const outside = await insertGame({ localDate: inDays(5) });
    const items = await listGames(`from=${inDays(2)}&to=${inDays(4)}`);
    const mine = items.filter((g) => [late, early, outside].includes(g.id));
    expect(mine.map((g) => g.id)).toEqual([early, late]);
    const starts = items.map((g) => g.startsAt);
    expect(starts).toEqual([...starts].sort());
    expect(mine[0]).toEqual({
      id: early,
      year: testYear,
      kind: 'A',
      gameNo: expect.any(Number),
      startsAt: fromTaipei(inDays(3), '17:05').toISOString(),
      localDate: inDays(3),
      status: 'scheduled',
      homeTeam: {
        id: 'AEO011',
        code: 'AEO011',
        name: '富邦悍將',
        nameEn: 'Fubon Guardians',
        shortName: '富邦',
        color: '#2A4B9B',
      },
      awayTeam: expect.objectContaining({ id: 'AAA011', shortName: '味全' }),
      stadium: {
        id: expect.any(String),
        abbe: '新莊',
        name: '新北市立新莊棒球場',
        nameEn: expect.any(String),
        city: expect.any(String),
      },
      listingCount: 0,
      minPrice: null,
      onSale: true,
      isDemo: false,
    });
  });

  it('when a game starts at 00:30 in Taipei, then its localDate is the Taipei date, not the UTC one', async () => {
    const id = await insertGame({ localDate: '2026-05-05', localTime: '00:30' });
    const onFifth = await listGames('from=2026-05-05&to=2026-05-05');
    const game = onFifth.find((g) => g.id === id)!;
    expect(game.startsAt).toBe('2026-05-04T16:30:00.000Z');
    expect(game.localDate).toBe('2026-05-05');
    const onFourth = await listGames('from=2026-05-04&to=2026-05-04');
    expect(onFourth.some((g) => g.id === id)).toBe(false);
  });

  it('when a team is given, then only games it plays at home or away come back', async () => {
    const home = await insertGame({ localDate: inDays(10), home: 'AKP011', away: 'ADD011' });
    const away = await insertGame({ localDate: inDays(11), home: 'AJL011', away: 'AKP011' });
    const other = await insertGame({ localDate: inDays(11), home: 'ACN011', away: 'AEO011' });
    const items = await listGames(`from=${inDays(10)}&to=${inDays(11)}&teamId=AKP011`);
    const ids = items.map((g) => g.id);
    expect(ids).toContain(home);
    expect(ids).toContain(away);
    expect(ids).not.toContain(other);
    for (const g of items) expect([g.homeTeam.id, g.awayTeam.id]).toContain('AKP011');
  });

  it('when a game has active and other listings, then listingCount and minPrice count only the active ones', async () => {
    const game = await insertGame({ localDate: inDays(20) });
    const empty = await insertGame({ localDate: inDays(20), home: 'AAA011', away: 'ADD011' });
    await insertListing(game, 480);
    await insertListing(game, 350);
    await insertListing(game, 600);
    await insertListing(game, 100, 'sold');
    await insertListing(game, 120, 'cancelled');
    await insertListing(game, 130, 'held');
    const items = await listGames(`from=${inDays(20)}&to=${inDays(20)}`);
    expect(items.find((g) => g.id === game)).toMatchObject({ listingCount: 3, minPrice: 350 });
    expect(items.find((g) => g.id === empty)).toMatchObject({ listingCount: 0, minPrice: null });
  });

  it('when a game has started, then its active listings are not counted', async () => {
    const started = await insertGame({ localDate: today, localTime: '11:00' });
    await insertListing(started, 300);
    const items = await listGames(`from=${today}&to=${today}`);
    expect(items.find((g) => g.id === started)).toMatchObject({ listingCount: 0, minPrice: null });
  });

  it('when listings change and the games namespace is invalidated, then the cached calendar is refreshed', async () => {
    const game = await insertGame({ localDate: inDays(30) });
    const query = `from=${inDays(30)}&to=${inDays(30)}`;
    expect((await listGames(query)).find((g) => g.id === game)?.listingCount).toBe(0);
    await insertListing(game, 400);
    // Still the cached answer: listing writes are expected to invalidate the namespace.
    expect((await listGames(query)).find((g) => g.id === game)?.listingCount).toBe(0);
    await t.deps.cached.invalidate(GAMES_CACHE_NAMESPACE);
    expect((await listGames(query)).find((g) => g.id === game)).toMatchObject({
      listingCount: 1,
      minPrice: 400,
    });
  });

  it('when the range is exactly 62 days, then it is answered', async () => {
    await listGames(`from=${inDays(0)}&to=${inDays(62)}`);
  });

  it.each([
    ['the range is longer than 62 days', `from=${inDays(0)}&to=${inDays(63)}`],
    ['from is after to', `from=${inDays(5)}&to=${inDays(4)}`],
    ['a date is not a calendar date', 'from=2031-02-30&to=2031-03-01'],
    ['a date is malformed', 'from=June&to=2031-06-30'],
    ['from is missing', 'to=2031-06-30'],
    ['the team id is malformed', `from=${inDays(0)}&to=${inDays(1)}&teamId=${'%27%3B--'}`],
  ])('when %s, then 400 VALIDATION_FAILED', async (_what, query) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/games?${query}` });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(expect.any(Array));
  });

  it('when the team is unknown, then no games come back', async () => {
    expect(await listGames(`from=${inDays(0)}&to=${inDays(40)}&teamId=NOPE01`)).toEqual([]);
  });
});

describe('catalogue: one game', () => {
  it('when a game exists, then it comes with its listing summary and its stadium areas', async () => {
    const id = await insertGame({ localDate: inDays(7), stadium: '大巨蛋', home: 'AJL011' });
    await insertListing(id, 900);
    await t.deps.cached.invalidate(GAMES_CACHE_NAMESPACE);
    const res = await t.app.inject({ method: 'GET', url: `/api/games/${id}` });
    expect(res.statusCode).toBe(200);
    const game = res.json() as GameDetail;
    expect(game).toMatchObject({
      id,
      localDate: inDays(7),
      stadium: { abbe: '大巨蛋' },
      listingCount: 1,
      minPrice: 900,
      isDemo: false,
    });
    expect(game.areas.map((a) => a.code)).toEqual([
      'B1-HOT',
      'B1',
      'BHP',
      'L2',
      'L3',
      'L5',
      'OF',
      'VIP',
    ]);
  });

  it('when the game does not exist, then 404 NOT_FOUND', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/games/${newId()}` });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });

  it('when the id is malformed, then 400 VALIDATION_FAILED', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/games/%20or%201=1' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('VALIDATION_FAILED');
  });

  it('when other modules ask for game summaries, then they get the same shape in two queries', async () => {
    const a = await insertGame({ localDate: inDays(12) });
    const b = await insertGame({ localDate: inDays(13) });
    await insertListing(b, 250);
    const one = await findGameSummary(t.deps.db, b, clock.now());
    expect(one).toMatchObject({ id: b, listingCount: 1, minPrice: 250 });
    expect(await findGameSummary(t.deps.db, newId(), clock.now())).toBeUndefined();
    const many = await findGameSummaries(t.deps.db, [a, b, a], clock.now());
    expect([...many.keys()].sort()).toEqual([a, b].sort());
    expect(many.get(a)).toMatchObject({ listingCount: 0, minPrice: null });
  });
});

describe('meta', () => {
  it('when the site is asked about itself, then it tells today in Taipei, the version and no demo', async () => {
    const local = manualClock(new Date('2026-05-04T16:30:00.000Z'));
    const t2 = await buildTestApp({ clock: local });
    try {
      const res = await t2.app.inject({ method: 'GET', url: '/api/meta' });
      expect(res.statusCode).toBe(200);
      const meta = res.json();
      expect(meta.today).toBe('2026-05-05');
      expect(meta.version).toMatch(/^\d+\.\d+\.\d+/);
      if (
        !(await t2.deps.db
          .selectFrom('games')
          .select('id')
          .where('is_demo', '=', 1)
          .executeTakeFirst())
      )
        expect(meta).toMatchObject({ demo: false, demoNotice: null });
      local.advance(DAY - HOUR);
      const later = await t2.app.inject({ method: 'GET', url: '/api/meta' });
      expect(later.json().today).toBe('2026-05-05');
      local.advance(HOUR);
      expect((await t2.app.inject({ method: 'GET', url: '/api/meta' })).json().today).toBe(
        '2026-05-06',
      );
    } finally {
      await t2.close();
    }
  });
});
