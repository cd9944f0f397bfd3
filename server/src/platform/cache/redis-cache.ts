// Redis driver of the cache and pub/sub ports (ioredis 5), chosen when REDIS_URL is set. Keys and
// channels carry REDIS_PREFIX so several deployments (or test runs) can share one Redis.
// The database is the source of truth: a Redis outage makes `get` a miss and `set`/`del` no-ops
// (logged), never an error for the caller. `incr` (namespace generations) may throw.
import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import type { Cache, PubSub } from './cache.ts';

export type RedisLog = Pick<FastifyBaseLogger, 'warn' | 'error' | 'info'>;

export interface RedisDriverOptions {
  url: string;
  prefix: string;
  log: RedisLog;
}

/** Fail fast instead of queueing commands for long while Redis is away. */
const CLIENT_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
  commandTimeout: 2_000,
  retryStrategy: (times) => Math.min(times * 200, 2_000),
};

/** Known to be down: reconnecting or closed. Commands would only wait in the offline queue. */
export const redisIsDown = (client: Redis) =>
  client.status === 'reconnecting' || client.status === 'close' || client.status === 'end';

/** A client whose connection errors are logged once per outage (not once per retry). */
export function connectRedis(url: string, log: RedisLog, role: string, options: RedisOptions = {}) {
  const client = new Redis(url, { ...CLIENT_OPTIONS, ...options, connectionName: role });
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: err.message }, role }, 'redis connection error');
  });
  client.on('ready', () => {
    if (down) log.info({ role }, 'redis connection restored');
    down = false;
  });
  return client;
}

/** QUIT politely; if Redis is unreachable, drop the connection instead of waiting. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}

export interface RedisCache extends Cache {
  /** The command connection, shared with the rate limiter and the readiness check. */
  readonly client: Redis;
  ping(): Promise<boolean>;
}

export function createRedisCache({ url, prefix, log }: RedisDriverOptions): RedisCache {
  const client = connectRedis(url, log, 'cache');
  const k = (key: string) => prefix + key;
  const warn = (op: string, key: string, err: unknown) =>
    log.warn({ err: { message: (err as Error).message }, op, key }, 'redis cache command failed');
  return {
    client,
    async get<T>(key: string) {
      if (redisIsDown(client)) return undefined;
      let raw: string | null;
      try {
        raw = await client.get(k(key));
      } catch (err) {
        warn('get', key, err);
        return undefined;
      }
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlSeconds) {
      if (redisIsDown(client)) return;
      try {
        const ms = Math.max(1, Math.round(ttlSeconds * 1000));
        await client.set(k(key), JSON.stringify(value), 'PX', ms);
      } catch (err) {
        warn('set', key, err);
      }
    },
    async del(...keys) {
      if (keys.length === 0 || redisIsDown(client)) return;
      try {
        await client.del(...keys.map(k));
      } catch (err) {
        warn('del', keys.join(','), err);
      }
    },
    async incr(key) {
      if (redisIsDown(client)) throw new Error('Redis is unavailable');
      // INCR stores the decimal string "n", which JSON.parse reads back as the number n.
      return client.incr(k(key));
    },
    async ping() {
      if (redisIsDown(client)) return false;
      try {
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      await closeRedis(client);
    },
  };
}

/**
 * Pub/sub over Redis: one connection publishes, a second one (a subscriber connection can run no
 * other command) subscribes. ioredis re-subscribes after a reconnect. Publishing is best effort:
 * a failure is logged, not thrown, so a committed write never fails because Redis is away.
 */
export function createRedisPubSub({ url, prefix, log }: RedisDriverOptions): PubSub {
  const publisher = connectRedis(url, log, 'publisher');
  let subscriber: Redis | null = null;
  /** Per channel: its handlers and the SUBSCRIBE every later subscriber must also wait for. */
  const channels = new Map<
    string,
    { handlers: Set<(m: string) => void>; ready: Promise<unknown> }
  >();

  const subscriberConnection = () => {
    if (subscriber) return subscriber;
    // No ready check (INFO) on the subscriber: ioredis writes a SUBSCRIBE issued between connect
    // and ready at once, and the INFO after it fails on the now-subscribed connection
    // (redis/ioredis#2037), failing that subscription. SUBSCRIBE is accepted while Redis loads.
    const sub = connectRedis(url, log, 'subscriber', { enableReadyCheck: false });
    sub.on('message', (fullChannel: string, message: string) => {
      if (!fullChannel.startsWith(prefix)) return;
      for (const fn of channels.get(fullChannel.slice(prefix.length))?.handlers ?? []) {
        try {
          fn(message);
        } catch (err) {
          log.error({ err, channel: fullChannel }, 'pub/sub subscriber threw');
        }
      }
    });
    subscriber = sub;
    return sub;
  };

  return {
    async publish(channel, message) {
      if (redisIsDown(publisher)) {
        log.warn({ channel }, 'redis is down: message not published');
        return;
      }
      try {
        await publisher.publish(prefix + channel, message);
      } catch (err) {
        log.warn({ err: { message: (err as Error).message }, channel }, 'redis publish failed');
      }
    },
    async subscribe(channel, onMessage) {
      const sub = subscriberConnection();
      let entry = channels.get(channel);
      if (!entry) {
        const created = {
          handlers: new Set<(m: string) => void>(),
          ready: sub.subscribe(prefix + channel),
        };
        entry = created;
        channels.set(channel, created);
        created.ready.catch(() => {
          if (channels.get(channel) === created) channels.delete(channel);
        });
      }
      await entry.ready;
      entry.handlers.add(onMessage);
      const subscribed = entry;
      return async () => {
        if (!subscribed.handlers.delete(onMessage) || subscribed.handlers.size > 0) return;
        if (channels.get(channel) !== subscribed) return;
        channels.delete(channel);
        try {
          await sub.unsubscribe(prefix + channel);
        } catch (err) {
          log.warn(
            { err: { message: (err as Error).message }, channel },
            'redis unsubscribe failed',
          );
        }
      };
    },
    async close() {
      channels.clear();
      await closeRedis(publisher);
      if (subscriber) await closeRedis(subscriber);
    },
  };
}
