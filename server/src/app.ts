// buildApp(deps): Fastify with plugins, routes and the error handler. It never listens.
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Deps } from './deps.ts';
import { accountsRoutes, installAuth } from './modules/accounts/index.ts';
import { catalogRoutes } from './modules/catalog/index.ts';
import { listingsRoutes } from './modules/listings/index.ts';
import { channelsRoutes, notificationsRoutes } from './modules/notifications/index.ts';
import { reservationsRoutes } from './modules/reservations/index.ts';
import { recommendationsRoutes } from './modules/recommendations/index.ts';
import { reviewsRoutes } from './modules/reviews/index.ts';
import { conversationsRoutes } from './modules/conversations/index.ts';
import { trendingRoutes } from './modules/trending/index.ts';
import { adminRoutes } from './modules/admin/index.ts';
import {
  orderDeliveryRoutes,
  disputesRoutes,
  ordersRoutes,
  payoutsRoutes,
  sellerStrikesRoutes,
} from './modules/orders/index.ts';
import { privacyRoutes } from './modules/privacy/index.ts';
import { scheduleRoutes } from './modules/schedule/index.ts';
import { handoverGuideRoutes } from './modules/handover/index.ts';
import { paymentsRoutes, SIMULATOR_PREFIX, simulatorRoutes } from './modules/payments/index.ts';
import { AccessLogController, lazyChildLoggerFactory } from './platform/http/access-log.ts';
import { frameworkErrors, installErrorHandler, sendError } from './platform/http/error-handler.ts';
import { installMetrics } from './platform/http/metrics.ts';
import { installOpenApi } from './platform/http/openapi.ts';
import { RATE_LIMITS } from './platform/http/rate-limits.ts';
import { newRequestId } from './platform/http/request-id.ts';
import { installSecurityHeaders } from './platform/http/security-headers.ts';
import { hasWebApp, sendPage, serveWebApp, shellPage } from './platform/http/web-app.ts';
import { mediaRoutes } from './platform/storage/media-routes.ts';

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** One logger for the app and the drivers/worker (main.ts passes deps.log); wins over `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** Built web app to serve at / (defaults to dist/web when it exists). */
  webDir?: string | null;
  /** Called on the bare instance before any plugin or route (tests add their hooks here). */
  instrument?: (app: FastifyInstance) => void;
}

/** Field names never logged, wherever they sit in a logged object (up to three levels deep). */
const SECRET_KEYS = [
  'password',
  'token',
  'prime',
  'partner_key',
  'partnerKey',
  'card_number',
  'cardNumber',
  'accountNumber',
  'authorization',
  'cookie',
];
const SECRET_HEADERS = ['"set-cookie"', '"x-csrf-token"', '"x-api-key"'];
export const REDACTED_LOG_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...SECRET_HEADERS.flatMap((key) => [`*[${key}]`, `*.*[${key}]`]),
];

/** The longest a client may take to send one request, headers and body (issue 16 item 8). */
export const REQUEST_TIMEOUT_MS = 60_000;

export async function buildApp(deps: Deps, options: BuildAppOptions = {}) {
  const { config } = deps;
  // One access line per request (LOG_REQUESTS), request ids logged under the key the job worker
  // logs a job's request_id under: grep one id, see it end to end.
  const logController = new AccessLogController(config.logRequests, config.logSampleCached);
  const logs = Boolean(options.loggerInstance ?? options.logger);
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    ...(logs ? { childLoggerFactory: lazyChildLoggerFactory } : {}),
    trustProxy: config.http.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    // A request (headers and body) must arrive within 60 s: slow-body sockets cannot pile up.
    // Answers are not limited (the notification stream stays open).
    requestTimeout: REQUEST_TIMEOUT_MS,
    requestIdHeader: 'x-request-id',
    logController,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w-]{8,64}$/.test(incoming)
        ? incoming
        : newRequestId();
    },
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  logController.attach(app.log);
  options.instrument?.(app);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const webDir = options.webDir === undefined ? path.resolve('dist/web') : options.webDir;
  const serveWeb = hasWebApp(webDir);
  const shell = serveWeb ? shellPage(webDir) : null;
  // The web app owns every other GET that is not an API or operations path (SPA fallback).
  installErrorHandler(
    app,
    serveWeb
      ? (request, reply) => {
          const isPage =
            (request.method === 'GET' || request.method === 'HEAD') &&
            !/^\/(api|_sim|media|payments)\//.test(request.url);
          if (isPage && shell) return sendPage(reply, shell);
          return sendError(reply, request, 'NOT_FOUND', 'No such route');
        }
      : undefined,
  );
  const secure = config.http.publicUrl.startsWith('https://');
  // TapPay's Google Pay runs Google's pay.js (and its frames) next to TPDirect.
  const googlePay =
    config.payments.provider === 'tappay' && config.payments.wallets.includes('googlepay')
      ? ['https://pay.google.com']
      : [];
  // Security headers and x-request-id: helmet's set on documents, a short one on data.
  await installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", 'https://js.tappaysdk.com', ...googlePay],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: [
          "'self'",
          'data:',
          'blob:',
          ...(config.storage.driver === 's3' && config.storage.publicUrl
            ? [config.storage.publicUrl]
            : []),
        ],
        connectSrc: ["'self'", 'https://*.tappaysdk.com', ...googlePay],
        frameSrc: ["'self'", 'https://*.tappaysdk.com', ...googlePay],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  if (config.rateLimit) {
    await app.register(rateLimit, {
      global: false,
      // With Redis the counters are shared by every instance; a Redis outage lets requests pass.
      ...(deps.redis && config.redis
        ? { redis: deps.redis, nameSpace: `${config.redis.prefix}rl:`, skipOnError: true }
        : {}),
      errorResponseBuilder: (_request, context) => {
        const err = new Error(
          `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} s`,
        ) as Error & {
          statusCode: number;
        };
        err.statusCode = 429;
        return err;
      },
    });
  }

  await installOpenApi(app, { publicUrl: config.http.publicUrl });

  installMetrics(app, deps.metrics, config.metrics);
  installAuth(app, deps.accounts);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // Disk-stored photos are served by the app; S3 objects come from the bucket or CDN.
  if (config.storage.driver === 'disk') await app.register(mediaRoutes, { storage: deps.storage });
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    if (await deps.ready()) return { status: 'ready' };
    return sendError(reply, request, 'SERVICE_UNAVAILABLE', 'A backing service is not reachable');
  });

  await app.register(accountsRoutes, {
    accounts: deps.accounts,
    secureCookies: secure,
    authRateLimit: RATE_LIMITS.auth,
    mailRateLimit: RATE_LIMITS.accountMail,
    totpRateLimit: RATE_LIMITS.totp,
  });
  await app.register(catalogRoutes, { catalog: deps.catalog });
  await app.register(listingsRoutes, {
    listings: deps.listings,
    uploadRateLimit: RATE_LIMITS.upload,
  });
  await app.register(reservationsRoutes, { reservations: deps.reservations });
  await app.register(notificationsRoutes, { notifications: deps.notifications });
  await app.register(channelsRoutes, { channels: deps.notifications.channels });
  await app.register(reviewsRoutes, { reviews: deps.reviews });
  await app.register(conversationsRoutes, {
    conversations: deps.conversations,
    postRateLimit: RATE_LIMITS.upload,
  });
  await app.register(trendingRoutes, { trending: deps.trending });
  // The TapPay simulator exists only when PAYMENT_PROVIDER=simulator (docs/PRODUCT.md §4.1).
  if (deps.tappaySimulator) {
    deps.loopback.attach({ inject: (options) => app.inject(options) });
    await app.register(simulatorRoutes, {
      prefix: SIMULATOR_PREFIX,
      simulator: deps.tappaySimulator,
    });
  }
  await app.register(paymentsRoutes, {
    payments: deps.payments,
    signalRateLimit: RATE_LIMITS.tappaySignal,
  });
  await app.register(ordersRoutes, {
    orders: deps.orders,
    rateLimits: { checkout: RATE_LIMITS.checkout, payment: RATE_LIMITS.payment },
  });
  await app.register(orderDeliveryRoutes, { orders: deps.orders });
  await app.register(adminRoutes, { admin: deps.admin });
  await app.register(payoutsRoutes, { payouts: deps.orders.payouts });
  await app.register(scheduleRoutes, { schedule: deps.schedule });
  await app.register(privacyRoutes, { privacy: deps.privacy });
  await app.register(handoverGuideRoutes, { guide: deps.handoverGuide });
  await app.register(sellerStrikesRoutes, { db: deps.db, clock: deps.clock });
  await app.register(disputesRoutes, { orders: deps.orders });
  await app.register(recommendationsRoutes, {
    recommendations: deps.recommendations,
    secureCookies: secure,
  });

  if (serveWeb) await serveWebApp(app, webDir);

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
