// Read-through caching with namespace generations: invalidating a namespace bumps one counter, so
// every key under it misses at once, on every instance (the counter lives in the cache port).
//
// `readBody` caches a response body as JSON text (serialised once, sent as it is) and keeps a
// UTF-8 copy in process memory (L1) in front of the cache port: a hit costs one generation lookup
// and no parsing, no transfer of the body, no serialisation and no UTF-8 encoding. The L1 key
// carries the generation, so an invalidation is seen by the next read. `readShared` does the same
// for values (one shared, read-only object per process). With Redis, generations
// are remembered for `generationTtlMs` and invalidations broadcast over pub/sub: another
// instance sees one when the message arrives, at the latest after generationTtlMs
// (docs/PERFORMANCE.md).
import { z } from 'zod';
import type { Cache, PubSub } from './cache.ts';

/** A cached body: JSON text, and the clock time (ms) after which it must be rebuilt, if any. */
export interface CachedText {
  text: string;
  validUntil?: number | null;
}

/** A cached body: the Buffer itself on a hit known without I/O, else a promise of it. */
export type CachedBody = Buffer | Promise<Buffer>;

const L1_MAX_ENTRIES = 2_000;
const L1_MAX_BYTES = 64 * 1024 * 1024;
/** How long an L1 copy taken from the cache port (not freshly loaded) is kept, at most. */
const L1_COPY_MS = 5_000;

export interface CacheStats {
  hit(): void;
  miss(): void;
}

export interface CachedReaderOptions {
  /**
   * With a shared cache (Redis): remember each namespace's generation for up to this many ms
   * instead of asking the cache on every read. Invalidations are also broadcast on `pubsub`, so
   * another instance normally sees one as soon as the message arrives; this bounds the
   * staleness when a message is lost (e.g. while Redis reconnects). 0: ask every time.
   */
  generationTtlMs?: number;
  pubsub?: PubSub;
}

const INVALIDATIONS_CHANNEL = 'cache:invalidated';
const jsonBytes = (value: unknown) => JSON.stringify(value)?.length ?? 0;
const MAX_REMEMBERED_GENERATIONS = 50_000;

export function createCachedReader(
  cache: Cache,
  stats?: CacheStats,
  options: CachedReaderOptions = {},
) {
  const genKey = (namespace: string) => `gen:${namespace}`;
  const generationTtlMs = options.generationTtlMs ?? 0;
  const remembered = new Map<string, { gen: number; until: number }>();
  let subscription: Promise<void> | null = null;
  let subscribed = false;
  const remember = (namespace: string, gen: number) => {
    remembered.delete(namespace);
    remembered.set(namespace, { gen, until: Date.now() + generationTtlMs });
    if (remembered.size > MAX_REMEMBERED_GENERATIONS)
      remembered.delete(remembered.keys().next().value!);
  };
  /** Subscribes on first use; until it is in place, nothing is remembered. */
  function subscribeOnce(): Promise<void> {
    if (!options.pubsub) return Promise.resolve();
    subscription ??= options.pubsub
      .subscribe(INVALIDATIONS_CHANNEL, (message) => {
        try {
          for (const ns of JSON.parse(message) as string[]) remembered.delete(ns);
        } catch {
          remembered.clear();
        }
      })
      .then(() => {
        subscribed = true;
      })
      .catch(() => {
        subscription = null; // retried on a later read
      });
    return subscription;
  }
  /** The generation as the cache has it now (after a load: did anyone invalidate meanwhile?). */
  async function currentGeneration(namespace: string): Promise<number> {
    return (await cache.get<number>(genKey(namespace))) ?? 0;
  }
  async function generation(namespace: string): Promise<number> {
    if (generationTtlMs > 0) {
      if (!subscribed) await subscribeOnce();
      const known = subscribed || !options.pubsub ? remembered.get(namespace) : undefined;
      if (known && known.until > Date.now()) return known.gen;
    }
    const gen = (await cache.get<number>(genKey(namespace))) ?? 0;
    if (generationTtlMs > 0) remember(namespace, gen);
    return gen;
  }
  /**
   * The generation when it is known without I/O: remembered (Redis), or read from a cache in this
   * process. undefined: ask the cache.
   */
  function knownGeneration(namespace: string): number | undefined {
    if (generationTtlMs > 0) {
      if (!subscribed && options.pubsub) return undefined;
      const known = remembered.get(namespace);
      return known && known.until > Date.now() ? known.gen : undefined;
    }
    return cache.peek ? (cache.peek<number>(genKey(namespace)) ?? 0) : undefined;
  }
  // L1: bodies (`readBody`, UTF-8 Buffers) and values (`readShared`) in process memory, keyed with
  // the namespace generation; `bytes` is the body's length or the value's JSON length.
  const l1 = new Map<
    string,
    { item: unknown; bytes: number; validUntil: number; expiresAt: number }
  >();
  let l1Bytes = 0;
  const inflight = new Map<string, Promise<unknown>>();
  const l1Drop = (key: string) => {
    const entry = l1.get(key);
    if (!entry) return;
    l1.delete(key);
    l1Bytes -= entry.bytes;
  };
  /** The L1 item under fullKey if it is still fresh, else undefined. */
  const l1Fresh = (fullKey: string, now: number) => {
    const local = l1.get(fullKey);
    return local && local.expiresAt > Date.now() && local.validUntil > now ? local.item : undefined;
  };
  const l1Put = <T>(key: string, item: T, bytes: number, validUntil: number, expiresAt: number) => {
    l1Drop(key);
    l1.set(key, { item, bytes, validUntil, expiresAt });
    l1Bytes += bytes;
    // Oldest first (insertion order); superseded generations age out this way too.
    while (l1.size > L1_MAX_ENTRIES || l1Bytes > L1_MAX_BYTES) l1Drop(l1.keys().next().value!);
    return item;
  };

  /**
   * The L1 copy of `key` in `namespace`, else the cache port's (kept in L1 for at most
   * L1_COPY_MS), else `load()` stored in both. `fromPort` turns what the port holds into the item
   * (undefined: unusable); `load` gives the item, its size and what the port is to store.
   */
  async function throughL1<T, P>(
    prefix: string,
    namespace: string,
    key: string,
    ttlSeconds: number,
    now: number,
    sources: {
      fromPort(stored: P): { item: T; bytes: number; validUntil: number } | undefined;
      load(): Promise<{ item: T; bytes: number; validUntil: number; stored: P }>;
    },
  ): Promise<T> {
    const gen = await generation(namespace);
    const fullKey = `${prefix}:${namespace}:${gen}:${key}`;
    const wall = Date.now();
    const fresh = l1Fresh(fullKey, now);
    if (fresh !== undefined) {
      stats?.hit();
      return fresh as T;
    }
    l1Drop(fullKey);
    // Concurrent misses of one key in this process share one lookup and one load.
    const running = inflight.get(fullKey);
    if (running) return running as Promise<T>;
    const lookup = (async () => {
      const stored = await cache.get<P>(fullKey);
      const shared = stored === undefined ? undefined : sources.fromPort(stored);
      if (shared && shared.validUntil > now) {
        stats?.hit();
        const copyMs = Math.min(ttlSeconds * 1000, L1_COPY_MS);
        return l1Put(fullKey, shared.item, shared.bytes, shared.validUntil, wall + copyMs);
      }
      stats?.miss();
      const loaded = await sources.load();
      if ((await currentGeneration(namespace)) !== gen) return loaded.item;
      await cache.set(fullKey, loaded.stored, ttlSeconds);
      const expiresAt = Date.now() + ttlSeconds * 1000;
      return l1Put(fullKey, loaded.item, loaded.bytes, loaded.validUntil, expiresAt);
    })();
    inflight.set(fullKey, lookup);
    try {
      return await lookup;
    } finally {
      inflight.delete(fullKey);
    }
  }

  return {
    /**
     * The cached JSON text of `key` in `namespace` as a UTF-8 body (treat it as read-only),
     * loading and storing it on a miss. `now` is the caller's clock (ms), compared with the text's
     * `validUntil` (e.g. a game's first pitch). A hit whose generation is known without I/O is
     * answered synchronously (no promise, no microtask): the hot path of the cached routes.
     */
    readBody(
      namespace: string,
      key: string,
      ttlSeconds: number,
      load: () => Promise<CachedText>,
      now: number = Date.now(),
    ): CachedBody {
      const gen = knownGeneration(namespace);
      const hit = gen === undefined ? undefined : l1Fresh(`t:${namespace}:${gen}:${key}`, now);
      if (hit !== undefined) {
        stats?.hit();
        return hit as Buffer;
      }
      type Stored = { text: string; validUntil: number | null };
      const asBody = (text: string, validUntil: number | null | undefined) => {
        const item = Buffer.from(text, 'utf8');
        return { item, bytes: item.length, validUntil: validUntil ?? Infinity };
      };
      return throughL1<Buffer, Stored>('t', namespace, key, ttlSeconds, now, {
        fromPort: (stored) =>
          typeof stored?.text === 'string' ? asBody(stored.text, stored.validUntil) : undefined,
        async load() {
          const { text, validUntil = null } = await load();
          return { ...asBody(text, validUntil), stored: { text, validUntil } };
        },
      });
    },
    /**
     * Like `read`, and the value is also kept in process memory (as `readBody` keeps bodies):
     * every caller in this process gets the same object, so treat it as read-only. For values read
     * on hot paths whose parse would cost more than the work they save.
     */
    readShared<T>(
      namespace: string,
      key: string,
      ttlSeconds: number,
      load: () => Promise<T>,
    ): Promise<T> {
      return throughL1<T, T>('s', namespace, key, ttlSeconds, Date.now(), {
        fromPort: (item) => ({ item, bytes: jsonBytes(item), validUntil: Infinity }),
        async load() {
          const item = await load();
          return { item, bytes: jsonBytes(item), validUntil: Infinity, stored: item };
        },
      });
    },
    /** The cached value of `key` in `namespace`, loading and storing it on a miss. */
    async read<T>(
      namespace: string,
      key: string,
      ttlSeconds: number,
      load: () => Promise<T>,
    ): Promise<T> {
      const gen = await generation(namespace);
      const fullKey = `c:${namespace}:${gen}:${key}`;
      const hit = await cache.get<T>(fullKey);
      if (hit !== undefined) {
        stats?.hit();
        return hit;
      }
      stats?.miss();
      const value = await load();
      // Store only if nothing invalidated the namespace while we were loading.
      if ((await currentGeneration(namespace)) === gen) await cache.set(fullKey, value, ttlSeconds);
      return value;
    },
    /** Forget everything cached under these namespaces. Call after the write has committed. */
    async invalidate(...namespaces: string[]): Promise<void> {
      for (const ns of namespaces) {
        const gen = await cache.incr(genKey(ns));
        if (generationTtlMs > 0) remember(ns, gen);
      }
      if (generationTtlMs > 0 && options.pubsub && namespaces.length)
        await options.pubsub.publish(INVALIDATIONS_CHANNEL, JSON.stringify(namespaces));
    },
  };
}

export type CachedReader = ReturnType<typeof createCachedReader>;

/**
 * `value` as a route's response serializer would send it (fastify-type-provider-zod: encoded by
 * the response schema, unknown keys dropped, then JSON.stringify): the text `readBody` caches.
 */
export function toJsonText<S extends z.ZodType>(schema: S, value: z.output<S>): string {
  return JSON.stringify(z.encode(schema, value));
}
