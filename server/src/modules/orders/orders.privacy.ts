// A user's orders and payouts for their data export, and whether they still have dealings open
// (an account cannot be closed then: 409 ACCOUNT_BUSY).
import type { Sealer } from '../../platform/crypto/sealer.ts';
import type { Executor } from '../../platform/db/dialect.ts';
import { openRecipient } from './orders.recipients.ts';

/** Orders that still need the buyer or the seller. */
export const OPEN_ORDER_STATUSES = ['pending_payment', 'paid', 'delivered', 'disputed'] as const;

export function exportOrdersOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('orders')
    .select([
      'id',
      'listing_id',
      'buyer_id',
      'seller_id',
      'game_id',
      'quantity',
      'unit_price',
      'amount',
      'status',
      'paid_at',
      'delivered_at',
      'delivery_note',
      'completed_at',
      'dispute_reason',
      'created_at',
    ])
    .where((eb) => eb.or([eb('buyer_id', '=', userId), eb('seller_id', '=', userId)]))
    .orderBy('created_at')
    .execute();
}

export function exportPayoutsOfSeller(db: Executor, sellerId: string) {
  return db
    .selectFrom('payouts')
    .select(['id', 'order_id', 'gross_amount', 'fee', 'amount', 'status', 'paid_at', 'created_at'])
    .where('seller_id', '=', sellerId)
    .orderBy('created_at')
    .execute();
}

/** The user's open orders (as buyer or seller) and owed payouts, counted. */
export async function countOpenDealings(db: Executor, userId: string) {
  const orders = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('buyer_id', '=', userId), eb('seller_id', '=', userId)]))
    .where('status', 'in', [...OPEN_ORDER_STATUSES])
    .executeTakeFirst();
  const payouts = await db
    .selectFrom('payouts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seller_id', '=', userId)
    .where('status', '=', 'owed')
    .executeTakeFirst();
  return { openOrders: Number(orders?.n ?? 0), owedPayouts: Number(payouts?.n ?? 0) };
}

/** The recipient details the user gave as a buyer, opened (their own data). */
export async function exportRecipientsOfBuyer(db: Executor, sealer: Sealer, buyerId: string) {
  const rows = await db
    .selectFrom('order_recipients as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .select(['r.order_id', 'r.sealed', 'r.created_at'])
    .where('o.buyer_id', '=', buyerId)
    .orderBy('r.created_at')
    .execute();
  return rows.map((r) => ({
    order_id: r.order_id,
    recipient: openRecipient(sealer, r.order_id, r.sealed),
    created_at: r.created_at,
  }));
}

/** Account closure: the buyer's recipient details go (no order is open then: ACCOUNT_BUSY). */
export async function deleteRecipientsOfBuyer(db: Executor, buyerId: string) {
  const orders = await db
    .selectFrom('orders')
    .select('id')
    .where('buyer_id', '=', buyerId)
    .execute();
  if (orders.length === 0) return;
  await db
    .deleteFrom('order_recipients')
    .where(
      'order_id',
      'in',
      orders.map((o) => o.id),
    )
    .execute();
}
