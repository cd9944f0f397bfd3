// Wires everything once: picks a driver for each port from the config, builds repositories and
// services. The only place that chooses drivers.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import { resolveJwtSecret } from './config.ts';
import { createMemoryCache, createMemoryPubSub } from './platform/cache/memory-cache.ts';
import type { Cache, PubSub } from './platform/cache/cache.ts';
import { createCachedReader } from './platform/cache/cached.ts';
import { createDatabase, type Database } from './platform/db/database.ts';
import { createMetrics } from './platform/http/metrics.ts';
import { createJobRegistry } from './platform/jobs/jobs.ts';
import { createDiskStorage } from './platform/storage/disk-storage.ts';
import type { Storage } from './platform/storage/storage.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createAccountsService, createTokenService } from './modules/accounts/index.ts';

export type Logger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

export interface DepsOverrides {
  clock?: Clock;
  database?: Database;
}

export async function createDeps(config: Config, overrides: DepsOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const database = overrides.database ?? createDatabase(config.database);
  // ---- platform drivers (chosen here and nowhere else) ----
  const cache: Cache = createMemoryCache();
  const pubsub: PubSub = createMemoryPubSub();
  const storage: Storage = createDiskStorage(
    config.storage.driver === 'disk' ? config.storage.dir : '',
  );
  const jobs = createJobRegistry();
  const metrics = createMetrics();
  const cached = createCachedReader(cache, {
    hit: () => metrics.cacheLookups.inc({ result: 'hit' }),
    miss: () => metrics.cacheLookups.inc({ result: 'miss' }),
  });
  const tokens = createTokenService(resolveJwtSecret(config));
  const db = database.db;

  // ---- services (one block per module) ----
  const accounts = createAccountsService({ db, clock, tokens });

  const closers: (() => Promise<void>)[] = [];
  let shuttingDown = false;
  /** Work started after migrations when a server (not a test or CLI) starts: demo data, inline worker. */
  const starters: ((log: Logger) => Promise<void>)[] = [];
  return {
    config,
    clock,
    database,
    db,
    cache,
    pubsub,
    storage,
    jobs,
    cached,
    metrics,
    tokens,
    accounts,
    /** Ready means every configured backing service answers. */
    async ready(): Promise<boolean> {
      return !shuttingDown && (await database.ping());
    },
    onStart(fn: (log: Logger) => Promise<void>) {
      starters.push(fn);
    },
    async startBackground(log: Logger) {
      for (const fn of starters) await fn(log);
    },
    /** /readyz turns false first, so a load balancer stops sending before we stop accepting. */
    beginShutdown() {
      shuttingDown = true;
    },
    onClose(fn: () => Promise<void>) {
      closers.push(fn);
    },
    async close() {
      for (const fn of closers.reverse()) await fn();
      await cache.close();
      await pubsub.close();
      await database.destroy();
    },
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
