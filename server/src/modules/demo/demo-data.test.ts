// Demo data goes only into a database of its own (never the run's shared MariaDB database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import type { TestApp } from '../../../test/build-test-app.ts';
import type { GameSummary } from '../../../../shared/contracts/catalog.ts';
import { hashPassword, totpCode } from '../accounts/index.ts';
import {
  addDays,
  daysBetween,
  DAY,
  fromTaipei,
  manualClock,
  taipeiDate,
} from '../../shared/clock.ts';
import {
  DEMO_ACCOUNTS,
  DEMO_ADMIN_TOTP_SECRET,
  DEMO_PASSWORD,
  loadDemoData,
  type DemoReport,
} from './index.ts';
import { noteFits } from './demo-data.ts';

const NOW = new Date('2026-11-25T04:00:00.000Z'); // 12:00 in Taipei
const clock = manualClock(NOW);
const nowIso = NOW.toISOString();
const today = taipeiDate(NOW);

let t: TestApp;
let report: DemoReport | null;
const load = (app: TestApp) =>
  loadDemoData({ db: app.deps.db, clock, hashPassword, platformFeePercent: 0 });

beforeAll(async () => {
  t = await buildPrivateTestApp({ clock });
  report = await load(t);
});
afterAll(async () => t?.close());

const count = async (table: 'games' | 'users' | 'listings' | 'orders' | 'reviews') =>
  Number(
    (
      await t.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('demo data', () => {
  it('when listings are made up, then their notes and sections agree with them (issue 21 item 9)', async () => {
    const rows = await t.deps.db
      .selectFrom('listings')
      .innerJoin('seat_areas', 'seat_areas.id', 'listings.area_id')
      .select([
        'listings.note',
        'listings.quantity',
        'listings.delivery_method',
        'listings.section',
        'seat_areas.name as area',
      ])
      .execute();
    const wrongNotes = rows.filter((r) => !noteFits(r.note, r.quantity, r.delivery_method));
    expect(wrongNotes).toEqual([]);
    const ranged = rows.filter((r) => /\([A-Z]\d+-[A-Z]?\d+\)/.test(r.area));
    expect(ranged.length).toBeGreaterThan(0);
    const outside = ranged.filter((r) => {
      const [, letter, lo, hi] = /\(([A-Z])(\d+)-[A-Z]?(\d+)\)/.exec(r.area)!;
      const n = Number(r.section.slice(1));
      return r.section[0] !== letter || n < Number(lo) || n > Number(hi);
    });
    expect(outside).toEqual([]);
  });

  it('when an empty database starts with demo data, then the season, people and market are loaded', () => {
    expect(report).toMatchObject({
      games: 360,
      users: 23,
      activeListings: 300,
    });
    expect(report!.orders).toBeGreaterThan(40);
    expect(report!.reviews).toBeGreaterThan(20);
    expect(report!.reservations).toBeGreaterThan(10);
  });

  it('when it is loaded again (a restart), then nothing is duplicated', async () => {
    const before = await Promise.all(
      (['games', 'users', 'listings', 'orders', 'reviews'] as const).map(count),
    );
    expect(await load(t)).toBeNull();
    const after = await Promise.all(
      (['games', 'users', 'listings', 'orders', 'reviews'] as const).map(count),
    );
    expect(after).toEqual(before);
  });

  it('when the season is shifted, then it starts about a week ago and keeps weekdays and local times', async () => {
    const games = await t.deps.db.selectFrom('games').selectAll().orderBy('starts_at').execute();
    expect(games.every((g) => g.is_demo === 1)).toBe(true);
    const first = games[0]!;
    const daysAgo = daysBetween(first.local_date, today);
    expect(daysAgo).toBeGreaterThanOrEqual(5);
    expect(daysAgo).toBeLessThanOrEqual(11);
    expect(
      games[games.length - 1]!.starts_at > new Date(NOW.getTime() + 120 * DAY).toISOString(),
    ).toBe(true);
    // Game 1 was Saturday 2026-03-28 at 17:06 Taipei time.
    const g1 = games.find((g) => g.game_no === 1)!;
    expect(new Date(`${g1.local_date}T00:00:00Z`).getUTCDay()).toBe(6);
    expect(g1.starts_at).toBe(fromTaipei(g1.local_date, '17:06').toISOString());
    expect(games.filter((g) => g.status === 'postponed')).toHaveLength(6);
    for (const g of games) {
      if (g.status === 'postponed') continue;
      expect(g.status).toBe(g.starts_at <= nowIso ? 'final' : 'scheduled');
    }
  });

  it('when the calendar is opened, then the next 30 days hold at least 20 scheduled demo games', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/games?from=${today}&to=${addDays(today, 30)}`,
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as GameSummary[];
    const scheduled = items.filter((g) => g.status === 'scheduled' && g.isDemo);
    expect(scheduled.length).toBeGreaterThanOrEqual(20);
    expect(items.filter((g) => g.listingCount > 0).length).toBeGreaterThan(10);
    const meta = (await t.app.inject({ method: 'GET', url: '/api/meta' })).json();
    expect(meta).toMatchObject({ demo: true, today });
    expect(meta.demoNotice).toMatch(/示範|Demo/);
  });

  it('when the catalogue is read, then 6 teams and 11 stadiums with areas are there', async () => {
    const teams = (await t.app.inject({ method: 'GET', url: '/api/teams' })).json().items;
    expect(teams).toHaveLength(6);
    const stadiums = (await t.app.inject({ method: 'GET', url: '/api/stadiums' })).json().items as {
      areas: unknown[];
    }[];
    expect(stadiums).toHaveLength(11);
    expect(stadiums.every((s) => s.areas.length > 0)).toBe(true);
  });

  it('when the active listings are checked, then each is on an upcoming game, within its area range and at most face value', async () => {
    const rows = await t.deps.db
      .selectFrom('listings')
      .innerJoin('seat_areas', 'seat_areas.id', 'listings.area_id')
      .innerJoin('games', 'games.id', 'listings.game_id')
      .select([
        'listings.price',
        'listings.face_value',
        'listings.quantity',
        'listings.seller_id',
        'seat_areas.face_value_min',
        'seat_areas.face_value_max',
        'seat_areas.stadium_id as area_stadium',
        'games.stadium_id as game_stadium',
        'games.starts_at',
        'games.status',
      ])
      .where('listings.status', '=', 'active')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(250);
    expect(rows.length).toBeLessThanOrEqual(350);
    const horizon = new Date(NOW.getTime() + 61 * DAY).toISOString();
    for (const l of rows) {
      expect(l.price).toBeLessThanOrEqual(l.face_value);
      expect(l.face_value).toBeGreaterThanOrEqual(l.face_value_min);
      expect(l.face_value).toBeLessThanOrEqual(l.face_value_max);
      expect(l.price).toBeGreaterThanOrEqual(l.face_value_min);
      expect(l.area_stadium).toBe(l.game_stadium);
      expect(l.starts_at > nowIso && l.starts_at <= horizon).toBe(true);
      expect(l.status).toBe('scheduled');
    }
    expect(rows.filter((l) => l.quantity > 1).length).toBeGreaterThan(30);
    expect(new Set(rows.map((l) => l.seller_id)).size).toBeGreaterThanOrEqual(15);
  });

  it('when sellers are rated, then their counters agree with their reviews and completed orders', async () => {
    const reviews = await t.deps.db.selectFrom('reviews').selectAll().execute();
    expect(reviews.every((r) => r.rating >= 3 && r.rating <= 5)).toBe(true);
    const completed = await t.deps.db
      .selectFrom('orders')
      .select(['seller_id', 'completed_at'])
      .where('status', '=', 'completed')
      .execute();
    expect(completed.every((o) => o.completed_at! < nowIso)).toBe(true);
    const users = await t.deps.db.selectFrom('users').selectAll().execute();
    for (const u of users) {
      const mine = reviews.filter((r) => r.seller_id === u.id);
      expect(u.rating_count).toBe(mine.length);
      expect(u.rating_sum).toBe(mine.reduce((s, r) => s + r.rating, 0));
      expect(u.completed_sales).toBe(completed.filter((o) => o.seller_id === u.id).length);
    }
  });

  it('when trending looks at the last 7 days, then a few paid orders of upcoming games are there', async () => {
    const weekAgo = new Date(NOW.getTime() - 7 * DAY).toISOString();
    const recent = await t.deps.db
      .selectFrom('orders')
      .innerJoin('games', 'games.id', 'orders.game_id')
      .innerJoin('listings', 'listings.id', 'orders.listing_id')
      .select([
        'orders.status',
        'orders.amount',
        'orders.unit_price',
        'orders.quantity',
        'listings.status as listing_status',
      ])
      .where('orders.paid_at', '>=', weekAgo)
      .where('games.starts_at', '>', nowIso)
      .execute();
    expect(recent.length).toBeGreaterThanOrEqual(5);
    for (const o of recent) {
      expect(['paid', 'delivered']).toContain(o.status);
      expect(o.amount).toBe(o.unit_price * o.quantity);
      expect(o.listing_status).toBe('sold');
    }
  });

  it('when the demo accounts sign in with the documented password (the admin with a code of the documented secret), then they get in, verified', async () => {
    for (const account of DEMO_ACCOUNTS) {
      let res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: account.email, password: DEMO_PASSWORD },
      });
      if (account.role === 'admin') {
        expect(res.statusCode).toBe(401);
        res = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login/totp',
          payload: {
            challenge: res.json().error.details.challenge,
            code: totpCode(DEMO_ADMIN_TOTP_SECRET, t.deps.clock.now()),
          },
        });
        const admin = await t.app.inject({
          method: 'GET',
          url: '/api/admin/orders',
          headers: { authorization: `Bearer ${res.json().token}` },
        });
        expect(admin.statusCode).toBe(200);
      }
      expect(res.statusCode).toBe(200);
      expect(res.json().user.role).toBe(account.role);
      expect(res.json().user.emailVerified).toBe(true);
    }
    const fan = await t.deps.db
      .selectFrom('users')
      .select('id')
      .where('email_normalized', '=', 'fan@demo.pitchaseat.tw')
      .executeTakeFirstOrThrow();
    const reservations = await t.deps.db
      .selectFrom('reservations')
      .select('id')
      .where('user_id', '=', fan.id)
      .execute();
    expect(reservations.length).toBeGreaterThanOrEqual(3);
  });

  it('when it is loaded twice at the same moment into two databases, then the data is the same', async () => {
    const other = await buildPrivateTestApp({ clock });
    try {
      await load(other);
      const snapshot = (app: TestApp) =>
        app.deps.db
          .selectFrom('listings')
          .innerJoin('games', 'games.id', 'listings.game_id')
          .select([
            'listings.id',
            'games.game_no',
            'listings.price',
            'listings.quantity',
            'listings.status',
          ])
          .orderBy('listings.id')
          .execute();
      expect(await snapshot(other)).toEqual(await snapshot(t));
    } finally {
      await other.close();
    }
  });
});
