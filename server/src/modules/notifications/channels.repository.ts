// Queries of the outside channels: push subscriptions, preferences, LINE accounts and logins, and
// the delivery log. Bulk reads take id lists in chunks (see notifications.repository.ts).
import type { Executor } from '../../platform/db/dialect.ts';
import type {
  DeliveryChannel,
  NotificationDeliveriesTable,
  NotificationPreferencesTable,
  NotificationQuietHoursTable,
  PushSubscriptionsTable,
} from '../../platform/db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { chunks } from './notifications.repository.ts';

// ---- push subscriptions ----

export function findSubscriptionByHash(db: Executor, endpointHash: string) {
  return db
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('endpoint_hash', '=', endpointHash)
    .executeTakeFirst();
}

export async function insertSubscription(db: Executor, row: PushSubscriptionsTable) {
  await db.insertInto('push_subscriptions').values(row).execute();
}

/** The browser re-subscribed (new keys), or another account signed in on it: it is theirs now. */
export async function updateSubscription(
  db: Executor,
  id: string,
  set: Pick<PushSubscriptionsTable, 'user_id' | 'p256dh' | 'auth'>,
) {
  await db.updateTable('push_subscriptions').set(set).where('id', '=', id).execute();
}

export function findSubscriptionsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function findSubscriptionsOfUsers(db: Executor, userIds: readonly string[]) {
  const out: PushSubscriptionsTable[] = [];
  for (const ids of chunks([...new Set(userIds)]))
    out.push(
      ...(await db
        .selectFrom('push_subscriptions')
        .selectAll()
        .where('user_id', 'in', ids)
        .execute()),
    );
  return out;
}

export function findSubscription(db: Executor, id: string) {
  return db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSubscription(db: Executor, id: string, userId?: string) {
  let q = db.deleteFrom('push_subscriptions').where('id', '=', id);
  if (userId) q = q.where('user_id', '=', userId);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Of these users, the ones with at least one push subscription. */
export async function findUsersWithPush(db: Executor, userIds: readonly string[]) {
  const out = new Set<string>();
  for (const ids of chunks([...new Set(userIds)])) {
    const rows = await db
      .selectFrom('push_subscriptions')
      .select('user_id')
      .distinct()
      .where('user_id', 'in', ids)
      .execute();
    for (const r of rows) out.add(r.user_id);
  }
  return out;
}

// ---- preferences ----

export async function findPreferences(
  db: Executor,
  userIds: readonly string[],
  types?: readonly string[],
) {
  const out = new Map<string, NotificationPreferencesTable>();
  for (const ids of chunks([...new Set(userIds)])) {
    let q = db.selectFrom('notification_preferences').selectAll().where('user_id', 'in', ids);
    if (types) q = q.where('type', 'in', [...new Set(types)]);
    for (const r of await q.execute()) out.set(`${r.user_id}\u0000${r.type}`, r);
  }
  return out;
}

/** Replaces a user's rows for these types (the caller holds the user's row lock). */
export async function savePreferences(
  db: Executor,
  userId: string,
  rows: readonly NotificationPreferencesTable[],
) {
  if (rows.length === 0) return;
  await db
    .deleteFrom('notification_preferences')
    .where('user_id', '=', userId)
    .where(
      'type',
      'in',
      rows.map((r) => r.type),
    )
    .execute();
  await db
    .insertInto('notification_preferences')
    .values([...rows])
    .execute();
}

// ---- quiet hours ----

export async function findQuietHours(db: Executor, userIds: readonly string[]) {
  const out = new Map<string, NotificationQuietHoursTable>();
  for (const ids of chunks([...new Set(userIds)]))
    for (const r of await db
      .selectFrom('notification_quiet_hours')
      .selectAll()
      .where('user_id', 'in', ids)
      .execute())
      out.set(r.user_id, r);
  return out;
}

/** Sets (or, with null, removes) a user's quiet hours (the caller holds the user's row lock). */
export async function saveQuietHours(
  db: Executor,
  userId: string,
  row: NotificationQuietHoursTable | null,
) {
  await db.deleteFrom('notification_quiet_hours').where('user_id', '=', userId).execute();
  if (row) await db.insertInto('notification_quiet_hours').values(row).execute();
}

// ---- LINE ----

export function findLineAccount(db: Executor, userId: string) {
  return db
    .selectFrom('line_accounts')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export function findLineAccountByLineUser(db: Executor, lineUserId: string) {
  return db
    .selectFrom('line_accounts')
    .selectAll()
    .where('line_user_id', '=', lineUserId)
    .executeTakeFirst();
}

export async function findLineAccountsOfUsers(db: Executor, userIds: readonly string[]) {
  const out = new Map<string, string>();
  for (const ids of chunks([...new Set(userIds)])) {
    const rows = await db
      .selectFrom('line_accounts')
      .select(['user_id', 'line_user_id'])
      .where('user_id', 'in', ids)
      .execute();
    for (const r of rows) out.set(r.user_id, r.line_user_id);
  }
  return out;
}

export async function insertLineAccount(
  db: Executor,
  row: { user_id: string; line_user_id: string; display_name: string | null; created_at: string },
) {
  await db.deleteFrom('line_accounts').where('user_id', '=', row.user_id).execute();
  await db.insertInto('line_accounts').values(row).execute();
}

export async function deleteLineAccount(db: Executor, userId: string) {
  await db.deleteFrom('line_accounts').where('user_id', '=', userId).execute();
}

export async function insertLoginState(
  db: Executor,
  row: { state: string; user_id: string; nonce: string; expires_at: string },
) {
  await db.insertInto('line_login_states').values(row).execute();
}

/** Takes a login state once: it is deleted as it is read. */
export async function takeLoginState(db: Executor, state: string) {
  const row = await db
    .selectFrom('line_login_states')
    .selectAll()
    .where('state', '=', state)
    .executeTakeFirst();
  if (!row) return undefined;
  const result = await db
    .deleteFrom('line_login_states')
    .where('state', '=', state)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1 ? row : undefined;
}

export async function deleteExpiredLoginStates(db: Executor, nowIso: string) {
  await db.deleteFrom('line_login_states').where('expires_at', '<', nowIso).execute();
}

// ---- what the channel jobs send ----

export async function findNotificationsByIds(db: Executor, ids: readonly string[]) {
  const out = [];
  for (const part of chunks([...new Set(ids)]))
    out.push(
      ...(await db
        .selectFrom('notifications')
        .innerJoin('users', 'users.id', 'notifications.user_id')
        .select([
          'notifications.id',
          'notifications.user_id',
          'notifications.type',
          'notifications.title',
          'notifications.body',
          'notifications.link',
          'users.locale',
          'users.status',
        ])
        .where('notifications.id', 'in', part)
        .execute()),
    );
  return out;
}

// ---- delivery log ----

export type DeliveryRecord = Pick<
  NotificationDeliveriesTable,
  'notification_id' | 'user_id' | 'channel' | 'target' | 'status' | 'http_status' | 'error'
>;

/**
 * Records what happened to each (notification, channel, target): a new row, or the existing row
 * updated with one more attempt. One job writes a given pair at a time (retries come after).
 */
export async function recordDeliveries(
  db: Executor,
  channel: DeliveryChannel,
  records: readonly DeliveryRecord[],
  nowIso: string,
) {
  if (records.length === 0) return;
  const existing = new Map<string, string>();
  for (const ids of chunks([...new Set(records.map((r) => r.notification_id))])) {
    const rows = await db
      .selectFrom('notification_deliveries')
      .select(['id', 'notification_id', 'target'])
      .where('notification_id', 'in', ids)
      .where('channel', '=', channel)
      .execute();
    for (const r of rows) existing.set(`${r.notification_id}\u0000${r.target}`, r.id);
  }
  const fresh: NotificationDeliveriesTable[] = [];
  for (const r of records) {
    const id = existing.get(`${r.notification_id}\u0000${r.target}`);
    const error = r.error ? r.error.slice(0, 500) : null;
    if (id) {
      await db
        .updateTable('notification_deliveries')
        .set((eb) => ({
          status: r.status,
          http_status: r.http_status,
          error,
          attempts: eb('attempts', '+', 1),
          updated_at: nowIso,
        }))
        .where('id', '=', id)
        .execute();
    } else {
      fresh.push({ ...r, error, id: newId(), attempts: 1, created_at: nowIso, updated_at: nowIso });
    }
  }
  for (const part of chunks(fresh))
    await db.insertInto('notification_deliveries').values(part).execute();
}

export function findDeliveries(db: Executor, notificationId: string) {
  return db
    .selectFrom('notification_deliveries')
    .selectAll()
    .where('notification_id', '=', notificationId)
    .orderBy('channel')
    .orderBy('created_at')
    .execute();
}

export function findNotificationOwner(db: Executor, id: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}
