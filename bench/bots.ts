// `npm run bench -- --bots`: the two attacks of issue 16 replayed against a running server, and
// what an ordinary client sees meanwhile (docs/SECURITY.md "Bots, replayed").
//
// The server: the app as `npm start` runs it (e2e/lib.ts startServer: a temp SQLite DATA_DIR with
// demo data, rate limits on, JOBS=inline) on 127.0.0.1, with TRUST_PROXY=127.0.0.1 as behind the
// deployed nginx, so each party below is told apart by the X-Forwarded-For address it sends (TEST-
// NET addresses: the bots from one, the photo flood from another, the ordinary client from a third);
// or the server at E2E_BASE_URL (loopback only; E2E_OUTBOX_DIR its file outbox, for the e-mail
// verification links). Accounts go through the real register + verify-e-mail path.
//
// - the hold sweep: BOTS fresh accounts behind one address hold every listing of the busiest game
//   (most listings on sale), cancel every other hold and hold that listing again, sweep after
//   sweep for one hold period plus a few seconds; then the listings are watched until each one the
//   bots held is back on sale;
// - the photo flood: UPLOADERS accounts behind another address post listings with 5 progressive
//   JPEGs of ~40 megapixels each (made with sharp), back to back, for FLOOD seconds;
// - an ordinary client from a third address browses all along: the month's games, the game's
//   tickets, a listing, a listing photo, and a sign-in every few seconds; first alone (quiet),
//   then during both attacks.
// Prints: the bots' answers by status and code, holds made, the fewest listings the game showed,
// whether each held listing was back on sale within one hold period of its hold, seller e-mails
// sent during the sweep, the flood's answers, and p50/p95 of the ordinary requests, quiet vs
// attacked. Bounded in time (BOTS_LIMIT_S, default 240 s) and count.
// Options: --bots 5 --uploaders 10 --flood-seconds 20 --quiet-seconds 8 --hold-seconds 20 (the
// CHECKOUT_HOLD_SECONDS of the server it starts; an external server's is read from its orders).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Api, startServer, taipeiDate, type ApiUser } from '../e2e/lib.ts';
import { loadAverage } from './report.ts';

const BOT_ADDRESS = '203.0.113.66';
const FLOOD_ADDRESS = '203.0.113.77';
const FAN_ADDRESS = '198.51.100.7';
const PASSWORD = 'correct-horse-42'; // Api.register's
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[bots ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      bots: { type: 'string', default: '5' },
      uploaders: { type: 'string', default: '10' },
      'flood-seconds': { type: 'string', default: '20' },
      'quiet-seconds': { type: 'string', default: '8' },
      'hold-seconds': { type: 'string', default: '20' },
    },
  });
  const int = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  return {
    bots: int('bots', 1, 20),
    uploaders: int('uploaders', 0, 16),
    floodSeconds: int('flood-seconds', 1, 60),
    quietSeconds: int('quiet-seconds', 1, 60),
    holdSeconds: int('hold-seconds', 5, 120),
  };
}

/** Answers by "status code" (e.g. "429 HOLD_LIMIT", "201"), counted. */
class Tally {
  readonly counts = new Map<string, number>();
  add(key: string) {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  get(key: string) {
    return this.counts.get(key) ?? 0;
  }
  toString() {
    return (
      [...this.counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, n]) => `${n} × ${k}`)
        .join(', ') || 'none'
    );
  }
}

interface Answer {
  status: number;
  code: string | null;
  body: unknown;
  ms: number;
}

/** One request from `address` (X-Forwarded-For), timed; network errors come back as status 0. */
async function call(
  baseUrl: string,
  address: string,
  method: string,
  url: string,
  init: { token?: string; json?: unknown; form?: FormData; signal?: AbortSignal } = {},
): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        'x-forwarded-for': address,
        'accept-encoding': 'gzip, br',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const type = res.headers.get('content-type') ?? '';
    const body: unknown = type.includes('json') ? await res.json() : await res.arrayBuffer();
    const code = (body as { error?: { code?: string } } | null)?.error?.code ?? null;
    return { status: res.status, code, body, ms: performance.now() - started };
  } catch (err) {
    return {
      status: 0,
      code:
        err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
          ? 'client gave up'
          : err instanceof Error
            ? err.message.slice(0, 40)
            : 'network error',
      body: null,
      ms: performance.now() - started,
    };
  }
}

const keyOf = (a: Answer) => (a.code ? `${a.status} ${a.code}` : String(a.status));

function percentile(xs: number[], p: number) {
  if (!xs.length) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface GameRow {
  id: string;
  listingCount: number;
  onSale: boolean;
}

/** The ordinary client: a page view every ~400 ms, a sign-in every 4 s (the auth limit is 20/min). */
function browse(
  baseUrl: string,
  fan: ApiUser,
  paths: { games: string; tickets: string; listing: string; image: string },
) {
  const samples = new Map<string, number[]>();
  const errors = new Tally();
  let stopped = false;
  let lastLogin = 0;
  const record = (kind: string, a: Answer) => {
    if (a.status >= 200 && a.status < 400) {
      const list = samples.get(kind) ?? [];
      list.push(a.ms);
      samples.set(kind, list);
    } else errors.add(`${kind}: ${keyOf(a)}`);
  };
  const done = (async () => {
    while (!stopped) {
      const cycle = performance.now();
      record('games of the month', await call(baseUrl, FAN_ADDRESS, 'GET', paths.games));
      record("a game's tickets", await call(baseUrl, FAN_ADDRESS, 'GET', paths.tickets));
      record('listing detail', await call(baseUrl, FAN_ADDRESS, 'GET', paths.listing));
      record('listing photo', await call(baseUrl, FAN_ADDRESS, 'GET', paths.image));
      if (Date.now() - lastLogin >= 4000) {
        lastLogin = Date.now();
        record(
          'sign-in',
          await call(baseUrl, FAN_ADDRESS, 'POST', '/api/auth/login', {
            json: { email: fan.email, password: PASSWORD },
          }),
        );
      }
      await sleep(Math.max(0, 400 - (performance.now() - cycle)));
    }
  })();
  return {
    /** Stops and returns p50/p95/count per kind of request, and the failures. */
    async stop() {
      stopped = true;
      await done;
      return { samples, errors };
    },
    /** Starts a new measurement window (keeps browsing); failures are counted over all. */
    reset() {
      const previous = new Map(samples);
      samples.clear();
      return previous;
    },
  };
}

/** A progressive JPEG just under the server's 40-megapixel decoding limit. */
async function bigJpeg() {
  const width = 7200;
  const height = 5500; // 39.6 MP
  return sharp({ create: { width, height, channels: 3, background: '#3a7d44' } })
    .jpeg({ progressive: true, quality: 90 })
    .toBuffer()
    .then((buffer) => ({ buffer, megapixels: (width * height) / 1e6 }));
}

export async function main(argv: string[]) {
  const opts = options(argv);
  const limitS = Number(process.env.BOTS_LIMIT_S ?? 240);
  const external = process.env.E2E_BASE_URL;
  if (external && !/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(external))
    throw new Error('the bots run against a loopback server only (E2E_BASE_URL)');
  const server = await startServer({
    web: false,
    env: {
      RATE_LIMIT: 'on',
      TRUST_PROXY: '127.0.0.1',
      CHECKOUT_HOLD_SECONDS: String(opts.holdSeconds),
      // The bots' 503s would fill the terminal; they are counted below.
      LOG_LEVEL: 'fatal',
      LOG_REQUESTS: 'off',
    },
  });
  const hardStop = setTimeout(() => {
    console.error(`bench --bots: time limit (${limitS} s) reached`);
    void server.stop().then(() => process.exit(1));
  }, limitS * 1000);
  hardStop.unref();
  try {
    await run(server.baseUrl, server.outboxDir, opts);
  } finally {
    clearTimeout(hardStop);
    await server.stop();
  }
}

async function run(baseUrl: string, outboxDir: string | null, opts: ReturnType<typeof options>) {
  log(`server ${baseUrl} · load average ${loadAverage()}`);
  const api = new Api(baseUrl, outboxDir);
  // The busiest game of the coming weeks, and another one for the fan's own listing with a photo.
  const gamesPath = `/api/games?from=${taipeiDate(0)}&to=${taipeiDate(45)}`;
  const games = (await api.request<{ items: GameRow[] }>('GET', gamesPath)).items
    .filter((g) => g.onSale)
    .sort((a, b) => b.listingCount - a.listingCount);
  const target = games[0];
  const other = games[1];
  if (!target || !other || target.listingCount === 0)
    throw new Error('no game on sale with listings (the server needs demo data)');

  const register = (prefix: string, n: number) =>
    Promise.all(Array.from({ length: n }, () => api.register(prefix)));
  const fan = await api.register('fan');
  const bots = await register('bot', opts.bots);
  const uploaders = await register('flood', opts.uploaders);
  log(
    `${bots.length} bot, ${uploaders.length} uploader accounts and a fan registered and verified`,
  );

  // The fan's listing with a small photo: what "an image fetch" fetches.
  const otherDetail = await api.request<{ areas: { id: string; faceValueMin: number }[] }>(
    'GET',
    `/api/games/${other.id}`,
  );
  const fields = (gameId: string, area: { id: string; faceValueMin: number }) => ({
    gameId,
    areaId: area.id,
    section: '101',
    quantity: '1',
    price: String(area.faceValueMin),
    faceValue: String(area.faceValueMin),
    deliveryMethod: 'eticket_transfer',
  });
  const formOf = (values: Record<string, string>, photos: Buffer[]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(values)) form.append(k, v);
    for (const [i, p] of photos.entries())
      form.append('images', new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `p${i}.jpg`);
    return form;
  };
  const small = await sharp({
    create: { width: 800, height: 600, channels: 3, background: '#c33' },
  })
    .jpeg()
    .toBuffer();
  const fanListing = await call(baseUrl, FAN_ADDRESS, 'POST', '/api/listings', {
    token: fan.token,
    form: formOf(fields(other.id, otherDetail.areas[0]!), [small]),
  });
  if (fanListing.status !== 201)
    throw new Error(`the fan's listing: ${keyOf(fanListing)} ${JSON.stringify(fanListing.body)}`);
  const listing = fanListing.body as { id: string; images: { url: string }[] };
  const ticketsPath = `/api/games/${target.id}/listings?limit=50`;
  const onSale = async () =>
    (await api.request<{ items: { id: string }[] }>('GET', ticketsPath)).items.map((l) => l.id);
  const initial = await onSale();
  log(`busiest game ${target.id}: ${initial.length} listings on sale`);

  const fanLoop = browse(baseUrl, fan, {
    games: gamesPath,
    tickets: ticketsPath,
    listing: `/api/listings/${listing.id}`,
    image: new URL(listing.images[0]!.url, baseUrl).pathname,
  });
  log(`quiet: the ordinary client alone for ${opts.quietSeconds} s`);
  await sleep(opts.quietSeconds * 1000);
  const quiet = fanLoop.reset();

  // ---- the attacks ---------------------------------------------------------------------------
  const mailsBefore = new Set(mailFiles(outboxDir));
  const botAnswers = new Tally();
  const holds: { listingId: string; at: number; expiresAt: number }[] = [];
  let holdSeconds: number | null = null;
  let fewest = initial.length;
  const sweepStart = Date.now();
  let sweepEnd = 0;
  const watcher = (async () => {
    while (!sweepEnd) {
      fewest = Math.min(fewest, (await onSale()).length);
      await sleep(250);
    }
  })();
  const sweep = async (bot: ApiUser) => {
    // Sweeps until one hold period (plus 5 s) has passed; 60 s when no hold was ever made.
    const over = () =>
      Date.now() - sweepStart > (holdSeconds === null ? 60 : holdSeconds + 5) * 1000;
    while (!over()) {
      for (const id of await onSale()) {
        const a = await call(baseUrl, BOT_ADDRESS, 'POST', '/api/orders', {
          token: bot.token,
          json: { listingId: id },
        });
        botAnswers.add(keyOf(a));
        if (a.status !== 201) continue;
        const order = a.body as { id: string; expiresAt: string; createdAt: string };
        holdSeconds ??= (Date.parse(order.expiresAt) - Date.parse(order.createdAt)) / 1000;
        holds.push({ listingId: id, at: Date.now(), expiresAt: Date.parse(order.expiresAt) });
        if (holds.length % 2 === 0) {
          // cancel-and-re-hold: keep the listing off sale without paying
          const c = await call(baseUrl, BOT_ADDRESS, 'POST', `/api/orders/${order.id}/cancel`, {
            token: bot.token,
            json: {},
          });
          botAnswers.add(`cancel ${keyOf(c)}`);
          const again = await call(baseUrl, BOT_ADDRESS, 'POST', '/api/orders', {
            token: bot.token,
            json: { listingId: id },
          });
          botAnswers.add(`re-hold ${keyOf(again)}`);
        }
      }
      await sleep(300);
    }
  };
  const floodAnswers = new Tally();
  const floodLatency: number[] = [];
  const photo = await bigJpeg();
  const flood = async (uploader: ApiUser) => {
    const until = Date.now() + opts.floodSeconds * 1000;
    while (Date.now() < until) {
      // A client waits at most 30 s past the flood's end for an upload it started.
      const a = await call(baseUrl, FLOOD_ADDRESS, 'POST', '/api/listings', {
        token: uploader.token,
        signal: AbortSignal.timeout(until + 30_000 - Date.now()),
        // On the other game: the busiest one keeps the listings the bots sweep.
        form: formOf(fields(other.id, otherDetail.areas[0]!), [
          photo.buffer,
          photo.buffer,
          photo.buffer,
          photo.buffer,
          photo.buffer,
        ]),
      });
      floodAnswers.add(keyOf(a));
      floodLatency.push(a.ms);
      if (a.status !== 201) await sleep(250);
    }
  };
  log(
    `attack: ${bots.length} bots sweep the game's holds; ${uploaders.length} accounts upload 5 × ` +
      `${photo.megapixels.toFixed(1)} MP progressive JPEGs (${(photo.buffer.length / 1024).toFixed(0)} kB ` +
      `each) for ${opts.floodSeconds} s`,
  );
  // The sweep, then the watch until every listing the bots held is back on sale; meanwhile the
  // flood runs its course.
  const lastHold = new Map<string, { at: number; expiresAt: number }>();
  const backAt = new Map<string, number>();
  let mailsToOthers = 0;
  let mailsToBots = 0;
  const sweepThenWatch = async () => {
    await Promise.all(bots.map(sweep));
    sweepEnd = Date.now();
    await watcher;
    const botEmails = new Set(bots.map((b) => b.email.toLowerCase()));
    for (const to of newMailRecipients(outboxDir, mailsBefore)) {
      if (botEmails.has(to)) mailsToBots++;
      else mailsToOthers++;
    }
    // Every listing the bots held must be on sale again one hold period after its last hold.
    for (const h of holds) lastHold.set(h.listingId, h);
    const deadline = Math.max(0, ...[...lastHold.values()].map((h) => h.expiresAt)) + 8000;
    do {
      const now = Date.now();
      const ids = new Set(await onSale());
      for (const id of lastHold.keys()) if (ids.has(id) && !backAt.has(id)) backAt.set(id, now);
      await sleep(250);
    } while (backAt.size < lastHold.size && Date.now() < deadline);
  };
  await Promise.all([sweepThenWatch(), ...uploaders.map(flood)]);
  const attacked = fanLoop.reset();
  const period = (holdSeconds ?? opts.holdSeconds) * 1000;
  const late = [...lastHold].filter(([id, h]) => {
    const back = backAt.get(id);
    // The hold's end plus the expiry's latency (a job due at expires_at; seconds on a busy machine).
    return back === undefined || back - h.at > period + 5000;
  });
  const lateness = [...lastHold].map(
    ([id, h]) => ((backAt.get(id) ?? Infinity) - h.expiresAt) / 1000,
  );
  const { errors: fanFailures } = await fanLoop.stop();

  // ---- report --------------------------------------------------------------------------------
  const lines: string[] = [];
  const held = holds.length;
  lines.push(
    `hold sweep (${bots.length} accounts, one address, ${((sweepEnd - sweepStart) / 1000).toFixed(0)} s, ` +
      `hold period ${period / 1000} s): ${held} holds on ${lastHold.size} of ${initial.length} listings`,
    `  answers: ${botAnswers.toString()}`,
    `  fewest listings on the game's page during the sweep: ${fewest} of ${initial.length}`,
    `  every held listing back on sale within one hold period of its last hold: ` +
      `${late.length === 0 ? 'yes' : `no (${late.length} late)`}` +
      (lateness.length
        ? ` · back at most ${Math.max(...lateness).toFixed(1)} s after its hold's end`
        : ''),
    `  e-mails sent during the sweep: ${mailsToOthers} to others (sellers hear only of paid ` +
      `orders), ${mailsToBots} to the bots themselves`,
    `photo flood (${uploaders.length} accounts, one address, ${opts.floodSeconds} s, 5 × ` +
      `${photo.megapixels.toFixed(1)} MP per request): ${floodAnswers.toString()} · ` +
      `latency p50 ${percentile(floodLatency, 50).toFixed(0)} ms, p95 ` +
      `${percentile(floodLatency, 95).toFixed(0)} ms`,
    '',
    '| ordinary request | quiet p50 / p95 (n) | during the attacks p50 / p95 (n) |',
    '|---|---:|---:|',
  );
  const cell = (xs: number[] | undefined) =>
    xs?.length
      ? `${percentile(xs, 50).toFixed(0)} / ${percentile(xs, 95).toFixed(0)} ms (${xs.length})`
      : '–';
  for (const kind of quiet.keys())
    lines.push(`| ${kind} | ${cell(quiet.get(kind))} | ${cell(attacked.get(kind))} |`);
  lines.push('', `ordinary requests refused or failed: ${fanFailures.toString()}`);
  console.log(`\n${lines.join('\n')}\n\nload average at the end ${loadAverage()}`);
  if (late.length || fewest === 0) process.exitCode = 1;
}

/** .eml files in the server's file outbox (null: unknown). */
function mailFiles(dir: string | null) {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.eml'));
}

/** The recipient of each mail written since `before`, lower-cased. */
function newMailRecipients(dir: string | null, before: Set<string>) {
  return mailFiles(dir)
    .filter((f) => !before.has(f))
    .map((f) =>
      /^to: *(?:.*<)?([^\s<>]+@[^\s<>]+?)>?$/im.exec(readFileSync(path.join(dir!, f), 'utf8')),
    )
    .map((m) => m?.[1]?.toLowerCase() ?? '?');
}
