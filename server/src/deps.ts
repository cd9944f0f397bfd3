// Wires everything once: picks a driver for each port from the config, builds repositories and
// services. The only place that chooses drivers.
import { hkdfSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { Config } from './config.ts';
import { resolveDataEncryptionKey, resolveJwtSecret, secureDataDir } from './config.ts';
import { createSealer } from './platform/crypto/sealer.ts';
import { createMemoryCache, createMemoryPubSub } from './platform/cache/memory-cache.ts';
import type { Cache, PubSub } from './platform/cache/cache.ts';
import { createCachedReader } from './platform/cache/cached.ts';
import { createRedisCache, createRedisPubSub } from './platform/cache/redis-cache.ts';
import { createDatabase, type Database } from './platform/db/database.ts';
import { createUnitOfWork } from './platform/db/unit-of-work.ts';
import { createMetrics } from './platform/http/metrics.ts';
import { createJobRegistry } from './platform/jobs/jobs.ts';
import { createWorker, registerJobMetrics, type WorkerLog } from './platform/jobs/worker.ts';
import { createFileMailer } from './platform/mail/file-mailer.ts';
import { createLogMailer } from './platform/mail/log-mailer.ts';
import type { Mailer } from './platform/mail/mailer.ts';
import { createSmtpMailer } from './platform/mail/smtp-mailer.ts';
import { createDiskStorage } from './platform/storage/disk-storage.ts';
import { createS3Storage } from './platform/storage/s3-storage.ts';
import type { Storage } from './platform/storage/storage.ts';
import {
  createPrivateDiskStorage,
  privateWithin,
  type PrivateStorage,
} from './platform/storage/private-storage.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import {
  createAccountsService,
  createSessionTokens,
  createTokenService,
  hashPassword,
} from './modules/accounts/index.ts';
import { createCatalogService, ensureCatalog } from './modules/catalog/index.ts';
import { loadDemoData } from './modules/demo/index.ts';
import { createListingsService } from './modules/listings/index.ts';
import {
  createChannels,
  createLineClient,
  createLiveNotifications,
  createNotificationsService,
} from './modules/notifications/index.ts';
import { resolveVapidKeys } from './platform/push/vapid.ts';
import { createWebPushSender, type PushSender } from './platform/push/web-push-sender.ts';
import { createReservationsService } from './modules/reservations/index.ts';
import { createReviewsService } from './modules/reviews/index.ts';
import { createConversations } from './modules/conversations/index.ts';
import { createTrendingService } from './modules/trending/index.ts';
import { createRecommendationsService } from './modules/recommendations/index.ts';
import {
  createLoopbackFetch,
  createPaymentsService,
  createTapPayClient,
  createTapPaySimulator,
  networkFetch,
  SIMULATOR_PREFIX,
  TAPPAY_HOSTS,
} from './modules/payments/index.ts';
import { assertMayList, createOrders } from './modules/orders/index.ts';
import { createAdminService } from './modules/admin/index.ts';
import { createPrivacyService } from './modules/privacy/index.ts';
import { createScheduleService, createScheduleSync } from './modules/schedule/index.ts';
import { createHandoverGuide, ensureHandoverGuide } from './modules/handover/index.ts';

export type Logger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

export interface DepsOverrides {
  clock?: Clock;
  database?: Database;
  /** Logger of the platform drivers and the job worker (default: pino at LOG_LEVEL). */
  log?: WorkerLog;
  /** A mailer instead of the configured one (tests: createMemoryMailer()). */
  mailer?: Mailer;
  /** A push sender instead of Web Push over the network (tests that count pushes). */
  pushSender?: PushSender;
  /**
   * Another app's cache and pub/sub, shared as instances share Redis (tests of two instances on
   * one SQLite file); the other app closes them.
   */
  sharedCache?: { cache: Cache; pubsub: PubSub };
}

export async function createDeps(config: Config, overrides: DepsOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  secureDataDir(config.dataDir);
  const database = overrides.database ?? createDatabase(config.database);
  // ---- platform drivers (chosen here and nowhere else) ----
  const log: WorkerLog = overrides.log ?? pino({ level: config.logLevel });
  const shared = overrides.sharedCache;
  const redisCache = !shared && config.redis ? createRedisCache({ ...config.redis, log }) : null;
  const cache: Cache = shared?.cache ?? redisCache ?? createMemoryCache();
  const pubsub: PubSub =
    shared?.pubsub ??
    (config.redis ? createRedisPubSub({ ...config.redis, log }) : createMemoryPubSub());
  const s3 = config.storage.driver === 's3' ? createS3Storage(config.storage) : null;
  const storage: Storage =
    s3 ?? createDiskStorage(config.storage.driver === 'disk' ? config.storage.dir : '');
  // Handover proofs: outside /media (DATA_DIR/private), or the bucket's private/ prefix.
  const privateStorage: PrivateStorage = s3
    ? privateWithin(s3)
    : createPrivateDiskStorage(path.join(config.dataDir, 'private'));
  const mailer: Mailer =
    overrides.mailer ??
    (config.mail.driver === 'smtp'
      ? createSmtpMailer({ url: config.mail.smtpUrl!, from: config.mail.from })
      : config.mail.driver === 'log'
        ? createLogMailer(log)
        : createFileMailer({ dir: config.mail.outboxDir, from: config.mail.from }));
  const jobs = createJobRegistry({ db: database.db, clock });
  const metrics = createMetrics();
  // Created always (tests call drain() with JOBS=off); started below only when JOBS=inline.
  const worker = createWorker({ database, registry: jobs, log, clock });
  registerJobMetrics(metrics, database, clock);
  const cached = createCachedReader(
    cache,
    {
      hit: () => metrics.cacheLookups.inc({ result: 'hit' }),
      miss: () => metrics.cacheLookups.inc({ result: 'miss' }),
    },
    // Redis: namespace generations remembered ≤ 1 s, invalidations broadcast (docs/PERFORMANCE.md).
    config.redis ? { generationTtlMs: 1_000, pubsub } : {},
  );
  const db = database.db;
  // Every token issued is a sessions row, so signing out or revoking stops it on every instance.
  const tokens = createSessionTokens(db, createTokenService(resolveJwtSecret(config)));
  const uow = createUnitOfWork({ db, clock, log });
  // Personal data kept encrypted at rest (recipient details): DATA_ENCRYPTION_KEY, or generated.
  const dataKey = resolveDataEncryptionKey(config);
  const sealer = createSealer(dataKey);
  // In-person handover codes are an HMAC of the order id under a key derived from that one.
  const handoverCodeKey = Buffer.from(hkdfSync('sha256', dataKey, '', 'handover-code', 32));

  // ---- services (one block per module) ----
  const accounts = createAccountsService({
    db,
    uow,
    clock,
    tokens,
    cached,
    mailer,
    publicUrl: config.http.publicUrl,
    log,
  });
  const catalog = createCatalogService({ db, clock, cached });
  const listings = createListingsService({
    db,
    uow,
    clock,
    storage,
    cached,
    // Sellers who cancelled paid sales are paused (orders' strikes, issue 18 item 7).
    assertMayList,
  });
  // Web Push (VAPID keys given, or generated once into DATA_DIR) and LINE (when configured).
  const pushSender =
    overrides.pushSender ??
    createWebPushSender({
      vapid: resolveVapidKeys({
        publicKey: config.push.publicKey ?? undefined,
        privateKey: config.push.privateKey ?? undefined,
        subject: config.push.subject,
        dataDir: config.dataDir,
      }),
      allowlist: config.push.endpointAllowlist,
    });
  const channels = createChannels({
    db,
    clock,
    publicUrl: config.http.publicUrl,
    push: pushSender,
    pushAllowlist: config.push.endpointAllowlist,
    line: config.line ? createLineClient(config.line) : null,
  });
  const notifications = createNotificationsService({
    db,
    clock,
    live: createLiveNotifications({ pubsub, log, presence: cache }),
    mailer,
    publicUrl: config.http.publicUrl,
    channels,
  });
  const reservations = createReservationsService({
    db,
    clock,
    notifications,
    cached,
  });
  const reviews = createReviewsService({ db, clock });
  // Order conversations (issue 18 item 5): private photos go through the same storage.
  const conversations = createConversations({ db, clock, storage });
  const trending = createTrendingService({ db, clock, cached });
  const recommendations = createRecommendationsService({
    db,
    clock,
    cached,
    storage,
    trending,
    log,
  });
  // Payments: TapPay, or the simulator this server mounts (same client, same HTTP JSON); requests
  // to our own URL go through the app in-process (loopback), so tests need no socket.
  const simulated = config.payments.provider === 'simulator';
  const loopback = createLoopbackFetch(config.http.publicUrl);
  const simulatorBase = `${config.http.publicUrl}${SIMULATOR_PREFIX}`;
  // The simulator's partner key: random per process, known only to this app's client (the
  // simulator is mounted in this process and reached in-process), never a published constant.
  const partnerKey = simulated
    ? `sim_${randomBytes(24).toString('base64url')}`
    : config.payments.partnerKey;
  const tappaySimulator = simulated
    ? createTapPaySimulator({
        partnerKey,
        redirectOrigin: config.http.publicUrl,
        merchantId: config.payments.merchantId,
        walletMerchantIds: config.payments.walletMerchantIds,
        baseUrl: simulatorBase,
        fetch: loopback.fetch,
        now: () => clock.now(),
        // Trades survive a restart (or SIGKILL), as TapPay's do: reconciliation can find them.
        journalFile: path.join(config.dataDir, 'tappay-simulator.jsonl'),
      })
    : null;
  const payments = createPaymentsService({
    db,
    uow,
    clock,
    metrics,
    log,
    client: createTapPayClient({
      baseUrl: simulated ? simulatorBase : TAPPAY_HOSTS[config.payments.env],
      partnerKey,
      merchantId: config.payments.merchantId,
      fetch: simulated ? loopback.fetch : networkFetch,
    }),
    config: {
      ...config.payments,
      publicUrl: config.http.publicUrl,
      faultInject: config.faultInject,
    },
  });
  const orders = createOrders({
    db,
    uow,
    clock,
    storage,
    cached,
    listings: listings.lifecycle,
    payments,
    sealer,
    privateStorage,
    handoverCodeKey,
    metrics,
    config: {
      checkoutHoldSeconds: config.checkoutHoldSeconds,
      autoCompleteHours: config.autoCompleteHours,
      platformFeePercent: config.platformFeePercent,
    },
  });
  // A confirmed charge pays its order: orders decides what that means, in the same transaction.
  payments.setPayee(orders.payee);
  // Every job type and schedule, each owned by the module that handles it.
  for (const service of [
    accounts,
    listings,
    notifications,
    reservations,
    trending,
    payments,
    orders,
  ])
    jobs.register(...service.jobs);
  const scheduleSync = createScheduleSync({
    db,
    clock,
    cached,
    // The feed is plain HTTP GET (SCHEDULE_SYNC_URL; a local stub in tests).
    fetch: (url, init) => fetch(url, init),
    orders,
    metrics,
    log,
    config: config.scheduleSync,
  });
  jobs.register(...scheduleSync.jobs);
  const schedule = createScheduleService({ db, clock, orders, sync: scheduleSync });
  const admin = createAdminService({ db, clock, orders, accounts, schedule, catalog });
  const privacy = createPrivacyService({ db, uow, clock, accounts, listings, sealer });
  const handoverGuide = createHandoverGuide({ db, clock });

  const closers: (() => Promise<void>)[] = [];
  closers.push(async () => notifications.live.closeAll());
  closers.push(() => recommendations.settled());
  let shuttingDown = false;
  /** Work started after migrations when a server (not a test or CLI) starts: demo data, inline worker. */
  const starters: ((log: Logger) => Promise<void>)[] = [];
  // Reference data on every start; demo data only into a database without games.
  starters.push(async (log) => {
    await ensureCatalog(db);
    await ensureHandoverGuide(db, clock.now().toISOString());
    if (!config.demoData) return;
    const demo = await loadDemoData({
      db,
      clock,
      hashPassword,
      platformFeePercent: config.platformFeePercent,
    });
    if (demo) log.info(demo, 'demo data loaded');
  });
  starters.push(() => jobs.startSchedules());
  // JOBS=inline: the worker runs in this server process; `npm run worker` runs the same loop.
  if (config.jobs === 'inline') starters.push(async () => worker.start());
  return {
    config,
    clock,
    log,
    database,
    db,
    uow,
    cache,
    pubsub,
    storage,
    mailer,
    jobs,
    worker,
    /** The Redis command connection when REDIS_URL is set (shared rate limits), else null. */
    redis: (redisCache?.client ?? null) as object | null,
    cached,
    metrics,
    tokens,
    sealer,
    privateStorage,
    handoverCodeKey,
    accounts,
    catalog,
    listings,
    notifications,
    reservations,
    reviews,
    conversations,
    trending,
    recommendations,
    payments,
    orders,
    schedule,
    admin,
    privacy,
    handoverGuide,
    /** Requests to our own public URL go to the app in-process (buildApp attaches it). */
    loopback,
    /** The in-memory TapPay simulator when PAYMENT_PROVIDER=simulator, else null. */
    tappaySimulator,
    /** Ready means every configured backing service answers. */
    async ready(): Promise<boolean> {
      if (shuttingDown) return false;
      const checks = [database.ping(), ...(redisCache ? [redisCache.ping()] : [])];
      return (await Promise.all(checks)).every(Boolean);
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
    /** `jobTimeoutMs`: jobs still running after that long return to the queue (see worker.stop). */
    async close({ jobTimeoutMs }: { jobTimeoutMs?: number } = {}) {
      // Stop claiming jobs and let running ones finish while every service is still up.
      await worker.stop({ timeoutMs: jobTimeoutMs });
      for (const fn of closers.reverse()) await fn();
      await mailer.close();
      s3?.close();
      if (!shared) {
        await cache.close();
        await pubsub.close();
      }
      await database.destroy();
    },
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
