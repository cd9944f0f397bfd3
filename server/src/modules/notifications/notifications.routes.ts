import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams } from '../../../../shared/contracts/common.ts';
import {
  NOTIFICATION_STREAM,
  NotificationPage,
  NotificationsQuery,
} from '../../../../shared/contracts/notifications.ts';
import { LOCALES } from '../../../../shared/contracts/vocabulary.ts';
import { AppError } from '../../shared/errors.ts';
import { ID_PATTERN } from '../../shared/ids.ts';
import { requireUser, SIGNED_IN } from '../accounts/index.ts';
import {
  localizeItem,
  type NotificationsService,
  type StoredItem,
} from './notifications.service.ts';
import type { NotificationLocale } from './notifications.templates.ts';

/**
 * The language a request reads notifications in (issue 21 item 6): `lang` when given, else the
 * first language of Accept-Language the site speaks (by q), else null: the account's language.
 */
export function requestLocale(
  lang: string | undefined,
  acceptLanguage: string | string[] | undefined,
): NotificationLocale | null {
  if (lang === 'en' || lang === 'zh-TW') return lang;
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  if (!header) return null;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-TW';
  }
  return null;
}

export interface NotificationsRoutesOptions {
  notifications: NotificationsService;
}

export const notificationsRoutes: FastifyPluginAsyncZod<NotificationsRoutesOptions> = async (
  app,
  opts,
) => {
  const { notifications } = opts;
  const tags = ['notifications'];

  // Open streams end before the server stops listening, so shutdown never waits on them.
  app.addHook('preClose', async () => notifications.live.closeAll());

  app.get(
    '/api/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        summary: 'My notifications, newest first',
        tags,
        security: SIGNED_IN,
        querystring: NotificationsQuery,
        response: { 200: NotificationPage },
      },
    },
    async (request) =>
      notifications.list(
        requireUser(request).id,
        request.query,
        requestLocale(request.query.lang, request.headers['accept-language']),
      ),
  );

  app.post(
    '/api/notifications/read-all',
    {
      schema: {
        operationId: 'markAllNotificationsRead',
        summary: 'Mark every notification read',
        tags,
        security: SIGNED_IN,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await notifications.markAllRead(requireUser(request).id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        operationId: 'markNotificationRead',
        summary: 'Mark one notification read',
        tags,
        security: SIGNED_IN,
        params: IdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await notifications.markRead(requireUser(request).id, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    NOTIFICATION_STREAM.path,
    {
      schema: {
        operationId: 'streamNotifications',
        summary: 'My new notifications as server-sent events',
        errors: ['RATE_LIMITED', 'SERVICE_UNAVAILABLE'],
        tags,
        security: SIGNED_IN,
        description:
          'Server-sent events: `event: notification`, `id:` the notification id, `data:` the item. ' +
          'Send Last-Event-ID to receive what was created after that id. Title and body are in ' +
          '`lang`, else Accept-Language, else the account language.',
        querystring: z.object({
          lastEventId: z.string().max(64).optional(),
          lang: z.enum(LOCALES).optional(),
        }),
        response: {
          200: {
            description: 'An event stream that stays open',
            content: { 'text/event-stream': { schema: z.string() } },
          },
        },
      },
    },
    async (request, reply) => openStream(request, reply, notifications),
  );
};

const SUBSCRIBE_TIMEOUT_MS = 5000;

async function openStream(
  request: FastifyRequest<{ Querystring: { lastEventId?: string; lang?: string } }>,
  reply: FastifyReply,
  notifications: NotificationsService,
) {
  const user = requireUser(request);
  const header = request.headers['last-event-id'];
  const lastEventId = (typeof header === 'string' ? header : request.query.lastEventId)?.trim();
  const resumeAfter = lastEventId && ID_PATTERN.test(lastEventId) ? lastEventId : undefined;

  const { live } = notifications;
  if (!live.tryAcquire(user.id)) {
    reply.header('retry-after', '30');
    throw new AppError(
      'RATE_LIMITED',
      `At most ${live.settings.maxConnectionsPerUser} open notification streams per user`,
    );
  }

  const res = reply.raw;
  let closed = false;
  let ready = false;
  const buffered: StoredItem[] = [];
  const locale = requestLocale(request.query.lang, request.headers['accept-language']);
  const write = (chunk: string) => {
    if (!closed) res.write(chunk);
  };
  const send = (stored: StoredItem) => {
    const item = localizeItem(stored, locale);
    write(`event: ${NOTIFICATION_STREAM.event}\nid: ${item.id}\ndata: ${JSON.stringify(item)}\n\n`);
  };

  // Set once the stream is open; cleanup may run before (then they stay unset).
  const opened: { heartbeat?: NodeJS.Timeout; untrack?: () => void } = {};
  let unsubscribe: (() => Promise<void>) | undefined;
  // Frees the slot, the subscriber, the heartbeat and the shutdown hook, once, on ANY close — also
  // a client gone while the subscription was still being made (it is attached before any await:
  // a close handler attached later never runs, and the slot leaked until the account got 429).
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(opened.heartbeat);
    opened.untrack?.();
    live.release(user.id);
    const u = unsubscribe;
    unsubscribe = undefined;
    u?.().catch((err: unknown) => request.log.warn({ err }, 'notification unsubscribe failed'));
  };
  res.on('close', cleanup);
  // Gone already (while authenticating): 'close' has fired and will not fire again.
  if (res.destroyed || res.writableEnded || request.raw.socket?.destroyed) cleanup();

  // Subscribe before reading the backlog, so nothing created in between is lost. A broker that
  // does not answer (Redis down) fails the request rather than leaving it hanging.
  const subscribing = live.subscribe(user.id, (item) => {
    if (ready) send(item);
    else buffered.push(item);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    unsubscribe = await Promise.race([
      subscribing,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AppError('SERVICE_UNAVAILABLE', 'Live updates are unavailable')),
          SUBSCRIBE_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    cleanup();
    subscribing.then((u) => u()).catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }

  reply.hijack();
  if (closed) {
    // The client left while we subscribed: cleanup ran before there was a subscriber to drop.
    const u = unsubscribe;
    unsubscribe = undefined;
    u?.().catch((err: unknown) => request.log.warn({ err }, 'notification unsubscribe failed'));
    return;
  }
  res.writeHead(200, {
    // the security headers and x-request-id set for every answer (Fastify's header map is wider than Node's)
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  write(`retry: 5000\n: connected\n\n`);
  void live.markOnline(user.id);
  opened.heartbeat = setInterval(() => {
    write(`: heartbeat ${Date.now()}\n\n`);
    void live.markOnline(user.id);
  }, live.settings.heartbeatMs);
  opened.heartbeat.unref();
  // Server shutdown ends the stream; a client going away closes it (cleanup above).
  opened.untrack = live.track(() => {
    cleanup();
    res.end();
  });

  const replayed = new Set<string>();
  try {
    if (resumeAfter) {
      for (const item of await notifications.listAfter(user.id, resumeAfter)) {
        replayed.add(item.id);
        send(item);
      }
    }
  } catch (err) {
    request.log.warn({ err }, 'notification stream backlog failed');
  }
  ready = true;
  for (const item of buffered.splice(0)) if (!replayed.has(item.id)) send(item);
}
