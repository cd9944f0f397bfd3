// The checks of .ci/topology.sh, run against two app instances and a worker behind nginx:
//   node .ci/topology/checks.ts --base <nginx URL> --a <app-a URL> --b <app-b URL> --work <dir>
// Prints one line per check and closes with "N passed, N failed"; exits non-zero on a failure.
//
// Restarting an instance is the shell's job (it owns the processes): this script writes
// `<work>/ctl/request` ("restart a") and waits for `<work>/ctl/reply` ("ok" or "failed: …").
//
// Rate limits stay on (RATE_LIMIT=on, as in production). Every simulated user sends its own
// X-Forwarded-For address (198.18.0.0/15, the benchmarking range): nginx appends the real peer
// (127.0.0.1, the trusted proxy), so each instance sees a distinct client, as it would in
// production, and ~100 registrations do not trip the per-IP limit on /api/auth/*.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { emlText } from '../../e2e/lib.ts';

const { values: args } = parseArgs({
  options: {
    base: { type: 'string' },
    a: { type: 'string' },
    b: { type: 'string' },
    work: { type: 'string' },
    buyers: { type: 'string', default: '100' },
  },
});
if (!args.base || !args.a || !args.b || !args.work) {
  console.error('usage: node .ci/topology/checks.ts --base URL --a URL --b URL --work DIR');
  process.exit(2);
}
const BASE = args.base;
const APP: Record<'a' | 'b', string> = { a: args.a, b: args.b };
const WORK = args.work;
const BUYERS = Number(args.buyers);
const ADDR = { a: new URL(APP.a).host, b: new URL(APP.b).host };

const log = (msg: string) =>
  console.log(`[checks ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// ---- HTTP helpers --------------------------------------------------------------------------

interface Client {
  ip: string;
  token?: string;
  userId?: string;
}

let nextIp = 0;
function newClient(): Client {
  const n = nextIp++;
  return { ip: `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}` };
}

interface Answer {
  status: number;
  body: unknown;
  upstream: string | null;
  requestId: string | null;
}

async function call(
  base: string,
  method: string,
  url: string,
  options: { client?: Client; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.client) {
    headers['x-forwarded-for'] = options.client.ip;
    if (options.client.token) headers.authorization = `Bearer ${options.client.token}`;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${url}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics)
  }
  return {
    status: res.status,
    body,
    upstream: res.headers.get('x-upstream'),
    requestId: res.headers.get('x-request-id'),
  };
}

function expectStatus(answer: Answer, status: number, what: string) {
  if (answer.status !== status)
    throw new Error(
      `${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
}

async function register(client: Client, name: string): Promise<Client> {
  const email = `topo-${randomUUID()}@example.test`;
  const res = await call(BASE, 'POST', '/api/auth/register', {
    client,
    body: { email, password: 'topology-pass-1', name },
  });
  expectStatus(res, 201, `register ${name}`);
  const body = res.body as { token: string; user: { id: string } };
  client.token = body.token;
  client.userId = body.user.id;
  await verifyEmail(client, email);
  return client;
}

/**
 * Selling and checkout need a verified address: the instance that registered the account wrote
 * the verification mail into its DATA_DIR's outbox (MAIL_TRANSPORT=file); its link's token is
 * posted back, as the web app's /verify-email page does.
 */
async function verifyEmail(client: Client, email: string) {
  const outboxes = ['data-a', 'data-b'].map((d) => path.join(args.work!, d, 'outbox'));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const dir of outboxes.filter((d) => existsSync(d))) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml'))) {
        const raw = readFileSync(path.join(dir, file), 'utf8');
        if (!raw.toLowerCase().includes(`to: ${email}`)) continue;
        const token = /\/verify-email#token=([\w-]+)/.exec(emlText(raw))?.[1];
        if (!token) continue;
        const res = await call(BASE, 'POST', '/api/auth/verify-email', { client, body: { token } });
        expectStatus(res, 200, `verify ${email}`);
        return;
      }
    }
    await sleep(100);
  }
  throw new Error(`no verification mail for ${email} in ${outboxes.join(', ')}`);
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** The last address nginx tried (after a retry `$upstream_addr` lists them all). */
const lastUpstream = (u: string | null) =>
  u
    ?.split(/[,:]\s*/)
    .slice(-2)
    .join(':') ?? null;

// ---- fixtures ------------------------------------------------------------------------------

interface Area {
  id: string;
  faceValueMin: number;
  faceValueMax: number;
}
interface Game {
  id: string;
  startsAt: string;
  areas: Area[];
}

async function upcomingGames(): Promise<Game[]> {
  const today = new Date();
  const from = today.toISOString().slice(0, 10);
  const to = new Date(today.getTime() + 60 * 86_400_000).toISOString().slice(0, 10);
  const res = await call(BASE, 'GET', `/api/games?from=${from}&to=${to}`);
  expectStatus(res, 200, 'GET /api/games');
  const items = (res.body as { items: { id: string; status: string }[] }).items;
  const games: Game[] = [];
  for (const g of items.filter((x) => x.status === 'scheduled')) {
    const one = await call(BASE, 'GET', `/api/games/${g.id}`);
    expectStatus(one, 200, 'GET /api/games/:id');
    games.push(one.body as Game);
  }
  return games;
}

async function createListing(
  base: string,
  seller: Client,
  game: Game,
  headers: Record<string, string> = {},
): Promise<Answer & { listingId: string }> {
  const area = game.areas[0]!;
  const res = await call(base, 'POST', '/api/listings', {
    client: seller,
    headers,
    body: {
      gameId: game.id,
      areaId: area.id,
      section: '217',
      row: '5',
      seats: '11-12',
      quantity: 2,
      price: area.faceValueMin,
      faceValue: area.faceValueMax,
      deliveryMethod: 'eticket_transfer',
    },
  });
  expectStatus(res, 201, 'POST /api/listings');
  return { ...res, listingId: (res.body as { id: string }).id };
}

// ---- live notification stream --------------------------------------------------------------

interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

/** An open SSE stream: events as they arrive, and how it ended. */
function openStream(url: string, client: Client, lastEventId?: string) {
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const state = {
    status: 0,
    ended: null as null | 'clean' | string,
  };
  const controller = new AbortController();
  const notify = () => {
    for (const w of waiters) w();
  };
  const done = (async () => {
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${client.token!}`,
        'x-forwarded-for': client.ip,
        accept: 'text/event-stream',
      };
      if (lastEventId) headers['last-event-id'] = lastEventId;
      const res = await fetch(url, { headers, signal: controller.signal });
      state.status = res.status;
      notify();
      if (res.status !== 200 || !res.body) {
        state.ended = `status ${res.status}`;
        return;
      }
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const ev: SseEvent = { event: 'message', id: null, data: '' };
          let any = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) {
              ev.event = line.slice(7);
              any = true;
            } else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('data: ')) {
              ev.data += line.slice(6);
              any = true;
            }
          }
          if (any) {
            events.push(ev);
            notify();
          }
        }
      }
      state.ended = 'clean';
    } catch (err) {
      state.ended = controller.signal.aborted ? 'aborted by us' : `error: ${String(err)}`;
    } finally {
      notify();
    }
  })();
  async function until(cond: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const w = () => {
          waiters.delete(w);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(w, left);
        waiters.add(w);
      });
    }
    return true;
  }
  return {
    events,
    state,
    until,
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

// ---- control channel to the shell ----------------------------------------------------------

async function restart(which: 'a' | 'b'): Promise<void> {
  const dir = path.join(WORK, 'ctl');
  const reply = path.join(dir, 'reply');
  await rm(reply, { force: true });
  await writeFile(path.join(dir, 'request.tmp'), `restart ${which}\n`);
  await rename(path.join(dir, 'request.tmp'), path.join(dir, 'request'));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (existsSync(reply)) {
      const text = (await readFile(reply, 'utf8')).trim();
      await rm(reply, { force: true });
      if (text !== 'ok') throw new Error(`restart ${which}: ${text}`);
      return;
    }
    await sleep(100);
  }
  throw new Error(`restart ${which}: no reply from the shell in 60 s`);
}

// ---- the checks ----------------------------------------------------------------------------

let passed = 0;
let failed = 0;
async function check(name: string, fn: () => Promise<void>) {
  log(`check: ${name}`);
  const started = Date.now();
  try {
    await fn();
    passed++;
    log(`  ok (${((Date.now() - started) / 1000).toFixed(1)} s): ${name}`);
  } catch (err) {
    failed++;
    log(`  FAILED: ${name}\n    ${err instanceof Error ? err.message : String(err)}`);
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const games = await upcomingGames();
assert(games.length >= 3, `expected ≥ 3 upcoming games from the import, got ${games.length}`);
const [raceGame, fanGame, browseGame] = games as [Game, Game, Game];
log(`games: race ${raceGame.id}, fan-out ${fanGame.id}, browsing ${browseGame.id}`);

await check('GET /healthz through nginx alternates between the two instances', async () => {
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await call(BASE, 'GET', '/healthz');
    expectStatus(res, 200, 'GET /healthz');
    seen.push(lastUpstream(res.upstream) ?? '?');
  }
  log(`  upstreams: ${seen.join(' ')}`);
  for (let i = 1; i < seen.length; i++)
    assert(seen[i] !== seen[i - 1], `${seen[i]} answered twice in a row`);
  assert(seen.includes(ADDR.a) && seen.includes(ADDR.b), 'both instances must answer');
});

await check(`${BUYERS} buyers race for one listing through nginx: exactly one sale`, async () => {
  const seller = await register(newClient(), 'Race Seller');
  const listing = await createListing(BASE, seller, raceGame);
  const buyers = await inBatches(
    Array.from({ length: BUYERS }, (_, i) => i),
    8,
    (i) => register(newClient(), `Race Buyer ${i}`),
  );
  log(`  ${buyers.length} buyers registered; listing ${listing.listingId}; buying at once`);
  const answers = await Promise.all(
    buyers.map((buyer) =>
      call(BASE, 'POST', '/api/orders', {
        client: buyer,
        body: { listingId: listing.listingId },
      }).catch((err: unknown) => ({
        status: 0,
        body: String(err),
        upstream: null,
        requestId: null,
      })),
    ),
  );
  const byStatus = new Map<number, number>();
  const byUpstream = new Map<string, number>();
  for (const a of answers) {
    byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const u = lastUpstream(a.upstream) ?? '?';
    byUpstream.set(u, (byUpstream.get(u) ?? 0) + 1);
  }
  log(`  statuses: ${JSON.stringify(Object.fromEntries(byStatus))}`);
  log(`  answered by: ${JSON.stringify(Object.fromEntries(byUpstream))}`);
  assert(byStatus.get(201) === 1, `expected exactly one 201, got ${byStatus.get(201) ?? 0}`);
  assert(byStatus.get(409) === BUYERS - 1, `expected ${BUYERS - 1} × 409`);
  for (const a of answers.filter((x) => x.status === 409)) {
    const code = (a.body as { error?: { code?: string } }).error?.code;
    assert(code === 'LISTING_UNAVAILABLE', `409 with code ${code}`);
  }
  assert(byUpstream.has(ADDR.a) && byUpstream.has(ADDR.b), 'both instances must take part');
  const after = await call(BASE, 'GET', `/api/listings/${listing.listingId}`);
  expectStatus(after, 200, 'GET /api/listings/:id');
  assert((after.body as { status: string }).status === 'held', 'the listing must be held');
  // The database-wide gauge, scraped from one instance, agrees: one order in this fresh database.
  const metrics = await call(APP.a, 'GET', '/metrics');
  expectStatus(metrics, 200, 'GET /metrics');
  assert(
    /^orders_by_status\{status="pending_payment"\} 1$/m.test(String(metrics.body)),
    'orders_by_status{status="pending_payment"} must be 1',
  );
});

// Kept open into the rolling restart, which must end it cleanly.
let fanStream: ReturnType<typeof openStream> | null = null;
let fan: Client | null = null;
let fanSeller: Client | null = null;

await check(
  'a listing created on instance B reaches a fan streaming from instance A (via the worker)',
  async () => {
    fan = await register(newClient(), 'Topology Fan');
    fanSeller = await register(newClient(), 'Fan-out Seller');
    const reservation = await call(BASE, 'POST', '/api/reservations', {
      client: fan,
      body: { gameId: fanGame.id },
    });
    expectStatus(reservation, 201, 'POST /api/reservations');
    fanStream = openStream(`${APP.a}/api/notifications/stream`, fan);
    assert(
      await fanStream.until(() => fanStream!.state.status !== 0, 10_000),
      'stream did not open',
    );
    assert(fanStream.state.status === 200, `stream answered ${fanStream.state.status}`);
    const requestId = `topo-fanout-${randomUUID().slice(0, 8)}`;
    const listing = await createListing(APP.b, fanSeller, fanGame, { 'x-request-id': requestId });
    assert(listing.requestId === requestId, 'instance B must keep the caller’s X-Request-Id');
    const started = Date.now();
    const got = await fanStream.until(
      () => fanStream!.events.some((e) => e.event === 'notification'),
      20_000,
    );
    assert(got, `no notification on instance A within 20 s (stream: ${fanStream.state.ended})`);
    const event = fanStream.events.find((e) => e.event === 'notification')!;
    const item = JSON.parse(event.data) as { type: string; link: string };
    log(`  ${item.type} after ${Date.now() - started} ms: ${item.link}`);
    assert(item.type === 'reservation_match', `notification type ${item.type}`);
    assert(event.id, 'the event carries an id (for Last-Event-ID)');
    // The request id travels with the job: the worker's log lines name it (its "job done" line
    // is written after the job's commit, so possibly just after the event arrived).
    const logDeadline = Date.now() + 10_000;
    let jobLines: string[] = [];
    while (!jobLines.length && Date.now() < logDeadline) {
      const workerLog = await readFile(path.join(WORK, 'worker.log'), 'utf8');
      jobLines = workerLog.split('\n').filter((l) => l.includes(`"requestId":"${requestId}"`));
      if (!jobLines.length) await sleep(100);
    }
    log(`  worker log lines with requestId ${requestId}: ${jobLines.length}`);
    assert(jobLines.length > 0, 'the worker logs the job with the request id that created it');
  },
);

await check(
  'rolling restart of A then B under a GET loop through nginx: no failed request, streams end cleanly',
  async () => {
    const listing = await createListing(BASE, await register(newClient(), 'Browse'), browseGame);
    const urls = [
      `/api/games?from=${browseGame.startsAt.slice(0, 10)}&to=${browseGame.startsAt.slice(0, 10)}`,
      `/api/games/${browseGame.id}/listings`,
      `/api/listings/${listing.listingId}`,
      '/api/teams',
    ];
    const stats = { ok: 0, retried: 0, failures: [] as string[] };
    const seenSince = { a: 0, b: 0 };
    let stop = false;
    const hardStop = Date.now() + 90_000;
    const loopClient = newClient();
    const loops = Array.from({ length: 3 }, async (_, k) => {
      let i = k;
      while (!stop && Date.now() < hardStop) {
        const url = urls[i++ % urls.length]!;
        try {
          const res = await call(BASE, 'GET', url, { client: loopClient });
          if (res.status !== 200) stats.failures.push(`${url} → ${res.status}`);
          else stats.ok++;
          if (res.upstream?.includes(',')) stats.retried++;
          const u = lastUpstream(res.upstream);
          if (u === ADDR.a) seenSince.a++;
          if (u === ADDR.b) seenSince.b++;
        } catch (err) {
          stats.failures.push(`${url} → ${String(err)}`);
        }
        await sleep(40);
      }
    });
    const waitServed = async (which: 'a' | 'b') => {
      seenSince[which] = 0;
      const deadline = Date.now() + 15_000;
      while (seenSince[which] < 5 && Date.now() < deadline) await sleep(100);
      assert(seenSince[which] >= 5, `nginx did not route to restarted instance ${which} again`);
    };
    try {
      await sleep(2000);
      for (const which of ['a', 'b'] as const) {
        log(`  restarting instance ${which}`);
        await restart(which);
        await waitServed(which);
        if (which === 'a') {
          // The fan's stream on A was ended by A's shutdown, cleanly.
          assert(fanStream, 'no stream from the fan-out check');
          const ended = await fanStream.until(() => fanStream!.state.ended !== null, 5000);
          assert(ended, 'the stream on A is still open after A restarted');
          assert(fanStream.state.ended === 'clean', `stream on A ended: ${fanStream.state.ended}`);
        }
      }
      await sleep(1000);
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    log(
      `  ${stats.ok} requests answered 200 (${stats.retried} after an nginx retry), ` +
        `${stats.failures.length} failed`,
    );
    assert(
      stats.failures.length === 0,
      `failed requests: ${stats.failures.slice(0, 5).join('; ')}`,
    );
    assert(stats.ok > 50, 'the loop made too few requests to mean anything');
  },
);

await check('a fan reconnecting through nginx with Last-Event-ID gets what it missed', async () => {
  assert(fan && fanSeller && fanStream, 'no fan from the fan-out check');
  const lastId = [...fanStream.events].reverse().find((e) => e.id)?.id ?? undefined;
  assert(lastId, 'no event id to resume from');
  // Created while the fan is disconnected; delivered by the worker as a stored notification.
  const missed = await createListing(BASE, fanSeller, fanGame);
  const deadline = Date.now() + 20_000;
  let found = false;
  while (!found && Date.now() < deadline) {
    const list = await call(BASE, 'GET', '/api/notifications', { client: fan });
    expectStatus(list, 200, 'GET /api/notifications');
    const items = (list.body as { items: { link: string }[] }).items;
    found = items.some((n) => n.link.includes(missed.listingId));
    if (!found) await sleep(250);
  }
  assert(found, 'the missed notification was not stored within 20 s');
  const resumed = openStream(`${BASE}/api/notifications/stream`, fan, lastId);
  try {
    const got = await resumed.until(
      () =>
        resumed.events.some((e) => e.event === 'notification' && e.data.includes(missed.listingId)),
      10_000,
    );
    assert(got, `the missed notification was not replayed (stream: ${resumed.state.ended})`);
    assert(
      !resumed.events.some((e) => e.id === lastId),
      'the event the fan already had must not be replayed',
    );
  } finally {
    await resumed.close();
  }
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
