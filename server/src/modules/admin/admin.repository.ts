import { type Executor } from '../../platform/db/dialect.ts';
import type { PayoutsTable } from '../../platform/db/schema.ts';

export interface PayoutFilter {
  status?: PayoutsTable['status'];
  ids?: string[];
  before?: { createdAt: string; id: string };
  limit: number;
}

/** Payouts with their seller (name, payout account), newest first, keyset on (created_at, id). */
export function listPayouts(db: Executor, f: PayoutFilter) {
  let q = db
    .selectFrom('payouts')
    .innerJoin('users', 'users.id', 'payouts.seller_id')
    .selectAll('payouts')
    .select([
      'users.name as seller_name',
      'users.payout_bank_code as seller_bank_code',
      'users.payout_account as seller_account',
    ]);
  if (f.status) q = q.where('payouts.status', '=', f.status);
  if (f.ids) q = q.where('payouts.id', 'in', f.ids.length ? f.ids : ['']);
  const before = f.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('payouts.created_at', '<', before.createdAt),
        eb.and([eb('payouts.created_at', '=', before.createdAt), eb('payouts.id', '<', before.id)]),
      ]),
    );
  }
  return q
    .orderBy('payouts.created_at', 'desc')
    .orderBy('payouts.id', 'desc')
    .limit(f.limit)
    .execute();
}

export type PayoutListRow = Awaited<ReturnType<typeof listPayouts>>[number];
