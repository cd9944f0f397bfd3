// Read-through caching with namespace generations: invalidating a namespace bumps one counter, so
// every key under it misses at once, on every instance (the counter lives in the cache port).
import type { Cache } from './cache.ts';

export interface CacheStats {
  hit(): void;
  miss(): void;
}

export function createCachedReader(cache: Cache, stats?: CacheStats) {
  const genKey = (namespace: string) => `gen:${namespace}`;
  async function generation(namespace: string): Promise<number> {
    return (await cache.get<number>(genKey(namespace))) ?? 0;
  }
  return {
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
      if ((await generation(namespace)) === gen) await cache.set(fullKey, value, ttlSeconds);
      return value;
    },
    /** Forget everything cached under these namespaces. Call after the write has committed. */
    async invalidate(...namespaces: string[]): Promise<void> {
      for (const ns of namespaces) await cache.incr(genKey(ns));
    },
  };
}

export type CachedReader = ReturnType<typeof createCachedReader>;
