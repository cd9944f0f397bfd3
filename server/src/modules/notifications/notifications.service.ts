// Notifications: written in batches inside the caller's transaction, published live after commit,
// e-mailed by the job worker. Job handlers: notification.send, game.moved, mail.send.
import { z } from 'zod';
import {
  NOTIFICATION_TYPES,
  NotificationType,
  type NotificationItem,
  type NotificationPage,
  type NotificationsQuery,
} from '../../../../shared/contracts/notifications.ts';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { enqueueMany } from '../../platform/jobs/jobs.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { renderEmail } from './notifications.email.ts';
import type { LiveEvent, LiveNotifications } from './notifications.live.ts';
import * as repo from './notifications.repository.ts';
import { renderNotification, toLocale, type NotificationView } from './notifications.templates.ts';

export const notificationTypes: readonly NotificationType[] = NOTIFICATION_TYPES;

export const JOB_NOTIFICATION_SEND = 'notification.send';
export const JOB_MAIL_SEND = 'mail.send';
export const JOB_GAME_MOVED = 'game.moved';

/**
 * Facts about the event. Ids are enough: the handler looks up the game, order, listing, payout or
 * review they name; explicit values win over looked-up ones.
 */
export const NotificationParams = z.looseObject({
  orderId: z.string().max(64).optional(),
  listingId: z.string().max(64).optional(),
  gameId: z.string().max(64).optional(),
  payoutId: z.string().max(64).optional(),
  reviewId: z.string().max(64).optional(),
  role: z.enum(['buyer', 'seller']).optional(),
  amount: z.number().int().optional(),
  price: z.number().int().optional(),
  quantity: z.number().int().optional(),
  rating: z.number().int().min(1).max(5).optional(),
  /** Review comment and reviewer name: user text, shortened for the bell. */
  comment: z.string().nullish(),
  buyerName: z.string().nullish(),
  deliverBy: z.string().nullish(),
  /** game_postponed: the new first pitch (absent while the new date is not known). */
  startsAt: z.string().nullish(),
  previousStartsAt: z.string().nullish(),
});
export type NotificationParams = z.input<typeof NotificationParams>;

/** Payload of the `notification.send` job (enqueue it in the business transaction). */
export const NotificationSendPayload = z.object({
  userId: z.string().min(1).max(64),
  type: NotificationType,
  params: NotificationParams.default({}),
  /** Once per (user, key). Defaults to the job id, so retries of one job never notify twice. */
  dedupeKey: z.string().min(1).max(128).nullish(),
});
export type NotificationSendPayload = z.input<typeof NotificationSendPayload>;

export const GameMovedPayload = z.object({
  gameId: z.string().min(1).max(64),
  previousStartsAt: z.string().max(40).nullish(),
  startsAt: z.string().max(40).nullish(),
});
export type GameMovedPayload = z.input<typeof GameMovedPayload>;

export const MailSendPayload = z.object({ notificationId: z.string().min(1).max(64) });
export type MailSendPayload = z.infer<typeof MailSendPayload>;

export interface NotifyInput {
  userId: string;
  type: NotificationType;
  /** Once per (user, key); null means no de-duplication. */
  dedupeKey: string | null;
  view: Omit<NotificationView, 'userId'>;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  requestId: string | null;
}

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  live: LiveNotifications;
  mailer: Mailer;
  publicUrl: string;
}

const ItemCursor = z.object({ id: z.string().max(64) });

export function toItem(r: {
  id: string;
  type: string;
  title: string;
  body: string;
  link: string;
  read_at: string | null;
  created_at: string;
}): NotificationItem {
  return {
    id: r.id,
    type: r.type as NotificationType,
    title: r.title,
    body: r.body,
    link: r.link,
    readAt: r.read_at,
    createdAt: r.created_at,
  };
}

function parsePayload<S extends z.ZodType>(schema: S, payload: unknown, job: string): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new Error(`malformed ${job} payload: ${parsed.error.message}`);
  return parsed.data;
}

export function createNotificationsService(deps: NotificationsDeps) {
  const { db, clock, live, publicUrl } = deps;

  /**
   * Writes notifications (rendered in each recipient's language) and their e-mail jobs with the
   * caller's executor — call it inside the business transaction. Skips (user, dedupeKey) pairs that
   * already exist. Returns what it created; publish it with `publish` after commit.
   * Concurrent writers of the same (user, key) make the insert fail with a unique violation: the
   * caller rolls back and retries, and the retry skips what the other writer created.
   */
  async function notifyMany(
    trx: Executor,
    inputs: readonly NotifyInput[],
    options: { requestId?: string | null } = {},
  ): Promise<LiveEvent[]> {
    const seen = new Set<string>();
    let pending = inputs.filter((i) => {
      if (i.dedupeKey === null) return true;
      const k = `${i.userId}\u0000${i.dedupeKey}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (pending.length === 0) return [];

    const byKey = new Map<string, string[]>();
    for (const i of pending) {
      if (i.dedupeKey === null) continue;
      const users = byKey.get(i.dedupeKey) ?? [];
      users.push(i.userId);
      byKey.set(i.dedupeKey, users);
    }
    const done = new Set<string>();
    for (const [key, users] of byKey) {
      for (const u of await repo.findUsersWithDedupeKey(trx, key, users))
        done.add(`${u}\u0000${key}`);
    }
    if (done.size) pending = pending.filter((i) => !done.has(`${i.userId}\u0000${i.dedupeKey}`));

    const recipients = await repo.findRecipients(
      trx,
      pending.map((i) => i.userId),
    );
    const now = clock.now();
    const nowIso = now.toISOString();
    const rows: repo.NotificationRow[] = [];
    const mailIds: string[] = [];
    const events: LiveEvent[] = [];
    for (const input of pending) {
      const user = recipients.get(input.userId);
      if (!user) continue;
      const rendered = renderNotification(input.type, toLocale(user.locale), {
        ...input.view,
        userId: input.userId,
      });
      const row: repo.NotificationRow = {
        id: newId(now.getTime()),
        user_id: input.userId,
        type: input.type,
        title: rendered.title,
        body: rendered.body,
        link: rendered.link,
        dedupe_key: input.dedupeKey,
        read_at: null,
        created_at: nowIso,
      };
      rows.push(row);
      events.push({ userId: input.userId, item: toItem(row) });
      if (user.email_notifications === 1 && user.status === 'active') mailIds.push(row.id);
    }
    await repo.insertNotifications(trx, rows);
    await enqueueMany(
      trx,
      JOB_MAIL_SEND,
      mailIds.map((id): MailSendPayload => ({ notificationId: id })),
      { requestId: options.requestId ?? null },
    );
    return events;
  }

  /** Runs notifyMany in its own transaction and publishes after commit; unique races retry. */
  async function notifyNow(inputs: readonly NotifyInput[], requestId: string | null) {
    for (let attempt = 1; ; attempt++) {
      try {
        const events = await db
          .transaction()
          .execute((trx) => notifyMany(trx, inputs, { requestId }));
        await live.publish(events);
        return events;
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 3) throw err;
      }
    }
  }

  /** Turns ids in the params into the facts the templates show. */
  async function buildView(userId: string, params: z.infer<typeof NotificationParams>) {
    const view: Omit<NotificationView, 'userId'> = {};
    let { orderId, gameId, listingId } = params;
    let amount: number | undefined;
    let rating: number | undefined;
    let comment: string | undefined;
    if (params.reviewId) {
      const review = await repo.findReviewFacts(db, params.reviewId);
      if (review) {
        orderId ??= review.order_id;
        rating = review.rating;
        comment = review.comment ?? undefined;
      }
    }
    if (params.payoutId) {
      const payout = await repo.findPayoutFacts(db, params.payoutId);
      if (payout) {
        orderId ??= payout.order_id;
        amount = payout.amount;
      }
    }
    if (orderId) {
      const order = await repo.findOrderFacts(db, orderId);
      if (order) {
        gameId ??= order.game_id;
        listingId ??= order.listing_id;
        amount ??= order.amount;
        view.quantity = order.quantity;
        view.price = order.unit_price;
        if (order.deliver_by) view.deliverBy = order.deliver_by;
        view.role = order.seller_id === userId ? 'seller' : 'buyer';
      }
    }
    if (listingId) {
      const listing = await repo.findListingFacts(db, listingId);
      if (listing) {
        gameId ??= listing.game_id;
        view.area = { zh: listing.area_zh, en: listing.area_en };
        view.price ??= listing.price;
        view.quantity ??= listing.quantity;
      }
    }
    if (gameId) view.game = await repo.findGameView(db, gameId);
    view.orderId = orderId;
    view.gameId = gameId;
    view.listingId = listingId;
    if (amount !== undefined) view.amount = amount;
    if (rating !== undefined) view.rating = rating;
    if (comment !== undefined) view.comment = comment;
    // Explicit params win over looked-up facts.
    if (params.role) view.role = params.role;
    if (params.amount !== undefined) view.amount = params.amount;
    if (params.price !== undefined) view.price = params.price;
    if (params.quantity !== undefined) view.quantity = params.quantity;
    if (params.rating !== undefined) view.rating = params.rating;
    if (params.comment) view.comment = params.comment;
    if (view.comment && view.comment.length > 300) view.comment = `${view.comment.slice(0, 299)}…`;
    if (params.buyerName) view.buyerName = params.buyerName.slice(0, 50);
    if (params.deliverBy) view.deliverBy = params.deliverBy;
    if (params.startsAt) view.startsAt = params.startsAt;
    return view;
  }

  return {
    live,
    notifyMany,
    /** After commit: pushes created notifications to their users' live streams. */
    publish: (events: readonly LiveEvent[]) => live.publish(events),

    async list(userId: string, query: NotificationsQuery): Promise<NotificationPage> {
      const before = query.cursor ? decodeCursor(query.cursor, ItemCursor).id : undefined;
      const [rows, unreadCount] = await Promise.all([
        repo.findNotificationsOfUser(db, userId, {
          unreadOnly: query.unread === true,
          beforeId: before,
          limit: query.limit + 1,
        }),
        repo.countUnread(db, userId),
      ]);
      const items = rows.slice(0, query.limit).map(toItem);
      const last = items[items.length - 1];
      return {
        items,
        unreadCount,
        nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null,
      };
    },

    /** Notifications newer than `afterId`, oldest first (SSE resume). */
    async listAfter(userId: string, afterId: string, limit = 100) {
      return (await repo.findNotificationsAfter(db, userId, afterId, limit)).map(toItem);
    },

    async markRead(userId: string, id: string) {
      const changed = await repo.markRead(db, userId, id, clock.now().toISOString());
      if (changed === 0 && !(await repo.notificationExists(db, userId, id)))
        throw notFound('Notification');
    },

    async markAllRead(userId: string) {
      await repo.markAllRead(db, userId, clock.now().toISOString());
    },

    /** Job `notification.send`: one notification for one user, at most once per dedupe key. */
    async handleSend(payload: unknown, ctx: JobContext) {
      const p = parsePayload(NotificationSendPayload, payload, JOB_NOTIFICATION_SEND);
      const view = await buildView(p.userId, p.params);
      await notifyNow(
        [{ userId: p.userId, type: p.type, dedupeKey: p.dedupeKey ?? `job:${ctx.jobId}`, view }],
        ctx.requestId,
      );
    },

    /** Job `game.moved`: tells every ticket holder of the game its new time. */
    async handleGameMoved(payload: unknown, ctx: JobContext) {
      const p = parsePayload(GameMovedPayload, payload, JOB_GAME_MOVED);
      const game = await repo.findGameView(db, p.gameId);
      if (!game) return;
      const startsAt = p.startsAt ?? game.startsAt;
      const holders = await repo.findHolderIds(db, p.gameId);
      const dedupeKey = `game_postponed:${p.gameId}:${startsAt}`;
      for (const part of repo.chunks(holders)) {
        await notifyNow(
          part.map((userId) => ({
            userId,
            type: 'game_postponed' as const,
            dedupeKey,
            view: { game, gameId: p.gameId, startsAt },
          })),
          ctx.requestId,
        );
      }
    },

    /**
     * Job `mail.send`: e-mails one notification if its recipient still wants e-mail. A mailer
     * failure throws, so the worker retries with back-off: SMTP down delays mail, never loses it.
     */
    async handleMailSend(payload: unknown) {
      const p = parsePayload(MailSendPayload, payload, JOB_MAIL_SEND);
      const n = await repo.findNotificationForMail(db, p.notificationId);
      if (!n || n.email_notifications !== 1 || n.status !== 'active') return;
      const email = renderEmail({
        locale: toLocale(n.locale),
        recipientName: n.name,
        title: n.title,
        body: n.body,
        link: n.link,
        publicUrl,
      });
      await deps.mailer.send({ to: n.email, ...email });
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/** Registers this module's job handlers on the job registry (called once in deps.ts). */
export function registerNotificationJobs(
  jobs: {
    register(type: string, handler: (payload: unknown, ctx: JobContext) => Promise<void>): void;
  },
  notifications: NotificationsService,
) {
  jobs.register(JOB_NOTIFICATION_SEND, (p, ctx) => notifications.handleSend(p, ctx));
  jobs.register(JOB_GAME_MOVED, (p, ctx) => notifications.handleGameMoved(p, ctx));
  jobs.register(JOB_MAIL_SEND, (p) => notifications.handleMailSend(p));
}
