// Payout batches and the payouts in them (the orders module owns both tables).
import type { Executor, Trx } from '../../platform/db/dialect.ts';
import type { PayoutBatchesTable, PayoutsTable } from '../../platform/db/schema.ts';

export type PayoutBatchRow = PayoutBatchesTable;

/** A payout with its seller's current payout account (read from the seller's user row). */
export interface PayoutWithAccount extends PayoutsTable {
  seller_name: string;
  bank_code: string | null;
  branch_code: string | null;
  account_number: string | null;
  account_name: string | null;
}

function withAccount(db: Executor) {
  return db
    .selectFrom('payouts')
    .innerJoin('users', 'users.id', 'payouts.seller_id')
    .selectAll('payouts')
    .select([
      'users.name as seller_name',
      'users.payout_bank_code as bank_code',
      'users.payout_branch_code as branch_code',
      'users.payout_account as account_number',
      'users.payout_account_name as account_name',
    ]);
}

/**
 * Payouts a new batch may take, locked: owed ones, and failed ones (the batch decides which of
 * those the seller has fixed since). Oldest first.
 */
export function lockBatchablePayouts(trx: Trx) {
  return withAccount(trx)
    .where('payouts.status', 'in', ['owed', 'failed'])
    .orderBy('payouts.created_at')
    .orderBy('payouts.id')
    .forUpdate()
    .execute() as Promise<PayoutWithAccount[]>;
}

export function findPayoutsOfBatch(db: Executor, batchId: string) {
  return withAccount(db)
    .where('payouts.batch_id', '=', batchId)
    .orderBy('payouts.batch_line')
    .orderBy('payouts.created_at')
    .orderBy('payouts.id')
    .execute() as Promise<PayoutWithAccount[]>;
}

export function lockPayoutsOfBatch(trx: Trx, batchId: string) {
  return trx
    .selectFrom('payouts')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('batch_line')
    .orderBy('created_at')
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function putInBatch(
  trx: Trx,
  ids: string[],
  batch: { id: string; line: number; account: string },
): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('payouts')
    .set({
      status: 'in_batch',
      batch_id: batch.id,
      batch_line: batch.line,
      batch_account: batch.account,
      failure_reason: null,
    })
    .where('id', 'in', ids)
    .execute();
}

export async function settlePayouts(
  trx: Trx,
  ids: string[],
  patch: Pick<PayoutsTable, 'status' | 'paid_at' | 'failure_reason'>,
): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('payouts').set(patch).where('id', 'in', ids).execute();
}

export async function insertBatch(trx: Trx, row: PayoutBatchRow) {
  await trx.insertInto('payout_batches').values(row).execute();
}

export function findBatch(db: Executor, id: string) {
  return db.selectFrom('payout_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockBatch(trx: Trx, id: string) {
  return trx
    .selectFrom('payout_batches')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function markBatchReconciled(trx: Trx, id: string, nowIso: string) {
  await trx
    .updateTable('payout_batches')
    .set({ reconciled_at: nowIso })
    .where('id', '=', id)
    .execute();
}

/** The newest batch the weekly schedule made. */
export function findLatestScheduledBatch(db: Executor) {
  return db
    .selectFrom('payout_batches')
    .selectAll()
    .where('trigger', '=', 'schedule')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listBatches(db: Executor, limit: number) {
  return db
    .selectFrom('payout_batches')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** A seller's payouts, newest first. */
export function findPayoutsOfSeller(db: Executor, sellerId: string, limit: number) {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Orders that count as sold: paid and not refunded or cancelled. */
export const SOLD_STATUSES = ['paid', 'delivered', 'disputed', 'completed'] as const;
/** Sold orders whose money the platform still holds (no payout yet). */
export const ESCROW_STATUSES = ['paid', 'delivered', 'disputed'] as const;

/** A seller's sold orders with their payout (if any), newest first, keyset on (created_at, id). */
export function findSalesOfSeller(
  db: Executor,
  sellerId: string,
  f: { before?: { createdAt: string; id: string }; limit: number },
) {
  let q = db
    .selectFrom('orders as o')
    .leftJoin('payouts as p', 'p.order_id', 'o.id')
    .select([
      'o.id',
      'o.game_id',
      'o.quantity',
      'o.amount',
      'o.status',
      'o.paid_at',
      'o.completed_at',
      'o.created_at',
      'p.status as payout_status',
      'p.fee as payout_fee',
      'p.amount as payout_amount',
      'p.created_at as payout_created_at',
      'p.paid_at as payout_paid_at',
    ])
    .where('o.seller_id', '=', sellerId)
    .where('o.status', 'in', [...SOLD_STATUSES]);
  const before = f.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('o.created_at', '<', before.createdAt),
        eb.and([eb('o.created_at', '=', before.createdAt), eb('o.id', '<', before.id)]),
      ]),
    );
  return q.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(f.limit).execute();
}

/** A seller's totals: sold orders (count, gross), held in escrow (gross), payouts by status (net). */
export async function sumEarningsOfSeller(db: Executor, sellerId: string) {
  const [orders, payouts] = await Promise.all([
    db
      .selectFrom('orders')
      .select((eb) => [
        'status',
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>('amount').as('amount'),
      ])
      .where('seller_id', '=', sellerId)
      .where('status', 'in', [...SOLD_STATUSES])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('payouts')
      .select((eb) => ['status', eb.fn.sum<number>('amount').as('amount')])
      .where('seller_id', '=', sellerId)
      .groupBy('status')
      .execute(),
  ]);
  return { orders, payouts };
}
