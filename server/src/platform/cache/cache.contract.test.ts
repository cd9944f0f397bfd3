// One contract for the cache and pub/sub ports, run on every driver (memory and Redis).
// Redis tests run when Redis answers at TEST_REDIS_URL (default 127.0.0.1:6379); in CI a missing
// Redis is a failure, elsewhere those tests are skipped with a message.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cache, PubSub } from './cache.ts';
import { createCachedReader } from './cached.ts';
import { createMemoryCache, createMemoryPubSub } from './memory-cache.ts';
import { createRedisCache, createRedisPubSub, type RedisLog } from './redis-cache.ts';
import { redisAnswers } from './redis-probe.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const IN_CI = process.env.CI === 'true';
const log = pino({ level: 'silent' });

const redisUp = await redisAnswers(REDIS_URL);
const runRedis = redisUp || IN_CI;
if (!runRedis) {
  console.warn(
    `Redis did not answer at ${REDIS_URL}: skipping the Redis cache/pub-sub contract tests ` +
      '(they are required when CI=true).',
  );
}

interface Driver {
  name: string;
  enabled: boolean;
  setup(): Promise<void>;
  cache(): Cache;
  /** Two pub/sub handles that must see each other's messages (separate connections on Redis). */
  pubsubs(): [PubSub, PubSub];
  teardown(): Promise<void>;
}

const memoryDriver = (): Driver => {
  let cache: Cache;
  let pubsub: PubSub;
  return {
    name: 'memory',
    enabled: true,
    async setup() {
      cache = createMemoryCache();
      pubsub = createMemoryPubSub();
    },
    cache: () => cache,
    pubsubs: () => [pubsub, pubsub],
    async teardown() {
      await cache.close();
      await pubsub.close();
    },
  };
};

const redisDriver = (): Driver => {
  const prefix = `pas:test:contract:${randomUUID().slice(0, 8)}:`;
  const opened: { close(): Promise<void> }[] = [];
  let cache: Cache;
  let pubsubs: [PubSub, PubSub];
  return {
    name: 'redis',
    enabled: runRedis,
    async setup() {
      if (!redisUp) throw new Error(`CI=true and Redis does not answer at ${REDIS_URL}`);
      cache = createRedisCache({ url: REDIS_URL, prefix, log });
      pubsubs = [
        createRedisPubSub({ url: REDIS_URL, prefix, log }),
        createRedisPubSub({ url: REDIS_URL, prefix, log }),
      ];
      opened.push(cache, ...pubsubs);
    },
    cache: () => cache,
    pubsubs: () => pubsubs,
    async teardown() {
      if (!redisUp) return;
      const admin = new Redis(REDIS_URL);
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length) await admin.del(...keys);
      await admin.quit();
      for (const c of opened) await c.close();
    },
  };
};

/** Collects messages; `next(n)` waits until n have arrived. */
function inbox() {
  const messages: string[] = [];
  return {
    messages,
    handler: (m: string) => void messages.push(m),
    next: (n = 1) => vi.waitFor(() => expect(messages.length).toBeGreaterThanOrEqual(n)),
  };
}

describe.each([memoryDriver(), redisDriver()])('cache contract on $name', (driver) => {
  describe.runIf(driver.enabled)(driver.name, () => {
    let cache: Cache;
    beforeAll(async () => {
      await driver.setup();
      cache = driver.cache();
    });
    afterAll(async () => driver.teardown());

    const key = (label: string) => `k:${label}:${randomUUID()}`;

    it('when a key was never set, then get is undefined', async () => {
      expect(await cache.get(key('missing'))).toBeUndefined();
    });

    it('when a JSON value is stored, then it comes back equal and unshared', async () => {
      const k = key('json');
      const value = { name: '中信兄弟', seats: [1, 2, 3], nested: { ok: true, none: null } };
      await cache.set(k, value, 60);
      const first = await cache.get<typeof value>(k);
      expect(first).toEqual(value);
      first!.seats.push(4);
      expect(await cache.get<typeof value>(k)).toEqual(value);
    });

    it('when the TTL runs out, then the key is gone while a longer TTL survives', async () => {
      const short = key('short');
      const long = key('long');
      await cache.set(short, 'soon gone', 0.2);
      await cache.set(long, 'still here', 60);
      expect(await cache.get(short)).toBe('soon gone');
      await vi.waitFor(async () => expect(await cache.get(short)).toBeUndefined(), {
        timeout: 5000,
        interval: 50,
      });
      expect(await cache.get(long)).toBe('still here');
    });

    it('when keys are deleted, then they miss and deleting a missing key is harmless', async () => {
      const a = key('a');
      const b = key('b');
      const c = key('c');
      await cache.set(a, 1, 60);
      await cache.set(b, 2, 60);
      await cache.set(c, 3, 60);
      await cache.del(a, b, key('never'));
      expect(await cache.get(a)).toBeUndefined();
      expect(await cache.get(b)).toBeUndefined();
      expect(await cache.get(c)).toBe(3);
      await cache.del();
    });

    it('when a counter is incremented, then it starts at 1 and get<number> reads it', async () => {
      const k = key('counter');
      expect(await cache.incr(k)).toBe(1);
      expect(await cache.incr(k)).toBe(2);
      expect(await cache.get<number>(k)).toBe(2);
      const counts = await Promise.all(Array.from({ length: 10 }, () => cache.incr(k)));
      expect(new Set(counts).size).toBe(10);
      expect(await cache.get<number>(k)).toBe(12);
    });

    it('when a namespace is invalidated, then the cached reader loads again', async () => {
      const reader = createCachedReader(cache);
      const ns = `ns-${randomUUID()}`;
      let loads = 0;
      const load = async () => ({ loads: ++loads });
      expect(await reader.read(ns, 'x', 60, load)).toEqual({ loads: 1 });
      expect(await reader.read(ns, 'x', 60, load)).toEqual({ loads: 1 });
      await reader.invalidate(ns);
      expect(await reader.read(ns, 'x', 60, load)).toEqual({ loads: 2 });
    });

    it('when a shared value is read again, then this process answers from memory until another instance invalidates it', async () => {
      const here = createCachedReader(cache);
      const there = createCachedReader(cache);
      const ns = `ns-${randomUUID()}`;
      let loads = 0;
      const load = async () => ({ loads: ++loads });
      const first = await here.readShared(ns, 'x', 60, load);
      expect(first).toEqual({ loads: 1 });
      const gets = vi.spyOn(cache, 'get');
      try {
        // Only the namespace generation is asked for: the value itself comes from memory, as is.
        expect(await here.readShared(ns, 'x', 60, load)).toBe(first);
        expect(gets.mock.calls.map(([k]) => k)).toEqual([`gen:${ns}`]);
      } finally {
        gets.mockRestore();
      }
      // Another process finds it in the cache port, equal but its own copy.
      const elsewhere = await there.readShared(ns, 'x', 60, load);
      expect(elsewhere).toEqual({ loads: 1 });
      expect(elsewhere).not.toBe(first);
      await there.invalidate(ns);
      expect(await here.readShared(ns, 'x', 60, load)).toEqual({ loads: 2 });
      expect(loads).toBe(2);
    });

    it('when another instance invalidates a namespace, then cached text is loaded again here', async () => {
      const here = createCachedReader(cache);
      const there = createCachedReader(cache);
      const ns = `ns-${randomUUID()}`;
      let loads = 0;
      const load = async () => ({ text: JSON.stringify({ loads: ++loads }) });
      expect(String(await here.readBody(ns, 'x', 60, load))).toBe('{"loads":1}');
      expect(String(await here.readBody(ns, 'x', 60, load))).toBe('{"loads":1}');
      expect(String(await there.readBody(ns, 'x', 60, load))).toBe('{"loads":1}');
      await there.invalidate(ns);
      expect(String(await here.readBody(ns, 'x', 60, load))).toBe('{"loads":2}');
    });

    it('when another instance invalidates a namespace, then a reader remembering generations sees it via pub/sub', async () => {
      const [pub, sub] = driver.pubsubs();
      const options = { generationTtlMs: 60_000 };
      const here = createCachedReader(cache, undefined, { ...options, pubsub: sub });
      const there = createCachedReader(cache, undefined, { ...options, pubsub: pub });
      const ns = `ns-${randomUUID()}`;
      let loads = 0;
      const load = async () => ({ text: String(++loads) });
      expect(String(await here.readBody(ns, 'x', 60, load))).toBe('1');
      expect(String(await there.readBody(ns, 'x', 60, load))).toBe('1');
      await there.invalidate(ns);
      await vi.waitFor(async () =>
        expect(String(await here.readBody(ns, 'x', 60, load))).toBe('2'),
      );
      expect(loads).toBe(2);
    });

    it('when a body is in memory and its generation is known without I/O, then readBody answers synchronously', async () => {
      const [pub, sub] = driver.pubsubs();
      // In this process's cache the generation is read synchronously; over Redis it is remembered.
      const here = driver.name.startsWith('memory')
        ? createCachedReader(cache)
        : createCachedReader(cache, undefined, { generationTtlMs: 60_000, pubsub: sub });
      const there = createCachedReader(cache, undefined, { generationTtlMs: 60_000, pubsub: pub });
      const ns = `ns-${randomUUID()}`;
      let loads = 0;
      const load = async () => ({ text: String(++loads) });
      const first = here.readBody(ns, 'x', 60, load);
      expect(first).toBeInstanceOf(Promise);
      const body = await first;
      const hit = here.readBody(ns, 'x', 60, load);
      expect(Buffer.isBuffer(hit)).toBe(true);
      expect(hit).toBe(body);
      // An invalidation elsewhere still reaches it: the next read loads again.
      await there.invalidate(ns);
      await vi.waitFor(async () =>
        expect(String(await here.readBody(ns, 'x', 60, load))).toBe('2'),
      );
      expect(Buffer.isBuffer(here.readBody(ns, 'x', 60, load))).toBe(true);
    });

    it('when the generation must be asked of a networked cache, then readBody returns a promise', async () => {
      const networked: Cache = { ...cache, peek: undefined };
      const reader = createCachedReader(networked);
      const ns = `ns-${randomUUID()}`;
      const load = async () => ({ text: '1' });
      await reader.readBody(ns, 'x', 60, load);
      const again = reader.readBody(ns, 'x', 60, load);
      expect(again).toBeInstanceOf(Promise);
      expect(String(await again)).toBe('1');
    });

    it("when cached text is past its validUntil on the caller's clock, then it is loaded again", async () => {
      const reader = createCachedReader(cache);
      const ns = `ns-${randomUUID()}`;
      let loads = 0;
      const load = async () => ({ text: String(++loads), validUntil: 1_000 });
      expect(String(await reader.readBody(ns, 'x', 60, load, 500))).toBe('1');
      expect(String(await reader.readBody(ns, 'x', 60, load, 999))).toBe('1');
      expect(String(await reader.readBody(ns, 'x', 60, load, 1_000))).toBe('2');
    });

    it('when a message is published, then every subscriber of the channel gets it', async () => {
      const [pub, sub] = driver.pubsubs();
      const channel = `ch:${randomUUID()}`;
      const first = inbox();
      const second = inbox();
      const stop1 = await sub.subscribe(channel, first.handler);
      const stop2 = await sub.subscribe(channel, second.handler);
      await pub.publish(channel, JSON.stringify({ listingId: 'x', status: '售出' }));
      await first.next();
      await second.next();
      expect(JSON.parse(first.messages[0]!)).toEqual({ listingId: 'x', status: '售出' });
      expect(second.messages).toEqual(first.messages);
      await stop1();
      await stop2();
    });

    it('when a subscriber unsubscribes, then it gets nothing more while others still do', async () => {
      const [pub, sub] = driver.pubsubs();
      const channel = `ch:${randomUUID()}`;
      const other = `ch:${randomUUID()}`;
      const leaving = inbox();
      const staying = inbox();
      const otherChannel = inbox();
      const stopLeaving = await sub.subscribe(channel, leaving.handler);
      const stopStaying = await sub.subscribe(channel, staying.handler);
      await pub.publish(channel, 'one');
      await leaving.next();
      await stopLeaving();
      await pub.publish(channel, 'two');
      await staying.next(2);
      // Messages from one publisher arrive in order: once 'three' on the other channel is in,
      // anything sent earlier to a fully unsubscribed channel would have arrived too.
      await stopStaying();
      const stopOther = await sub.subscribe(other, otherChannel.handler);
      await pub.publish(channel, 'after everyone left');
      await pub.publish(other, 'three');
      await otherChannel.next();
      expect(leaving.messages).toEqual(['one']);
      expect(staying.messages).toEqual(['one', 'two']);
      await stopOther();
    });

    it('when channels differ, then messages do not cross', async () => {
      const [pub, sub] = driver.pubsubs();
      const a = inbox();
      const b = inbox();
      const channelA = `ch:${randomUUID()}`;
      const channelB = `ch:${randomUUID()}`;
      const stopA = await sub.subscribe(channelA, a.handler);
      const stopB = await sub.subscribe(channelB, b.handler);
      await pub.publish(channelA, 'for a');
      await pub.publish(channelB, 'for b');
      await b.next();
      expect(a.messages).toEqual(['for a']);
      expect(b.messages).toEqual(['for b']);
      await stopA();
      await stopB();
    });
  });
});

describe.runIf(runRedis)('redis cache specifics', () => {
  beforeAll(() => {
    if (!redisUp) throw new Error(`CI=true and Redis does not answer at ${REDIS_URL}`);
  });

  it('when two deployments use different prefixes, then they do not see each other', async () => {
    const one = createRedisCache({ url: REDIS_URL, prefix: `pas:test:${randomUUID()}:`, log });
    const two = createRedisCache({ url: REDIS_URL, prefix: `pas:test:${randomUUID()}:`, log });
    try {
      await one.set('shared-name', 'one', 5);
      expect(await two.get('shared-name')).toBeUndefined();
      expect(await one.get('shared-name')).toBe('one');
      expect(await one.ping()).toBe(true);
    } finally {
      await one.del('shared-name');
      await one.close();
      await two.close();
    }
  });

  it('when channels are subscribed while the subscriber connection is still connecting, then every subscription succeeds and receives', async () => {
    // ioredis writes a SUBSCRIBE sent between connect and ready at once; its ready check (INFO)
    // then fails on the subscribed connection (redis/ioredis#2037): a flash crowd opening
    // notification streams on a fresh instance hit it (docs/PERFORMANCE.md, flash crowd).
    const prefix = `pas:test:${randomUUID()}:`;
    const sub = createRedisPubSub({ url: REDIS_URL, prefix, log });
    const pub = createRedisPubSub({ url: REDIS_URL, prefix, log });
    const got = new Set<string>();
    try {
      const subscriptions: Promise<unknown>[] = [];
      for (let i = 0; i < 60; i++) {
        subscriptions.push(sub.subscribe(`ch-${i}`, (m) => got.add(m)));
        await new Promise((r) => setTimeout(r, 1));
      }
      const settled = await Promise.allSettled(subscriptions);
      expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
      for (let i = 0; i < 60; i++) await pub.publish(`ch-${i}`, `m-${i}`);
      await vi.waitFor(() => expect(got.size).toBe(60), { timeout: 5_000 });
    } finally {
      await sub.close();
      await pub.close();
    }
  });
});

describe('redis cache during an outage', () => {
  // Nothing listens on port 1: every command fails, as when Redis is down.
  const down = 'redis://127.0.0.1:1';

  it('when Redis is unreachable, then get misses, set/del are no-ops and incr throws', async () => {
    const warnings: unknown[] = [];
    const spyLog: RedisLog = {
      info: () => {},
      error: () => {},
      warn: (...args: unknown[]) => void warnings.push(args[0]),
    };
    const cache = createRedisCache({ url: down, prefix: 'pas:down:', log: spyLog });
    try {
      expect(await cache.get('anything')).toBeUndefined();
      await expect(cache.set('anything', { a: 1 }, 10)).resolves.toBeUndefined();
      await expect(cache.del('anything')).resolves.toBeUndefined();
      await expect(cache.incr('gen:x')).rejects.toThrow();
      expect(await cache.ping()).toBe(false);
      expect(warnings.length).toBeGreaterThan(0);
    } finally {
      await cache.close();
    }
  });

  it('when Redis is unreachable, then publish is logged rather than thrown', async () => {
    const pubsub = createRedisPubSub({ url: down, prefix: 'pas:down:', log });
    try {
      await expect(pubsub.publish('ch', 'hello')).resolves.toBeUndefined();
    } finally {
      await pubsub.close();
    }
  });
});
