// Redis stopped and started mid-run, on a private redis-server this test spawns on a random
// loopback port (the machine's Redis is shared by other tests). What a client sees:
// - cached reads keep answering 200 from the database; /readyz is 503 while Redis is away;
// - rate limits fail open (skipOnError): a client that was limited (429) passes while Redis is
//   down; the counters start again empty after the restart (this Redis keeps nothing on disk);
// - an open notification stream stays open (heartbeats come from the app, not Redis); a
//   notification created while Redis is down is stored but not pushed live; after Redis is back,
//   new notifications are pushed again (ioredis re-subscribes), and a stream reopened with
//   Last-Event-ID receives what was missed.
// Runs only where the redis-server binary exists (it does in CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../build-test-app.ts';
import { notificationJob } from '../../src/modules/notifications/index.ts';
import { listen, openStream } from '../sse-stream.ts';
import {
  freePort,
  redisServerBinary,
  startRedis,
  stopChild,
  waitFor,
  type Child,
} from './processes.ts';
import { jobCtx, registerUser, runJob, setupSale } from '../factories/index.ts';

const hasRedis = redisServerBinary() !== null;
let port = 0;
let redis: Child | null = null;
let t: TestApp;
let base = '';

const redisStatus = () => (t.deps.redis as { status?: string } | null)?.status;

beforeAll(async () => {
  if (!hasRedis) return;
  port = await freePort();
  redis = await startRedis(port);
  t = await buildTestApp({
    env: { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT: 'on', REDIS_PREFIX: 'pas:fault:' },
  });
  t.deps.notifications.live.settings.heartbeatMs = 200;
  base = await listen(t);
});

afterAll(async () => {
  if (!hasRedis) return;
  t?.app.server.closeAllConnections();
  await t?.close();
  if (redis) await stopChild(redis);
});

describe.runIf(hasRedis)('Redis outage', () => {
  it('when Redis stops and starts again, then reads fall back to the database, rate limits fail open and live streams resume', async () => {
    const sale = await setupSale(t);
    const fan = await registerUser(t);
    const page = `/api/games/${sale.game.id}/listings`;
    const read = () => t.app.inject({ method: 'GET', url: page });
    const cachedBody = (await read()).body;
    expect((await read()).body).toBe(cachedBody);

    // Rate limit while Redis is up: the 21st bad login within the minute is refused.
    const badLogin = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@example.test', password: 'wrong password 1' },
      });
    const upCodes: number[] = [];
    for (let i = 0; i < 21; i++) upCodes.push((await badLogin()).statusCode);
    expect(upCodes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(upCodes[20]).toBe(429);

    // A live stream through Redis pub/sub.
    const stream = await openStream(base, fan.auth);
    expect(stream.res.status).toBe(200);
    await waitFor(async () => stream.comments.includes('connected'), 'the connected comment');
    await runJob(
      t,
      notificationJob,
      { userId: fan.user.id, type: 'order_completed', params: {} },
      jobCtx(),
    );
    await waitFor(async () => stream.events.length === 1, 'the first live event', 5000);
    const firstId = stream.events[0]!.id!;

    // ---- Redis dies.
    await stopChild(redis!);
    redis = null;
    await waitFor(async () => redisStatus() !== 'ready', 'the client to notice', 10_000);

    const down = await read();
    expect(down.statusCode).toBe(200);
    expect(down.body).toBe(cachedBody);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    // Fail open: the limited client passes (401 for the bad password, not 429).
    for (let i = 0; i < 3; i++) expect((await badLogin()).statusCode).toBe(401);
    // Stored, not pushed live; the stream stays open.
    await runJob(
      t,
      notificationJob,
      { userId: fan.user.id, type: 'order_completed', params: {} },
      jobCtx(),
    );
    const heartbeats = stream.comments.length;
    await waitFor(async () => stream.comments.length > heartbeats, 'a heartbeat', 5000);
    expect(stream.ended).toBe(false);
    expect(stream.events).toHaveLength(1);

    // ---- Redis is back (empty).
    redis = await startRedis(port);
    await waitFor(
      async () =>
        (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200 || null,
      '/readyz 200 again',
      15_000,
    );
    expect((await read()).statusCode).toBe(200);
    // The subscriber re-subscribes on its own: new notifications are pushed again.
    let sent = 0;
    await waitFor(
      async () => {
        if (stream.events.length > 1) return true;
        if (sent < 20) {
          sent++;
          await runJob(
            t,
            notificationJob,
            { userId: fan.user.id, type: 'order_completed', params: {} },
            jobCtx(),
          );
        }
        await new Promise((r) => setTimeout(r, 300));
        return stream.events.length > 1;
      },
      'a live event after the restart',
      15_000,
    );
    stream.close();

    // Reopened with Last-Event-ID, the stream replays what was missed (the one made while down).
    const stored = (
      await t.app.inject({ method: 'GET', url: '/api/notifications', headers: fan.auth })
    ).json() as { items: { id: string }[] };
    const missed = stored.items.filter((i) => i.id > firstId);
    const resumed = await openStream(base, { ...fan.auth, 'last-event-id': firstId });
    await waitFor(async () => resumed.events.length >= missed.length, 'the replayed backlog', 5000);
    expect(resumed.events.map((e) => e.id).sort()).toEqual(missed.map((i) => i.id).sort());
    resumed.close();
    expect((await badLogin()).statusCode).toBe(401);
  }, 60_000);
});
