// GET /api/recommendations latency (issue 7) for a fan with 1,000 history events (600 purchases,
// 400 reservations) against 5,000 active listings on 100 upcoming games: sequential requests over
// HTTP from the load generator, p95 (target ≤ 20 ms). The other scenarios fill the benchmark's
// database with tens of thousands of listings, so this one builds a world of its own, as
// server/src/cli/recsys-latency.ts does: a second app on its own SQLite file or MariaDB database
// (same Redis, its own prefix), listening on another port, dropped at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { createDeps, type Deps } from '../../server/src/deps.ts';
import { forgetUserActivity } from '../../server/src/modules/accounts/index.ts';
import { seedCatalog } from '../../server/src/modules/catalog/index.ts';
import { newId } from '../../server/src/shared/ids.ts';
import { newOrderRow } from '../../server/src/modules/orders/index.ts';
import { insertRows } from '../../server/test/factories/fixture.ts';
import { insertGames, insertListings, userRow } from '../fixtures.ts';
import { defineMeasure, sequentialLatency, type Measured } from '../scenario.ts';

const GAMES = 100;
const LISTINGS_PER_GAME = 50;
const PURCHASES = 600;
const RESERVATIONS = 400;

let world: { close(): Promise<void>; deps?: Deps } | null = null;

/** A second app (deps, database, port) with only the catalogue: the recommendations' world. */
async function buildWorld(main: Deps) {
  const cleanups: (() => Promise<void>)[] = [];
  world = {
    async close() {
      for (const fn of cleanups.reverse()) await fn().catch(() => {});
    },
  };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-bench-recs-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (main.config.database.driver === 'mysql') {
    const url = new URL(main.config.database.url);
    const name = `${url.pathname.slice(1)}_recs`;
    url.pathname = '/';
    const admin = await createConnection({ uri: url.toString() });
    await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_bin`);
    cleanups.push(async () => {
      await admin.query(`drop database \`${name}\``);
      await admin.end();
    });
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    RATE_LIMIT: 'off',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    JOBS: 'off',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    DATABASE_URL: databaseUrl,
    REDIS_URL: main.config.redis?.url,
    REDIS_PREFIX: `${main.config.redis?.prefix ?? 'pas:bench:'}recs:`,
  });
  const deps = await createDeps(config);
  world.deps = deps;
  cleanups.push(() => deps.close());
  await deps.database.migrate();
  await seedCatalog(deps.db);
  return {
    deps,
    async listen() {
      const app = await buildApp(deps, { logger: false, webDir: null });
      cleanups.push(() => app.close());
      return app.listen({ host: '127.0.0.1', port: 0 });
    },
  };
}

export default defineMeasure<{
  url: string;
  token: string;
  fanId: string;
  activeListings: number;
}>({
  name: 'recommendations',
  serverTasks: {
    /** As after one of the fan's own writes: their history is read from the database again. */
    async forgetHistory(_main, ctx) {
      await forgetUserActivity(world!.deps!.cached, ctx.fanId);
    },
  },
  async cleanup() {
    await world?.close();
  },
  async setup(main) {
    const own = await buildWorld(main);
    const deps = own.deps;
    const { db, clock } = deps;
    const now = clock.now();
    const iso = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();
    const sellers = Array.from({ length: 100 }, (_, i) =>
      userRow(`Bench Seller ${i}`, now, { rating_sum: 4 * (i % 30), rating_count: i % 30 }),
    );
    const fan = userRow('Bench Fan', now, { favorite_team_id: 'ACN011' });
    await insertRows({ deps }, 'users', [...sellers, fan]);
    const upcoming = await insertGames(deps, GAMES, 1);
    for (const g of upcoming)
      await insertListings(
        deps,
        g,
        sellers.map((s) => s.id),
        LISTINGS_PER_GAME,
      );
    const past = await insertGames(deps, 200, -400, 'final');
    const bought = (
      await Promise.all(
        past.slice(0, 12).map((g) =>
          insertListings(
            deps,
            g,
            sellers.map((s) => s.id),
            PURCHASES / 12,
          ),
        ),
      )
    ).flat();
    await db
      .updateTable('listings')
      .set({ status: 'sold' })
      .where(
        'id',
        'in',
        bought.map((l) => l.id),
      )
      .execute();
    await insertRows(
      { deps },
      'orders',
      bought.map((l, i) => {
        const at = iso(-1 - (i * 360) / PURCHASES);
        const order = {
          listing_id: l.id,
          buyer_id: fan.id,
          seller_id: l.seller_id,
          game_id: l.game_id,
          quantity: l.quantity,
          unit_price: l.price,
          status: 'completed' as const,
          expires_at: at,
          paid_at: at,
          completed_at: at,
        };
        return newOrderRow(order, at);
      }),
    );
    await insertRows(
      { deps },
      'reservations',
      Array.from({ length: RESERVATIONS }, (_, i) => {
        const game = i < 20 ? upcoming[i * 5]! : past[i % past.length]!;
        return {
          id: newId(),
          user_id: fan.id,
          game_id: game.id,
          max_price: 800,
          quantity: 1,
          criteria_key: `bench:${i}`,
          status: i < 20 ? ('active' as const) : ('ended' as const),
          created_at: iso(-1 - (i * 360) / RESERVATIONS),
        };
      }),
    );
    const active = await db
      .selectFrom('listings')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return {
      url: await own.listen(),
      token: (await deps.tokens.issue(fan.id, now)).token,
      fanId: fan.id,
      activeListings: Number(active.n),
    };
  },
  async measure({ ctx, server }): Promise<Measured[]> {
    const url = new URL('/api/recommendations?limit=10', ctx.url);
    const headers = { authorization: `Bearer ${ctx.token}` };
    const send = () => fetch(url, { headers });
    const signedIn = await sequentialLatency(300, 30, send);
    // Every request after the fan's history was forgotten: the three history queries included.
    const cold = await sequentialLatency(300, 30, send, () => server.run('forgetHistory'));
    const listings = `${ctx.activeListings.toLocaleString('en')} active listings`;
    return [
      {
        name: 'recommendations, 1,000 history events (p95)',
        result:
          `p95 ${signedIn.p95.toFixed(1)} ms, p50 ${signedIn.p50.toFixed(1)} ms ` +
          `(${signedIn.n} sequential; ${listings}; history cached)`,
        value: signedIn.p95,
        max: 20,
        unit: 'ms',
      },
      {
        name: 'recommendations, history just forgotten (p95)',
        result:
          `p95 ${cold.p95.toFixed(1)} ms, p50 ${cold.p50.toFixed(1)} ms ` +
          `(${cold.n} sequential, each after the fan's history was invalidated)`,
        value: cold.p95,
        max: 20,
        unit: 'ms',
      },
    ];
  },
});
