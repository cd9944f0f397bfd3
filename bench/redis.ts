// Deleting a bench run's Redis keys (cache entries and namespace generations, which never expire,
// rate-limit counters) when it ends: the runs share the machine's Redis with everyone else.
import { Redis } from 'ioredis';

export async function clearRedisPrefix(url: string, prefix: string) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
