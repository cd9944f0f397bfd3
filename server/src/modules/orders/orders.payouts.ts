// Payouts a bank can run (docs/PRODUCT.md §2.14). A batch takes every payout owed (orders
// completed, so past the dispute window) and every failed payout whose seller has changed the
// payout account since, groups them per seller into one transfer line, and marks them
// `in_batch`; its bank bulk-transfer file is a CSV (columns in TRANSFER_COLUMNS). The bank's
// result file marks each line `paid` or `failed` (with the bank's reason, and the seller told);
// importing it again changes nothing. A failed payout goes into the next batch once the seller's
// account differs from the one it failed on.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type {
  EarningsQuery,
  MyPayout,
  PayoutBatch,
  PayoutResultsSummary,
  SellerEarnings,
} from '../../../../shared/contracts/payouts.ts';
import { toNumber, type Db } from '../../platform/db/dialect.ts';
import type { UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, invalidState, notFound } from '../../shared/errors.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { newId } from '../../shared/ids.ts';
import { findGameSummaries } from '../catalog/index.ts';
import { notify } from './orders.transitions.ts';
import * as repo from './orders.payouts.repository.ts';

const SaleCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(64) });
const PENDING_PAYOUT = new Set(['owed', 'in_batch', 'failed']);
const IN_ESCROW = new Set<string>(repo.ESCROW_STATUSES);

/** The weekly batch: the schedule checks hourly and makes one when the last is this old. */
export const WEEKLY_MS = 7 * 24 * 3600_000;

/**
 * The bulk-transfer file's columns, in order (a header row first; UTF-8, CRLF line ends):
 * line (1…n), payee bank code (3 digits), branch code (4 digits), account number (digits),
 * account name (戶名), amount (integer NT$), our reference (PAS + 8 characters of the batch id +
 * `-` + 4-digit line; the bank echoes it in its result file) and a memo.
 */
export const TRANSFER_COLUMNS = [
  'line',
  'bank_code',
  'branch_code',
  'account_number',
  'account_name',
  'amount',
  'reference',
  'memo',
] as const;

/** The bank's result file: `reference,result,reason` (result success|failed, or 成功|失敗). */
export const RESULT_COLUMNS = ['reference', 'result', 'reason'] as const;

const referenceOf = (batchId: string, line: number) =>
  `PAS${batchId.slice(-8).toUpperCase()}-${String(line).padStart(4, '0')}`;

/** What a payout was (or would be) sent to: bank-branch-account-<hash of the name>. */
function accountKey(p: repo.PayoutWithAccount): string | null {
  if (!p.bank_code || !p.branch_code || !p.account_number || !p.account_name) return null;
  const name = createHash('sha256').update(p.account_name.trim()).digest('hex').slice(0, 8);
  return `${p.bank_code}-${p.branch_code}-${p.account_number}-${name}`;
}

const toBatch = (b: repo.PayoutBatchRow): PayoutBatch => ({
  id: b.id,
  trigger: b.trigger,
  sellerCount: b.seller_count,
  payoutCount: b.payout_count,
  totalAmount: b.total_amount,
  createdAt: b.created_at,
  reconciledAt: b.reconciled_at,
});

export interface PayoutsDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
}

export function createPayouts(deps: PayoutsDeps) {
  const { db, uow, clock } = deps;

  /** A batch of everything payable now; null when there is nothing to pay. */
  async function createBatch(
    trigger: 'schedule' | 'admin',
    requestId: string | null = null,
  ): Promise<PayoutBatch | null> {
    return uow.run(requestId, async (ctx) => {
      const candidates = await repo.lockBatchablePayouts(ctx.trx);
      const bySeller = new Map<string, { account: string; payouts: repo.PayoutWithAccount[] }>();
      for (const p of candidates) {
        const account = accountKey(p);
        if (!account) continue; // no complete payout account yet: stays owed
        // A failed payout waits until the seller's account is not the one it failed on.
        if (p.status === 'failed' && p.batch_account === account) continue;
        const entry = bySeller.get(p.seller_id) ?? { account, payouts: [] };
        entry.payouts.push(p);
        bySeller.set(p.seller_id, entry);
      }
      if (bySeller.size === 0) return null;
      const id = newId(ctx.now.getTime());
      const sellers = [...bySeller.keys()].sort();
      let payoutCount = 0;
      let total = 0;
      for (const [i, sellerId] of sellers.entries()) {
        const { account, payouts } = bySeller.get(sellerId)!;
        await repo.putInBatch(
          ctx.trx,
          payouts.map((p) => p.id),
          { id, line: i + 1, account },
        );
        payoutCount += payouts.length;
        total += payouts.reduce((sum, p) => sum + p.amount, 0);
      }
      const row: repo.PayoutBatchRow = {
        id,
        trigger,
        seller_count: sellers.length,
        payout_count: payoutCount,
        total_amount: total,
        created_at: ctx.now.toISOString(),
        reconciled_at: null,
      };
      await repo.insertBatch(ctx.trx, row);
      return toBatch(row);
    });
  }

  /** The batch's bank bulk-transfer file (CSV). */
  async function transferFile(batchId: string): Promise<string> {
    const batch = await repo.findBatch(db, batchId);
    if (!batch) throw notFound('Payout batch');
    const payouts = await repo.findPayoutsOfBatch(db, batchId);
    const lines = new Map<number, repo.PayoutWithAccount[]>();
    for (const p of payouts) {
      if (p.batch_line === null) continue;
      lines.set(p.batch_line, [...(lines.get(p.batch_line) ?? []), p]);
    }
    const records = [...lines.entries()]
      .sort(([a], [b]) => a - b)
      .map(([line, ps]) => {
        // The account the batch took (batch_account), not whatever the seller has set since.
        const [bank, branch, account] = (ps[0]!.batch_account ?? '').split('-');
        return [
          line,
          bank,
          branch,
          account,
          ps[0]!.account_name ?? '',
          ps.reduce((sum, p) => sum + p.amount, 0),
          referenceOf(batchId, line),
          `PITCH-A-SEAT PAYOUT ${ps.length} ORDER${ps.length === 1 ? '' : 'S'}`,
        ];
      });
    return stringify(records, {
      header: true,
      columns: [...TRANSFER_COLUMNS],
      record_delimiter: 'windows',
    });
  }

  /**
   * Imports the bank's result file for a batch: each line's payouts become paid or failed (the
   * seller told), once; a repeated import, or a line already in that state, changes nothing.
   */
  async function importResults(
    batchId: string,
    file: string,
    requestId: string | null = null,
  ): Promise<PayoutResultsSummary> {
    let rows: Record<string, string>[];
    try {
      rows = parse(file.replace(/^\uFEFF/, ''), {
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        skip_empty_lines: true,
        trim: true,
      }) as Record<string, string>[];
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', 'The result file is not a CSV file', {
        reason: err instanceof Error ? err.message : String(err),
      });
    }
    if (rows.length > 0 && RESULT_COLUMNS.some((c) => !(c in rows[0]!)))
      throw new AppError(
        'VALIDATION_FAILED',
        'The result file needs the columns reference,result,reason',
        {
          columns: [...RESULT_COLUMNS],
        },
      );
    return uow.run(requestId, async (ctx) => {
      const batch = await repo.lockBatch(ctx.trx, batchId);
      if (!batch) throw notFound('Payout batch');
      const payouts = await repo.lockPayoutsOfBatch(ctx.trx, batchId);
      const summary: PayoutResultsSummary = { paid: 0, failed: 0, unchanged: 0, rejected: [] };
      const nowIso = ctx.now.toISOString();
      for (const row of rows) {
        const reference = row.reference ?? '';
        const result = (row.result ?? '').toLowerCase();
        const ok = result === 'success' || result === '成功';
        const failed = result === 'failed' || result === '失敗';
        const line = payouts.filter(
          (p) => p.batch_line !== null && referenceOf(batchId, p.batch_line) === reference,
        );
        if (line.length === 0) {
          summary.rejected.push({ reference, reason: 'not a line of this batch' });
          continue;
        }
        if (!ok && !failed) {
          summary.rejected.push({ reference, reason: `unknown result "${row.result ?? ''}"` });
          continue;
        }
        const sellerId = line[0]!.seller_id;
        const amount = line.reduce((sum, p) => sum + p.amount, 0);
        const target = ok ? 'paid' : 'failed';
        if (line.every((p) => p.status === target)) {
          summary.unchanged++;
          continue;
        }
        if (failed && line.some((p) => p.status === 'paid')) {
          summary.rejected.push({ reference, reason: 'already paid' });
          continue;
        }
        const ids = line.map((p) => p.id);
        if (ok) {
          await repo.settlePayouts(ctx.trx, ids, {
            status: 'paid',
            paid_at: nowIso,
            failure_reason: null,
          });
          for (const p of line) p.status = 'paid';
          summary.paid++;
          await notify(
            ctx,
            sellerId,
            'payout_paid',
            { amount, payoutId: ids[0] },
            `payout_paid:${batchId}:${sellerId}`,
          );
        } else {
          const reason = (row.reason || 'rejected by the bank').slice(0, 300);
          await repo.settlePayouts(ctx.trx, ids, {
            status: 'failed',
            paid_at: null,
            failure_reason: reason,
          });
          for (const p of line) p.status = 'failed';
          summary.failed++;
          await notify(
            ctx,
            sellerId,
            'payout_failed',
            { amount, payoutId: ids[0], comment: reason },
            `payout_failed:${batchId}:${sellerId}`,
          );
        }
      }
      await repo.markBatchReconciled(ctx.trx, batchId, nowIso);
      return summary;
    });
  }

  return {
    createBatch,
    transferFile,
    importResults,

    /** An admin's "pay out now": 409 when nothing is payable. */
    async createBatchNow(requestId: string | null): Promise<PayoutBatch> {
      const batch = await createBatch('admin', requestId);
      if (!batch)
        throw invalidState('No payouts to pay out (owed, with a complete payout account)');
      return batch;
    },

    /** Schedule `orders.payout-batch`: one batch a week. */
    async runWeekly(): Promise<PayoutBatch | null> {
      const last = await repo.findLatestScheduledBatch(db);
      if (last && clock.now().getTime() - new Date(last.created_at).getTime() < WEEKLY_MS)
        return null;
      return createBatch('schedule');
    },

    async listBatches(): Promise<{ items: PayoutBatch[] }> {
      return { items: (await repo.listBatches(db, 100)).map(toBatch) };
    },

    /** A seller's payouts and their statuses. */
    /**
     * A seller's earnings page (issue 21 item 14): totals over every sale, and the sales newest
     * first with their payout, a page at a time. Only the signed-in seller's own orders.
     */
    async earnings(sellerId: string, query: EarningsQuery): Promise<SellerEarnings> {
      const before = query.cursor ? decodeCursor(query.cursor, SaleCursor) : undefined;
      const [sums, rows] = await Promise.all([
        repo.sumEarningsOfSeller(db, sellerId),
        repo.findSalesOfSeller(db, sellerId, { before, limit: query.limit + 1 }),
      ]);
      const totals = { soldCount: 0, sold: 0, inEscrow: 0, pendingPayout: 0, paid: 0 };
      for (const o of sums.orders) {
        totals.soldCount += toNumber(o.n);
        totals.sold += toNumber(o.amount);
        if (IN_ESCROW.has(o.status)) totals.inEscrow += toNumber(o.amount);
      }
      for (const p of sums.payouts) {
        if (p.status === 'paid') totals.paid += toNumber(p.amount);
        else if (PENDING_PAYOUT.has(p.status)) totals.pendingPayout += toNumber(p.amount);
      }
      const pageRows = rows.slice(0, query.limit);
      const games = await findGameSummaries(
        db,
        pageRows.map((r) => r.game_id),
        clock.now(),
      );
      const last = pageRows[pageRows.length - 1];
      return {
        totals,
        items: pageRows.flatMap((r) => {
          const game = games.get(r.game_id);
          if (!game) return [];
          return [
            {
              orderId: r.id,
              game,
              quantity: r.quantity,
              amount: r.amount,
              status: r.status,
              soldAt: r.paid_at ?? r.created_at,
              completedAt: r.completed_at,
              payout:
                r.payout_status && r.payout_created_at
                  ? {
                      status: r.payout_status,
                      fee: toNumber(r.payout_fee),
                      amount: toNumber(r.payout_amount),
                      createdAt: r.payout_created_at,
                      paidAt: r.payout_paid_at,
                    }
                  : null,
            },
          ];
        }),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },

    async listMine(sellerId: string): Promise<{ items: MyPayout[] }> {
      const rows = await repo.findPayoutsOfSeller(db, sellerId, 200);
      return {
        items: rows.map((p) => ({
          id: p.id,
          orderId: p.order_id,
          grossAmount: p.gross_amount,
          fee: p.fee,
          amount: p.amount,
          status: p.status,
          failureReason: p.failure_reason,
          paidAt: p.paid_at,
          createdAt: p.created_at,
        })),
      };
    },
  };
}

export type Payouts = ReturnType<typeof createPayouts>;
