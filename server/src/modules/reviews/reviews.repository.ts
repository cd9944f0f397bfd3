// Reviews queries. Reads orders and users (the order being reviewed, the seller's rating).
import { type Executor } from '../../platform/db/dialect.ts';
import type { ReviewsTable } from '../../platform/db/schema.ts';

export type ReviewRow = ReviewsTable;

/** The order being reviewed, locked for the rest of the transaction (MySQL; SQLite serialises). */
export function findOrderForReview(db: Executor, orderId: string) {
  return db
    .selectFrom('orders')
    .select(['id', 'buyer_id', 'seller_id', 'game_id', 'status'])
    .where('id', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
}

export async function hasReview(db: Executor, orderId: string) {
  const row = await db
    .selectFrom('reviews')
    .select('id')
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Fails with a unique violation when the order already has a review (reviews.order_id). */
export async function insertReview(db: Executor, row: ReviewRow) {
  await db.insertInto('reviews').values(row).execute();
}

export async function findUserName(db: Executor, userId: string) {
  const row = await db
    .selectFrom('users')
    .select('name')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.name ?? '';
}

/** Reviews of these orders (reviews.order_id is unique), for order views: "reviewed" or not. */
export async function findReviewsOfOrders(db: Executor, orderIds: string[]) {
  if (orderIds.length === 0)
    return new Map<string, { rating: number; comment: string | null; createdAt: string }>();
  const rows = await db
    .selectFrom('reviews')
    .select(['order_id', 'rating', 'comment', 'created_at'])
    .where('order_id', 'in', orderIds)
    .execute();
  return new Map(
    rows.map((r) => [
      r.order_id,
      { rating: r.rating, comment: r.comment, createdAt: r.created_at },
    ]),
  );
}
