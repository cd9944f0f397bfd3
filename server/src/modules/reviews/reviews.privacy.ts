// Reviews a user gave and received, for their data export. A closed account's reviews stay: they
// show the anonymised name of its users row.
import type { Executor } from '../../platform/db/dialect.ts';

export async function exportReviewsOfUser(db: Executor, userId: string) {
  const select = [
    'id',
    'order_id',
    'seller_id',
    'buyer_id',
    'rating',
    'comment',
    'created_at',
  ] as const;
  const [given, received] = await Promise.all([
    db.selectFrom('reviews').select(select).where('buyer_id', '=', userId).execute(),
    db.selectFrom('reviews').select(select).where('seller_id', '=', userId).execute(),
  ]);
  return { given, received };
}
