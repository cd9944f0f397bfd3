// Database rows → API shapes (snake_case → camelCase in one place).
import type { Order, OrderSummary, TimelineEntry } from '../../../../shared/contracts/orders.ts';
import type { OrderStatus } from '../../platform/db/schema.ts';
import type { ListingDto } from '../listings/index.ts';
import { orderActions } from './orders.actions.ts';
import type { HistoryRow, OrderWithParties, PayoutRow } from './orders.repository.ts';

/** Who reads the order, and when: what they may do with it depends on both. */
export interface OrderView {
  viewer: { id: string; role: 'user' | 'admin' };
  now: Date;
}

export function toOrderSummary(
  row: OrderWithParties,
  listing: ListingDto,
  view: OrderView,
): OrderSummary {
  return {
    id: row.id,
    status: row.status,
    amount: row.amount,
    quantity: row.quantity,
    unitPrice: row.unit_price,
    expiresAt: row.expires_at,
    paidAt: row.paid_at,
    deliverBy: row.deliver_by,
    deliveredAt: row.delivered_at,
    completedAt: row.completed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    listing,
    buyer: { id: row.buyer_id, name: row.buyer_name },
    seller: { id: row.seller_id, name: row.seller_name },
    reviewed: row.review_id !== null,
    actions: orderActions({
      order: { ...row, reviewed: row.review_id !== null },
      game: {
        status: row.game_status,
        starts_at: row.game_starts_at,
        makeup_starts_at: row.game_makeup_starts_at,
      },
      ...view,
    }),
  };
}

const ACTORS = new Set(['buyer', 'seller', 'admin', 'system']);

export function toTimelineEntry(h: HistoryRow): TimelineEntry {
  const kind = h.actor.split(':')[0] ?? 'system';
  return {
    from: (h.from_status as OrderStatus | null) ?? null,
    to: h.to_status as OrderStatus,
    actor: (ACTORS.has(kind) ? kind : 'system') as TimelineEntry['actor'],
    reason: h.reason,
    note: h.note ?? null,
    at: h.created_at,
  };
}

export function toOrder(
  row: OrderWithParties,
  listing: ListingDto,
  view: OrderView,
  parts: {
    history: HistoryRow[];
    /** The latest payment attempt and refund, as the payments module shows them. */
    payment: Order['payment'];
    refund: Order['refund'];
    payout: PayoutRow | undefined;
    showPayout: boolean;
    /** Opened for the seller of a paid order only (orders.recipients.ts decides). */
    recipient: Order['recipient'];
    recipientGiven: boolean;
    /** The evidence of sending (issue 18 item 4) and, to the buyer in person, the code. */
    proof: Order['proof'];
    handoverCode: Order['handoverCode'];
    /** The buyer's evidence (links to the private photo route). */
    disputePhotos: Order['disputePhotos'];
  },
): Order {
  const payout = parts.showPayout ? parts.payout : undefined;
  return {
    ...toOrderSummary(row, listing, view),
    deliveryNote: row.delivery_note,
    disputeReason: row.dispute_reason,
    disputeCode: (row.dispute_code as Order['disputeCode']) ?? null,
    disputePhotos: parts.disputePhotos,
    timeline: parts.history.map(toTimelineEntry),
    payment: parts.payment,
    refund: parts.refund,
    payout: payout
      ? {
          id: payout.id,
          grossAmount: payout.gross_amount,
          fee: payout.fee,
          amount: payout.amount,
          status: payout.status,
          paidAt: payout.paid_at,
        }
      : null,
    recipient: parts.recipient,
    recipientGiven: parts.recipientGiven,
    proof: parts.proof,
    handoverCode: parts.handoverCode,
  };
}
