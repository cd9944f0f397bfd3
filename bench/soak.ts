// `npm run soak`: a bounded soak of the production topology on this machine. Not part of the test
// suite or of every CI run.
//   two app instances (JOBS=off) + one `server/src/worker.ts`, on a fresh MariaDB database and
//   Redis (own key prefix), behind Debian's nginx (config generated into a temp dir);
//   an open-loop load at a fixed rate (SOAK_RATE flows/s, default 50) for SOAK_SECONDS (default
//   300): 90 % browsing (game list, a game, its listings, its price summary, a listing), 10 %
//   buying (POST /api/orders on a listing seen active, then pay with sim_approve; one buy in five
//   abandons its hold, which expires after CHECKOUT_HOLD_SECONDS=20 and sells again later).
// Reports: errors (5xx, network errors, unexpected 4xx; 409/422 business refusals are counted
// apart), latency, lost notifications (a paid order whose seller has no order_paid notification
// once the worker is idle), double sales (SQL: a listing with more than one paid order, an order
// with more than one succeeded payment), dead jobs, and each instance's RSS after warm-up vs at
// the end (growth must stay under 10 %). Exit code 1 when a criterion fails.
// Environment: SOAK_SECONDS, SOAK_RATE, SOAK_MYSQL_URL (server URL without database, default
// mysql://root@127.0.0.1:3306), SOAK_REDIS_URL (default redis://127.0.0.1:6379), NGINX_BIN.
// Processes are stopped by pid and the database dropped at the end; the report goes to stdout and
// test-results/soak/report.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createSessionTokens, createTokenService } from '../server/src/modules/accounts/index.ts';
import { seedCatalog } from '../server/src/modules/catalog/index.ts';
import { createDatabase, type Database } from '../server/src/platform/db/database.ts';
import { DAY, taipeiDate } from '../server/src/shared/clock.ts';
import { newId } from '../server/src/shared/ids.ts';
import { freePort, startNginx } from './nginx.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');
const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const RATE = Number(process.env.SOAK_RATE ?? 50);
const MYSQL_URL = (process.env.SOAK_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/$/, '');
const REDIS_URL = process.env.SOAK_REDIS_URL ?? 'redis://127.0.0.1:6379';
const HOLD_SECONDS = 20;
const GAMES = 24;
const LISTINGS = 1200;
const BUYERS = 600;
const SELLERS = 60;
const BUY_SHARE = 0.1;
const ABANDON_SHARE = 0.2;
const WARMUP_S = Math.min(60, Math.max(10, Math.round(SECONDS / 5)));

const log = (msg: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- processes (each stopped by its own pid) ----------------------------------------------------
const children: { name: string; proc: ChildProcess }[] = [];

function start(
  name: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  logDir: string,
) {
  const out = path.join(logDir, `${name}.log`);
  writeFileSync(out, '');
  const proc = spawn(cmd, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (d: Buffer) => {
    try {
      writeFileSync(out, d, { flag: 'a' });
    } catch {
      // the work dir is gone at the very end
    }
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  children.push({ name, proc });
  return proc;
}

async function stopAll() {
  for (const { proc } of children.reverse()) {
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
      throw new Error(`process for ${url} exited`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  throw new Error(`${url} not ready after ${seconds}s`);
}

function rssKb(pid: number | undefined): number {
  if (!pid) return 0;
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

// ---- data ---------------------------------------------------------------------------------------
interface Seeded {
  games: string[];
  listings: { id: string; gameId: string }[];
  buyers: string[]; // Authorization header values
}

async function seed(database: Database, jwtSecret: string): Promise<Seeded> {
  const { db } = database;
  await database.migrate();
  await seedCatalog(db);
  const now = new Date();
  const nowIso = now.toISOString();
  const teams = await db.selectFrom('teams').select(['id', 'home_stadium_abbe']).execute();
  const stadiums = await db.selectFrom('stadiums').select(['id', 'abbe']).execute();
  const areas = await db.selectFrom('seat_areas').selectAll().execute();
  const games: { id: string; stadiumId: string }[] = [];
  for (let i = 0; i < GAMES; i++) {
    const home = teams[i % teams.length]!;
    const away = teams[(i + 1) % teams.length]!;
    const stadiumId = (stadiums.find((s) => s.abbe === home.home_stadium_abbe) ?? stadiums[0]!).id;
    const startsAt = new Date(now.getTime() + (3 + (i % 10)) * DAY + i * 60_000);
    const id = newId();
    await db
      .insertInto('games')
      .values({
        id,
        year: startsAt.getUTCFullYear(),
        kind: 'A',
        game_no: 5_000_000 + randomInt(1_000_000_000),
        home_team_id: home.id,
        away_team_id: away.id,
        stadium_id: stadiumId,
        starts_at: startsAt.toISOString(),
        local_date: taipeiDate(startsAt),
        status: 'scheduled',
        makeup_starts_at: null,
        is_demo: 0,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .execute();
    games.push({ id, stadiumId });
  }
  const user = (role: 'seller' | 'buyer', i: number) => {
    const email = `soak-${role}-${i}-${randomBytes(4).toString('hex')}@example.test`;
    return {
      id: newId(),
      email,
      email_normalized: email,
      password_hash: '!',
      name: `Soak ${role} ${i}`,
      favorite_team_id: null,
      locale: 'zh-TW' as const,
      email_notifications: 1,
      role: 'user' as const,
      status: 'active' as const,
      payout_bank_code: null,
      payout_account: null,
      email_verified_at: nowIso,
      rating_sum: 0,
      rating_count: 0,
      completed_sales: 0,
      created_at: nowIso,
      updated_at: nowIso,
    };
  };
  const sellers = Array.from({ length: SELLERS }, (_, i) => user('seller', i));
  const buyers = Array.from({ length: BUYERS }, (_, i) => user('buyer', i));
  for (let i = 0; i < sellers.length + buyers.length; i += 200)
    await db
      .insertInto('users')
      .values([...sellers, ...buyers].slice(i, i + 200))
      .execute();
  const listings: { id: string; gameId: string }[] = [];
  const rows = [];
  for (let i = 0; i < LISTINGS; i++) {
    const game = games[i % games.length]!;
    const gameAreas = areas.filter((a) => a.stadium_id === game.stadiumId);
    const area = gameAreas[i % gameAreas.length]!;
    const id = newId();
    rows.push({
      id,
      game_id: game.id,
      seller_id: sellers[i % sellers.length]!.id,
      area_id: area.id,
      section: String(1 + (i % 30)),
      row_label: String(1 + (i % 20)),
      seats: `${i}-${i + 1}`,
      quantity: 1 + (i % 2),
      remaining: 1 + (i % 2),
      held: 0,
      split_rule: 'any' as const,
      price: Math.max(1, area.face_value_max - (i % 5) * 10),
      face_value: area.face_value_max,
      delivery_method: 'eticket_transfer' as const,
      note: null,
      status: 'active' as const,
      cover_thumb_key: null,
      created_at: nowIso,
      updated_at: nowIso,
    });
    listings.push({ id, gameId: game.id });
  }
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('listings')
      .values(rows.slice(i, i + 200))
      .execute();
  // A token is a session row too (sessions.ts): issued through accounts, so the server accepts it.
  const tokens = createSessionTokens(db, createTokenService(jwtSecret));
  const auth = await Promise.all(
    buyers.map(async (b) => `Bearer ${(await tokens.issue(b.id, now)).token}`),
  );
  return { games: games.map((g) => g.id), listings, buyers: auth };
}

// ---- load ---------------------------------------------------------------------------------------
interface Stats {
  requests: number;
  byStatus: Map<string, number>;
  errors: Map<string, number>;
  refusals: Map<string, number>;
  latencies: number[];
  flowsStarted: number;
  buysStarted: number;
  holds: number;
  paid: number;
  abandoned: number;
}

const stats: Stats = {
  requests: 0,
  byStatus: new Map(),
  errors: new Map(),
  refusals: new Map(),
  latencies: [],
  flowsStarted: 0,
  buysStarted: 0,
  holds: 0,
  paid: 0,
  abandoned: 0,
};
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** One request; returns its status and JSON body (null on a network error). */
async function call(
  base: string,
  method: string,
  url: string,
  auth?: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> | null }> {
  const started = performance.now();
  stats.requests++;
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(auth ? { authorization: auth } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    stats.latencies.push(performance.now() - started);
    bump(stats.byStatus, String(res.status));
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = null;
    }
    const code = (json?.error as { code?: string } | undefined)?.code ?? '';
    const route = `${method} ${url.replace(/[0-9a-z]{26}/g, ':id').replace(/\?.*$/, '')}`;
    if (res.status >= 500) bump(stats.errors, `${route} → ${res.status} ${code}`);
    else if (res.status >= 400) {
      const expected =
        (res.status === 409 && ['LISTING_UNAVAILABLE', 'INVALID_STATE'].includes(code)) ||
        (res.status === 422 && code === 'PURCHASE_LIMIT') ||
        (res.status === 409 && code === 'PURCHASE_LIMIT');
      if (expected) bump(stats.refusals, `${route} → ${res.status} ${code}`);
      else bump(stats.errors, `${route} → ${res.status} ${code}`);
    }
    return { status: res.status, json };
  } catch (err) {
    stats.latencies.push(performance.now() - started);
    bump(stats.errors, `${method} ${url.split('?')[0]} → network ${(err as Error).name}`);
    return { status: 0, json: null };
  }
}

const pick = <T>(a: readonly T[]) => a[randomInt(a.length)]!;

async function browse(base: string, data: Seeded) {
  const gameId = pick(data.games);
  switch (randomInt(5)) {
    case 0: {
      const from = taipeiDate(new Date());
      const to = taipeiDate(new Date(Date.now() + 14 * DAY));
      await call(base, 'GET', `/api/games?from=${from}&to=${to}`);
      return;
    }
    case 1:
      await call(base, 'GET', `/api/games/${gameId}`);
      return;
    case 2:
      await call(base, 'GET', `/api/games/${gameId}/listings`);
      return;
    case 3:
      await call(base, 'GET', `/api/games/${gameId}/price-summary`);
      return;
    default:
      await call(base, 'GET', `/api/listings/${pick(data.listings).id}`);
  }
}

const cardholder = { name: '王小明', email: 'soak@example.test', phoneNumber: '0912345678' };

async function buy(base: string, data: Seeded) {
  stats.buysStarted++;
  const auth = pick(data.buyers);
  const { gameId } = pick(data.listings);
  // Browse the game's listings like a buyer, then take one that is shown as active.
  const page = await call(base, 'GET', `/api/games/${gameId}/listings`, auth);
  const items = (page.json?.items as { id: string; status?: string }[] | undefined) ?? [];
  const active = items.filter((i) => !i.status || i.status === 'active');
  const listingId = active.length ? pick(active).id : pick(data.listings).id;
  const held = await call(base, 'POST', '/api/orders', auth, { listingId });
  if (held.status !== 201 || !held.json) return;
  stats.holds++;
  if (Math.random() < ABANDON_SHARE) {
    stats.abandoned++;
    return;
  }
  const paid = await call(base, 'POST', `/api/orders/${String(held.json.id)}/pay`, auth, {
    prime: 'sim_approve',
    cardholder,
  });
  if (paid.status === 200) stats.paid++;
}

async function runLoad(base: string, data: Seeded, seconds: number, onTick: (s: number) => void) {
  const inflight = new Set<Promise<void>>();
  const started = performance.now();
  const interval = 1000 / RATE;
  let next = started;
  let lastSecond = -1;
  while (performance.now() - started < seconds * 1000) {
    const now = performance.now();
    while (next <= now) {
      stats.flowsStarted++;
      const flow = Math.random() < BUY_SHARE ? buy(base, data) : browse(base, data);
      const p = flow.catch(() => {}).finally(() => inflight.delete(p));
      inflight.add(p);
      next += interval;
    }
    const second = Math.floor((now - started) / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      onTick(second);
    }
    await sleep(Math.max(1, next - performance.now()));
  }
  await Promise.allSettled([...inflight]);
}

// ---- checks -------------------------------------------------------------------------------------
async function waitForWorker(db: Database['db'], seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const due = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', 'in', ['pending', 'running'])
      .where('type', 'in', ['notification.send', 'mail.send', 'payments.refund'])
      .where('run_at', '<=', new Date().toISOString())
      .executeTakeFirstOrThrow();
    if (Number(due.n) === 0 || Date.now() > deadline) return Number(due.n);
    await sleep(500);
  }
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), 'pas-soak-'));
  const dbName = `pas_soak_${process.pid}_${Date.now()}`;
  const admin = createDatabase({ driver: 'mysql', url: MYSQL_URL });
  let database: Database | null = null;
  let exitCode: number;
  try {
    await sql
      .raw(`create database \`${dbName}\` character set utf8mb4 collate utf8mb4_bin`)
      .execute(admin.db);
    database = createDatabase({ driver: 'mysql', url: `${MYSQL_URL}/${dbName}` });
    const jwtSecret = randomBytes(48).toString('base64url');
    log(`seeding ${dbName}: ${GAMES} games, ${LISTINGS} listings, ${BUYERS} buyers`);
    const data = await seed(database, jwtSecret);

    const [portA, portB, portNginx] = [await freePort(), await freePort(), await freePort()];
    const base = `http://127.0.0.1:${portNginx}`;
    const common = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: `${MYSQL_URL}/${dbName}`,
      REDIS_URL,
      REDIS_PREFIX: `pas:soak:${process.pid}:`,
      JWT_SECRET: jwtSecret,
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PUBLIC_URL: base,
      DEMO_DATA: 'false',
      MIGRATE_ON_START: 'false',
      TRUST_PROXY: '127.0.0.1',
      CHECKOUT_HOLD_SECONDS: String(HOLD_SECONDS),
      LOG_LEVEL: 'warn',
      MAIL_TRANSPORT: 'log',
    };
    const appA = start(
      'app-a',
      NODE,
      ['server/src/main.ts'],
      { ...common, PORT: String(portA), DATA_DIR: path.join(work, 'a'), JOBS: 'off' },
      work,
    );
    const appB = start(
      'app-b',
      NODE,
      ['server/src/main.ts'],
      { ...common, PORT: String(portB), DATA_DIR: path.join(work, 'b'), JOBS: 'off' },
      work,
    );
    await waitOk(`http://127.0.0.1:${portA}/readyz`, 60, appA);
    await waitOk(`http://127.0.0.1:${portB}/readyz`, 60, appB);
    start(
      'worker',
      NODE,
      ['server/src/worker.ts'],
      { ...common, DATA_DIR: path.join(work, 'w') },
      work,
    );

    const nginx = startNginx(path.join(work, 'nginx'), [
      { listen: portNginx, upstream: [portA, portB] },
    ]);
    children.push({ name: 'nginx', proc: nginx });
    await waitOk(`${base}/healthz`, 15, nginx);

    const rssStart = { a: rssKb(appA.pid), b: rssKb(appB.pid) };
    let rssWarm = { ...rssStart };
    log(`load: ${RATE} flows/s for ${SECONDS}s through nginx (${base}); warm-up ${WARMUP_S}s`);
    const samples: string[] = [];
    await runLoad(base, data, SECONDS, (s) => {
      if (s === WARMUP_S) rssWarm = { a: rssKb(appA.pid), b: rssKb(appB.pid) };
      if (s % 30 === 0) {
        const line = `t=${s}s requests=${stats.requests} errors=${[...stats.errors.values()].reduce((x, y) => x + y, 0)} paid=${stats.paid} rss a/b=${Math.round(rssKb(appA.pid) / 1024)}/${Math.round(rssKb(appB.pid) / 1024)} MB`;
        samples.push(line);
        log(line);
      }
    });
    const rssEnd = { a: rssKb(appA.pid), b: rssKb(appB.pid) };

    log('load done; waiting for the worker to deliver notifications');
    const leftDue = await waitForWorker(database.db, 90);
    const db = database.db;
    const paidStatuses = ['paid', 'delivered', 'completed', 'disputed'] as const;
    const doubleSales = await sql<{ listing_id: string; n: number }>`
      select listing_id, count(*) as n from orders
      where status in (${sql.join(paidStatuses.map((s) => sql.lit(s)))})
      group by listing_id having count(*) > 1`.execute(db);
    const doubleCharges = await sql<{ order_id: string; n: number }>`
      select order_id, count(*) as n from payments where status = 'succeeded'
      group by order_id having count(*) > 1`.execute(db);
    const paidOrders = await db
      .selectFrom('orders')
      .select(['id', 'seller_id'])
      .where('status', 'in', [...paidStatuses])
      .execute();
    const notified = new Set(
      (
        await db
          .selectFrom('notifications')
          .select(['user_id', 'dedupe_key'])
          .where('type', '=', 'order_paid')
          .execute()
      ).map((r) => `${r.user_id} ${r.dedupe_key ?? ''}`),
    );
    const lost = paidOrders.filter((o) => !notified.has(`${o.seller_id} order_paid:${o.id}`));
    const deadJobs = await db
      .selectFrom('jobs')
      .select(['type', (eb) => eb.fn.countAll().as('n')])
      .where('status', '=', 'dead')
      .groupBy('type')
      .execute();
    const orderStates = await db
      .selectFrom('orders')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();

    const errorsTotal = [...stats.errors.values()].reduce((a, b) => a + b, 0);
    const growth = (k: 'a' | 'b') => (rssEnd[k] - rssWarm[k]) / Math.max(1, rssWarm[k]);
    const sorted = [...stats.latencies].sort((a, b) => a - b);
    const ok =
      errorsTotal === 0 &&
      lost.length === 0 &&
      doubleSales.rows.length === 0 &&
      doubleCharges.rows.length === 0 &&
      deadJobs.length === 0 &&
      growth('a') < 0.1 &&
      growth('b') < 0.1;
    const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
    const report = [
      `### Soak run ${new Date().toISOString().slice(0, 16)}Z — ${SECONDS}s at ${RATE} flows/s: ${ok ? 'PASS' : 'FAIL'}`,
      '',
      `Topology: 2 instances (JOBS=off) + 1 worker, MariaDB + Redis, nginx round robin; CHECKOUT_HOLD_SECONDS=${HOLD_SECONDS}.`,
      '',
      '| measure | value |',
      '|---|---|',
      `| flows started (browse / buy) | ${stats.flowsStarted} (${stats.flowsStarted - stats.buysStarted} / ${stats.buysStarted}) |`,
      `| HTTP requests | ${stats.requests} (${(stats.requests / SECONDS).toFixed(1)}/s) |`,
      `| status codes | ${[...stats.byStatus]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')} |`,
      `| latency p50 / p95 / p99 / max | ${pct(sorted, 50).toFixed(1)} / ${pct(sorted, 95).toFixed(1)} / ${pct(sorted, 99).toFixed(1)} / ${(sorted.at(-1) ?? 0).toFixed(1)} ms |`,
      `| errors (5xx, network, unexpected 4xx) | ${errorsTotal}${errorsTotal ? `: ${[...stats.errors].map(([k, v]) => `${k} ×${v}`).join('; ')}` : ''} |`,
      `| business refusals (expected) | ${[...stats.refusals].map(([k, v]) => `${k} ×${v}`).join('; ') || 'none'} |`,
      `| holds / paid / abandoned (expire) | ${stats.holds} / ${stats.paid} / ${stats.abandoned} |`,
      `| orders by status (database) | ${orderStates.map((r) => `${r.status}: ${String(r.n)}`).join(', ')} |`,
      `| double sales (listing with >1 paid order) | ${doubleSales.rows.length} |`,
      `| orders with >1 succeeded payment | ${doubleCharges.rows.length} |`,
      `| lost notifications (paid order, seller not told) | ${lost.length} of ${paidOrders.length}${leftDue ? ` (${leftDue} jobs still due after 90 s)` : ''} |`,
      `| dead jobs | ${deadJobs.length ? deadJobs.map((r) => `${r.type}: ${String(r.n)}`).join(', ') : 0} |`,
      `| RSS instance A: start / after ${WARMUP_S}s warm-up / end | ${mb(rssStart.a)} / ${mb(rssWarm.a)} / ${mb(rssEnd.a)} (${(growth('a') * 100).toFixed(1)} %) |`,
      `| RSS instance B: start / after ${WARMUP_S}s warm-up / end | ${mb(rssStart.b)} / ${mb(rssWarm.b)} / ${mb(rssEnd.b)} (${(growth('b') * 100).toFixed(1)} %) |`,
      '',
      'Progress:',
      '',
      ...samples.map((s) => `    ${s}`),
      '',
    ].join('\n');
    console.log(`\n${report}`);
    mkdirSync(path.join(ROOT, 'test-results/soak'), { recursive: true });
    writeFileSync(path.join(ROOT, 'test-results/soak/report.md'), report);
    exitCode = ok ? 0 : 1;
  } catch (err) {
    console.error(err);
    exitCode = 1;
  } finally {
    await stopAll();
    try {
      mkdirSync(path.join(ROOT, 'test-results/soak'), { recursive: true });
      const logs = { 'app-a': 'app-a.log', 'app-b': 'app-b.log', worker: 'worker.log' };
      for (const [name, file] of Object.entries({ ...logs, nginx: 'nginx/error.log' }))
        writeFileSync(
          path.join(ROOT, `test-results/soak/${name}.log`),
          readFileSync(path.join(work, file)),
        );
    } catch {
      // a log that was never created
    }
    await database?.destroy();
    await sql
      .raw(`drop database if exists \`${dbName}\``)
      .execute(admin.db)
      .catch(() => {});
    await admin.destroy();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
await main();
