// node server/src/cli/recsys-latency.ts [--mysql mysql://root@127.0.0.1:3306] [--requests 500]
// Recommendation latency for a signed-in user with 1,000 history events (600 purchases, 400
// reservations) against 5,000 active listings, through the whole app (app.inject): p50/p95/p99
// per A/B arm and signed out. Builds a throwaway database (a temporary SQLite file, or a new
// MariaDB database dropped afterwards) and never touches the configured one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createDeps } from '../deps.ts';
import { seedCatalog } from '../modules/catalog/index.ts';
import { assignArm } from '../modules/recommendations/index.ts';
import { createDatabase } from '../platform/db/database.ts';
import type { DB } from '../platform/db/schema.ts';
import { DAY, HOUR, taipeiDate } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { runCli, say, UsageError } from './cli.ts';

const LISTINGS = 5000;
const GAMES = 300;
const PURCHASES = 600;
const RESERVATIONS = 400;

function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

await runCli(
  'usage: node server/src/cli/recsys-latency.ts [--mysql URL] [--requests N]',
  async () => {
    let values: { mysql?: string; requests?: string };
    try {
      ({ values } = parseArgs({
        options: { mysql: { type: 'string' }, requests: { type: 'string' } },
      }));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const requests = Number(values.requests ?? 500);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-recsys-latency-'));
    const mysqlBase = values.mysql?.replace(/\/$/, '');
    const dbName = `pas_recsys_latency_${process.pid}`;
    if (mysqlBase) {
      const admin = createDatabase({ driver: 'mysql', url: mysqlBase });
      await sql`create database ${sql.id(dbName)} character set utf8mb4 collate utf8mb4_bin`.execute(
        admin.db,
      );
      await admin.destroy();
    }
    const config = loadConfig({
      DATA_DIR: dataDir,
      JWT_SECRET: 'latency-secret-that-is-long-enough-0123456789',
      RATE_LIMIT: 'off',
      DEMO_DATA: 'false',
      JOBS: 'off',
      LOG_LEVEL: 'silent',
      ...(mysqlBase ? { DATABASE_URL: `${mysqlBase}/${dbName}` } : {}),
    });
    const deps = await createDeps(config);
    try {
      await deps.database.migrate();
      await seedCatalog(deps.db);
      const db = deps.db;
      const random = seeded(42);
      const now = new Date();
      const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
      const teams = await db.selectFrom('teams').select(['id', 'home_stadium_abbe']).execute();
      const stadiums = await db.selectFrom('stadiums').select(['id', 'abbe']).execute();
      const areas = await db
        .selectFrom('seat_areas')
        .select(['id', 'stadium_id', 'face_value_min', 'face_value_max'])
        .execute();
      const stadiumOf = new Map(stadiums.map((s) => [s.abbe, s.id]));
      const areasOf = (stadiumId: string) => areas.filter((a) => a.stadium_id === stadiumId);

      async function insertMany<T extends keyof DB>(table: T, rows: DB[T][]) {
        for (let i = 0; i < rows.length; i += 500)
          await db
            .insertInto(table)
            .values(rows.slice(i, i + 500) as never)
            .execute();
      }
      const user = (name: string, favorite: string | null, ratingCount = 0) => ({
        id: newId(),
        email: `${name}-${newId()}@latency.test`,
        email_normalized: `${name}-${newId()}@latency.test`,
        password_hash: '!',
        name,
        favorite_team_id: favorite,
        locale: 'zh-TW',
        email_notifications: 1,
        role: 'user' as const,
        status: 'active' as const,
        payout_bank_code: null,
        payout_branch_code: null,
        payout_account: null,
        payout_account_name: null,
        rating_sum: Math.round(ratingCount * (3.5 + random() * 1.5)),
        rating_count: ratingCount,
        completed_sales: 0,
        email_verified_at: iso(-400 * DAY),
        created_at: iso(-400 * DAY),
        updated_at: iso(-400 * DAY),
      });
      const sellers = Array.from({ length: 200 }, (_, i) =>
        user(`seller${i}`, null, Math.floor(random() * 40)),
      );
      const buyers = Array.from({ length: 300 }, (_, i) => user(`buyer${i}`, teams[i % 6]!.id));
      await insertMany('users', [...sellers, ...buyers]);

      const game = (startsAt: number, i: number) => {
        const home = teams[Math.floor(random() * 6)]!;
        let away = teams[Math.floor(random() * 6)]!;
        if (away.id === home.id) away = teams[(teams.indexOf(home) + 1) % 6]!;
        const starts = new Date(startsAt);
        return {
          id: newId(),
          year: starts.getUTCFullYear(),
          kind: 'A',
          game_no: 900_000 + i,
          home_team_id: home.id,
          away_team_id: away.id,
          stadium_id: stadiumOf.get(home.home_stadium_abbe!)!,
          starts_at: starts.toISOString(),
          local_date: taipeiDate(starts),
          status: startsAt > now.getTime() ? ('scheduled' as const) : ('final' as const),
          makeup_starts_at: null,
          is_demo: 0,
          created_at: iso(-400 * DAY),
          updated_at: iso(-400 * DAY),
        };
      };
      const upcoming = Array.from({ length: GAMES }, (_, i) =>
        game(now.getTime() + (2 * HOUR + (i * 60 * DAY) / GAMES), i),
      );
      const past = Array.from({ length: 400 }, (_, i) =>
        game(now.getTime() - (1 + (i * 360) / 400) * DAY, GAMES + i),
      );
      await insertMany('games', [...upcoming, ...past]);

      const listing = (
        g: (typeof upcoming)[number],
        status: 'active' | 'sold',
        sellerId: string,
      ) => {
        const area = areasOf(g.stadium_id)[Math.floor(random() * areasOf(g.stadium_id).length)]!;
        const face =
          area.face_value_min + Math.floor(random() * (area.face_value_max - area.face_value_min));
        const quantity = 1 + Math.floor(random() * 4);
        return {
          id: newId(),
          game_id: g.id,
          seller_id: sellerId,
          area_id: area.id,
          section: '1',
          row_label: null,
          seats: null,
          quantity,
          remaining: status === 'active' ? quantity : 0,
          held: 0,
          split_rule: 'any' as const,
          price: Math.max(1, Math.floor(face * (0.7 + random() * 0.3))),
          face_value: face,
          delivery_method: 'eticket_transfer' as const,
          note: null,
          status,
          cover_thumb_key: null,
          created_at: iso(-3 * DAY),
          updated_at: iso(-3 * DAY),
        };
      };
      const active = Array.from({ length: LISTINGS }, (_, i) =>
        listing(upcoming[i % GAMES]!, 'active', sellers[Math.floor(random() * sellers.length)]!.id),
      );
      await insertMany('listings', active);

      const order = (l: ReturnType<typeof listing>, buyerId: string, paidAt: number) => ({
        id: newId(),
        listing_id: l.id,
        buyer_id: buyerId,
        seller_id: l.seller_id,
        game_id: l.game_id,
        quantity: l.quantity,
        unit_price: l.price,
        amount: l.price * l.quantity,
        status: 'completed' as const,
        idempotency_key: null,
        expires_at: iso(paidAt - now.getTime()),
        paid_at: iso(paidAt - now.getTime()),
        deliver_by: null,
        delivered_at: null,
        delivery_note: null,
        completed_at: null,
        dispute_reason: null,
        dispute_code: null,
        hold_ip: null,
        created_at: iso(paidAt - now.getTime()),
        updated_at: iso(paidAt - now.getTime()),
      });

      // Background demand: 3,000 recent sales of upcoming games by other fans.
      const soldLater = Array.from({ length: 3000 }, () =>
        listing(
          upcoming[Math.floor(random() * GAMES)]!,
          'sold',
          sellers[Math.floor(random() * 200)]!.id,
        ),
      );
      await insertMany('listings', soldLater);
      await insertMany(
        'orders',
        soldLater.map((l) =>
          order(
            l,
            buyers[Math.floor(random() * buyers.length)]!.id,
            now.getTime() - random() * 7 * DAY,
          ),
        ),
      );

      // The fan: 600 purchases and 400 reservations over the last year (two fans, one per arm).
      const fans: { id: string; token: string; arm: string }[] = [];
      while (fans.length < 2) {
        const fan = user(`fan${fans.length}`, 'ACN011');
        const arm = assignArm(fan.id);
        if (fans.some((f) => f.arm === arm)) continue;
        await insertMany('users', [fan]);
        const bought = Array.from({ length: PURCHASES }, (_, i) =>
          listing(past[i % past.length]!, 'sold', sellers[Math.floor(random() * 200)]!.id),
        );
        await insertMany('listings', bought);
        await insertMany(
          'orders',
          bought.map((l, i) => order(l, fan.id, now.getTime() - (1 + (i * 360) / PURCHASES) * DAY)),
        );
        const reservations = Array.from({ length: RESERVATIONS }, (_, i) => {
          const g = i < 20 ? upcoming[i * 7]! : past[i % past.length]!;
          const id = newId();
          return {
            id,
            user_id: fan.id,
            game_id: g.id,
            max_price: 800,
            quantity: 1,
            criteria_key: id,
            status: i < 20 ? ('active' as const) : ('ended' as const),
            created_at: iso(-(1 + (i * 360) / RESERVATIONS) * DAY),
          };
        });
        await insertMany('reservations', reservations);
        await insertMany(
          'reservation_areas',
          reservations.slice(0, 100).map((r) => ({ reservation_id: r.id, area_id: areas[0]!.id })),
        );
        const { token } = await deps.tokens.issue(fan.id, now);
        fans.push({ id: fan.id, token, arm });
      }

      const app = await buildApp(deps, { webDir: null });
      await app.ready();
      async function measure(label: string, headers: Record<string, string>) {
        const times: number[] = [];
        let items = 0;
        for (let i = 0; i < requests + 50; i++) {
          const started = performance.now();
          const res = await app.inject({
            method: 'GET',
            url: '/api/recommendations?limit=10',
            headers,
          });
          const ms = performance.now() - started;
          if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body}`);
          items = (res.json() as { items: unknown[] }).items.length;
          if (i >= 50) times.push(ms);
        }
        times.sort((a, b) => a - b);
        say(
          `${label.padEnd(34)} p50 ${percentile(times, 0.5).toFixed(2).padStart(6)} ms  p95 ${percentile(times, 0.95).toFixed(2).padStart(6)} ms  p99 ${percentile(times, 0.99).toFixed(2).padStart(6)} ms  (${items} items)`,
        );
      }
      say(
        `${config.database.driver}: ${LISTINGS} active listings of ${GAMES} upcoming games; fan history ${PURCHASES} purchases + ${RESERVATIONS} reservations; ${requests} requests each after 50 warm-up`,
      );
      for (const fan of fans)
        await measure(`signed in, arm ${fan.arm}`, { authorization: `Bearer ${fan.token}` });
      await measure('signed out (cold start)', {});
      await app.close();
    } finally {
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (mysqlBase) {
        const admin = createDatabase({ driver: 'mysql', url: mysqlBase });
        await sql`drop database if exists ${sql.id(dbName)}`.execute(admin.db);
        await admin.destroy();
      }
    }
  },
);
