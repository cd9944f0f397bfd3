// Payments of a user's orders for their data export: amounts and statuses, never the provider's
// raw answer (card details) nor its trade ids.
import type { Executor } from '../../platform/db/dialect.ts';

export async function exportPaymentsOfOrders(db: Executor, orderIds: string[]) {
  if (orderIds.length === 0) return [];
  return db
    .selectFrom('payments')
    .select(['id', 'order_id', 'provider', 'amount', 'status', 'created_at', 'updated_at'])
    .where('order_id', 'in', orderIds)
    .orderBy('created_at')
    .execute();
}
