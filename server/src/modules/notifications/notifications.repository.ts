// Notifications queries. Bulk paths work in chunks so a fan-out to 10,000 users is ~20 statements
// per table, never one per user.
import type { Executor } from '../../platform/db/dialect.ts';
import type { NotificationsTable } from '../../platform/db/schema.ts';
import type { GameView } from './notifications.templates.ts';

export type NotificationRow = NotificationsTable;

/** Rows per multi-row INSERT and ids per IN list: well inside both databases' placeholder limits. */
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface Recipient {
  id: string;
  name: string;
  email: string;
  locale: string;
  email_notifications: number;
  status: 'active' | 'suspended' | 'deleted';
}

export async function findRecipients(db: Executor, userIds: readonly string[]) {
  const out = new Map<string, Recipient>();
  for (const ids of chunks([...new Set(userIds)])) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'name', 'email', 'locale', 'email_notifications', 'status'])
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** The users among `userIds` who already have a notification with this dedupe key. */
export async function findUsersWithDedupeKey(
  db: Executor,
  dedupeKey: string,
  userIds: readonly string[],
) {
  const out = new Set<string>();
  for (const ids of chunks([...new Set(userIds)])) {
    const rows = await db
      .selectFrom('notifications')
      .select('user_id')
      .where('dedupe_key', '=', dedupeKey)
      .where('user_id', 'in', ids)
      .execute();
    for (const r of rows) out.add(r.user_id);
  }
  return out;
}

export async function insertNotifications(db: Executor, rows: readonly NotificationRow[]) {
  for (const part of chunks(rows)) await db.insertInto('notifications').values(part).execute();
}

const ITEM_COLUMNS = [
  'id',
  'type',
  'title',
  'body',
  'texts',
  'link',
  'read_at',
  'created_at',
] as const;

export function findNotificationsOfUser(
  db: Executor,
  userId: string,
  opts: { unreadOnly: boolean; beforeId?: string; limit: number },
) {
  let q = db.selectFrom('notifications').select(ITEM_COLUMNS).where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  if (opts.beforeId) q = q.where('id', '<', opts.beforeId);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

/** Notifications created after `afterId` (ids sort by creation time), oldest first. */
export function findNotificationsAfter(
  db: Executor,
  userId: string,
  afterId: string,
  limit: number,
) {
  return db
    .selectFrom('notifications')
    .select(ITEM_COLUMNS)
    .where('user_id', '=', userId)
    .where('id', '>', afterId)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}

export async function countUnread(db: Executor, userId: string) {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function markRead(db: Executor, userId: string, id: string, nowIso: string) {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: nowIso })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function notificationExists(db: Executor, userId: string, id: string) {
  const row = await db
    .selectFrom('notifications')
    .select('id')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function markAllRead(db: Executor, userId: string, nowIso: string) {
  await db
    .updateTable('notifications')
    .set({ read_at: nowIso })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
}

/** What the e-mail job needs: the notification and its recipient's address and preferences. */
export function findNotificationForMail(db: Executor, id: string) {
  return db
    .selectFrom('notifications')
    .innerJoin('users', 'users.id', 'notifications.user_id')
    .select([
      'notifications.id',
      'notifications.user_id',
      'notifications.title',
      'notifications.body',
      'notifications.link',
      'users.name',
      'users.email',
      'users.locale',
      'users.email_notifications',
      'users.status',
    ])
    .where('notifications.id', '=', id)
    .executeTakeFirst();
}

// ---- facts for templates (the notification.send job) ----

export async function findGameView(db: Executor, gameId: string): Promise<GameView | undefined> {
  const row = await db
    .selectFrom('games')
    .innerJoin('teams as home', 'home.id', 'games.home_team_id')
    .innerJoin('teams as away', 'away.id', 'games.away_team_id')
    .select([
      'games.id',
      'games.starts_at',
      'home.short_name as home_zh',
      'home.name_en as home_en',
      'away.short_name as away_zh',
      'away.name_en as away_en',
    ])
    .where('games.id', '=', gameId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    startsAt: row.starts_at,
    home: { zh: row.home_zh, en: row.home_en },
    away: { zh: row.away_zh, en: row.away_en },
  };
}

export function findOrderFacts(db: Executor, orderId: string) {
  return db
    .selectFrom('orders')
    .select([
      'id',
      'buyer_id',
      'seller_id',
      'game_id',
      'listing_id',
      'amount',
      'quantity',
      'unit_price',
      'deliver_by',
    ])
    .where('id', '=', orderId)
    .executeTakeFirst();
}

export function findListingFacts(db: Executor, listingId: string) {
  return db
    .selectFrom('listings')
    .innerJoin('seat_areas', 'seat_areas.id', 'listings.area_id')
    .select([
      'listings.id',
      'listings.game_id',
      'listings.seller_id',
      'listings.price',
      'listings.quantity',
      'listings.status',
      'listings.section',
      'listings.row_label',
      'listings.seats',
      'seat_areas.name as area_zh',
      'seat_areas.name_en as area_en',
    ])
    .where('listings.id', '=', listingId)
    .executeTakeFirst();
}

export function findPayoutFacts(db: Executor, payoutId: string) {
  return db
    .selectFrom('payouts')
    .select(['id', 'order_id', 'amount'])
    .where('id', '=', payoutId)
    .executeTakeFirst();
}

export function findReviewFacts(db: Executor, reviewId: string) {
  return db
    .selectFrom('reviews')
    .select(['id', 'order_id', 'rating', 'comment'])
    .where('id', '=', reviewId)
    .executeTakeFirst();
}

/** Ticket holders of a game: buyers of its paid or delivered orders. */
/** Buyers of paid or delivered orders, sellers of live or sold listings, active reservers. */
/** Who has a stake in a game, and which: a buyer (with their order), a seller, a reserver. */
export interface PersonOfGame {
  userId: string;
  role: 'buyer' | 'seller' | 'reserver';
  /** A buyer's order of the game (the one not yet handed over first). */
  orderId?: string;
  /** Whether that order may still be cancelled for a refund (paid, not yet handed over). */
  refundable?: boolean;
}

/**
 * Everyone with a stake in a game, once each, in the role that matters most to them: a buyer of a
 * paid or delivered order, else a seller of an active, held or sold listing, else an active
 * reserver.
 */
export async function findPeopleOfGame(db: Executor, gameId: string): Promise<PersonOfGame[]> {
  const [orders, sellers, reservers] = await Promise.all([
    db
      .selectFrom('orders')
      .select(['id', 'buyer_id', 'status'])
      .where('game_id', '=', gameId)
      .where('status', 'in', ['paid', 'delivered'])
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('listings')
      .select('seller_id')
      .distinct()
      .where('game_id', '=', gameId)
      .where('status', 'in', ['active', 'held', 'sold'])
      .execute(),
    db
      .selectFrom('reservations')
      .select('user_id')
      .distinct()
      .where('game_id', '=', gameId)
      .where('status', '=', 'active')
      .execute(),
  ]);
  const people = new Map<string, PersonOfGame>();
  for (const o of orders) {
    const known = people.get(o.buyer_id);
    if (known?.refundable) continue;
    people.set(o.buyer_id, {
      userId: o.buyer_id,
      role: 'buyer',
      orderId: o.id,
      refundable: o.status === 'paid',
    });
  }
  for (const s of sellers)
    if (!people.has(s.seller_id)) people.set(s.seller_id, { userId: s.seller_id, role: 'seller' });
  for (const r of reservers)
    if (!people.has(r.user_id)) people.set(r.user_id, { userId: r.user_id, role: 'reserver' });
  return [...people.values()];
}
