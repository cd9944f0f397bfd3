// The live stream over a real listening server, read with fetch as a browser's EventSource would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import { notificationJob } from './index.ts';
import { listen, openStream } from '../../../test/sse-stream.ts';
import { jobCtx, registerUser, runJob } from '../../../test/factories/index.ts';

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const send = (t: TestApp, userId: string, type = 'order_completed') =>
  runJob(t, notificationJob, { userId, type, params: {} }, jobCtx());

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  base = await listen(t);
});
afterAll(async () => {
  // fetch's connection pool keeps spare sockets that never carried a request; Node waits for
  // them (about 4 s) unless told otherwise. The streams themselves are covered by the tests.
  t.app.server.closeAllConnections();
  await t.close();
});

describe('notification stream', () => {
  it('when a notification is created, then the open stream receives it as an SSE event with its id', async () => {
    const fan = await registerUser(t);
    const stream = await openStream(base, fan.auth);
    try {
      expect(stream.res.status).toBe(200);
      expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.res.headers.get('x-accel-buffering')).toBe('no');
      expect(stream.res.headers.get('cache-control')).toMatch(/no-cache/);
      // The hijacked stream still carries the security headers and the request id.
      expect(stream.res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(stream.res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(stream.res.headers.get('x-request-id')).toBeTruthy();
      await waitFor(() => stream.comments.includes('connected'), 'the connected comment');
      await send(t, fan.user.id);
      await waitFor(() => stream.events.length === 1, 'the event');
      const [event] = stream.events;
      expect(event!.event).toBe('notification');
      const item = JSON.parse(event!.data!);
      expect(event!.id).toBe(item.id);
      expect(item).toMatchObject({ type: 'order_completed', readAt: null, link: '/me/orders' });
      const listed = (
        await t.app.inject({ method: 'GET', url: '/api/notifications', headers: fan.auth })
      ).json();
      expect(listed.items[0]).toEqual(item);
    } finally {
      stream.close();
    }
  });

  it('when the site is in English for a zh-TW account, then the stream sends English (issue 21 item 6)', async () => {
    const fan = await registerUser(t);
    const stream = await openStream(base, { ...fan.auth, 'accept-language': 'en' });
    try {
      await waitFor(() => stream.comments.includes('connected'), 'the connected comment');
      await send(t, fan.user.id);
      await waitFor(() => stream.events.length === 1, 'the event');
      const item = JSON.parse(stream.events[0]!.data!);
      expect(item.texts).toBeUndefined();
      const en = (
        await t.app.inject({ method: 'GET', url: '/api/notifications?lang=en', headers: fan.auth })
      ).json();
      expect(item).toEqual(en.items[0]);
      const zh = (
        await t.app.inject({ method: 'GET', url: '/api/notifications', headers: fan.auth })
      ).json();
      expect(item.title).not.toBe(zh.items[0].title);
    } finally {
      stream.close();
    }
  });

  it("when another fan's notification is created, then it never reaches this stream", async () => {
    const fan = await registerUser(t);
    const other = await registerUser(t);
    const stream = await openStream(base, fan.auth);
    const theirs = await openStream(base, other.auth);
    try {
      await send(t, other.user.id);
      await waitFor(() => theirs.events.length === 1, "the other fan's event");
      await send(t, fan.user.id);
      await waitFor(() => stream.events.length === 1, 'own event');
      expect(stream.events).toHaveLength(1);
    } finally {
      stream.close();
      theirs.close();
    }
  });

  it('when the stream is idle, then heartbeat comments keep it open', async () => {
    const fan = await registerUser(t);
    const previous = t.deps.notifications.live.settings.heartbeatMs;
    t.deps.notifications.live.settings.heartbeatMs = 30;
    const stream = await openStream(base, fan.auth);
    try {
      await waitFor(
        () => stream.comments.filter((c) => c.startsWith('heartbeat')).length >= 2,
        'two heartbeats',
      );
    } finally {
      t.deps.notifications.live.settings.heartbeatMs = previous;
      stream.close();
    }
  });

  it('when a fan reconnects with Last-Event-ID, then the notifications created since arrive first, in order', async () => {
    const fan = await registerUser(t);
    for (let i = 0; i < 3; i++) {
      await send(t, fan.user.id);
      await new Promise((r) => setTimeout(r, 3));
    }
    const page = (
      await t.app.inject({ method: 'GET', url: '/api/notifications', headers: fan.auth })
    ).json();
    const [newest, middle, oldest] = page.items.map((i: { id: string }) => i.id);
    const stream = await openStream(base, { ...fan.auth, 'last-event-id': oldest });
    try {
      await waitFor(() => stream.events.length === 2, 'the missed events');
      expect(stream.events.map((e) => e.id)).toEqual([middle, newest]);
      await send(t, fan.user.id);
      await waitFor(() => stream.events.length === 3, 'the live event after the backlog');
    } finally {
      stream.close();
    }
  });

  it('when the web app connects with its session cookie, then the stream is authorised', async () => {
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: {
        email: `cookie-${Date.now()}@example.test`,
        password: 'correct horse battery',
        name: 'Cookie Fan',
      },
    });
    const setCookie = reg.cookies.find((c) => c.name === 'pas_session');
    expect(setCookie).toBeTruthy();
    const stream = await openStream(base, { cookie: `pas_session=${setCookie!.value}` });
    try {
      expect(stream.res.status).toBe(200);
      await send(t, reg.json().user.id);
      await waitFor(() => stream.events.length === 1, 'the event');
    } finally {
      stream.close();
    }
    const anonymous = await fetch(`${base}/api/notifications/stream`);
    expect(anonymous.status).toBe(401);
  });

  it('when a fan opens a sixth stream, then 429 RATE_LIMITED until one closes; closed streams free their slot', async () => {
    const fan = await registerUser(t);
    const { live } = t.deps.notifications;
    const streams = [];
    for (let i = 0; i < 5; i++) {
      const s = await openStream(base, fan.auth);
      expect(s.res.status).toBe(200);
      streams.push(s);
    }
    expect(live.openStreams(fan.user.id)).toBe(5);
    const sixth = await fetch(`${base}/api/notifications/stream`, { headers: fan.auth });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toBe('30');
    expect((await sixth.json()).error.code).toBe('RATE_LIMITED');

    streams.shift()!.close();
    await waitFor(() => live.openStreams(fan.user.id) === 4, 'the closed stream to be released');
    const again = await openStream(base, fan.auth);
    expect(again.res.status).toBe(200);
    streams.push(again);
    for (const s of streams) s.close();
    await waitFor(() => live.openStreams(fan.user.id) === 0, 'every stream to be released');
  });

  it('when clients connect and abort while the stream is still subscribing, then every slot, subscriber and heartbeat is freed', async () => {
    const fan = await registerUser(t);
    const { live } = t.deps.notifications;
    // A broker slow to confirm the subscription (Redis under load): the close comes mid-await.
    const realSubscribe = live.subscribe;
    let subscribers = 0;
    live.subscribe = async (userId, onItem) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const unsubscribe = await realSubscribe(userId, onItem);
      subscribers++;
      return async () => {
        subscribers--;
        await unsubscribe();
      };
    };
    const intervals = new Set<unknown>();
    const realSetInterval = globalThis.setInterval;
    const realClearInterval = globalThis.clearInterval;
    globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
      const handle = realSetInterval(...args);
      intervals.add(handle);
      return handle;
    }) as typeof setInterval;
    globalThis.clearInterval = ((handle: Parameters<typeof clearInterval>[0]) => {
      intervals.delete(handle);
      realClearInterval(handle);
    }) as typeof clearInterval;
    try {
      for (let i = 0; i < 20; i++) {
        const controller = new AbortController();
        const attempt = fetch(`${base}/api/notifications/stream`, {
          headers: fan.auth,
          signal: controller.signal,
        }).catch(() => null);
        await new Promise((resolve) => setTimeout(resolve, 30));
        controller.abort();
        await attempt;
      }
      await waitFor(
        () => live.openStreams(fan.user.id) === 0 && subscribers === 0,
        'every aborted stream to free its slot and subscriber',
      );
      expect(intervals.size).toBe(0);
    } finally {
      live.subscribe = realSubscribe;
      globalThis.setInterval = realSetInterval;
      globalThis.clearInterval = realClearInterval;
    }
    // The account can still open its streams.
    const stream = await openStream(base, fan.auth);
    expect(stream.res.status).toBe(200);
    stream.close();
    await waitFor(() => live.openStreams(fan.user.id) === 0, 'the stream to be released');
  });

  it('when a client opens and drops 50 streams in a loop, then the account never runs out of slots', async () => {
    const fan = await registerUser(t);
    const { live } = t.deps.notifications;
    for (let i = 0; i < 50; i++) {
      const controller = new AbortController();
      const attempt = fetch(`${base}/api/notifications/stream`, {
        headers: fan.auth,
        signal: controller.signal,
      }).catch(() => null);
      if (i % 2) await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      const res = await attempt;
      if (res) expect(res.status).not.toBe(429);
    }
    await waitFor(() => live.openStreams(fan.user.id) === 0, 'every dropped stream to be released');
    const stream = await openStream(base, fan.auth);
    expect(stream.res.status).toBe(200);
    stream.close();
  });

  it('when the server shuts down, then open streams end and closing is not held up', async () => {
    const own = await buildTestApp();
    const ownBase = await listen(own);
    const fan = await registerUser(own);
    const stream = await openStream(ownBase, fan.auth);
    expect(stream.res.status).toBe(200);
    await waitFor(() => stream.comments.includes('connected'), 'the connected comment');
    await own.close();
    await waitFor(() => stream.ended, 'the stream to end');
    expect(own.deps.notifications.live.openStreams()).toBe(0);
  });
});

describe.runIf(usingMysql())('notification stream across instances (MariaDB + Redis)', () => {
  it('when a notification is produced on one instance, then a fan connected to another receives it', async () => {
    const producer = await buildTestApp();
    const consumer = await buildTestApp();
    try {
      const consumerBase = await listen(consumer);
      const fan = await registerUser(producer);
      const stream = await openStream(consumerBase, fan.auth);
      try {
        expect(stream.res.status).toBe(200);
        await waitFor(() => stream.comments.includes('connected'), 'the connected comment');
        await send(producer, fan.user.id, 'order_paid');
        await waitFor(() => stream.events.length === 1, 'the event from the other instance');
        expect(JSON.parse(stream.events[0]!.data!).type).toBe('order_paid');
      } finally {
        stream.close();
      }
    } finally {
      await producer.close();
      await consumer.close();
    }
  });
});
