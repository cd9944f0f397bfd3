// Payouts a bank can run: weekly (and on-demand) batches exported as a bank bulk-transfer file,
// the bank's result file imported back, and each seller's view of their payouts.
import { z } from 'zod';
import { CursorQuery, IsoTimestamp, Twd } from './common.ts';
import { GameSummary } from './catalog.ts';
import { OrderStatus } from './orders.ts';
import { PAYOUT_STATUSES } from './vocabulary.ts';

export const PayoutBatch = z.object({
  id: z.string(),
  trigger: z.enum(['schedule', 'admin']),
  sellerCount: z.number().int(),
  payoutCount: z.number().int(),
  totalAmount: Twd,
  createdAt: IsoTimestamp,
  reconciledAt: IsoTimestamp.nullable(),
});
export type PayoutBatch = z.infer<typeof PayoutBatch>;

export const PayoutBatchList = z.object({ items: z.array(PayoutBatch) });
export type PayoutBatchList = z.infer<typeof PayoutBatchList>;

/** The bank's result file (CSV text, docs/PRODUCT.md §2.14). */
export const PayoutResultsBody = z.object({ file: z.string().min(1).max(1_000_000) });
export type PayoutResultsBody = z.infer<typeof PayoutResultsBody>;

export const PayoutResultsSummary = z.object({
  /** Lines whose payouts became paid / failed by this import. */
  paid: z.number().int(),
  failed: z.number().int(),
  /** Lines already in the state the file says (an import run twice changes nothing). */
  unchanged: z.number().int(),
  /** References that are not a line of this batch, and lines that contradict a paid line. */
  rejected: z.array(z.object({ reference: z.string(), reason: z.string() })),
});
export type PayoutResultsSummary = z.infer<typeof PayoutResultsSummary>;

export const MyPayout = z.object({
  id: z.string(),
  orderId: z.string(),
  grossAmount: Twd,
  fee: Twd,
  amount: Twd,
  status: z.enum(PAYOUT_STATUSES),
  /** Why the bank could not pay it (status failed). */
  failureReason: z.string().nullable(),
  paidAt: IsoTimestamp.nullable(),
  createdAt: IsoTimestamp,
});
export type MyPayout = z.infer<typeof MyPayout>;

export const MyPayoutList = z.object({ items: z.array(MyPayout) });
export type MyPayoutList = z.infer<typeof MyPayoutList>;

// A seller's earnings page (issue 21 item 14): what they sold, what the platform still holds,
// what is on its way to their bank, and what has been paid, with the dates.

export const EarningsQuery = CursorQuery;
export type EarningsQuery = z.infer<typeof EarningsQuery>;

export const SellerSale = z.object({
  orderId: z.string(),
  game: GameSummary,
  quantity: z.number().int(),
  /** What the buyer paid (before the platform's fee). */
  amount: Twd,
  status: OrderStatus,
  soldAt: IsoTimestamp,
  completedAt: IsoTimestamp.nullable(),
  /** Created when the sale completes; null while the platform holds the money. */
  payout: z
    .object({
      status: z.enum(PAYOUT_STATUSES),
      fee: Twd,
      amount: Twd,
      createdAt: IsoTimestamp,
      paidAt: IsoTimestamp.nullable(),
    })
    .nullable(),
});
export type SellerSale = z.infer<typeof SellerSale>;

export const SellerEarnings = z.object({
  totals: z.object({
    /** Sales that were paid and not refunded (held, completed or paid out), and their total. */
    soldCount: z.number().int(),
    sold: Twd,
    /** Paid by the buyer, held by the platform until the buyer confirms (or the window ends). */
    inEscrow: Twd,
    /** Payouts owed to the seller (after the fee), in a batch or waiting for one. */
    pendingPayout: Twd,
    /** Payouts the bank has paid. */
    paid: Twd,
  }),
  items: z.array(SellerSale),
  nextCursor: z.string().nullable(),
});
export type SellerEarnings = z.infer<typeof SellerEarnings>;
