// In-process cache and pub/sub: the embedded default (one server process).
import { EventEmitter } from 'node:events';
import type { Cache, PubSub } from './cache.ts';

const MAX_ENTRIES = 10_000;

export function createMemoryCache(now: () => number = Date.now): Cache {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  function peek<T>(key: string): T | undefined {
    const hit = entries.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    // Stored as JSON so callers never share (and mutate) one object, as with Redis.
    return JSON.parse(hit.value) as T;
  }
  return {
    peek,
    async get<T>(key: string) {
      return peek<T>(key);
    },
    async set(key, value, ttlSeconds) {
      if (entries.size >= MAX_ENTRIES && !entries.has(key))
        entries.delete(entries.keys().next().value!);
      entries.set(key, { value: JSON.stringify(value), expiresAt: now() + ttlSeconds * 1000 });
    },
    async del(...keys) {
      for (const k of keys) entries.delete(k);
    },
    async incr(key) {
      const hit = entries.get(key);
      const current = hit && hit.expiresAt > now() ? Number(JSON.parse(hit.value)) : 0;
      const next = current + 1;
      entries.set(key, { value: JSON.stringify(next), expiresAt: Number.POSITIVE_INFINITY });
      return next;
    },
    async close() {
      entries.clear();
    },
  };
}

export function createMemoryPubSub(): PubSub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel, message) {
      // Asynchronous like a broker: publishers never run subscribers' code on their stack.
      queueMicrotask(() => emitter.emit(channel, message));
    },
    async subscribe(channel, onMessage) {
      emitter.on(channel, onMessage);
      return async () => {
        emitter.off(channel, onMessage);
      };
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}
