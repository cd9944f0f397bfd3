// Orders as the API shows them: one order for its parties (and admins), a party's pages of
// orders, and the admins' list. Reading never writes, except that an unpaid hold found past its
// time is expired first (the guard in every path).
import { z } from 'zod';
import type { AdminOrder, AdminOrdersQuery } from '../../../../shared/contracts/admin.ts';
import type {
  MyOrdersQuery,
  Order,
  OrderPage,
  OrderSummary,
} from '../../../../shared/contracts/orders.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { loadListingDtos } from '../listings/index.ts';
import type { PaymentsService } from '../payments/index.ts';
import { assertParty, type Viewer } from './orders.access.ts';
import { findEvidence } from './orders.disputes.ts';
import { toOrder, toOrderSummary } from './orders.mapper.ts';
import type { Recipients } from './orders.recipients.ts';
import { findProof, type Proofs } from './orders.proofs.ts';
import * as repo from './orders.repository.ts';

const OrderCursor = z.object({ createdAt: z.string().max(40), id: z.string().max(64) });

export interface OrderViewsDeps {
  db: Db;
  clock: Clock;
  storage: Pick<Storage, 'url'>;
  payments: Pick<PaymentsService, 'summaryOf'>;
  recipients: Pick<Recipients, 'forViewer' | 'has'>;
  proofs: Pick<Proofs, 'toDto' | 'codeForViewer'>;
  /** Expires an unpaid hold whose time ran out (the sweeps' move). */
  expireHold: (orderId: string) => Promise<boolean>;
}

export function createOrderViews(deps: OrderViewsDeps) {
  const { db, clock, storage } = deps;

  /** The order as `viewer` may see it (404 for anyone but its buyer, its seller and admins). */
  async function load(orderId: string, viewer: Viewer): Promise<Order> {
    const row = await repo.findOrderWithParties(db, orderId);
    if (!row) throw notFound('Order');
    assertParty(viewer, row, { admin: true });
    const now = clock.now();
    const [listings, history, money, payout, recipient, recipientGiven, proof, disputePhotos] =
      await Promise.all([
        loadListingDtos(db, storage, [row.listing_id], now),
        repo.findHistory(db, row.id),
        deps.payments.summaryOf(row.id),
        repo.findPayoutOfOrder(db, row.id),
        deps.recipients.forViewer(db, row, viewer.id),
        deps.recipients.has(db, row.id),
        findProof(db, row.id),
        findEvidence(db, row.id),
      ]);
    const listing = listings[0];
    if (!listing) throw new AppError('INTERNAL', 'Order without its listing');
    return toOrder(
      row,
      listing,
      { viewer, now },
      {
        history,
        ...money,
        payout,
        showPayout: viewer.role === 'admin' || viewer.id === row.seller_id,
        recipient,
        recipientGiven,
        proof: deps.proofs.toDto(row.id, proof),
        handoverCode: deps.proofs.codeForViewer(row, listing.deliveryMethod, viewer.id),
        disputePhotos,
      },
    );
  }

  /** Summaries of a page of order rows as `viewer` sees them: one batched listing load. */
  async function summarize(rows: repo.OrderWithParties[], viewer: Viewer): Promise<OrderSummary[]> {
    const ids = [...new Set(rows.map((r) => r.listing_id))];
    const now = clock.now();
    const listings = await loadListingDtos(db, storage, ids, now);
    const byId = new Map(listings.map((l) => [l.id, l]));
    return rows.flatMap((r) => {
      const listing = byId.get(r.listing_id);
      return listing ? [toOrderSummary(r, listing, { viewer, now })] : [];
    });
  }

  /** A keyset page of order rows, newest first, and the cursor of the next page. */
  async function page(filter: Omit<repo.OrderListFilter, 'before' | 'limit'>, query: PageQuery) {
    const before = query.cursor ? decodeCursor(query.cursor, OrderCursor) : undefined;
    const rows = await repo.listOrders(db, { ...filter, before, limit: query.limit + 1 });
    const pageRows = rows.slice(0, query.limit);
    const last = pageRows[pageRows.length - 1];
    const nextCursor =
      rows.length > query.limit && last
        ? encodeCursor({ createdAt: last.created_at, id: last.id })
        : null;
    return { rows: pageRows, nextCursor };
  }

  return {
    load,

    /** One order for its buyer, its seller or an admin; an unpaid hold past its time expires here. */
    async get(viewer: Viewer, orderId: string): Promise<Order> {
      const row = await repo.findOrderById(db, orderId);
      if (!row) throw notFound('Order');
      assertParty(viewer, row, { admin: true });
      if (row.status === 'pending_payment' && row.expires_at <= clock.now().toISOString()) {
        await deps.expireHold(row.id);
      }
      return load(orderId, viewer);
    },

    async listMine(viewer: Viewer, query: MyOrdersQuery): Promise<OrderPage> {
      const { rows, nextCursor } = await page(
        {
          ...(query.role === 'seller' ? { sellerId: viewer.id } : { buyerId: viewer.id }),
          status: query.status,
        },
        query,
      );
      return { items: await summarize(rows, viewer), nextCursor };
    },

    /** Admin: every order, with the dispute reason and delivery note. */
    async listForAdmin(admin: Viewer, query: AdminOrdersQuery) {
      const { rows, nextCursor } = await page({ status: query.status }, query);
      const byId = new Map(rows.map((r) => [r.id, r]));
      const items: AdminOrder[] = (await summarize(rows, admin)).map((s) => ({
        ...s,
        disputeReason: byId.get(s.id)?.dispute_reason ?? null,
        deliveryNote: byId.get(s.id)?.delivery_note ?? null,
      }));
      return { items, nextCursor };
    },
  };
}

interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

export type OrderViews = ReturnType<typeof createOrderViews>;
