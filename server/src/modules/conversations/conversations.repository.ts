// Conversation queries. Owns order_messages; reads orders (status, parties) and users (names).
import type { Executor } from '../../platform/db/dialect.ts';
import type { OrderMessagesTable } from '../../platform/db/schema.ts';

export type MessageRow = OrderMessagesTable;

export interface ConversationOrder {
  id: string;
  buyer_id: string;
  seller_id: string;
  status: string;
  paid_at: string | null;
  /** When it completed or was refunded; null while it is still running. */
  ended_at: string | null;
}

/** The order a conversation belongs to; `lock` takes it FOR UPDATE (MySQL; SQLite serialises). */
export async function findOrder(
  db: Executor,
  orderId: string,
  lock = false,
): Promise<ConversationOrder | undefined> {
  let q = db
    .selectFrom('orders')
    .select(['id', 'buyer_id', 'seller_id', 'status', 'paid_at', 'completed_at'])
    .where('id', '=', orderId);
  if (lock) q = q.forUpdate();
  const order = await q.executeTakeFirst();
  if (!order) return undefined;
  let ended_at: string | null = null;
  if (order.status === 'completed') ended_at = order.completed_at;
  if (order.status === 'refunded' || (order.status === 'completed' && !ended_at)) {
    const step = await db
      .selectFrom('order_status_history')
      .select((eb) => eb.fn.max('created_at').as('at'))
      .where('order_id', '=', orderId)
      .where('to_status', '=', order.status)
      .executeTakeFirst();
    ended_at = (step?.at as string | null | undefined) ?? null;
  }
  return {
    id: order.id,
    buyer_id: order.buyer_id,
    seller_id: order.seller_id,
    status: order.status,
    paid_at: order.paid_at,
    ended_at,
  };
}

export function findMessages(db: Executor, orderId: string) {
  return db
    .selectFrom('order_messages')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
}

export function findMessage(db: Executor, orderId: string, messageId: string) {
  return db
    .selectFrom('order_messages')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('id', '=', messageId)
    .executeTakeFirst();
}

export async function countMessages(db: Executor, orderId: string) {
  const row = await db
    .selectFrom('order_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertMessage(db: Executor, row: MessageRow) {
  await db.insertInto('order_messages').values(row).execute();
}

/** Marks every message to `readerId` in the order read; returns how many changed. */
export async function markRead(db: Executor, orderId: string, readerId: string, now: string) {
  const result = await db
    .updateTable('order_messages')
    .set({ read_at: now })
    .where('order_id', '=', orderId)
    .where('sender_id', '!=', readerId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findUserName(db: Executor, userId: string) {
  const row = await db
    .selectFrom('users')
    .select('name')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.name ?? '';
}

/** Messages a user wrote, for their data export. */
export function findMessagesBySender(db: Executor, userId: string) {
  return db
    .selectFrom('order_messages')
    .select(['id', 'order_id', 'body', 'photo_key', 'flagged', 'read_at', 'created_at'])
    .where('sender_id', '=', userId)
    .orderBy('id')
    .execute();
}
