// Admin API (role admin): schedule changes, disputes, payouts, takedowns, suspensions.
import { z } from 'zod';
import { CursorQuery, IsoTimestamp, LocalDate, page, Twd } from './common.ts';
import { GameStatus, GameSummary } from './catalog.ts';
import { DisputePhoto, DisputeReason, Order, OrderStatus, OrderSummary } from './orders.ts';
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
  /** Why (required): on the order's timeline, and sent to both parties (bell and e-mail). */
  reason: z.string().trim().min(1, 'write the note both parties receive').max(1000),
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

/** One party's record, for judging a dispute. */
export const PartyRecord = z.object({
  id: z.string(),
  name: z.string(),
  memberSince: IsoTimestamp,
  /** Orders paid as the buyer, and disputes the user opened. */
  ordersBought: z.number().int(),
  disputesOpened: z.number().int(),
  /** Sales paid as the seller, disputes against them, disputes settled against them. */
  ordersSold: z.number().int(),
  disputesAgainst: z.number().int(),
  disputesLost: z.number().int(),
  /** Paid sales the user cancelled (strikes, all time), and a selling pause now. */
  strikes: z.number().int(),
  sellingPausedUntil: IsoTimestamp.nullable(),
});
export type PartyRecord = z.infer<typeof PartyRecord>;

/** GET /api/admin/disputes/:id: everything an admin needs to settle one dispute. */
export const AdminDispute = z.object({
  order: Order.describe('with its timeline (who did what, when, in their own words)'),
  reasonCode: DisputeReason.nullable(),
  reason: z.string().nullable(),
  openedAt: IsoTimestamp.nullable(),
  photos: z.array(DisputePhoto),
  buyer: PartyRecord,
  seller: PartyRecord,
});
export type AdminDispute = z.infer<typeof AdminDispute>;

export const HandoverHealthQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30),
});

export const DISPUTE_AGE_BUCKETS = ['under_1d', '1_to_3d', '3_to_7d', 'over_7d'] as const;

/** GET /api/admin/handover-health: how hand-overs go, over orders paid in the last `days`. */
export const HandoverHealth = z.object({
  windowDays: z.number().int(),
  handoversDue: z.number().int().describe('sent, or not sent when the deadline passed'),
  handoversOnTime: z.number().int(),
  onTimeShare: z.number().min(0).max(1).nullable().describe('null when nothing was due'),
  medianMinutesToSend: z.number().int().nullable(),
  openDisputes: z.array(z.object({ bucket: z.enum(DISPUTE_AGE_BUCKETS), count: z.number().int() })),
});
export type HandoverHealth = z.infer<typeof HandoverHealth>;
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
