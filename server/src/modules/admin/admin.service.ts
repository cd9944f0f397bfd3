// Operators' tools (docs/PRODUCT.md §2.11): schedule changes, disputes, payouts, takedowns and
// suspensions. Order-moving work is done by the orders module, in its transactions.
import { z } from 'zod';
import type {
  AdminGameBody,
  AdminGameResult,
  AdminGamesQuery,
  AdminListing,
  AdminOrdersQuery,
  AdminPayout,
  AdminPayoutsQuery,
  AdminSearchQuery,
  AdminUser,
  SuspendResult,
} from '../../../../shared/contracts/admin.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { invalidState, notFound } from '../../shared/errors.ts';
import { maskAccount, type AccountsService } from '../accounts/index.ts';
import type { Orders, Viewer } from '../orders/index.ts';
import { findGameSummaries, type CatalogService } from '../catalog/index.ts';
import type { ScheduleService } from '../schedule/index.ts';
import * as repo from './admin.repository.ts';

const PayoutCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(64) });
const SearchCursor = PayoutCursor;
/** Sellers a listing search looks among (the listings of the newest matching accounts). */
const MAX_SELLERS_SEARCHED = 50;

export interface AdminDeps {
  db: Db;
  clock: Clock;
  catalog: Pick<CatalogService, 'listGamesForAdmin'>;
  orders: Pick<Orders, 'admin'>;
  accounts: Pick<AccountsService, 'setSuspended'>;
  schedule: Pick<ScheduleService, 'recordAdminChange'>;
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

function toAdminUser(r: repo.UserSearchRow): AdminUser {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    status: r.status,
    completedSales: r.completed_sales,
    createdAt: r.created_at,
  };
}

/** One page of newest-first rows fetched with one extra: the items and the next cursor. */
function pageOf<R extends { id: string; created_at: string }, T>(
  rows: R[],
  limit: number,
  map: (r: R) => T,
) {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ createdAt: last.created_at, id: last.id })
        : null,
  };
}

export function createAdminService(deps: AdminDeps) {
  const { db, clock, orders, accounts, schedule, catalog } = deps;

  return {
    /** An admin's schedule change, recorded in the game's history (source `admin`). */
    async changeGame(
      admin: Viewer,
      gameId: string,
      body: AdminGameBody,
      requestId: string | null,
    ): Promise<AdminGameResult> {
      const result = await orders.admin.changeGameStatus(admin, gameId, body, requestId);
      await schedule.recordAdminChange(admin, result);
      return result;
    },

    /** Accounts by id, e-mail (or its start) or display name (or its start), newest first. */
    async searchUsers(query: AdminSearchQuery) {
      const before = query.cursor ? decodeCursor(query.cursor, SearchCursor) : undefined;
      const rows = await repo.searchUsers(db, query.q, { before, limit: query.limit + 1 });
      return pageOf(rows, query.limit, toAdminUser);
    },

    /** Listings by their id, their game's id, or their seller's e-mail or name, newest first. */
    async searchListings(query: AdminSearchQuery): Promise<{
      items: AdminListing[];
      nextCursor: string | null;
    }> {
      const before = query.cursor ? decodeCursor(query.cursor, SearchCursor) : undefined;
      const sellers = await repo.searchUsers(db, query.q, { limit: MAX_SELLERS_SEARCHED });
      const rows = await repo.searchListings(
        db,
        query.q,
        sellers.map((u) => u.id),
        { before, limit: query.limit + 1 },
      );
      const games = await findGameSummaries(
        db,
        rows.map((r) => r.game_id),
        clock.now(),
      );
      const found = pageOf(rows, query.limit, (r) => r);
      return {
        nextCursor: found.nextCursor,
        items: found.items.flatMap((r) => {
          const game = games.get(r.game_id);
          return game
            ? [
                {
                  id: r.id,
                  status: r.status,
                  section: r.section,
                  rowLabel: r.row_label,
                  quantity: r.quantity,
                  remaining: r.remaining,
                  price: r.price,
                  createdAt: r.created_at,
                  game,
                  seller: { id: r.seller_id, name: r.seller_name, email: r.seller_email },
                },
              ]
            : [];
        }),
      };
    },

    listGames(query: AdminGamesQuery) {
      return catalog.listGamesForAdmin(query);
    },

    listOrders(admin: Viewer, query: AdminOrdersQuery) {
      return orders.admin.listOrders(admin, query);
    },

    resolve(
      admin: Viewer,
      orderId: string,
      outcome: 'refund' | 'release',
      requestId: string | null,
      reason: string,
    ) {
      return orders.admin.resolveDispute(admin, orderId, outcome, requestId, reason);
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
      await orders.admin.markPayoutPaid(payoutId, requestId);
      const row = (await repo.listPayouts(db, { limit: 1, ids: [payoutId] }))[0];
      if (!row) throw notFound('Payout');
      return toAdminPayout(row);
    },

    takeDownListing(admin: Viewer, listingId: string, requestId: string | null) {
      return orders.admin.takeDownListing(admin, listingId, requestId);
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
        ? await orders.admin.takeDownListingsOf(admin, userId, requestId)
        : 0;
      return { id: userId, status: suspended ? 'suspended' : 'active', listingsCancelled };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
