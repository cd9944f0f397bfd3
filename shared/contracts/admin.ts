// Admin API (role admin): schedule changes, disputes, payouts, takedowns, suspensions.
import { z } from 'zod';
import { CursorQuery, IsoTimestamp, LocalDate, page, Twd } from './common.ts';
import { GameStatus, GameSummary } from './catalog.ts';
import { OrderStatus, OrderSummary } from './orders.ts';
import { LISTING_STATUSES, PAYOUT_STATUSES } from './vocabulary.ts';

export const AdminGameBody = z.object({
  status: GameStatus,
  /** The (make-up) first pitch, ISO-8601 UTC. */
  startsAt: z.iso.datetime({ offset: true }).optional(),
});
export type AdminGameBody = z.infer<typeof AdminGameBody>;

export const AdminGameResult = z.object({
  game: z.object({
    id: z.string(),
    status: GameStatus,
    startsAt: IsoTimestamp,
    localDate: LocalDate,
    makeupStartsAt: IsoTimestamp.nullable(),
  }),
  listingsCancelled: z.number().int(),
  ordersCancelled: z.number().int(),
  ordersRefunded: z.number().int(),
  holdersNotified: z.number().int(),
});
export type AdminGameResult = z.infer<typeof AdminGameResult>;

export const AdminOrdersQuery = CursorQuery.extend({ status: OrderStatus.optional() });
export type AdminOrdersQuery = z.infer<typeof AdminOrdersQuery>;

export const AdminOrder = OrderSummary.extend({
  disputeReason: z.string().nullable(),
  deliveryNote: z.string().nullable(),
});
export type AdminOrder = z.infer<typeof AdminOrder>;

export const AdminOrderPage = z.object({
  items: z.array(AdminOrder),
  nextCursor: z.string().nullable(),
});

export const ResolveBody = z.object({
  outcome: z.enum(['refund', 'release']),
  /** Why (recorded on the order's timeline, seen by both parties). */
  reason: z.string().trim().max(500).optional(),
});
export type ResolveBody = z.infer<typeof ResolveBody>;

export const AdminPayout = z.object({
  id: z.string(),
  orderId: z.string(),
  seller: z.object({
    id: z.string(),
    name: z.string(),
    payoutAccount: z.object({ bankCode: z.string(), accountMasked: z.string() }).nullable(),
  }),
  grossAmount: Twd,
  fee: Twd,
  amount: Twd,
  status: z.enum(PAYOUT_STATUSES),
  paidAt: IsoTimestamp.nullable(),
  createdAt: IsoTimestamp,
});
export type AdminPayout = z.infer<typeof AdminPayout>;

export const AdminPayoutsQuery = CursorQuery.extend({
  status: z.enum(PAYOUT_STATUSES).optional(),
});
export type AdminPayoutsQuery = z.infer<typeof AdminPayoutsQuery>;

export const AdminPayoutPage = z.object({
  items: z.array(AdminPayout),
  nextCursor: z.string().nullable(),
});

/** Optional: a POST without a body suspends; `{suspended: false}` reinstates. */
export const SuspendBody = z.object({ suspended: z.boolean().default(true) }).nullish();
export type SuspendBody = z.infer<typeof SuspendBody>;

export const SuspendResult = z.object({
  id: z.string(),
  status: z.enum(['active', 'suspended']),
  listingsCancelled: z.number().int(),
});
export type SuspendResult = z.infer<typeof SuspendResult>;

// Search for the operators' pickers (issue 21 item 10): users, listings and games by what an
// admin knows of them, newest (users, listings) or soonest (games) first, a page at a time.

/** What the admin typed: an id, an e-mail (or its start), a display name (or its start). */
export const AdminSearchQuery = CursorQuery.extend({ q: z.string().trim().min(1).max(100) });
export type AdminSearchQuery = z.infer<typeof AdminSearchQuery>;

export const AdminUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['user', 'admin']),
  status: z.enum(['active', 'suspended', 'deleted']),
  completedSales: z.number().int(),
  createdAt: IsoTimestamp,
});
export type AdminUser = z.infer<typeof AdminUser>;
export const AdminUserPage = page(AdminUser);

export const AdminListing = z.object({
  id: z.string(),
  status: z.enum(LISTING_STATUSES),
  section: z.string(),
  rowLabel: z.string().nullable(),
  quantity: z.number().int(),
  remaining: z.number().int(),
  price: Twd,
  createdAt: IsoTimestamp,
  game: GameSummary,
  seller: z.object({ id: z.string(), name: z.string(), email: z.string() }),
});
export type AdminListing = z.infer<typeof AdminListing>;
export const AdminListingPage = page(AdminListing);

/** Games by words (teams in both languages, short names, stadiums, dates) and status. */
export const AdminGamesQuery = CursorQuery.extend({
  q: z.string().trim().max(100).optional(),
  status: GameStatus.optional(),
  /** The first local date to list (default: every game, oldest first). */
  from: LocalDate.optional(),
});
export type AdminGamesQuery = z.infer<typeof AdminGamesQuery>;
export const AdminGamePage = page(GameSummary);
