// `npm run bench -- --crowd`: a flash crowd on the production topology, on this machine.
//
// Started by this script on loopback, stopped by pid at the end (and dropped: the database, the
// Redis keys): a fresh MariaDB database and Redis key prefix, two app instances as shipped
// (`node server/src/main.ts`, NODE_ENV=production, JOBS=off, default logging and rate limits, logs
// to files), one job worker (`server/src/worker.ts`), Debian's nginx with deploy/nginx.conf's
// microcache and stream locations (bench/nginx.ts): one listen port proxying to instance A only,
// one balancing over A and B. The same crowd runs through each, one instance first:
//
// - STREAMS (2,000) signed-in fans hold a live-notification stream (SSE) open;
// - browsing at a steady RATE (open loop: the month's calendar, trending, stats, games, a game's
//   tickets and price summary, listings; a third of it on the hot game);
// - the race: sellers publish LISTINGS (50) on one game while RESERVERS (200) of those fans wait on
//   it (a reservation each, any seat, no price cap) and BUYERS (500) poll the game's tickets page
//   and try to hold and pay for one (a 409 means someone was faster: look again).
//
// Reported per topology: sales (paid orders; must equal the listings bought, no listing sold twice,
// no order charged twice), page reads during the race (p50/p95/p99), the time from a listing's
// publication (its 201) to each reserver's stream event (p95; 200 × 50 events expected, the
// missing ones are lost), errors (5xx, network errors, dropped streams), memory (RSS) per instance.
// Targets: reads p99 ≤ 250 ms, events p95 ≤ 2 s, 0 lost, 0 5xx. `--write` records the table in
// docs/PERFORMANCE.md. Options: --streams --reservers --buyers --listings --rate (reads/s)
// --race-seconds (deadline of a race) --topologies 1,2. Environment: BENCH_MYSQL_URL,
// BENCH_REDIS_URL, NGINX_BIN; CROWD_KEEP=1 keeps the working directory (the instances', the
// worker's and nginx's logs) for a look afterwards. The whole run is bounded (CROWD_LIMIT_S, default
// 600 s).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import {
  createSessionTokens,
  createTokenService,
  newUserRow,
} from '../server/src/modules/accounts/index.ts';
import { seedCatalog } from '../server/src/modules/catalog/index.ts';
import { createDatabase, type Database } from '../server/src/platform/db/database.ts';
import type { DB } from '../server/src/platform/db/schema.ts';
import { DAY, taipeiDate } from '../server/src/shared/clock.ts';
import { newId } from '../server/src/shared/ids.ts';
import { freePort, startNginx } from './nginx.ts';
import { clearRedisPrefix } from './redis.ts';
import { loadAverage, writePerformanceDoc } from './report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const MYSQL_URL = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT_S = Number(process.env.CROWD_LIMIT_S ?? 600);
const BROWSE_GAMES = 30;
const LISTINGS_PER_BROWSE_GAME = 20;
const SELLERS = 5; // MAX_ACTIVE_LISTINGS_PER_GAME is 20 per seller
const CONNECT_BATCH = 100;

const log = (msg: string) =>
  console.log(`[crowd ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
const pick = <T>(a: readonly T[]) => a[randomInt(a.length)]!;

interface Settings {
  streams: number;
  reservers: number;
  buyers: number;
  listings: number;
  rate: number;
  raceSeconds: number;
  topologies: number[];
  write: boolean;
}

function parse(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      streams: { type: 'string', default: '2000' },
      reservers: { type: 'string', default: '200' },
      buyers: { type: 'string', default: '500' },
      listings: { type: 'string', default: '50' },
      rate: { type: 'string', default: '100' },
      'race-seconds': { type: 'string', default: '60' },
      topologies: { type: 'string', default: '1,2' },
      write: { type: 'boolean', default: false },
    },
  });
  const int = (v: string, name: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const s: Settings = {
    streams: int(values.streams, 'streams', 1, 20_000),
    reservers: int(values.reservers, 'reservers', 1, 20_000),
    buyers: int(values.buyers, 'buyers', 1, 20_000),
    listings: int(values.listings, 'listings', 1, SELLERS * 20),
    rate: int(values.rate, 'rate', 1, 5_000),
    raceSeconds: int(values['race-seconds'], 'race-seconds', 5, 600),
    topologies: values.topologies.split(',').map((t) => int(t, 'topologies', 1, 2)),
    write: values.write,
  };
  if (s.reservers + s.buyers > s.streams)
    throw new Error('--reservers + --buyers must not exceed --streams (they are streaming fans)');
  return s;
}

// ---- processes (each stopped by its own pid) ----------------------------------------------------
const children: { name: string; proc: ChildProcess }[] = [];

/** Starts `args` under `ulimit -n nofile`, its output to `logFile`. */
function start(
  name: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  nofile: number,
) {
  const out = openSync(logFile, 'a');
  const proc = spawn('sh', ['-c', `ulimit -n ${nofile} && exec "$@"`, 'sh', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', out, out],
  });
  children.push({ name, proc });
  return proc;
}

async function stopAll() {
  for (const { proc } of children.splice(0).reverse()) {
    if (proc.exitCode !== null || proc.signalCode !== null) continue;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([gone, sleep(20_000)]);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
}

async function waitOk(url: string, seconds: number, proc?: ChildProcess) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (proc && (proc.exitCode !== null || proc.signalCode !== null))
      throw new Error(`the process behind ${url} exited`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  throw new Error(`${url} not ready after ${seconds} s`);
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return 0;
  }
}

/** A process and its children (nginx's workers). */
function withChildren(pid: number | undefined): number[] {
  if (!pid) return [];
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return [pid, ...(kids ? kids.split(' ').map(Number) : [])];
  } catch {
    return [pid];
  }
}

const pidsOf = (name: string) =>
  spawnSync('pgrep', ['-x', name], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);

/** Busy and total CPU seconds of the whole machine so far (/proc/stat). */
function machineSeconds() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return { busy: (total - idle) / 100, total: total / 100 };
}

/** The soft and hard open-file limits of processes started from here. */
function fileLimits() {
  const out = spawnSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' }).stdout;
  const [soft, hard] = out.trim().split('\n');
  const n = (v: string | undefined) => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: n(soft), hard: n(hard) };
}

// ---- the world ----------------------------------------------------------------------------------
interface Fan {
  id: string;
  auth: string;
}

interface World {
  streamers: Fan[];
  sellers: Fan[];
  browseGames: string[];
  browseListings: string[];
  month: { from: string; to: string };
}

async function insertMany<T extends keyof DB>(db: Database['db'], table: T, rows: DB[T][]) {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + 500) as never)
      .execute();
}

async function teamsAndStadiums(db: Database['db']) {
  const teams = await db.selectFrom('teams').select(['id', 'home_stadium_abbe']).execute();
  const stadiums = await db.selectFrom('stadiums').select(['id', 'abbe']).execute();
  const withStadium = teams
    .map((t) => ({ ...t, stadiumId: stadiums.find((s) => s.abbe === t.home_stadium_abbe)?.id }))
    .filter((t): t is typeof t & { stadiumId: string } => Boolean(t.stadiumId));
  if (withStadium.length < 2) throw new Error('the catalogue is not seeded');
  return withStadium;
}

function gameRow(home: { id: string; stadiumId: string }, awayId: string, startsAt: Date) {
  const iso = new Date().toISOString();
  return {
    id: newId(),
    year: 2700 + randomInt(100),
    kind: 'E',
    game_no: 900_000 + randomInt(1_000_000_000),
    home_team_id: home.id,
    away_team_id: awayId,
    stadium_id: home.stadiumId,
    starts_at: startsAt.toISOString(),
    local_date: taipeiDate(startsAt),
    status: 'scheduled' as const,
    makeup_starts_at: null,
    is_demo: 0,
    created_at: iso,
    updated_at: iso,
  } satisfies DB['games'];
}

async function seedWorld(database: Database, jwtSecret: string, s: Settings): Promise<World> {
  const { db } = database;
  await database.migrate();
  await seedCatalog(db);
  const now = new Date();
  const iso = now.toISOString();
  const teams = await teamsAndStadiums(db);
  const games = Array.from({ length: BROWSE_GAMES }, (_, i) =>
    gameRow(
      teams[i % teams.length]!,
      teams[(i + 1) % teams.length]!.id,
      new Date(now.getTime() + (2 + (i % 20)) * DAY + i * 60_000),
    ),
  );
  await insertMany(db, 'games', games);
  const user = (label: string, i: number, extra: Partial<DB['users']> = {}) =>
    newUserRow(
      {
        email: `crowd-${label}-${i}-${randomBytes(3).toString('hex')}@bench.test`,
        password_hash: '!',
        name: `Crowd ${label} ${i}`,
        email_verified_at: iso,
        ...extra,
      },
      iso,
    );
  const sellers = Array.from({ length: SELLERS }, (_, i) =>
    user('seller', i, { payout_bank_code: '004', payout_account: '1234567890' }),
  );
  const streamers = Array.from({ length: s.streams }, (_, i) => user('fan', i));
  await insertMany(db, 'users', [...sellers, ...streamers]);
  const areas = await db.selectFrom('seat_areas').selectAll().execute();
  const listings = games.flatMap((g, gi) => {
    const gameAreas = areas.filter((a) => a.stadium_id === g.stadium_id);
    return Array.from({ length: LISTINGS_PER_BROWSE_GAME }, (_, i) => {
      const area = gameAreas[i % gameAreas.length]!;
      return {
        id: newId(),
        game_id: g.id,
        seller_id: sellers[(gi + i) % sellers.length]!.id,
        area_id: area.id,
        section: String(100 + i),
        row_label: String(1 + (i % 20)),
        seats: null,
        quantity: 1 + (i % 3),
        remaining: 1 + (i % 3),
        held: 0,
        split_rule: 'any' as const,
        price: area.face_value_min,
        face_value: area.face_value_min,
        delivery_method: 'eticket_transfer' as const,
        note: null,
        status: 'active' as const,
        cover_thumb_key: null,
        created_at: iso,
        updated_at: iso,
      } satisfies DB['listings'];
    });
  });
  await insertMany(db, 'listings', listings);
  // A token is a session row too (sessions.ts): issued through accounts, so the server accepts it.
  const tokens = createSessionTokens(db, createTokenService(jwtSecret));
  const fan = async (u: { id: string }) => ({
    id: u.id,
    auth: `Bearer ${(await tokens.issue(u.id, now)).token}`,
  });
  const from = `${taipeiDate(now).slice(0, 7)}-01`;
  return {
    streamers: await Promise.all(streamers.map(fan)),
    sellers: await Promise.all(sellers.map(fan)),
    browseGames: games.map((g) => g.id),
    browseListings: listings.map((l) => l.id),
    month: { from, to: taipeiDate(new Date(Date.parse(`${from}T00:00:00Z`) + 30 * DAY)) },
  };
}

/** The race's game (12 days ahead) and the reservers' reservations on it. */
async function raceGame(db: Database['db'], reservers: Fan[]) {
  const teams = await teamsAndStadiums(db);
  const game = gameRow(teams[0]!, teams[1]!.id, new Date(Date.now() + 12 * DAY));
  await db.insertInto('games').values(game).execute();
  const iso = new Date().toISOString();
  await insertMany(
    db,
    'reservations',
    reservers.map((r) => ({
      id: newId(),
      user_id: r.id,
      game_id: game.id,
      max_price: null,
      quantity: 1,
      criteria_key: `crowd:${newId()}`,
      status: 'active' as const,
      created_at: iso,
    })),
  );
  const area = await db
    .selectFrom('seat_areas')
    .selectAll()
    .where('stadium_id', '=', game.stadium_id)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return { gameId: game.id, area };
}

// ---- load ---------------------------------------------------------------------------------------
interface Counters {
  status: Map<string, number>;
  errors: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * node:http with keep-alive for the load: fetch (undici) costs the load generator, which shares
 * the two cores with everything it measures, several times the CPU per request.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1_024 });
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

function decode(body: Buffer, encoding: string | undefined): string {
  if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
  return body.toString('utf8');
}

/** A URL as its route: ids as `:id`, no query (for grouping requests). */
const routeOf = (url: string) => url.replace(/[0-9a-z]{26}/g, ':id').replace(/\?.*$/, '');

/** One request through nginx; 5xx and network errors are counted as errors. */
function call(
  c: Counters,
  base: string,
  method: string,
  url: string,
  auth?: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> | null; ms: number; started: number }> {
  const started = performance.now();
  const route = `${method} ${routeOf(url)}`;
  const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
  return new Promise((resolve) => {
    const fail = (err: Error & { code?: string }) => {
      bump(c.errors, `${route} → network ${err.code ?? err.message}`);
      resolve({ status: 0, json: null, ms: performance.now() - started, started });
    };
    const req = http.request(
      `${base}${url}`,
      {
        method,
        agent,
        timeout: 30_000,
        headers: {
          'accept-encoding': 'gzip, deflate, br, zstd',
          ...(auth ? { authorization: auth } : {}),
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': payload.length }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', fail);
        res.on('end', () => {
          const ms = performance.now() - started;
          const status = res.statusCode ?? 0;
          bump(c.status, String(status));
          if (status >= 500) bump(c.errors, `${route} → ${status}`);
          let json: Record<string, unknown> | null = null;
          // Only what the caller reads is decoded (buyers, sellers); browsing reads are not.
          if (method !== 'GET' || url.includes('/listings?sort=price'))
            try {
              json = JSON.parse(
                decode(Buffer.concat(chunks), res.headers['content-encoding']),
              ) as Record<string, unknown>;
            } catch {
              json = null;
            }
          resolve({ status, json, ms, started });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
    req.end(payload ?? undefined);
  });
}

interface Stream {
  fan: Fan;
  close(): void;
}

/** A fan's live-notification stream; `onEvent` gets each notification's link and arrival time. */
function openStream(
  base: string,
  fan: Fan,
  c: Counters,
  onEvent: (userId: string, link: string, at: number) => void,
): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let closing = false;
    let connected = false;
    const timer = setTimeout(() => {
      req.destroy(new Error('stream not connected after 30 s'));
    }, 30_000);
    const req = http.get(
      `${base}/api/notifications/stream`,
      {
        agent: streamAgent,
        headers: { authorization: fan.auth, accept: 'text/event-stream' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          bump(c.errors, `stream → ${res.statusCode}`);
          res.resume();
          clearTimeout(timer);
          reject(new Error(`stream answered ${res.statusCode}`));
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!connected && block.includes(': connected')) {
              connected = true;
              clearTimeout(timer);
              resolve({
                fan,
                close() {
                  closing = true;
                  req.destroy();
                },
              });
            }
            if (!block.startsWith('event: notification')) continue;
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (!data) continue;
            const item = JSON.parse(data.slice(6)) as { link?: string };
            onEvent(fan.id, item.link ?? '', performance.now());
          }
        });
        res.on('end', () => {
          if (!closing) bump(c.errors, 'stream ended by the server');
        });
      },
    );
    req.on('error', (err) => {
      clearTimeout(timer);
      if (closing) return;
      if (connected) bump(c.errors, `stream broke: ${err.message}`);
      else {
        bump(
          c.errors,
          `stream → network ${(err as Error & { code?: string }).code ?? err.message}`,
        );
        reject(err);
      }
    });
  });
}

/** An instance's event-loop delay (p99, max; ms) since its previous /metrics scrape. */
async function instanceLoop(port: number): Promise<{ p99: number; max: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name} ([0-9.e+-]+)`, 'm').exec(text)?.[1] ?? NaN) * 1000;
  return {
    p99: value('nodejs_eventloop_lag_p99_seconds'),
    max: value('nodejs_eventloop_lag_max_seconds'),
  };
}

/** "second: count" of the reads slower than 250 ms, by the second of the race they started in. */
function slowBySecond(reads: { at: number; ms: number }[], raceStart: number): string {
  const counts = new Map<number, number>();
  for (const r of reads)
    if (r.ms > 250) {
      const second = Math.floor((r.at - raceStart) / 1000);
      counts.set(second, (counts.get(second) ?? 0) + 1);
    }
  return (
    [...counts]
      .sort((a, b) => a[0] - b[0])
      .map(([sec, n]) => `${sec}s:${n}`)
      .join(' ') || 'none'
  );
}

/** Browsing at `rate` requests/s (open loop) until stop(); each read's start time and latency. */
function browse(base: string, world: World, hotGameId: string, rate: number, c: Counters) {
  const reads: { at: number; ms: number; status: number; route: string }[] = [];
  let running = true;
  const inflight = new Set<Promise<unknown>>();
  const one = () => {
    const hot = Math.random() < 1 / 3;
    const game = hot ? hotGameId : pick(world.browseGames);
    const { from, to } = world.month;
    const url = pick([
      `/api/games?from=${from}&to=${to}`,
      `/api/games?from=${from}&to=${to}`,
      '/api/trending',
      '/api/stats',
      `/api/games/${game}`,
      `/api/games/${game}/listings`,
      `/api/games/${game}/listings?sort=price`,
      `/api/games/${game}/price-summary`,
      `/api/listings/${pick(world.browseListings)}`,
      `/api/listings/${pick(world.browseListings)}`,
    ]);
    const route = routeOf(url);
    const p = call(c, base, 'GET', url).then((r) =>
      reads.push({ at: r.started, ms: r.ms, status: r.status, route }),
    );
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const done = (async () => {
    const interval = 1000 / rate;
    let next = performance.now();
    while (running) {
      const now = performance.now();
      // Open loop, but never more than 2,000 reads waiting (a stalled server must not eat memory).
      while (next <= now) {
        if (inflight.size < 2_000) one();
        else bump(c.errors, 'browse: 2,000 reads in flight, one skipped');
        next += interval;
      }
      await sleep(Math.max(1, next - performance.now()));
    }
    await Promise.allSettled([...inflight]);
  })();
  return {
    reads,
    async stop() {
      running = false;
      await done;
    },
  };
}

const cardholder = { name: '王小明', email: 'crowd@example.test', phoneNumber: '0912345678' };

interface RaceResult {
  published: Map<string, number>;
  paid: number;
  holds: number;
  refusals: Map<string, number>;
  buyerReads: number[];
  endedAt: number;
}

/** Sellers publish `listings` on the game while the buyers race for them. */
async function race(
  base: string,
  world: World,
  buyers: Fan[],
  game: Awaited<ReturnType<typeof raceGame>>,
  s: Settings,
  c: Counters,
): Promise<RaceResult> {
  const published = new Map<string, number>();
  const refusals = new Map<string, number>();
  const buyerReads: number[] = [];
  const deadline = performance.now() + s.raceSeconds * 1000;
  let paid = 0;
  let holds = 0;
  let sellersDone = false;
  const perSeller = Math.ceil(s.listings / SELLERS);
  const sellers = (async () => {
    await Promise.all(
      world.sellers.map(async (seller, si) => {
        for (let i = 0; i < perSeller && si * perSeller + i < s.listings; i++) {
          const r = await call(c, base, 'POST', '/api/listings', seller.auth, {
            gameId: game.gameId,
            areaId: game.area.id,
            section: String(200 + si),
            row: String(i + 1),
            quantity: 1,
            price: game.area.face_value_min,
            faceValue: game.area.face_value_min,
            deliveryMethod: 'eticket_transfer',
          });
          if (r.status === 201 && r.json) published.set(String(r.json.id), performance.now());
          else bump(c.errors, `publish → ${r.status} ${JSON.stringify(r.json).slice(0, 120)}`);
          await sleep(100);
        }
      }),
    );
    sellersDone = true;
  })();
  // People, not bots: a page refresh every 1-2 s while nothing is on sale, 1-2 s to pick another
  // ticket after "someone was faster", and the checkout rate limit honoured.
  const think = () => sleep(1_000 + randomInt(1_000));
  const buyer = async (fan: Fan) => {
    await sleep(randomInt(1_000));
    while (performance.now() < deadline && paid < s.listings) {
      const page = await call(c, base, 'GET', `/api/games/${game.gameId}/listings?sort=price`);
      buyerReads.push(page.ms);
      const items = (page.json?.items as { id: string }[] | undefined) ?? [];
      if (!items.length) {
        if (sellersDone && paid >= published.size) return;
        await think();
        continue;
      }
      const held = await call(c, base, 'POST', '/api/orders', fan.auth, {
        listingId: pick(items).id,
      });
      if (held.status === 201 && held.json) {
        holds++;
        const pay = await call(
          c,
          base,
          'POST',
          `/api/orders/${String(held.json.id)}/pay`,
          fan.auth,
          {
            prime: 'sim_approve',
            cardholder,
          },
        );
        if (pay.status === 200) paid++;
        else bump(c.errors, `pay → ${pay.status} ${JSON.stringify(pay.json).slice(0, 120)}`);
        return;
      }
      const code = (held.json?.error as { code?: string } | undefined)?.code ?? '';
      if (held.status >= 400 && held.status < 500) bump(refusals, `${held.status} ${code}`);
      if (held.status === 429) await sleep(10_000);
      else await think();
    }
  };
  await Promise.all([sellers, ...buyers.map(buyer)]);
  return { published, paid, holds, refusals, buyerReads, endedAt: performance.now() };
}

// ---- one topology -------------------------------------------------------------------------------
interface Phase {
  instances: number;
  connectSeconds: number;
  streamsOpen: number;
  raceSeconds: number;
  listings: number;
  published: number;
  paidClient: number;
  holds: number;
  sold: number;
  paidOrders: number;
  doubleSales: number;
  doubleCharges: number;
  refusals: string;
  reads: { n: number; p50: number; p95: number; p99: number; max: number };
  buyerPolls: { n: number; p95: number; p99: number };
  events: {
    expected: number;
    received: number;
    duplicates: number;
    p50: number;
    p95: number;
    max: number;
  };
  fivexx: number;
  errors: string[];
  rss: { name: string; peak: number; end: number }[];
  /** Listings whose matching job found them still on sale (the others sold first). */
  matched: number;
  /** Publication → notification written, notification written → on the stream (p95, ms). */
  eventSplit: { written: number; delivered: number };
  /** The instances' own durations of the same reads (their access log), ms. */
  serverReads: { p50: number; p95: number; p99: number };
  routeTail: { route: string; n: number; p95: number; p99: number }[];
  /** The load generator's event-loop delay during the race (ms). */
  loadLoop: { p99: number; max: number };
  /** Each instance's event-loop delay during the race (its /metrics), ms. */
  appLoops: { name: string; p99: number; max: number }[];
  /** Reads slower than 250 ms, counted by the second of the race they started in. */
  slowReadsBySecond: string;
  /** CPU seconds during the race by process, and the machine's busy share. */
  cpu: { name: string; seconds: number }[];
  machineBusy: number;
}

async function runPhase(
  instances: number,
  base: string,
  apps: { name: string; proc: ChildProcess; port: number }[],
  others: { name: string; proc: ChildProcess }[],
  database: Database,
  world: World,
  s: Settings,
): Promise<Phase> {
  const { db } = database;
  const c: Counters = { status: new Map(), errors: new Map() };
  const reservers = world.streamers.slice(0, s.reservers);
  const buyers = world.streamers.slice(s.reservers, s.reservers + s.buyers);
  const game = await raceGame(db, reservers);
  log(`${instances} instance(s): ${s.streams} streams connecting through ${base}`);

  // Events by reserver and listing (the notification's link is /listings/:id).
  const received = new Map<string, number>();
  let duplicates = 0;
  const onEvent = (userId: string, link: string, at: number) => {
    const key = `${userId} ${link.split('/').pop()}`;
    if (received.has(key)) duplicates++;
    else received.set(key, at);
  };
  const connectStarted = performance.now();
  const streams: Stream[] = [];
  for (let i = 0; i < world.streamers.length; i += CONNECT_BATCH) {
    const batch = world.streamers.slice(i, i + CONNECT_BATCH);
    const opened = await Promise.allSettled(batch.map((f) => openStream(base, f, c, onEvent)));
    for (const o of opened) if (o.status === 'fulfilled') streams.push(o.value);
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  log(`${streams.length} streams open after ${connectSeconds.toFixed(1)} s`);

  const rss = apps.map((a) => ({ name: a.name, pid: a.proc.pid, peak: 0, end: 0 }));
  const sampler = setInterval(() => {
    for (const r of rss) r.peak = Math.max(r.peak, rssMb(r.pid));
  }, 500);
  const browsing = browse(base, world, game.gameId, s.rate, c);
  await sleep(3_000); // steady browsing before the race
  const processes = [
    ...apps.map((a) => ({ name: a.name, pids: () => [a.proc.pid!] })),
    ...others.map((o) => ({ name: o.name, pids: () => withChildren(o.proc.pid) })),
    { name: 'MariaDB (shared)', pids: () => [...pidsOf('mariadbd'), ...pidsOf('mysqld')] },
    { name: 'Redis (shared)', pids: () => pidsOf('redis-server') },
  ];
  const cpuNow = () => processes.map((p) => p.pids().reduce((a, pid) => a + cpuSeconds(pid), 0));
  const selfCpu = process.cpuUsage();
  const cpuBefore = cpuNow();
  const machineBefore = machineSeconds();
  // The load generator's own stalls: a read it times includes any wait of its event loop.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // prom-client resets its event-loop histogram on each scrape: this one starts the race's window.
  await Promise.all(apps.map((a) => instanceLoop(a.port)));
  const raceStart = performance.now();
  const raceStartEpoch = Date.now();
  log(`race: ${s.listings} listings, ${s.buyers} buyers, ${s.reservers} reservers waiting`);
  const result = await race(base, world, buyers, game, s, c);
  log(
    `race over after ${((result.endedAt - raceStart) / 1000).toFixed(1)} s: ${result.paid} paid, ` +
      `${result.published.size} published`,
  );
  loopDelay.disable();
  const appLoops = await Promise.all(
    apps.map(async (a) => ({ name: a.name, ...(await instanceLoop(a.port)) })),
  );
  const cpuAfter = cpuNow();
  const selfUsage = process.cpuUsage(selfCpu);
  const machineAfter = machineSeconds();
  const raceEndEpoch = Date.now();
  // The notifications the matching jobs wrote for the reservers (a job that finds its listing
  // already held or sold notifies nobody), and those still to be written: wait until every one
  // of them reached its stream, at most 30 s after the race.
  const listingIds = [...result.published.keys()];
  const reserverIds = new Set(reservers.map((r) => r.id));
  const written = async () =>
    listingIds.length
      ? (
          await db
            .selectFrom('notifications')
            .select(['user_id', 'dedupe_key', 'created_at'])
            .where(
              'dedupe_key',
              'in',
              listingIds.map((id) => `reservation_match:${id}`),
            )
            .execute()
        ).filter((n) => reserverIds.has(n.user_id))
      : [];
  const jobsLeft = async () =>
    Number(
      (
        await db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('type', '=', 'listing.published')
          .where('status', 'in', ['pending', 'running'])
          .executeTakeFirstOrThrow()
      ).n,
    );
  const listingOf = (key: string | null) => (key ?? '').slice('reservation_match:'.length);
  let notes: Awaited<ReturnType<typeof written>>;
  const waitUntil = performance.now() + 30_000;
  while (performance.now() < waitUntil) {
    notes = await written();
    const delivered = notes.filter((n) => received.has(`${n.user_id} ${listingOf(n.dedupe_key)}`));
    if (delivered.length === notes.length && (await jobsLeft()) === 0) break;
    await sleep(500);
  }
  notes = await written();
  await browsing.stop();
  clearInterval(sampler);
  for (const r of rss) r.end = rssMb(r.pid);
  for (const st of streams) st.close();

  // The race's reads: those that started between the race's start and its end.
  const raceReads = browsing.reads.filter((r) => r.at >= raceStart && r.at <= result.endedAt);
  const during = raceReads.map((r) => r.ms).sort((a, b) => a - b);
  // Which reads make the tail: p95/p99 per route (logged, not tabled).
  const byRoute = new Map<string, number[]>();
  for (const r of raceReads) {
    const list = byRoute.get(r.route) ?? [];
    list.push(r.ms);
    byRoute.set(r.route, list);
  }
  const routeTail = [...byRoute]
    .map(([route, ms]) => {
      ms.sort((a, b) => a - b);
      return { route, n: ms.length, p95: pct(ms, 95), p99: pct(ms, 99) };
    })
    .sort((a, b) => b.p99 - a.p99);
  const latencies: number[] = [];
  const toWritten: number[] = [];
  const toDelivered: number[] = [];
  const epoch = (perf: number) => performance.timeOrigin + perf;
  for (const n of notes) {
    const listingId = listingOf(n.dedupe_key);
    const at = result.published.get(listingId)!;
    const writtenAt = Date.parse(String(n.created_at));
    toWritten.push(Math.max(0, writtenAt - epoch(at)));
    const got = received.get(`${n.user_id} ${listingId}`);
    if (got === undefined) continue;
    latencies.push(Math.max(0, got - at));
    toDelivered.push(Math.max(0, epoch(got) - writtenAt));
  }
  for (const xs of [latencies, toWritten, toDelivered]) xs.sort((a, b) => a - b);
  const matched = new Set(notes.map((n) => n.dedupe_key)).size;
  // The same reads as the instances timed them (their access lines), for where the time went;
  // as shipped, one successful public cached read in 10 has its line (LOG_SAMPLE_CACHED).
  const serverMs = apps
    .flatMap((a) => readFileSync(appLog(a.name), 'utf8').split('\n'))
    .filter((l) => l.includes('"method":"GET"') && !l.includes('notifications/stream'))
    .map((l) => {
      try {
        return JSON.parse(l) as { time: number; ms: number };
      } catch {
        return null;
      }
    })
    .filter((l): l is { time: number; ms: number } =>
      Boolean(l && l.time >= raceStartEpoch && l.time <= raceEndEpoch),
    )
    .map((l) => l.ms)
    .sort((a, b) => a - b);
  const polls = [...result.buyerReads].sort((a, b) => a - b);

  // The database's view of the race.
  const paidStatuses = ['paid', 'delivered', 'completed', 'disputed'] as const;
  const paidOrders = listingIds.length
    ? await db
        .selectFrom('orders')
        .select(['id', 'listing_id'])
        .where('listing_id', 'in', listingIds)
        .where('status', 'in', [...paidStatuses])
        .execute()
    : [];
  const perListing = new Map<string, number>();
  for (const o of paidOrders) bump(perListing, o.listing_id);
  const charges = paidOrders.length
    ? await db
        .selectFrom('payments')
        .select(['order_id', (eb) => eb.fn.countAll().as('n')])
        .where(
          'order_id',
          'in',
          paidOrders.map((o) => o.id),
        )
        .where('status', '=', 'succeeded')
        .groupBy('order_id')
        .execute()
    : [];
  const sold = listingIds.length
    ? Number(
        (
          await db
            .selectFrom('listings')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('id', 'in', listingIds)
            .where('status', '=', 'sold')
            .executeTakeFirstOrThrow()
        ).n,
      )
    : 0;
  const fivexx = [...c.status].filter(([k]) => k.startsWith('5')).reduce((a, [, n]) => a + n, 0);
  return {
    instances,
    connectSeconds,
    streamsOpen: streams.length,
    raceSeconds: (result.endedAt - raceStart) / 1000,
    listings: s.listings,
    published: result.published.size,
    paidClient: result.paid,
    holds: result.holds,
    sold,
    paidOrders: paidOrders.length,
    doubleSales: [...perListing.values()].filter((n) => n > 1).length,
    doubleCharges: charges.filter((r) => Number(r.n) > 1).length,
    refusals: [...result.refusals].map(([k, n]) => `${k} ×${n}`).join(', ') || 'none',
    reads: {
      n: during.length,
      p50: pct(during, 50),
      p95: pct(during, 95),
      p99: pct(during, 99),
      max: during.at(-1) ?? NaN,
    },
    buyerPolls: { n: polls.length, p95: pct(polls, 95), p99: pct(polls, 99) },
    events: {
      expected: notes.length,
      received: latencies.length,
      duplicates,
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      max: latencies.at(-1) ?? NaN,
    },
    fivexx,
    errors: [...c.errors].map(([k, n]) => `${k} ×${n}`),
    rss: rss.map((r) => ({ name: r.name, peak: r.peak, end: r.end })),
    matched,
    eventSplit: { written: pct(toWritten, 95), delivered: pct(toDelivered, 95) },
    serverReads: { p50: pct(serverMs, 50), p95: pct(serverMs, 95), p99: pct(serverMs, 99) },
    routeTail,
    loadLoop: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    appLoops,
    slowReadsBySecond: slowBySecond(raceReads, raceStart),
    cpu: [
      ...processes.map((p, i) => ({ name: p.name, seconds: cpuAfter[i]! - cpuBefore[i]! })),
      { name: 'load generator', seconds: (selfUsage.user + selfUsage.system) / 1e6 },
    ],
    machineBusy:
      (machineAfter.busy - machineBefore.busy) /
      Math.max(0.01, machineAfter.total - machineBefore.total),
  };
}

let work = '';
const appLog = (name: string) => path.join(work, `${name}.log`);

// ---- report -------------------------------------------------------------------------------------
function report(phases: Phase[], s: Settings, startedLoad: string) {
  const ms = (v: number) => (Number.isNaN(v) ? '–' : `${v.toFixed(0)} ms`);
  const sec = (v: number) => (Number.isNaN(v) ? '–' : `${(v / 1000).toFixed(2)} s`);
  const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');
  const rows: [string, (p: Phase) => string, string][] = [
    [
      'live-notification streams open (connect time)',
      (p) => `${p.streamsOpen} of ${s.streams} (${p.connectSeconds.toFixed(1)} s)`,
      '',
    ],
    ['race length (first publication → last sale)', (p) => `${p.raceSeconds.toFixed(1)} s`, ''],
    [
      'listings published / sold / paid orders',
      (p) => `${p.published} / ${p.sold} / ${p.paidOrders}`,
      'sold = paid = published',
    ],
    ['double sales; orders charged twice', (p) => `${p.doubleSales}; ${p.doubleCharges}`, '0; 0'],
    ['buyers: holds; refusals (expected)', (p) => `${p.holds}; ${p.refusals}`, ''],
    [
      'page reads during the race: p50 / p95 / p99 (n)',
      (p) => `${ms(p.reads.p50)} / ${ms(p.reads.p95)} / ${ms(p.reads.p99)} (${p.reads.n})`,
      'p99 ≤ 250 ms',
    ],
    [
      "buyers' polls of the game's tickets: p95 / p99 (n)",
      (p) => `${ms(p.buyerPolls.p95)} / ${ms(p.buyerPolls.p99)} (${p.buyerPolls.n})`,
      '',
    ],
    [
      '… the same reads timed by the instances (access lines; public cached reads: 1 in 10 sampled, as shipped): p50 / p95 / p99',
      (p) => `${ms(p.serverReads.p50)} / ${ms(p.serverReads.p95)} / ${ms(p.serverReads.p99)}`,
      '',
    ],
    [
      "… the instances' event-loop delay: p99 / max (a read waits it before its timing starts)",
      (p) => p.appLoops.map((l) => `${l.name} ${ms(l.p99)} / ${ms(l.max)}`).join(', '),
      '',
    ],
    [
      "… the load generator's own event-loop delay: p99 / max",
      (p) => `${ms(p.loadLoop.p99)} / ${ms(p.loadLoop.max)}`,
      '',
    ],
    [
      'listings matched to the reservers (the others sold before their matching job ran)',
      (p) => `${p.matched} of ${p.published}`,
      '',
    ],
    [
      'publication → reserver event: p50 / p95 / max',
      (p) => `${sec(p.events.p50)} / ${sec(p.events.p95)} / ${sec(p.events.max)}`,
      'p95 ≤ 2 s',
    ],
    [
      '… p95 of publication → notification written; written → on the stream',
      (p) => `${sec(p.eventSplit.written)}; ${sec(p.eventSplit.delivered)}`,
      '',
    ],
    [
      'reservation events delivered of written (lost; duplicates)',
      (p) =>
        `${p.events.received} of ${p.events.expected} (${p.events.expected - p.events.received}; ${p.events.duplicates})`,
      '0 lost',
    ],
    [
      '5xx; other errors',
      (p) => `${p.fivexx}; ${p.errors.filter((e) => !/→ 5\d\d/.test(e)).join(', ') || 'none'}`,
      '0 5xx',
    ],
    [
      'RSS per instance: peak / end',
      (p) => p.rss.map((r) => `${r.name} ${r.peak.toFixed(0)} / ${r.end.toFixed(0)} MB`).join(', '),
      '',
    ],
    [
      'CPU seconds during the race (machine busy)',
      (p) =>
        `${p.cpu
          .filter((x) => x.seconds >= 0.05)
          .map((x) => `${x.name} ${x.seconds.toFixed(1)}`)
          .join(', ')} (${(p.machineBusy * 100).toFixed(0)} %)`,
      '',
    ],
  ];
  const pass = (p: Phase) =>
    p.reads.p99 <= 250 &&
    p.events.p95 <= 2000 &&
    p.events.received === p.events.expected &&
    p.fivexx === 0 &&
    p.doubleSales === 0 &&
    p.doubleCharges === 0 &&
    p.sold === p.published &&
    p.paidOrders === p.published &&
    p.streamsOpen === s.streams;
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return [
    '## Flash crowd',
    '',
    `${when} UTC · ${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? '?'}) · ` +
      `Node ${process.version} · MariaDB + Redis · nginx (1 worker, deploy/nginx.conf's microcache) · ` +
      `instances as shipped (NODE_ENV=production, JOBS=off, access log on) + 1 worker · load ` +
      `generator on the same machine · ${s.streams} streams, ${s.rate} reads/s, ${s.buyers} buyers, ` +
      `${s.listings} listings, ${s.reservers} reservers · load average before ${startedLoad}, after ${loadAverage()}`,
    '',
    `| measure | ${phases.map((p) => `${p.instances} instance${p.instances > 1 ? 's' : ''}`).join(' | ')} | target |`,
    `|---|${phases.map(() => '---:|').join('')}---|`,
    ...rows.map(
      ([name, cell, target]) => `| ${name} | ${phases.map(cell).join(' | ')} | ${target} |`,
    ),
    `| verdict | ${phases.map((p) => verdict(pass(p))).join(' | ')} | |`,
  ].join('\n');
}

// ---- main ---------------------------------------------------------------------------------------
export async function main(argv: string[]) {
  const s = parse(argv);
  const limits = fileLimits();
  // This process holds every stream and the browsing connections; nginx two per stream.
  const needed = s.streams + s.buyers + 2_000;
  if (limits.soft < needed) {
    if (limits.hard < needed)
      throw new Error(
        `crowd: ${s.streams} streams need ${needed} open files; the hard limit is ${limits.hard} ` +
          '(raise it, e.g. `ulimit -Hn 65536` as root, or pass a smaller --streams)',
      );
    // Raise the soft limit for this process by running again under `ulimit -n`.
    log(`open-file limit ${limits.soft} < ${needed}: running again under ulimit -n ${limits.hard}`);
    const again = spawnSync(
      'sh',
      [
        '-c',
        `ulimit -n ${limits.hard} && exec "$@"`,
        'sh',
        process.execPath,
        ...process.execArgv,
        path.join(ROOT, 'bench/run.ts'),
        '--crowd',
        ...argv,
      ],
      { stdio: 'inherit' },
    );
    process.exitCode = again.status ?? 1;
    return;
  }
  const nofile = Math.min(limits.hard, Math.max(needed * 2, 8_192));
  const startedLoad = loadAverage();
  const hardStop = setTimeout(() => {
    console.error(`crowd: time limit (${LIMIT_S} s) reached; stopping`);
    void stopAll().then(() => process.exit(1));
  }, LIMIT_S * 1000);
  hardStop.unref();

  work = mkdtempSync(path.join(os.tmpdir(), 'pas-crowd-'));
  chmodSync(work, 0o755); // nginx's workers (nobody, when run as root) reach their dir inside
  const dbName = `pas_crowd_${process.pid}_${Date.now().toString(36)}`;
  const prefix = `pas:crowd:${process.pid}:`;
  const admin = createDatabase({ driver: 'mysql', url: MYSQL_URL });
  let database: Database | null = null;
  let failed: boolean;
  try {
    await sql
      .raw(`create database \`${dbName}\` character set utf8mb4 collate utf8mb4_bin`)
      .execute(admin.db);
    database = createDatabase({ driver: 'mysql', url: `${MYSQL_URL}/${dbName}` });
    const jwtSecret = randomBytes(48).toString('base64url');
    log(`seeding ${dbName}: ${s.streams} fans, ${BROWSE_GAMES} games with listings`);
    const world = await seedWorld(database, jwtSecret, s);

    const [portA, portB, portOne, portTwo] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const common = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: `${MYSQL_URL}/${dbName}`,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      JWT_SECRET: jwtSecret,
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PUBLIC_URL: `http://127.0.0.1:${portTwo}`,
      DEMO_DATA: 'false',
      MIGRATE_ON_START: 'false',
      TRUST_PROXY: '127.0.0.1',
      SHUTDOWN_GRACE_MS: '0',
    };
    const apps = (['a', 'b'] as const).map((which) => {
      const port = which === 'a' ? portA : portB;
      const name = `app-${which}`;
      const proc = start(
        name,
        [NODE, 'server/src/main.ts'],
        { ...common, PORT: String(port), DATA_DIR: path.join(work, name), JOBS: 'off' },
        appLog(name),
        nofile,
      );
      return { name, proc, port };
    });
    for (const a of apps) await waitOk(`http://127.0.0.1:${a.port}/readyz`, 60, a.proc);
    const worker = start(
      'worker',
      [NODE, 'server/src/worker.ts'],
      { ...common, DATA_DIR: path.join(work, 'worker') },
      appLog('worker'),
      1_024,
    );
    const nginx = startNginx(
      path.join(work, 'nginx'),
      [
        { listen: portOne, upstream: [portA] },
        { listen: portTwo, upstream: [portA, portB] },
      ],
      { production: true, workerConnections: Math.max(4_096, 2 * s.streams + 2_000) },
    );
    children.push({ name: 'nginx', proc: nginx });
    await waitOk(`http://127.0.0.1:${portTwo}/healthz`, 15, nginx);

    const phases: Phase[] = [];
    for (const instances of s.topologies) {
      const base = `http://127.0.0.1:${instances === 1 ? portOne : portTwo}`;
      const phase = await runPhase(
        instances,
        base,
        apps.slice(0, instances),
        [
          ...apps.slice(instances).map((a) => ({ name: `${a.name} (idle)`, proc: a.proc })),
          { name: 'worker', proc: worker },
          { name: 'nginx', proc: nginx },
        ],
        database,
        world,
        s,
      );
      phases.push(phase);
      log(
        `${instances} instance(s): reads p99 ${phase.reads.p99.toFixed(0)} ms, events p95 ` +
          `${(phase.events.p95 / 1000).toFixed(2)} s, ${phase.events.expected - phase.events.received} lost, ` +
          `${phase.fivexx} 5xx, sold ${phase.sold}/${phase.published}`,
      );
      log(
        `reads by route (p95 / p99 ms, n): ${phase.routeTail
          .map((r) => `${r.route} ${r.p95.toFixed(0)} / ${r.p99.toFixed(0)} (${r.n})`)
          .join('; ')}`,
      );
      log(`slow reads (> 250 ms) by second of the race: ${phase.slowReadsBySecond}`);
      if (phase.errors.length) log(`errors: ${phase.errors.join('; ')}`);
      await sleep(2_000); // streams closed, their unsubscriptions done
    }
    const section = report(phases, s, startedLoad);
    console.log(`\n${section}\n`);
    if (s.write) await writePerformanceDoc(section, 'crowd');
    failed = phases.some(
      (p) =>
        p.fivexx > 0 ||
        p.events.received !== p.events.expected ||
        p.doubleSales > 0 ||
        p.doubleCharges > 0 ||
        p.reads.p99 > 250 ||
        p.events.p95 > 2000,
    );
  } finally {
    clearTimeout(hardStop);
    await stopAll();
    const keep = path.join(ROOT, 'test-results/bench/crowd');
    mkdirSync(keep, { recursive: true });
    for (const f of ['app-a.log', 'app-b.log', 'worker.log', 'nginx/error.log'])
      try {
        copyFileSync(path.join(work, f), path.join(keep, f.replace('/', '-')));
      } catch {
        // never written
      }
    await database?.destroy();
    await sql
      .raw(`drop database if exists \`${dbName}\``)
      .execute(admin.db)
      .catch(() => {});
    await admin.destroy();
    await clearRedisPrefix(REDIS_URL, prefix).catch((err: unknown) =>
      log(`could not clear Redis ${prefix}*: ${String(err)}`),
    );
    if (process.env.CROWD_KEEP) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}
