// The only module that reads the environment. Everything else receives a typed `Config`.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WALLETS } from '../../shared/contracts/vocabulary.ts';
import { parseAllowlist } from './platform/push/endpoint-guard.ts';

const onOff = z.enum(['on', 'off']);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\/.+/, 'must be a mysql://user:pass@host:3306/db URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be a redis:// URL')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'letters, digits and _ : . - only')
    .default('pas:'),
  STORAGE: z.enum(['disk', 's3']).default('disk'),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().optional(),
  S3_ENDPOINT: z.url().optional(),
  PUBLIC_ASSET_URL: z.url().optional(),
  MAIL_TRANSPORT: z.enum(['file', 'smtp', 'log']).default('file'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Pitch-A-Seat <no-reply@pitch-a-seat.local>'),
  PAYMENT_PROVIDER: z.enum(['simulator', 'tappay']).default('simulator'),
  TAPPAY_PARTNER_KEY: z.string().optional(),
  TAPPAY_MERCHANT_ID: z.string().optional(),
  TAPPAY_APP_ID: z.string().optional(),
  TAPPAY_APP_KEY: z.string().optional(),
  TAPPAY_ENV: z.enum(['sandbox', 'production']).default('sandbox'),
  TAPPAY_THREE_DOMAIN_SECURE: bool.default(true),
  /** The wallets offered through TapPay, comma-separated (docs/PRODUCT.md §4.1); none by default. */
  TAPPAY_WALLETS: z
    .string()
    .regex(
      new RegExp(`^\\s*(${WALLETS.join('|')})(\\s*,\\s*(${WALLETS.join('|')}))*\\s*$`),
      `a comma-separated list of ${WALLETS.join(', ')}`,
    )
    .optional(),
  /** Each wallet's TapPay merchant (TapPay gives one per payment method). */
  TAPPAY_MERCHANT_ID_LINEPAY: z.string().optional(),
  TAPPAY_MERCHANT_ID_JKOPAY: z.string().optional(),
  TAPPAY_MERCHANT_ID_APPLEPAY: z.string().optional(),
  TAPPAY_MERCHANT_ID_GOOGLEPAY: z.string().optional(),
  /** Apple Pay: the Apple merchant identifier and the domain-association file Apple issued. */
  APPLE_PAY_MERCHANT_IDENTIFIER: z
    .string()
    .regex(/^merchant\.[\w.-]+$/, 'must look like merchant.com.example')
    .optional(),
  APPLE_PAY_DOMAIN_ASSOCIATION: z.string().max(65_536).optional(),
  /** Google Pay: the merchant id from Google's Pay & Wallet Console (required in production). */
  GOOGLE_PAY_MERCHANT_ID: z.string().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** AES-256-GCM key of personal data kept encrypted at rest (a buyer's recipient details). */
  DATA_ENCRYPTION_KEY: z
    .string()
    .refine((v) => /^[\w+/-]+=*$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)',
    })
    .optional(),
  PUBLIC_URL: z.url().optional(),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[\w-]{80,100}$/, 'must be a base64url P-256 public key')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[\w-]{40,50}$/, 'must be a base64url P-256 private key')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/).+/, 'must be a mailto: or https:// URL')
    .optional(),
  PUSH_ENDPOINT_ALLOWLIST: z.string().optional(),
  LINE_API_BASE: z.url().default('https://api.line.me'),
  LINE_LOGIN_CHANNEL_ID: z.string().optional(),
  LINE_LOGIN_CHANNEL_SECRET: z.string().optional(),
  LINE_MESSAGING_ACCESS_TOKEN: z.string().optional(),
  DEMO_DATA: bool.optional(),
  CHECKOUT_HOLD_SECONDS: positiveInt.default(600),
  AUTO_COMPLETE_HOURS: positiveInt.default(24),
  PLATFORM_FEE_PERCENT: z.coerce.number().min(0).max(100).default(0),
  RATE_LIMIT: onOff.default('on'),
  JOBS: z.enum(['inline', 'off']).default('inline'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_REQUESTS: z.enum(['all', 'errors', 'off']).default('all'),
  LOG_SAMPLE_CACHED: z.coerce.number().int().min(1).max(10_000).default(10),
  TRUST_PROXY: z.string().optional(),
  MIGRATE_ON_START: bool.optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).optional(),
  HTTP_ACCEPTORS: z.coerce.number().int().min(1).max(32).optional(),
  // The CPBL schedule sync (docs/PRODUCT.md §2.12): off unless turned on.
  SCHEDULE_SYNC: onOff.default('off'),
  SCHEDULE_SYNC_URL: z.url().default('https://stats.cpbl.com.tw'),
  SCHEDULE_SYNC_KINDS: z
    .string()
    .regex(/^[ACE](,[ACE])*$/, 'a comma-separated list of A, C, E')
    .default('A'),
  SCHEDULE_SYNC_GAME_DAY_MINUTES: positiveInt.default(10),
  SCHEDULE_SYNC_IDLE_MINUTES: positiveInt.default(60),
  SCHEDULE_SYNC_ALERT_AFTER: positiveInt.default(3),
  /** Who may read /metrics without a token: addresses or CIDR blocks, comma-separated. */
  METRICS_ALLOW: z
    .string()
    .regex(/^[\s\w.:/,]+$/, 'addresses or CIDR blocks, comma-separated')
    .default('127.0.0.0/8,::1'),
  /** A bearer token that opens /metrics from anywhere else (≥ 32 characters). */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  // TEST ONLY (server/test/faults/sigkill.test.ts): crash-after-charge makes the pay flow SIGKILL
  // its own process right after TapPay approved a charge and before we commit it.
  FAULT_INJECT: z.enum(['crash-after-charge']).optional(),
});

export type Env = z.input<typeof EnvSchema>;

/** Every variable the app reads, by name (the deployment checks and infra/ compare against it). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape) as (keyof Env)[];

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  // Empty strings mean "unset", as in most deployment tools.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const requireFor = (cond: boolean, names: (keyof typeof e)[], why: string) => {
    const missing = names.filter((n) => cond && !e[n]);
    if (missing.length)
      throw new ConfigError(
        `Invalid configuration:\n  ${missing.join(', ')}: required when ${why}`,
      );
  };
  requireFor(e.STORAGE === 's3', ['S3_BUCKET', 'S3_REGION'], 'STORAGE=s3');
  requireFor(e.MAIL_TRANSPORT === 'smtp', ['SMTP_URL'], 'MAIL_TRANSPORT=smtp');
  requireFor(
    e.PAYMENT_PROVIDER === 'tappay',
    ['TAPPAY_PARTNER_KEY', 'TAPPAY_MERCHANT_ID', 'TAPPAY_APP_ID', 'TAPPAY_APP_KEY'],
    'PAYMENT_PROVIDER=tappay',
  );

  // Wallets (issue 23 item 7): each enabled one needs its TapPay merchant, Apple Pay its Apple
  // merchant identifier and domain-association file, Google Pay in production Google's merchant id.
  const wallets = [
    ...new Set(
      (e.TAPPAY_WALLETS ?? '')
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean),
    ),
  ] as (typeof WALLETS)[number][];
  const tappay = e.PAYMENT_PROVIDER === 'tappay';
  const walletMerchantVar = {
    linepay: 'TAPPAY_MERCHANT_ID_LINEPAY',
    jkopay: 'TAPPAY_MERCHANT_ID_JKOPAY',
    applepay: 'TAPPAY_MERCHANT_ID_APPLEPAY',
    googlepay: 'TAPPAY_MERCHANT_ID_GOOGLEPAY',
  } as const;
  for (const w of wallets) {
    requireFor(tappay, [walletMerchantVar[w]], `TAPPAY_WALLETS includes ${w}`);
  }
  requireFor(
    tappay && wallets.includes('applepay'),
    ['APPLE_PAY_MERCHANT_IDENTIFIER', 'APPLE_PAY_DOMAIN_ASSOCIATION'],
    'TAPPAY_WALLETS includes applepay',
  );
  requireFor(
    tappay && e.TAPPAY_ENV === 'production' && wallets.includes('googlepay'),
    ['GOOGLE_PAY_MERCHANT_ID'],
    'TAPPAY_WALLETS includes googlepay and TAPPAY_ENV=production',
  );

  if (!!e.VAPID_PUBLIC_KEY !== !!e.VAPID_PRIVATE_KEY)
    throw new ConfigError(
      'Invalid configuration:\n  VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: give both or neither',
    );
  const lineVars = [
    'LINE_LOGIN_CHANNEL_ID',
    'LINE_LOGIN_CHANNEL_SECRET',
    'LINE_MESSAGING_ACCESS_TOKEN',
  ] as const;
  const lineOn = lineVars.some((n) => e[n]);
  requireFor(lineOn, [...lineVars], 'LINE is configured (give all three or none)');
  let pushAllowlist: string[];
  try {
    pushAllowlist = parseAllowlist(e.PUSH_ENDPOINT_ALLOWLIST);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  PUSH_ENDPOINT_ALLOWLIST: ${String(err)}`);
  }

  if (e.PAYMENT_PROVIDER === 'tappay') {
    // TapPay posts its backend notify only to https on port 443, and sends the buyer back to the
    // same origin: a tappay deployment without one would take money it never hears about.
    const url = e.PUBLIC_URL ? new URL(e.PUBLIC_URL) : null;
    if (!url || url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) {
      throw new ConfigError(
        'Invalid configuration:\n  PUBLIC_URL: must be an https:// URL on port 443 when ' +
          'PAYMENT_PROVIDER=tappay (TapPay sends its backend notify only to https on 443); ' +
          `got ${e.PUBLIC_URL ? JSON.stringify(e.PUBLIC_URL) : 'nothing'}`,
      );
    }
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const embeddedDb = !e.DATABASE_URL;
  return {
    env: e.NODE_ENV ?? 'development',
    http: {
      port: e.PORT,
      host: e.HOST,
      publicUrl,
      trustProxy: e.TRUST_PROXY,
      // Listening sockets sharing the port (SO_REUSEPORT): libuv accepts one connection per event
      // loop turn and socket, so a burst of new connections from nginx waits seconds on a busy
      // instance with one (platform/http/acceptors.ts). Several only where they are needed: two
      // instances started on one port by mistake would share it silently instead of failing.
      acceptors: e.HTTP_ACCEPTORS ?? (e.NODE_ENV === 'production' ? 8 : 1),
    },
    dataDir,
    database: e.DATABASE_URL
      ? ({ driver: 'mysql', url: e.DATABASE_URL } as const)
      : ({ driver: 'sqlite', file: path.join(dataDir, 'pitch-a-seat.sqlite') } as const),
    redis: e.REDIS_URL ? { url: e.REDIS_URL, prefix: e.REDIS_PREFIX } : null,
    storage:
      e.STORAGE === 's3'
        ? ({
            driver: 's3',
            bucket: e.S3_BUCKET!,
            region: e.S3_REGION!,
            endpoint: e.S3_ENDPOINT,
            publicUrl: e.PUBLIC_ASSET_URL?.replace(/\/$/, ''),
          } as const)
        : ({ driver: 'disk', dir: path.join(dataDir, 'uploads') } as const),
    mail: {
      driver: e.MAIL_TRANSPORT,
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      outboxDir: path.join(dataDir, 'outbox'),
    },
    payments:
      e.PAYMENT_PROVIDER === 'tappay'
        ? ({
            provider: 'tappay',
            partnerKey: e.TAPPAY_PARTNER_KEY!,
            merchantId: e.TAPPAY_MERCHANT_ID!,
            appId: e.TAPPAY_APP_ID!,
            appKey: e.TAPPAY_APP_KEY!,
            env: e.TAPPAY_ENV,
            threeDomainSecure: e.TAPPAY_THREE_DOMAIN_SECURE,
            wallets,
            walletMerchantIds: {
              linepay: e.TAPPAY_MERCHANT_ID_LINEPAY ?? '',
              jkopay: e.TAPPAY_MERCHANT_ID_JKOPAY ?? '',
              applepay: e.TAPPAY_MERCHANT_ID_APPLEPAY ?? '',
              googlepay: e.TAPPAY_MERCHANT_ID_GOOGLEPAY ?? '',
            },
            applePay: {
              merchantIdentifier: e.APPLE_PAY_MERCHANT_IDENTIFIER ?? null,
              domainAssociation: e.APPLE_PAY_DOMAIN_ASSOCIATION ?? null,
            },
            googlePayMerchantId: e.GOOGLE_PAY_MERCHANT_ID ?? null,
          } as const)
        : ({
            provider: 'simulator',
            // Replaced by a random key per process in deps.ts (the simulator must not be public).
            partnerKey: '',
            merchantId: 'pitchaseat_SIM',
            appId: '0',
            appKey: 'app_simulator',
            env: 'sandbox',
            threeDomainSecure: e.TAPPAY_THREE_DOMAIN_SECURE,
            wallets,
            // The simulator's own merchants, one per wallet as TapPay's are.
            walletMerchantIds: {
              linepay: 'pitchaseat_SIM_LINEPAY',
              jkopay: 'pitchaseat_SIM_JKOPAY',
              applepay: 'pitchaseat_SIM_APPLEPAY',
              googlepay: 'pitchaseat_SIM_GOOGLEPAY',
            },
            applePay: {
              merchantIdentifier:
                e.APPLE_PAY_MERCHANT_IDENTIFIER ?? 'merchant.local.pitchaseat.simulator',
              domainAssociation: e.APPLE_PAY_DOMAIN_ASSOCIATION ?? null,
            },
            googlePayMerchantId: e.GOOGLE_PAY_MERCHANT_ID ?? null,
          } as const),
    jwtSecret: e.JWT_SECRET ?? null,
    /** The data encryption key (null: generated once into DATA_DIR, like the JWT secret). */
    dataEncryptionKey: e.DATA_ENCRYPTION_KEY ?? null,
    /** Web Push: VAPID keys (null: generated once into DATA_DIR) and the SSRF allow-list. */
    push: {
      publicKey: e.VAPID_PUBLIC_KEY ?? null,
      privateKey: e.VAPID_PRIVATE_KEY ?? null,
      subject:
        e.VAPID_SUBJECT ??
        (publicUrl.startsWith('https://') ? publicUrl : 'mailto:no-reply@pitch-a-seat.local'),
      endpointAllowlist: pushAllowlist,
    },
    /** LINE Login + Messaging API, or null when not configured (the feature is off). */
    line: lineOn
      ? {
          apiBase: e.LINE_API_BASE.replace(/\/$/, ''),
          loginChannelId: e.LINE_LOGIN_CHANNEL_ID!,
          loginChannelSecret: e.LINE_LOGIN_CHANNEL_SECRET!,
          messagingAccessToken: e.LINE_MESSAGING_ACCESS_TOKEN!,
        }
      : null,
    demoData: e.DEMO_DATA ?? embeddedDb,
    migrateOnStart: e.MIGRATE_ON_START ?? embeddedDb,
    checkoutHoldSeconds: e.CHECKOUT_HOLD_SECONDS,
    autoCompleteHours: e.AUTO_COMPLETE_HOURS,
    platformFeePercent: e.PLATFORM_FEE_PERCENT,
    rateLimit: e.RATE_LIMIT === 'on',
    jobs: e.JOBS,
    logLevel: e.LOG_LEVEL,
    /** The access log: one line per request (`all`), per 4xx/5xx answer (`errors`), or none. */
    logRequests: e.LOG_REQUESTS,
    /**
     * One access line per this many successful GET/HEAD answers that are public cached answers
     * (`Cache-Control: public`, the same for every caller); each such line says `sample: N`.
     * Every other answer is logged. 1: every one.
     */
    logSampleCached: e.LOG_SAMPLE_CACHED,
    /** After SIGTERM, /readyz answers 503 this long before the server stops accepting. */
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS ?? (e.NODE_ENV === 'production' ? 5000 : 0),
    /** The CPBL feed read every few minutes on game days, hourly otherwise (off by default). */
    scheduleSync: {
      enabled: e.SCHEDULE_SYNC === 'on',
      feedUrl: e.SCHEDULE_SYNC_URL.replace(/\/$/, ''),
      kinds: [...new Set(e.SCHEDULE_SYNC_KINDS.split(','))] as ('A' | 'C' | 'E')[],
      gameDayMinutes: e.SCHEDULE_SYNC_GAME_DAY_MINUTES,
      idleMinutes: e.SCHEDULE_SYNC_IDLE_MINUTES,
      alertAfter: e.SCHEDULE_SYNC_ALERT_AFTER,
    },
    /** /metrics: the peer addresses (not X-Forwarded-For) it answers, or a bearer token. */
    metrics: {
      allow: e.METRICS_ALLOW.split(',')
        .map((a) => a.trim())
        .filter(Boolean),
      token: e.METRICS_TOKEN ?? null,
    },
    /** Test-only fault injection; never set in production (see FAULT_INJECT above). */
    faultInject: e.FAULT_INJECT ?? null,
  };
}

export type Config = ReturnType<typeof loadConfig>;

/**
 * DATA_DIR holds the SQLite file (password hashes, payout accounts), the mail outbox and the
 * simulator's journal (personal data), the generated secret: the directory is 0700 and the files
 * directly in it 0600, also when an older version created them 0755/0644.
 */
export function secureDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile()) chmodSync(path.join(dataDir, entry.name), 0o600);
    else if (entry.isDirectory()) chmodSync(path.join(dataDir, entry.name), 0o700);
  }
}

/**
 * Why a server must not start with this configuration, or null. Instances that share a database
 * or Redis must sign sessions with one secret: a secret generated per instance makes a session
 * from one `UNAUTHENTICATED` on the others, silently.
 */
export function sharedSecretProblem(config: Config): string | null {
  if (!config.jwtSecret && (config.database.driver === 'mysql' || config.redis))
    return 'JWT_SECRET: required when DATABASE_URL or REDIS_URL is set (every instance must sign sessions with the same secret; e.g. `openssl rand -base64 48`)';
  // Data sealed by one instance must open on the others (a key generated per instance would not).
  if (!config.dataEncryptionKey && config.database.driver === 'mysql')
    return 'DATA_ENCRYPTION_KEY: required when DATABASE_URL is set (every instance must encrypt personal data with the same key; e.g. `openssl rand -base64 32`)';
  return null;
}

/** What to tell an operator whose database lacks migrations, instead of a stack trace. */
export function pendingMigrationsMessage(pending: readonly string[], total: number): string {
  const what =
    pending.length === total
      ? 'The database is empty (no tables yet)'
      : `The database lacks ${pending.length} migration(s) (first: ${pending[0]})`;
  return `${what}: run npm run db:migrate, then start the server again.`;
}

/**
 * A secret that was not given: generated once into `DATA_DIR/<name>` with mode 0600 (`bytes`
 * random bytes, base64url) and read back on every later start.
 */
function generatedSecret(dataDir: string, name: string, bytes: number): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, name);
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(bytes).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  return readFileSync(file, 'utf8').trim();
}

/** The JWT secret: given, or generated once into DATA_DIR with mode 0600. */
export function resolveJwtSecret(config: Config): string {
  return config.jwtSecret ?? generatedSecret(config.dataDir, 'jwt-secret', 48);
}

/** The data encryption key (32 bytes): given, or generated once into DATA_DIR with mode 0600. */
export function resolveDataEncryptionKey(config: Config): Buffer {
  if (config.dataEncryptionKey) return Buffer.from(config.dataEncryptionKey, 'base64');
  return Buffer.from(generatedSecret(config.dataDir, 'data-encryption-key', 32), 'base64url');
}

export function describeDrivers(config: Config): string {
  return [
    `db=${config.database.driver}`,
    `cache=${config.redis ? 'redis' : 'memory'}`,
    `storage=${config.storage.driver}`,
    `mail=${config.mail.driver}`,
    `payments=${config.payments.provider}`,
    `jobs=${config.jobs}`,
    `line=${config.line ? 'on' : 'off'}`,
  ].join(' ');
}
