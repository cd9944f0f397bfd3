import { type Executor, type Trx } from '../../platform/db/dialect.ts';
import type { PaymentsTable, PaymentStatus, RefundsTable } from '../../platform/db/schema.ts';
import { newId } from '../../shared/ids.ts';

export type PaymentRow = PaymentsTable;
export type RefundRow = RefundsTable;

/** What a new payment attempt must be given; everything else starts at its default. */
export type NewPaymentFields = Pick<PaymentRow, 'order_id' | 'provider' | 'amount'> &
  Partial<PaymentRow>;

/**
 * A new attempt's row (not inserted): `pending`, nothing heard from TapPay yet. Paying, demo
 * data and test factories start here.
 */
export function newPaymentRow(fields: NewPaymentFields, nowIso: string): PaymentRow {
  return {
    id: newId(),
    method: 'card',
    status: 'pending',
    rec_trade_id: null,
    bank_transaction_id: null,
    provider_status: null,
    provider_message: null,
    payment_url: null,
    raw_response: null,
    created_at: nowIso,
    updated_at: nowIso,
    ...fields,
  };
}

export async function insertPayment(db: Executor, row: PaymentRow) {
  await db.insertInto('payments').values(row).execute();
}

export function findPaymentById(db: Executor, id: string) {
  return db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPaymentForUpdate(trx: Trx, id: string) {
  return trx.selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findPaymentByRecTradeId(db: Executor, recTradeId: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('rec_trade_id', '=', recTradeId)
    .executeTakeFirst();
}

/** Newest first. */
export function findPaymentsOfOrder(db: Executor, orderId: string) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export function findPaymentsOfOrderForUpdate(trx: Trx, orderId: string) {
  return trx
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .forUpdate()
    .execute();
}

export async function updatePayment(db: Executor, id: string, patch: Partial<PaymentRow>) {
  await db.updateTable('payments').set(patch).where('id', '=', id).execute();
}

/** Attempts in these states last touched before `beforeIso` (the reconciliation sweep). */
export function findStalePayments(
  db: Executor,
  statuses: readonly PaymentStatus[],
  beforeIso: string,
  limit: number,
) {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('status', 'in', statuses)
    .where('updated_at', '<', beforeIso)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}

export async function insertRefund(db: Executor, row: RefundRow) {
  await db.insertInto('refunds').values(row).execute();
}

export function findRefundById(db: Executor, id: string) {
  return db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findRefundForUpdate(trx: Trx, id: string) {
  return trx.selectFrom('refunds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findRefundsOfOrder(db: Executor, orderId: string) {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function updateRefund(db: Executor, id: string, patch: Partial<RefundRow>) {
  await db.updateTable('refunds').set(patch).where('id', '=', id).execute();
}

export function findPendingRefunds(db: Executor, beforeIso: string, limit: number) {
  return db
    .selectFrom('refunds')
    .selectAll()
    .where('status', '=', 'pending')
    .where('updated_at', '<', beforeIso)
    .orderBy('updated_at')
    .limit(limit)
    .execute();
}
