// The outside channels of a notification: Web Push (every browser a user subscribed), LINE (a
// linked account) and e-mail, each on or off per notification type (preferences). Notifications
// are written first (the bell); `planDeliveries` then enqueues, in the same transaction, one
// push job and one LINE job per batch of notifications: fan-outs never run in a request.
// The push/LINE handlers send in parallel, log each delivery (sent, retrying, failed, gone),
// delete subscriptions the push service says are gone (404/410) and re-enqueue deferred ones
// (429/5xx) as single retries, which the worker backs off.
import { createHash, randomBytes } from 'node:crypto';
import {
  OUTSIDE_CHANNELS,
  type NotificationDeliveries,
  type NotificationPreferences,
  type OutsideChannel,
  type PushSubscriptionBody,
  type PushSubscriptionList,
  type UpdateNotificationPreferencesBody,
  type LineStatus,
} from '../../../../shared/contracts/notification-channels.ts';
import {
  NOTIFICATION_TYPES,
  type NotificationType,
} from '../../../../shared/contracts/notifications.ts';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import type { NotificationPreferencesTable } from '../../platform/db/schema.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';
import { isPushEndpointAllowed } from '../../platform/push/endpoint-guard.ts';
import type { PushMessage, PushSender, PushUrgency } from '../../platform/push/web-push-sender.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, notFound, validationFailed } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { lockUser } from '../accounts/index.ts';
import * as repo from './channels.repository.ts';
import type { LineChannel, FlexMessage } from './line/line-client.ts';
import { LineLoginError } from './line/line-client.ts';
import { absoluteUrl } from './notifications.email.ts';
import { lineJob, pushJob } from './notifications.jobs.ts';
import {
  heldInQuietHours,
  quietHoursOf,
  quietUntil,
  toMinute,
} from './notifications.quiet-hours.ts';
import { chunks } from './notifications.repository.ts';

/** Notifications per push or LINE job: a 1,000-recipient fan-out is 20 jobs, run in parallel. */
export const CHANNEL_BATCH = 50;
/** Sends in flight per job. */
const SEND_CONCURRENCY = 16;
/** Tries of one deferred (429/5xx) push before it is logged as failed. */
export const PUSH_MAX_ATTEMPTS = 5;
const LOGIN_STATE_TTL_MS = 10 * 60_000;

/** Quiet, informational types: only in-site and e-mail unless the user turns the rest on. */
const QUIET_TYPES: ReadonlySet<NotificationType> = new Set(['review_received']);

export type ChannelSwitches = Record<OutsideChannel, boolean>;

/** Defaults: matches and money events on every connected channel; quiet types e-mail only. */
export function defaultChannels(type: NotificationType): ChannelSwitches {
  const quiet = QUIET_TYPES.has(type);
  return { email: true, push: !quiet, line: !quiet };
}

export function resolveChannels(
  type: NotificationType,
  row: Pick<NotificationPreferencesTable, 'email' | 'push' | 'line'> | undefined,
): ChannelSwitches {
  if (!row) return defaultChannels(type);
  return { email: row.email === 1, push: row.push === 1, line: row.line === 1 };
}

/** How long a push is worth delivering, how urgently, and what it replaces. */
export function pushOptions(type: NotificationType, link: string): Omit<PushMessage, 'payload'> {
  const urgency: PushUrgency =
    type === 'reservation_match' || type === 'order_placed' || type === 'order_paid'
      ? 'high'
      : type === 'review_received'
        ? 'low'
        : 'normal';
  const ttlSeconds =
    type === 'reservation_match' ? 4 * 3600 : type === 'review_received' ? 3 * 86_400 : 86_400;
  // One topic per listing (matches) or game (moves): a newer alert replaces a stale one.
  const replaceable =
    type === 'reservation_match' || type === 'game_postponed' || type === 'game_cancelled';
  const topic = replaceable
    ? createHash('sha256').update(link).digest('base64url').slice(0, 32)
    : undefined;
  return { urgency, ttlSeconds, ...(topic ? { topic } : {}) };
}

export const endpointHash = (endpoint: string) =>
  createHash('sha256').update(endpoint).digest('base64url');

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

export interface ChannelsDeps {
  db: Db;
  clock: Clock;
  publicUrl: string;
  push: PushSender;
  pushAllowlist: readonly string[];
  /** Null when LINE is not configured: the feature is off. */
  line: LineChannel | null;
}

export function createChannels(deps: ChannelsDeps) {
  const { db, clock, publicUrl, push, line } = deps;
  const lineRedirectUri = `${publicUrl}/me/line/callback`;

  /**
   * In the transaction that wrote the notifications: decides each one's outside channels from the
   * recipient's preferences and connections, and enqueues the push and LINE jobs in batches.
   * Returns the ids whose e-mail the preferences allow (the caller checks the account switch).
   */
  async function planDeliveries(
    trx: Executor,
    rows: readonly { id: string; user_id: string; type: string }[],
    options: { requestId?: string | null } = {},
  ): Promise<Set<string>> {
    const emailOk = new Set<string>();
    if (rows.length === 0) return emailOk;
    const userIds = rows.map((r) => r.user_id);
    const [prefs, pushUsers, lineUsers, quiet] = await Promise.all([
      repo.findPreferences(
        trx,
        userIds,
        rows.map((r) => r.type),
      ),
      repo.findUsersWithPush(trx, userIds),
      line ? repo.findLineAccountsOfUsers(trx, userIds) : new Map<string, string>(),
      repo.findQuietHours(trx, userIds),
    ]);
    const now = clock.now();
    // Due at once, or at the end of the recipient's quiet hours.
    const nowKey = now.toISOString();
    const pushIds = new Map<string, string[]>();
    const lineIds = new Map<string, string[]>();
    const add = (to: Map<string, string[]>, at: string, id: string) => {
      const ids = to.get(at);
      if (ids) ids.push(id);
      else to.set(at, [id]);
    };
    for (const r of rows) {
      const type = r.type as NotificationType;
      const on = resolveChannels(type, prefs.get(`${r.user_id}\u0000${r.type}`));
      if (on.email) emailOk.add(r.id);
      const hours = quiet.get(r.user_id);
      const until =
        hours && heldInQuietHours(type, hours) ? quietUntil(hours, now)?.toISOString() : undefined;
      const at = until ?? nowKey;
      if (on.push && pushUsers.has(r.user_id)) add(pushIds, at, r.id);
      if (on.line && lineUsers.has(r.user_id)) add(lineIds, at, r.id);
    }
    // Push and LINE jobs are urgent (notifications.jobs.ts): claimed before the same fan-out's
    // e-mails, which are bulk; those held by quiet hours wait until the window ends.
    for (const [job, byTime] of [
      [pushJob, pushIds],
      [lineJob, lineIds],
    ] as const)
      for (const [at, ids] of byTime)
        await job.enqueueMany(
          trx,
          chunks(ids, CHANNEL_BATCH).map((notificationIds) => ({ notificationIds })),
          { requestId: options.requestId ?? null, runAt: new Date(at) },
        );
    return emailOk;
  }

  function payloadOf(n: { id: string; type: string; title: string; body: string; link: string }) {
    return JSON.stringify({
      type: n.type,
      title: n.title,
      body: n.body,
      url: absoluteUrl(publicUrl, n.link),
      notificationId: n.id,
    });
  }

  /** Job `push.send`. */
  async function handlePush(
    p: { notificationIds: string[]; subscriptionId?: string },
    ctx: JobContext,
  ) {
    const notes = (await repo.findNotificationsByIds(db, p.notificationIds)).filter(
      (n) => n.status === 'active',
    );
    if (notes.length === 0) return;
    const subs = p.subscriptionId
      ? [await repo.findSubscription(db, p.subscriptionId)].filter((s) => s !== undefined)
      : await repo.findSubscriptionsOfUsers(
          db,
          notes.map((n) => n.user_id),
        );
    const subsByUser = new Map<string, typeof subs>();
    for (const s of subs) subsByUser.set(s.user_id, [...(subsByUser.get(s.user_id) ?? []), s]);
    const tasks = notes.flatMap((n) => (subsByUser.get(n.user_id) ?? []).map((s) => ({ n, s })));

    const records: repo.DeliveryRecord[] = [];
    const retries: { notificationId: string; subscriptionId: string; afterMs: number }[] = [];
    const gone = new Set<string>();
    let deferred: string | null = null;
    await inParallel(tasks, SEND_CONCURRENCY, async ({ n, s }) => {
      const result = await push.send(
        { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
        { payload: payloadOf(n), ...pushOptions(n.type as NotificationType, n.link) },
      );
      let status: repo.DeliveryRecord['status'] =
        result.outcome === 'retry' ? 'retrying' : result.outcome;
      if (result.outcome === 'gone') gone.add(s.id);
      if (result.outcome === 'retry') {
        if (p.subscriptionId) {
          // A single retry: the worker backs off and tries again, until the last attempt.
          if (ctx.attempt < PUSH_MAX_ATTEMPTS) deferred = result.error;
          else status = 'failed';
        } else {
          retries.push({
            notificationId: n.id,
            subscriptionId: s.id,
            afterMs: Math.max(result.retryAfterMs ?? 0, 2000),
          });
        }
      }
      records.push({
        notification_id: n.id,
        user_id: n.user_id,
        channel: 'push',
        target: s.id,
        status,
        http_status: result.status,
        error: 'error' in result ? result.error : null,
      });
    });
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await repo.recordDeliveries(trx, 'push', records, now.toISOString());
      for (const id of gone) await repo.deleteSubscription(trx, id);
      for (const r of retries)
        await pushJob.enqueue(
          trx,
          { notificationIds: [r.notificationId], subscriptionId: r.subscriptionId },
          {
            runAt: new Date(now.getTime() + r.afterMs),
            maxAttempts: PUSH_MAX_ATTEMPTS,
            requestId: ctx.requestId,
          },
        );
    });
    if (deferred) throw new Error(`push deferred: ${deferred}`);
  }

  function flexOf(n: { type: string; title: string; body: string; link: string; locale: string }) {
    const en = n.locale === 'en';
    const label =
      n.type === 'reservation_match' ? (en ? 'Buy' : '立即購買') : en ? 'View' : '查看詳情';
    const message: FlexMessage = {
      type: 'flex',
      altText: n.title.slice(0, 400),
      contents: {
        type: 'bubble',
        body: {
          type: 'box',
          layout: 'vertical',
          spacing: 'md',
          contents: [
            { type: 'text', text: n.title, weight: 'bold', size: 'md', wrap: true },
            { type: 'text', text: n.body, size: 'sm', wrap: true, color: '#555555' },
          ],
        },
        footer: {
          type: 'box',
          layout: 'vertical',
          contents: [
            {
              type: 'button',
              style: 'primary',
              color: '#0b6e4f',
              action: { type: 'uri', label, uri: absoluteUrl(publicUrl, n.link) },
            },
          ],
        },
      },
    };
    return message;
  }

  /** Job `line.send`: one Flex message per notification; deferred pushes make the job retry. */
  async function handleLine(p: { notificationIds: string[] }, ctx: JobContext) {
    if (!line) return;
    const client = line;
    const notes = (await repo.findNotificationsByIds(db, p.notificationIds)).filter(
      (n) => n.status === 'active',
    );
    const accounts = await repo.findLineAccountsOfUsers(
      db,
      notes.map((n) => n.user_id),
    );
    // On a retry, what was already sent is not sent again.
    const done = new Set<string>();
    for (const n of notes)
      for (const d of await repo.findDeliveries(db, n.id))
        if (d.channel === 'line' && d.status === 'sent') done.add(n.id);
    const records: repo.DeliveryRecord[] = [];
    let deferred: string | null = null;
    await inParallel(
      notes.filter((n) => accounts.has(n.user_id) && !done.has(n.id)),
      SEND_CONCURRENCY,
      async (n) => {
        const to = accounts.get(n.user_id)!;
        // Same key on every attempt of this notification: LINE delivers it once.
        const retryKey = uuidFrom(`${n.id}:${to}`);
        const result = await client.push(to, flexOf(n), retryKey);
        let status: repo.DeliveryRecord['status'] =
          result.outcome === 'retry' ? 'retrying' : result.outcome;
        if (result.outcome === 'retry') {
          if (ctx.attempt < PUSH_MAX_ATTEMPTS) deferred = result.error;
          else status = 'failed';
        }
        records.push({
          notification_id: n.id,
          user_id: n.user_id,
          channel: 'line',
          target: to,
          status,
          http_status: result.status,
          error: 'error' in result ? result.error : null,
        });
      },
    );
    await repo.recordDeliveries(db, 'line', records, clock.now().toISOString());
    if (deferred) throw new Error(`LINE push deferred: ${deferred}`);
  }

  return {
    planDeliveries,
    handlePush,
    handleLine,
    publicKey: () => ({ publicKey: push.publicKey }),

    async subscribe(userId: string, body: PushSubscriptionBody) {
      if (!isPushEndpointAllowed(body.endpoint, deps.pushAllowlist))
        throw validationFailed('This push endpoint is not allowed', [
          { path: 'body.endpoint', message: 'not an https endpoint of a known push service' },
        ]);
      const p256dh = Buffer.from(body.keys.p256dh, 'base64url');
      const auth = Buffer.from(body.keys.auth, 'base64url');
      if (p256dh.length !== 65 || p256dh[0] !== 4 || auth.length !== 16)
        throw validationFailed('Malformed subscription keys', [
          { path: 'body.keys', message: 'p256dh must be a P-256 point, auth 16 bytes' },
        ]);
      const hash = endpointHash(body.endpoint);
      const keys = { p256dh: p256dh.toString('base64url'), auth: auth.toString('base64url') };
      return db.transaction().execute(async (trx) => {
        await lockUser(trx, userId);
        const same = await repo.findSubscriptionByHash(trx, hash);
        if (same) {
          await repo.updateSubscription(trx, same.id, { user_id: userId, ...keys });
          return { id: same.id, created: false };
        }
        const id = newId();
        await repo.insertSubscription(trx, {
          id,
          user_id: userId,
          endpoint: body.endpoint,
          endpoint_hash: hash,
          ...keys,
          created_at: clock.now().toISOString(),
        });
        return { id, created: true };
      });
    },

    async listSubscriptions(userId: string): Promise<PushSubscriptionList> {
      const rows = await repo.findSubscriptionsOfUser(db, userId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          service: new URL(r.endpoint).origin,
          createdAt: r.created_at,
        })),
      };
    },

    async unsubscribe(userId: string, id: string) {
      if ((await repo.deleteSubscription(db, id, userId)) === 0) throw notFound('Subscription');
    },

    async preferences(userId: string): Promise<NotificationPreferences> {
      const [prefs, user, pushUsers, lineAccount, quiet] = await Promise.all([
        repo.findPreferences(db, [userId]),
        db
          .selectFrom('users')
          .select('email_notifications')
          .where('id', '=', userId)
          .executeTakeFirst(),
        repo.findUsersWithPush(db, [userId]),
        line ? repo.findLineAccount(db, userId) : undefined,
        repo.findQuietHours(db, [userId]),
      ]);
      return {
        types: NOTIFICATION_TYPES.map((type) => ({
          type,
          inSite: true as const,
          ...resolveChannels(type, prefs.get(`${userId}\u0000${type}`)),
        })),
        quietHours: quietHoursOf(quiet.get(userId)),
        channels: {
          email: user?.email_notifications === 1,
          push: pushUsers.has(userId),
          lineAvailable: line !== null,
          lineLinked: lineAccount !== undefined,
        },
      };
    },

    async updatePreferences(userId: string, body: UpdateNotificationPreferencesBody) {
      await db.transaction().execute(async (trx) => {
        await lockUser(trx, userId);
        const current = await repo.findPreferences(trx, [userId]);
        const merged = new Map<string, NotificationPreferencesTable>();
        const nowIso = clock.now().toISOString();
        for (const change of body.types) {
          const base =
            merged.get(change.type) ??
            (() => {
              const on = resolveChannels(change.type, current.get(`${userId}\u0000${change.type}`));
              return {
                user_id: userId,
                type: change.type,
                email: on.email ? 1 : 0,
                push: on.push ? 1 : 0,
                line: on.line ? 1 : 0,
                updated_at: nowIso,
              };
            })();
          for (const ch of OUTSIDE_CHANNELS)
            if (change[ch] !== undefined) base[ch] = change[ch] ? 1 : 0;
          merged.set(change.type, base);
        }
        await repo.savePreferences(trx, userId, [...merged.values()]);
        const q = body.quietHours;
        if (q !== undefined)
          await repo.saveQuietHours(
            trx,
            userId,
            q && {
              user_id: userId,
              start_minute: toMinute(q.start),
              end_minute: toMinute(q.end),
              include_matches: q.includeMatches ? 1 : 0,
              updated_at: nowIso,
            },
          );
      });
      return this.preferences(userId);
    },

    /** The delivery log of one notification: its recipient's, or any for an admin. */
    async deliveries(
      viewer: { id: string; role: string },
      notificationId: string,
    ): Promise<NotificationDeliveries> {
      const owner = await repo.findNotificationOwner(db, notificationId);
      if (!owner || (owner.user_id !== viewer.id && viewer.role !== 'admin'))
        throw notFound('Notification');
      const rows = await repo.findDeliveries(db, notificationId);
      return {
        items: rows.map((r) => ({
          channel: r.channel,
          target: r.target,
          status: r.status,
          httpStatus: r.http_status,
          error: r.error,
          attempts: r.attempts,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        })),
      };
    },

    /** Records the outcome of an e-mail (the mail job). */
    /** An e-mail's delivery: sent, or failed — `retrying` while the mail job has tries left. */
    recordEmail(
      n: { id: string; user_id: string },
      ok: boolean,
      error: string | null,
      lastTry = false,
    ) {
      return repo.recordDeliveries(
        db,
        'email',
        [
          {
            notification_id: n.id,
            user_id: n.user_id,
            channel: 'email',
            target: '',
            status: ok ? 'sent' : lastTry ? 'failed' : 'retrying',
            http_status: null,
            error,
          },
        ],
        clock.now().toISOString(),
      );
    },

    // ---- LINE account link ----

    async lineStatus(userId: string): Promise<LineStatus> {
      if (!line) return { available: false, linked: false, displayName: null };
      const account = await repo.findLineAccount(db, userId);
      return { available: true, linked: !!account, displayName: account?.display_name ?? null };
    },

    async lineLoginStart(userId: string) {
      if (!line) throw notFound('LINE');
      const state = randomBytes(24).toString('base64url');
      const nonce = randomBytes(24).toString('base64url');
      const now = clock.now();
      await repo.deleteExpiredLoginStates(db, now.toISOString());
      await repo.insertLoginState(db, {
        state,
        user_id: userId,
        nonce,
        expires_at: new Date(now.getTime() + LOGIN_STATE_TTL_MS).toISOString(),
      });
      return { authorizeUrl: line.authorizeUrl({ state, nonce, redirectUri: lineRedirectUri }) };
    },

    async lineCallback(userId: string, input: { code: string; state: string }) {
      if (!line) throw notFound('LINE');
      const saved = await repo.takeLoginState(db, input.state);
      if (!saved || saved.user_id !== userId || saved.expires_at < clock.now().toISOString())
        throw new AppError('LINE_LOGIN_FAILED', 'This LINE login is unknown or expired');
      let profile;
      try {
        profile = await line.login({
          code: input.code,
          redirectUri: lineRedirectUri,
          nonce: saved.nonce,
        });
      } catch (err) {
        if (err instanceof LineLoginError) throw new AppError('LINE_LOGIN_FAILED', err.message);
        throw err;
      }
      await db.transaction().execute(async (trx) => {
        await lockUser(trx, userId);
        const other = await repo.findLineAccountByLineUser(trx, profile.userId);
        if (other && other.user_id !== userId)
          throw new AppError('LINE_LOGIN_FAILED', 'This LINE account is linked to another user');
        await repo.insertLineAccount(trx, {
          user_id: userId,
          line_user_id: profile.userId,
          display_name: profile.displayName,
          created_at: clock.now().toISOString(),
        });
      });
      return this.lineStatus(userId);
    },

    async lineUnlink(userId: string) {
      await repo.deleteLineAccount(db, userId);
    },
  };
}

/** A UUID derived from a string (LINE's retry key must be a UUID). */
function uuidFrom(value: string) {
  const h = createHash('sha256').update(value).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type Channels = ReturnType<typeof createChannels>;
