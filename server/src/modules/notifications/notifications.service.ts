// Notifications: written in batches inside the caller's transaction, published live after commit,
// e-mailed by the job worker. Job handlers: notification.send, game.moved, mail.send.
import { z } from 'zod';
import type { NotificationType } from '../../../../shared/contracts/notifications.ts';
import { LOCALES } from '../../../../shared/contracts/vocabulary.ts';
import {
  NOTIFICATION_TYPES,
  type NotificationItem,
  type NotificationPage,
  type NotificationsQuery,
} from '../../../../shared/contracts/notifications.ts';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { defineSchedule, type JobContext } from '../../platform/jobs/jobs.ts';
import type { Mailer } from '../../platform/mail/mailer.ts';
import { HOUR, type Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { renderEmail } from './notifications.email.ts';
import {
  pruneMatchMailMarks,
  throttleMatchMails,
  type MatchMailCandidate,
} from './notifications.mail-throttle.ts';
import {
  gameMovedJob,
  lineJob,
  mailJob,
  notificationJob,
  gameNoticeKey,
  pushJob,
  type GameMoved,
  type MailSend,
  type NotificationParams,
  type NotificationSend,
} from './notifications.jobs.ts';
import type { Channels } from './notifications.channels.ts';
import type { LiveEvent, LiveNotifications } from './notifications.live.ts';
import * as repo from './notifications.repository.ts';
import {
  renderNotification,
  toLocale,
  type NotificationLocale,
  type NotificationView,
} from './notifications.templates.ts';

export const notificationTypes: readonly NotificationType[] = NOTIFICATION_TYPES;

export interface NotifyInput {
  userId: string;
  type: NotificationType;
  /** Once per (user, key); null means no de-duplication. */
  dedupeKey: string | null;
  view: Omit<NotificationView, 'userId'>;
  /** false: no e-mail for this one, whatever the user's settings (they are reading live). */
  email?: boolean;
}

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  live: LiveNotifications;
  mailer: Mailer;
  publicUrl: string;
  /** Push, LINE and per-type preferences (notifications.channels.ts). */
  channels: Channels;
}

const ItemCursor = z.object({ id: z.string().max(64) });

/** A notification's title and body in each language (the `texts` column, parsed). */
export type NotificationTexts = Record<NotificationLocale, { title: string; body: string }>;

/** An item as stored and published: the wire item plus its text in both languages. */
export type StoredItem = NotificationItem & { texts?: NotificationTexts };

function parseTexts(json: string | null | undefined): NotificationTexts | undefined {
  if (!json) return undefined;
  try {
    return JSON.parse(json) as NotificationTexts;
  } catch {
    return undefined;
  }
}

export function toItem(r: {
  id: string;
  type: string;
  title: string;
  body: string;
  texts?: string | null;
  link: string;
  read_at: string | null;
  created_at: string;
}): StoredItem {
  const texts = parseTexts(r.texts);
  return {
    id: r.id,
    type: r.type as NotificationType,
    title: r.title,
    body: r.body,
    link: r.link,
    readAt: r.read_at,
    createdAt: r.created_at,
    ...(texts ? { texts } : {}),
  };
}

/**
 * The item as the web app shows it (issue 21 item 6): in `locale`, the language the visitor
 * switched to, when given and known; otherwise in the account's language it was written in.
 */
export function localizeItem(
  item: StoredItem,
  locale: NotificationLocale | null,
): NotificationItem {
  const { texts, ...wire } = item;
  const text = locale ? texts?.[locale] : undefined;
  return text ? { ...wire, title: text.title, body: text.body } : wire;
}

export function createNotificationsService(deps: NotificationsDeps) {
  const { db, clock, live, publicUrl, channels } = deps;

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
    const mailCandidates: string[] = [];
    const matchMails: MatchMailCandidate[] = [];
    const events: LiveEvent[] = [];
    for (const input of pending) {
      const user = recipients.get(input.userId);
      if (!user) continue;
      const view = { ...input.view, userId: input.userId };
      const texts = {} as NotificationTexts;
      for (const locale of LOCALES) {
        const { title, body } = renderNotification(input.type, locale, view);
        texts[locale] = { title, body };
      }
      const rendered = renderNotification(input.type, toLocale(user.locale), view);
      const row: repo.NotificationRow = {
        id: newId(now.getTime()),
        user_id: input.userId,
        type: input.type,
        title: rendered.title,
        body: rendered.body,
        texts: JSON.stringify(texts),
        link: rendered.link,
        dedupe_key: input.dedupeKey,
        read_at: null,
        created_at: nowIso,
      };
      rows.push(row);
      events.push({ userId: input.userId, item: toItem(row) });
      if (input.email !== false && user.email_notifications === 1 && user.status === 'active') {
        if (input.type === 'reservation_match' && input.view.gameId)
          matchMails.push({ id: row.id, userId: input.userId, gameId: input.view.gameId });
        else mailCandidates.push(row.id);
      }
    }
    await repo.insertNotifications(trx, rows);
    // Push and LINE jobs per batch, and which e-mails the per-type preferences allow.
    const emailOk = await channels.planDeliveries(
      trx,
      rows.filter((r) => recipients.get(r.user_id)?.status === 'active'),
      options,
    );
    // Ticket alerts: one e-mail per fan and game per window, among those the preferences allow.
    const matchMailIds = await throttleMatchMails(
      trx,
      matchMails.filter((m) => emailOk.has(m.id)),
      now,
    );
    const mailIds = [...mailCandidates.filter((id) => emailOk.has(id)), ...matchMailIds];
    await mailJob.enqueueMany(
      trx,
      mailIds.map((id) => ({ notificationId: id })),
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
  async function buildView(userId: string, params: NotificationParams) {
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
        view.seat = { section: listing.section, row: listing.row_label, seats: listing.seats };
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
    if (params.paymentMethod) view.paymentMethod = params.paymentMethod;
    if (params.proof) view.proof = params.proof;
    if (params.trackingNumber) view.trackingNumber = params.trackingNumber;
    if (params.outcome) view.outcome = params.outcome;
    if (params.note) view.note = params.note;
    if (params.startsAt) view.startsAt = params.startsAt;
    if (params.change) view.change = params.change;
    if (params.inning) view.inning = params.inning;
    if (params.failures !== undefined) view.failures = params.failures;
    if (params.error) view.error = params.error;
    return view;
  }

  /** Job `notification.send`: one notification for one user, at most once per dedupe key. */
  async function handleSend(p: NotificationSend, ctx: JobContext) {
    const view = await buildView(p.userId, p.params);
    // Someone with the site open sees it live; e-mail is for when they are away.
    const email = p.emailIfOffline ? !(await live.isOnline(p.userId)) : true;
    await notifyNow(
      [
        {
          userId: p.userId,
          type: p.type,
          dedupeKey: p.dedupeKey ?? `job:${ctx.jobId}`,
          view,
          email,
        },
      ],
      ctx.requestId,
    );
  }

  /**
   * Job `game.moved`: tells every buyer, seller and reserver of the game what changed (its new
   * time by default; `type` and `change` say otherwise). Once per (user, game, change).
   */
  async function handleGameMoved(p: GameMoved, ctx: JobContext) {
    const game = await repo.findGameView(db, p.gameId);
    if (!game) return;
    const startsAt = p.type === 'game_postponed' ? (p.startsAt ?? null) : null;
    const people = await repo.findPeopleOfGame(db, p.gameId);
    const dedupeKey = gameNoticeKey(p);
    for (const part of repo.chunks(people)) {
      await notifyNow(
        part.map((person) => ({
          userId: person.userId,
          type: p.type,
          dedupeKey,
          view: {
            game,
            gameId: p.gameId,
            startsAt: startsAt ?? undefined,
            change: p.change,
            inning: p.inning ?? undefined,
            stake: person.role,
            orderId: person.orderId,
            refundable: person.refundable,
          },
        })),
        ctx.requestId,
      );
    }
  }

  /**
   * Job `mail.send`: e-mails one notification if its recipient still wants e-mail. A mailer
   * failure throws, so the worker retries with back-off: SMTP down delays mail, never loses it.
   */
  async function handleMailSend(p: MailSend, ctx: JobContext) {
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
    try {
      await deps.mailer.send({ to: n.email, ...email });
    } catch (err) {
      const lastTry = ctx.maxAttempts !== undefined && ctx.attempt >= ctx.maxAttempts;
      await channels.recordEmail({ id: n.id, user_id: n.user_id }, false, String(err), lastTry);
      throw err;
    }
    await channels.recordEmail({ id: n.id, user_id: n.user_id }, true, null);
  }

  return {
    live,
    notifyMany,
    handleSend,
    handleGameMoved,
    /** The jobs this module handles (deps.ts registers them). */
    jobs: [
      notificationJob.handle(handleSend),
      gameMovedJob.handle(handleGameMoved),
      mailJob.handle(handleMailSend),
      pushJob.handle(channels.handlePush),
      lineJob.handle(channels.handleLine),
      defineSchedule('notifications.prune-match-mail-marks', HOUR, () =>
        pruneMatchMailMarks(db, clock.now()),
      ),
    ],
    channels,
    /** After commit: pushes created notifications to their users' live streams. */
    publish: (events: readonly LiveEvent[]) => live.publish(events),

    /** `locale`: the language to show (the request's); null keeps the account's. */
    async list(
      userId: string,
      query: NotificationsQuery,
      locale: NotificationLocale | null = null,
    ): Promise<NotificationPage> {
      const before = query.cursor ? decodeCursor(query.cursor, ItemCursor).id : undefined;
      const [rows, unreadCount] = await Promise.all([
        repo.findNotificationsOfUser(db, userId, {
          unreadOnly: query.unread === true,
          beforeId: before,
          limit: query.limit + 1,
        }),
        repo.countUnread(db, userId),
      ]);
      const items = rows.slice(0, query.limit).map((r) => localizeItem(toItem(r), locale));
      const last = items[items.length - 1];
      return {
        items,
        unreadCount,
        nextCursor: rows.length > query.limit && last ? encodeCursor({ id: last.id }) : null,
      };
    },

    /** Notifications newer than `afterId`, oldest first (SSE resume). */
    async listAfter(userId: string, afterId: string, limit = 100): Promise<StoredItem[]> {
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
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
