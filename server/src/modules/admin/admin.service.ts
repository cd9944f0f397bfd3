// Operators' tools (PRODUCT.md §5 Admin): schedule changes, disputes, payouts, takedowns and
// suspensions. Order-moving work is done by the orders module, in its transactions.
import { z } from 'zod';
import type {
  AdminGameBody,
  AdminGameResult,
  AdminOrdersQuery,
  AdminPayout,
  AdminPayoutsQuery,
  SuspendResult,
} from '../../../../shared/contracts/admin.ts';
import type { DialectName } from '../../platform/db/database.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { invalidState, notFound } from '../../shared/errors.ts';
import { maskAccount, type AccountsService } from '../accounts/index.ts';
import { notify, type OrdersService, type Viewer } from '../orders/index.ts';
import * as repo from './admin.repository.ts';

const PayoutCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(64) });

export interface AdminDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  orders: OrdersService;
  accounts: Pick<AccountsService, 'setSuspended'>;
}

function toAdminPayout(r: repo.PayoutListRow): AdminPayout {
  return {
    id: r.id,
    orderId: r.order_id,
    seller: {
      id: r.seller_id,
      name: r.seller_name,
      payoutAccount:
        r.seller_bank_code && r.seller_account
          ? { bankCode: r.seller_bank_code, accountMasked: maskAccount(r.seller_account) }
          : null,
    },
    grossAmount: r.gross_amount,
    fee: r.fee,
    amount: r.amount,
    status: r.status,
    paidAt: r.paid_at,
    createdAt: r.created_at,
  };
}

export function createAdminService(deps: AdminDeps) {
  const { db, dialect, clock, orders, accounts } = deps;

  return {
    changeGame(
      admin: Viewer,
      gameId: string,
      body: AdminGameBody,
      requestId: string | null,
    ): Promise<AdminGameResult> {
      return orders.changeGameStatus(admin, gameId, body, requestId);
    },

    listOrders(admin: Viewer, query: AdminOrdersQuery) {
      return orders.listOrdersForAdmin(admin, query);
    },

    resolve(
      admin: Viewer,
      orderId: string,
      outcome: 'refund' | 'release',
      requestId: string | null,
    ) {
      return orders.resolveDispute(admin, orderId, outcome, requestId);
    },

    async listPayouts(query: AdminPayoutsQuery) {
      const before = query.cursor ? decodeCursor(query.cursor, PayoutCursor) : undefined;
      const rows = await repo.listPayouts(db, {
        status: query.status,
        before,
        limit: query.limit + 1,
      });
      const pageRows = rows.slice(0, query.limit);
      const last = pageRows[pageRows.length - 1];
      return {
        items: pageRows.map(toAdminPayout),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ createdAt: last.created_at, id: last.id })
            : null,
      };
    },

    /** The platform has wired the money to the seller: record it and tell them. */
    async markPayoutPaid(payoutId: string, requestId: string | null): Promise<AdminPayout> {
      await db.transaction().execute(async (trx) => {
        const payout = await repo.lockPayout(trx, dialect, payoutId);
        if (!payout) throw notFound('Payout');
        if (payout.status !== 'owed')
          throw invalidState('This payout is already paid', { status: payout.status });
        await repo.markPayoutPaid(trx, payoutId, clock.now().toISOString());
        await notify(
          { trx, requestId },
          payout.seller_id,
          'payout_paid',
          { payoutId, orderId: payout.order_id, amount: payout.amount },
          `payout_paid:${payoutId}`,
        );
      });
      const row = (await repo.listPayouts(db, { limit: 1, ids: [payoutId] }))[0];
      if (!row) throw notFound('Payout');
      return toAdminPayout(row);
    },

    takeDownListing(admin: Viewer, listingId: string, requestId: string | null) {
      return orders.takeDownListing(admin, listingId, requestId);
    },

    /** Suspends (or reinstates) a user: no log-in, no listing, no buying; their listings come down. */
    async suspendUser(
      admin: Viewer,
      userId: string,
      suspended: boolean,
      requestId: string | null,
    ): Promise<SuspendResult> {
      if (userId === admin.id && suspended) throw invalidState('You cannot suspend yourself');
      await accounts.setSuspended(userId, suspended);
      const listingsCancelled = suspended
        ? await orders.takeDownListingsOf(admin, userId, requestId)
        : 0;
      return { id: userId, status: suspended ? 'suspended' : 'active', listingsCancelled };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
