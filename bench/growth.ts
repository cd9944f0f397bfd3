// `npm run bench -- --growth`: the cost of growth. One world grown in three stages, and at each
// stage the hot routes and the reservation fan-out measured in-process (app.inject, no network,
// no load generator), each read as a cache miss (its cache namespace invalidated before every
// request: what the database does) and the cached routes also as hits:
//
//   stage   listings (all games)   reservations on one game   users
//   1k            1,000                     1,000               10,000
//   10k          10,000                    10,000               10,000
//   100k        100,000                    50,000              100,000
//
// A probe game keeps 200 active listings at every stage and the month's calendar its games, so a
// route that reads "a game" should not notice the rest of the table growing; the fan-out writes one
// notification (and one e-mail job) per reservation, so its total grows with them and its cost
// per notification should not. Options: --db sqlite|mysql (BENCH_DB; MariaDB + Redis, a database
// of its own), --samples 25, --write (docs/PERFORMANCE.md). Bounded: GROWTH_LIMIT_S (900 s).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { buildApp } from '../server/src/app.ts';
import { describeDrivers, loadConfig } from '../server/src/config.ts';
import { createDeps, type Deps } from '../server/src/deps.ts';
import { GAMES_CACHE_NAMESPACE, seedCatalog } from '../server/src/modules/catalog/index.ts';
import {
  gameListingsCacheNamespace,
  listingCacheNamespace,
} from '../server/src/modules/listings/index.ts';
import { STATS_NAMESPACE, TRENDING_NAMESPACE } from '../server/src/modules/trending/index.ts';
import type { DB } from '../server/src/platform/db/schema.ts';
import { newId } from '../server/src/shared/ids.ts';
import { ensureGames, insertGames, listingRow, monthRange, userRow } from './fixtures.ts';
import { insertRows } from '../server/test/factories/fixture.ts';
import { clearRedisPrefix } from './redis.ts';
import { loadAverage, writePerformanceDoc } from './report.ts';

const LIMIT_S = Number(process.env.GROWTH_LIMIT_S ?? 900);
const STAGES = [
  { name: '1k', listings: 1_000, reservations: 1_000, users: 10_000 },
  { name: '10k', listings: 10_000, reservations: 10_000, users: 10_000 },
  { name: '100k', listings: 100_000, reservations: 50_000, users: 100_000 },
];
const PROBE_LISTINGS = 200;
const FILLER_GAMES = 300;
const SELLERS = 100;

const log = (msg: string) =>
  console.log(`[growth ${new Date().toISOString().slice(11, 19)}] ${msg}`);

interface Row {
  name: string;
  unit: 'ms' | 's' | 'µs';
  values: number[];
  /** What keeps it flat (or why it grows). */
  flat: string;
}

export async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: process.env.BENCH_DB ?? 'sqlite' },
      samples: { type: 'string', default: '25' },
      write: { type: 'boolean', default: false },
    },
  });
  if (values.db !== 'sqlite' && values.db !== 'mysql')
    throw new Error(`--db must be sqlite or mysql, not ${values.db}`);
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 3 || samples > 500)
    throw new Error('--samples must be an integer from 3 to 500');
  const hardStop = setTimeout(() => {
    console.error(`growth: time limit (${LIMIT_S} s) reached`);
    process.exit(1);
  }, LIMIT_S * 1000);
  hardStop.unref();

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pas-growth-'));
  const mysqlUrl = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(
    /\/$/,
    '',
  );
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisPrefix = `pas:growth:${process.pid}:`;
  const dbName = `pas_growth_${process.pid}_${Date.now().toString(36)}`;
  const admin = values.db === 'mysql' ? await createConnection({ uri: mysqlUrl }) : null;
  let deps: Deps | null = null;
  const startedLoad = loadAverage();
  try {
    if (admin)
      await admin.query(`create database \`${dbName}\` character set utf8mb4 collate utf8mb4_bin`);
    const config = loadConfig({
      DATA_DIR: dataDir,
      RATE_LIMIT: 'off',
      LOG_LEVEL: 'silent',
      JOBS: 'off',
      DEMO_DATA: 'false',
      MIGRATE_ON_START: 'true',
      PUBLIC_URL: 'http://127.0.0.1:3000',
      DATABASE_URL: admin ? `${mysqlUrl}/${dbName}` : undefined,
      REDIS_URL: admin ? redisUrl : undefined,
      REDIS_PREFIX: redisPrefix,
    });
    deps = await createDeps(config);
    await deps.database.migrate();
    await seedCatalog(deps.db);
    const app = await buildApp(deps, { logger: false, webDir: null });
    await app.ready();
    const rows = await grow(deps, app, samples);
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const cell = (r: Row, v: number) =>
      r.unit === 's'
        ? `${v.toFixed(2)} s`
        : r.unit === 'µs'
          ? `${v.toFixed(0)} µs`
          : `${v.toFixed(2)} ms`;
    const section = [
      `## Cost of growth (${values.db === 'mysql' ? 'MariaDB + Redis' : 'embedded SQLite'})`,
      '',
      `${when} UTC · ${os.availableParallelism()} cores · Node ${process.version} · ` +
        `\`${describeDrivers(config)}\` · in-process (app.inject), median of ${samples} sequential ` +
        `requests per cell, reads as cache misses unless marked "hit" · load average before ` +
        `${startedLoad}, after ${loadAverage()}`,
      '',
      `| measure | ${STAGES.map((s) => `${s.name}: ${s.listings.toLocaleString('en')} listings, ${s.reservations.toLocaleString('en')} reservations, ${s.users.toLocaleString('en')} users`).join(' | ')} | last ÷ first | what keeps it flat (or why it grows) |`,
      `|---|${STAGES.map(() => '---:|').join('')}---:|---|`,
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.values.map((v) => cell(r, v)).join(' | ')} | ` +
          `${(r.values.at(-1)! / r.values[0]!).toFixed(2)}× | ${r.flat} |`,
      ),
    ].join('\n');
    console.log(`\n${section}\n`);
    if (values.write) await writePerformanceDoc(section, `growth-${values.db}`);
    await app.close();
  } finally {
    clearTimeout(hardStop);
    await deps?.close();
    if (admin) {
      await admin.query(`drop database if exists \`${dbName}\``).catch(() => {});
      await admin.end();
      await clearRedisPrefix(redisUrl, redisPrefix).catch(() => {});
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type App = Awaited<ReturnType<typeof buildApp>>;

/** Median ms of `samples` sequential calls (after 3 warm-ups), `before` untimed before each. */
async function timed(
  samples: number,
  call: (i: number) => Promise<{ statusCode: number; body: string }>,
  before?: (i: number) => Promise<unknown>,
) {
  const times: number[] = [];
  for (let i = 0; i < samples + 3; i++) {
    await before?.(i);
    const started = performance.now();
    const res = await call(i);
    const ms = performance.now() - started;
    if (res.statusCode >= 300)
      throw new Error(`answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    if (i >= 3) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

async function grow(deps: Deps, app: App, samples: number): Promise<Row[]> {
  const { db, clock, cached } = deps;
  const now = clock.now();
  const iso = now.toISOString();
  // The fixed part: sellers, the probe game and its listings, the reserved game, the month's
  // games, filler games for the growing listings, a fan and a seller who sign in.
  const sellers = Array.from({ length: SELLERS }, (_, i) =>
    userRow(`Growth Seller ${i}`, now, { payout_bank_code: '004', payout_account: '1234567890' }),
  );
  await insertRows({ deps }, 'users', sellers);
  const [probe] = await insertGames(deps, 1, 12);
  const [reserved] = await insertGames(deps, 1, 13);
  const fillers = await insertGames(deps, FILLER_GAMES, 20);
  const month = monthRange(now);
  await ensureGames(deps, month.from, month.to);
  const areasOf = async (stadiumId: string) =>
    db.selectFrom('seat_areas').selectAll().where('stadium_id', '=', stadiumId).execute();
  const probeAreas = await areasOf(probe!.stadium_id);
  const probeListings = Array.from({ length: PROBE_LISTINGS }, (_, i) =>
    listingRow(probe!.id, sellers[i % 10]!.id, probeAreas[i % probeAreas.length]!, iso, {
      section: String(100 + i),
      price: probeAreas[i % probeAreas.length]!.face_value_min,
    }),
  );
  await insertRows({ deps }, 'listings', probeListings);
  const reservedArea = (await areasOf(reserved!.stadium_id))[0]!;
  const fillerAreas = new Map<string, Awaited<ReturnType<typeof areasOf>>>();
  for (const g of fillers)
    if (!fillerAreas.has(g.stadium_id)) fillerAreas.set(g.stadium_id, await areasOf(g.stadium_id));
  const fan = userRow('Growth Fan', now);
  await insertRows({ deps }, 'users', [fan]);
  const fanAuth = { authorization: `Bearer ${(await deps.tokens.issue(fan.id, now)).token}` };
  const sellerAuth = async (i: number) => ({
    authorization: `Bearer ${(await deps.tokens.issue(sellers[i]!.id, now)).token}`,
    'content-type': 'application/json',
  });

  let listings = PROBE_LISTINGS;
  let users = 0; // besides the sellers and the fan
  const reservers: string[] = [];
  const rows: Row[] = [
    {
      name: 'games of a month (miss)',
      unit: 'ms',
      values: [],
      flat: "grows with the active listings of the month's games: their count and lowest price per game read every such listing (SQLite plans `listings_status_game_idx`, which lacks the price, so each row is fetched); the cached body keeps the route flat, but every listing write forgets it",
    },
    {
      name: 'games of a month (hit)',
      unit: 'ms',
      values: [],
      flat: 'the cached body in process memory (L1)',
    },
    {
      name: "a game's tickets, 200 active (miss)",
      unit: 'ms',
      values: [],
      flat: '`listings_game_price_idx` (game_id, status, price, id): a keyset page of one game, whatever the table holds',
    },
    { name: "a game's tickets (hit)", unit: 'ms', values: [], flat: 'the cached body (L1)' },
    {
      name: 'a listing (miss)',
      unit: 'ms',
      values: [],
      flat: 'primary keys (listing, seller, game, area)',
    },
    {
      name: 'trending (miss)',
      unit: 'ms',
      values: [],
      flat: "grows with upcoming active listings and reservations: the demand counts every upcoming game's active listings and reservations at each refresh; cached for 30 s and forgotten on each sale",
    },
    {
      name: 'stats (miss)',
      unit: 'ms',
      values: [],
      flat: 'trade totals and tickets per pairing over paid orders (`orders_paid_at_idx`): grows with sales, not with listings or users (reuses the cached demand)',
    },
    { name: 'stats (hit)', unit: 'ms', values: [], flat: 'the cached body (L1)' },
    {
      name: "a seller's own listings",
      unit: 'ms',
      values: [],
      flat: '`listings_seller_idx` (seller_id, status, created_at)',
    },
    {
      name: 'who am I (GET /api/me)',
      unit: 'ms',
      values: [],
      flat: 'users primary key (token → user)',
    },
    {
      name: 'publish a listing on the reserved game (POST)',
      unit: 'ms',
      values: [],
      flat: 'the request only enqueues the matching job (`jobs` insert)',
    },
    {
      name: 'fan-out job: all reservers notified',
      unit: 's',
      values: [],
      flat: 'grows with the reservations by design (one notification + one e-mail job each, batched)',
    },
    {
      name: 'fan-out job: per notification',
      unit: 'µs',
      values: [],
      flat: '`reservations_game_idx` (game_id, status, quantity) for the match; batched inserts',
    },
  ];
  const add = (name: string, v: number) => rows.find((r) => r.name === name)!.values.push(v);
  let postCount = 0;

  for (const stage of STAGES) {
    const started = performance.now();
    // Users up to the stage's count (every reservation needs a user of its own).
    if (stage.users > users) {
      const more = Array.from({ length: stage.users - users }, (_, i) =>
        userRow(`Growth User ${users + i}`, now),
      );
      await insertRows({ deps }, 'users', more);
      reservers.push(...more.map((u) => u.id));
      users = stage.users;
    }
    // Listings on the filler games (spread over 300 games and 100 sellers).
    if (stage.listings > listings) {
      const count = stage.listings - listings;
      for (let done = 0; done < count; done += 5_000) {
        const batch = Array.from({ length: Math.min(5_000, count - done) }, (_, j) => {
          const i = listings + done + j;
          const game = fillers[i % fillers.length]!;
          const areas = fillerAreas.get(game.stadium_id)!;
          const area = areas[i % areas.length]!;
          return listingRow(game.id, sellers[i % SELLERS]!.id, area, iso, {
            section: String(100 + (i % 50)),
            price: area.face_value_min,
          });
        });
        await insertRows({ deps }, 'listings', batch);
      }
      listings = stage.listings;
    }
    // Reservations on the reserved game, each from its own user.
    const have = Number(
      (
        await db
          .selectFrom('reservations')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('game_id', '=', reserved!.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (stage.reservations > have) {
      const ids = reservers.slice(have, stage.reservations);
      if (ids.length < stage.reservations - have) throw new Error('growth: not enough users');
      await insertRows(
        { deps },
        'reservations',
        ids.map((userId): DB['reservations'] => ({
          id: newId(),
          user_id: userId,
          game_id: reserved!.id,
          max_price: null,
          quantity: 1,
          criteria_key: `growth:${userId}`,
          status: 'active',
          created_at: iso,
        })),
      );
    }
    // InnoDB refreshes its statistics in the background after large changes; do it now, so the
    // plans measured are those of a table that grew over time, not of one just bulk-loaded.
    if (deps.database.dialect === 'mysql')
      await sql`analyze table listings, users, reservations, games`.execute(db);
    log(
      `stage ${stage.name}: world built in ${((performance.now() - started) / 1000).toFixed(1)} s; measuring`,
    );

    const get =
      (url: string, headers: Record<string, string> = {}) =>
      () =>
        app.inject({ method: 'GET', url, headers });
    const forget =
      (...namespaces: string[]) =>
      () =>
        cached.invalidate(...namespaces);
    const monthUrl = `/api/games?from=${month.from}&to=${month.to}`;
    add(
      'games of a month (miss)',
      await timed(samples, get(monthUrl), forget(GAMES_CACHE_NAMESPACE)),
    );
    add('games of a month (hit)', await timed(samples, get(monthUrl)));
    const pageUrl = `/api/games/${probe!.id}/listings`;
    add(
      "a game's tickets, 200 active (miss)",
      await timed(samples, get(pageUrl), forget(gameListingsCacheNamespace(probe!.id))),
    );
    add("a game's tickets (hit)", await timed(samples, get(pageUrl)));
    add(
      'a listing (miss)',
      await timed(
        samples,
        (i) => app.inject({ method: 'GET', url: `/api/listings/${probeListings[i]!.id}` }),
        (i) => cached.invalidate(listingCacheNamespace(probeListings[i]!.id)),
      ),
    );
    add('trending (miss)', await timed(samples, get('/api/trending'), forget(TRENDING_NAMESPACE)));
    add('stats (miss)', await timed(samples, get('/api/stats'), forget(STATS_NAMESPACE)));
    add('stats (hit)', await timed(samples, get('/api/stats')));
    add(
      "a seller's own listings",
      await timed(samples, get('/api/me/listings', await sellerAuth(0))),
    );
    add('who am I (GET /api/me)', await timed(samples, get('/api/me', fanAuth)));
    // Seller 50+ post on the reserved game (under the 20 active listings per seller and game).
    let firstPosted: string | null = null;
    add(
      'publish a listing on the reserved game (POST)',
      await timed(samples, async () => {
        const seller = 50 + Math.floor(postCount++ / 15);
        const res = await app.inject({
          method: 'POST',
          url: '/api/listings',
          headers: await sellerAuth(seller),
          payload: {
            gameId: reserved!.id,
            areaId: reservedArea.id,
            section: '101',
            quantity: 1,
            price: reservedArea.face_value_min,
            faceValue: reservedArea.face_value_min,
            deliveryMethod: 'eticket_transfer',
          },
        });
        if (res.statusCode === 201) firstPosted ??= (res.json() as { id: string }).id;
        return res;
      }),
    );
    if (!firstPosted) throw new Error('growth: no listing was posted');
    // The job the worker runs for that listing, timed here.
    const jobStarted = performance.now();
    const notified = await deps.reservations.handleListingPublished(
      { listingId: firstPosted },
      { jobId: 'growth', attempt: 1, requestId: null },
    );
    const jobSeconds = (performance.now() - jobStarted) / 1000;
    if (notified !== stage.reservations)
      throw new Error(`fan-out notified ${notified}, not ${stage.reservations}`);
    add('fan-out job: all reservers notified', jobSeconds);
    add('fan-out job: per notification', (jobSeconds * 1e6) / notified);
    log(
      `stage ${stage.name}: ${rows.map((r) => `${r.name} ${r.values.at(-1)!.toFixed(2)}`).join('; ')}`,
    );
  }
  return rows;
}
