// Orders, their history and payouts.
import {
  affectedRows,
  isUniqueViolation,
  toNumber,
  type Executor,
  type Trx,
} from '../../platform/db/dialect.ts';
import type {
  GameStatus,
  OrderStatus,
  OrderStatusHistoryTable,
  OrdersTable,
  PayoutsTable,
} from '../../platform/db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { TICKET_HOLDING_STATUSES } from './order-state.ts';

export type OrderRow = OrdersTable;
export type HistoryRow = OrderStatusHistoryTable;
export type PayoutRow = PayoutsTable;

/** What a new order must be given; everything else starts at its default. */
export type NewOrderFields = Pick<
  OrderRow,
  'listing_id' | 'buyer_id' | 'seller_id' | 'game_id' | 'quantity' | 'unit_price' | 'expires_at'
> &
  Partial<OrderRow>;

/**
 * A new order's row (not inserted): unpaid, its amount the unit price times the quantity, nothing
 * handed over yet. Checkout, demo data and test factories start here.
 */
export function newOrderRow(fields: NewOrderFields, nowIso: string): OrderRow {
  return {
    id: newId(),
    amount: fields.unit_price * fields.quantity,
    status: 'pending_payment',
    idempotency_key: null,
    paid_at: null,
    deliver_by: null,
    delivered_at: null,
    delivery_note: null,
    completed_at: null,
    dispute_reason: null,
    dispute_code: null,
    hold_ip: null,
    created_at: nowIso,
    updated_at: nowIso,
    ...fields,
  };
}

// ---- purchase limits

/** Tickets of a game the buyer holds or is paying for (live holds only). */
export async function countTicketsOfGame(
  db: Executor,
  buyerId: string,
  gameId: string,
  nowIso: string,
): Promise<number> {
  const settled = TICKET_HOLDING_STATUSES.filter((s) => s !== 'pending_payment');
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.sum<number | string | null>('quantity').as('n'))
    .where('buyer_id', '=', buyerId)
    .where('game_id', '=', gameId)
    .where((eb) =>
      eb.or([
        eb('status', 'in', settled),
        eb.and([eb('status', '=', 'pending_payment'), eb('expires_at', '>', nowIso)]),
      ]),
    )
    .executeTakeFirst();
  return toNumber(row?.n);
}

export async function countUnpaidOrders(db: Executor, buyerId: string, nowIso: string) {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('buyer_id', '=', buyerId)
    .where('status', '=', 'pending_payment')
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return toNumber(row?.n);
}

/** Live checkout holds placed from one address (any account). */
export async function countLiveHoldsFromIp(db: Executor, ip: string, nowIso: string) {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('hold_ip', '=', ip)
    .where('status', '=', 'pending_payment')
    .where('expires_at', '>', nowIso)
    .executeTakeFirst();
  return toNumber(row?.n);
}

/**
 * Makes sure `ip` has its hold_addresses row (outside the checkout transaction: two first holds
 * from one address must not deadlock over inserting it). A row that exists is left alone.
 */
export async function ensureHoldAddress(db: Executor, ip: string, nowIso: string) {
  const existing = await db
    .selectFrom('hold_addresses')
    .select('ip')
    .where('ip', '=', ip)
    .executeTakeFirst();
  if (existing) return;
  try {
    await db.insertInto('hold_addresses').values({ ip, created_at: nowIso }).execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}

/**
 * Checkout's lock on an address's hold budget: holds from one address, whatever the accounts,
 * count their live holds one at a time. A parameter so the race test's control can swap it out.
 */
export type AddressLock = (trx: Executor, ip: string) => Promise<void>;

export const lockHoldAddress: AddressLock = async (trx, ip) => {
  await trx.selectFrom('hold_addresses').select('ip').where('ip', '=', ip).forUpdate().execute();
};

/** When this buyer last cancelled a hold of this listing after `sinceIso`, if they did. */
export async function findRecentCancelledHold(
  db: Executor,
  buyerId: string,
  listingId: string,
  sinceIso: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('orders')
    .select('updated_at')
    .where('buyer_id', '=', buyerId)
    .where('listing_id', '=', listingId)
    .where('status', '=', 'cancelled')
    .where('updated_at', '>', sinceIso)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.updated_at ?? null;
}

// ---- orders

export async function insertOrder(db: Executor, row: OrderRow) {
  await db.insertInto('orders').values(row).execute();
}

export function findOrderById(db: Executor, id: string) {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockOrder(trx: Trx, id: string) {
  return trx.selectFrom('orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findOrderByIdempotencyKey(db: Executor, buyerId: string, key: string) {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('buyer_id', '=', buyerId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** What checkout may read of a listing without its row lock (see `takenAt`). */
export interface ListingPeek {
  sellerId: string;
  status: string;
  /** When the last of its unpaid holds runs out (null: none). */
  heldUntil: string | null;
}

/**
 * A listing's seller, status and unpaid holds, from a plain read outside any transaction (one
 * round trip: in a flash crowd this read answers hundreds of refusals a second).
 */
export async function peekListing(db: Executor, listingId: string): Promise<ListingPeek | null> {
  const listing = await db
    .selectFrom('listings')
    .select((eb) => [
      'listings.seller_id',
      'listings.status',
      eb
        .selectFrom('orders')
        .select((o) => o.fn.max('orders.expires_at').as('until'))
        .whereRef('orders.listing_id', '=', 'listings.id')
        .where('orders.status', '=', 'pending_payment')
        .as('held_until'),
    ])
    .where('listings.id', '=', listingId)
    .executeTakeFirst();
  if (!listing) return null;
  return {
    sellerId: listing.seller_id,
    status: listing.status,
    heldUntil: listing.held_until ?? null,
  };
}

/**
 * What checkout may refuse without the listing's row lock: a listing that is sold, or held by a
 * hold still running at `nowIso`. null: the locked path decides.
 */
export function takenAt(peek: ListingPeek | null, nowIso: string): 'sold' | 'held' | null {
  if (!peek) return null;
  if (peek.status === 'sold') return 'sold';
  if (peek.status === 'held' && peek.heldUntil !== null && peek.heldUntil > nowIso) return 'held';
  return null;
}

/** A listing's unpaid holds (one listing bought in part may have several), oldest first. */
export function findPendingOrdersOfListing(db: Executor, listingId: string) {
  return db
    .selectFrom('orders')
    .select('id')
    .where('listing_id', '=', listingId)
    .where('status', '=', 'pending_payment')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A listing's unpaid holds that have run out (not swept yet), oldest first. */
export function findExpiredPendingOrdersOfListing(db: Executor, listingId: string, nowIso: string) {
  return db
    .selectFrom('orders')
    .select('id')
    .where('listing_id', '=', listingId)
    .where('status', '=', 'pending_payment')
    .where('expires_at', '<=', nowIso)
    .orderBy('expires_at')
    .execute();
}

/**
 * Writes the new status only if the order still has the status we read: a belt to the row
 * lock's braces. Returns whether it changed.
 */
export async function updateOrderStatus(
  trx: Trx,
  id: string,
  from: OrderStatus,
  patch: Partial<OrderRow> & { status: OrderStatus; updated_at: string },
): Promise<boolean> {
  const result = await trx
    .updateTable('orders')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return affectedRows(result) === 1;
}

export async function insertHistory(db: Executor, row: HistoryRow) {
  await db.insertInto('order_status_history').values(row).execute();
}

export function findHistory(db: Executor, orderId: string) {
  return db
    .selectFrom('order_status_history')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Order rows with the two parties' names and the review, if any (one query for a page). */
function orderWithParties(db: Executor) {
  return db
    .selectFrom('orders')
    .innerJoin('users as buyer', 'buyer.id', 'orders.buyer_id')
    .innerJoin('users as seller', 'seller.id', 'orders.seller_id')
    .innerJoin('games', 'games.id', 'orders.game_id')
    .leftJoin('reviews', 'reviews.order_id', 'orders.id')
    .selectAll('orders')
    .select([
      'buyer.name as buyer_name',
      'seller.name as seller_name',
      'reviews.id as review_id',
      'games.status as game_status',
      'games.starts_at as game_starts_at',
      'games.makeup_starts_at as game_makeup_starts_at',
    ]);
}

/** An order with its parties' names, its review and the timing of its game (for `actions`). */
export type OrderWithParties = OrderRow & {
  buyer_name: string;
  seller_name: string;
  review_id: string | null;
  game_status: GameStatus;
  game_starts_at: string;
  game_makeup_starts_at: string | null;
};

export function findOrderWithParties(db: Executor, id: string) {
  return orderWithParties(db).where('orders.id', '=', id).executeTakeFirst();
}

export interface OrderListFilter {
  buyerId?: string;
  sellerId?: string;
  status?: OrderStatus;
  before?: { createdAt: string; id: string };
  limit: number;
}

/** Newest first; keyset pagination on (created_at, id). */
export function listOrders(db: Executor, f: OrderListFilter) {
  let q = orderWithParties(db);
  if (f.buyerId) q = q.where('orders.buyer_id', '=', f.buyerId);
  if (f.sellerId) q = q.where('orders.seller_id', '=', f.sellerId);
  if (f.status) q = q.where('orders.status', '=', f.status);
  const before = f.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('orders.created_at', '<', before.createdAt),
        eb.and([eb('orders.created_at', '=', before.createdAt), eb('orders.id', '<', before.id)]),
      ]),
    );
  }
  return q
    .orderBy('orders.created_at', 'desc')
    .orderBy('orders.id', 'desc')
    .limit(f.limit)
    .execute();
}

// ---- sweeps (jobs)

/** Limits a sweep to one game (operators, and tests on a shared database). */
export interface SweepScope {
  gameId?: string;
}

type SweepArgs = [db: Executor, nowIso: string, limit: number, scope?: SweepScope];

/** What a sweep looks for: orders in `status` whose `deadline` has `passed` now. */
interface Deadline {
  status: OrderStatus;
  deadline: 'expires_at' | 'deliver_by';
  passed: '<=' | '<';
}

/** A hold expires at its `expires_at` instant; a delivery is missed only after `deliver_by`. */
const EXPIRED_HOLD: Deadline = { status: 'pending_payment', deadline: 'expires_at', passed: '<=' };
const MISSED_DELIVERY: Deadline = { status: 'paid', deadline: 'deliver_by', passed: '<' };

/** Orders whose deadline has passed at `nowIso`, earliest deadline first. */
function findPastDeadline(
  due: Deadline,
  db: Executor,
  nowIso: string,
  limit: number,
  scope: SweepScope = {},
) {
  let q = db
    .selectFrom('orders')
    .select('id')
    .where('status', '=', due.status)
    .where(due.deadline, due.passed, nowIso);
  if (scope.gameId) q = q.where('game_id', '=', scope.gameId);
  return q.orderBy(due.deadline).limit(limit).execute();
}

export function findExpiredHolds(...args: SweepArgs) {
  return findPastDeadline(EXPIRED_HOLD, ...args);
}

export function findMissedDeliveries(...args: SweepArgs) {
  return findPastDeadline(MISSED_DELIVERY, ...args);
}

/** Delivered orders whose game started before `startedBeforeIso`. */
export function findAutoCompletable(
  db: Executor,
  startedBeforeIso: string,
  limit: number,
  scope: SweepScope = {},
) {
  let q = db
    .selectFrom('orders')
    .innerJoin('games', 'games.id', 'orders.game_id')
    .select('orders.id')
    .where('orders.status', '=', 'delivered')
    .where('games.starts_at', '<=', startedBeforeIso)
    // A suspended game's payouts wait until it is completed (docs/PRODUCT.md §2.4).
    .where('games.status', 'not in', ['postponed', 'cancelled', 'suspended']);
  if (scope.gameId) q = q.where('orders.game_id', '=', scope.gameId);
  return q.limit(limit).execute();
}

// ---- games changed by an admin

/** A paid order's hand-over deadline follows its game (null: paused while no date is known). */
export function setDeliverBy(trx: Trx, orderId: string, deliverBy: string | null) {
  return trx
    .updateTable('orders')
    .set({ deliver_by: deliverBy })
    .where('id', '=', orderId)
    .where('status', '=', 'paid')
    .execute();
}

export function findOrdersOfGame(trx: Trx, gameId: string, statuses: readonly OrderStatus[]) {
  return trx
    .selectFrom('orders')
    .selectAll()
    .where('game_id', '=', gameId)
    .where('status', 'in', statuses)
    .orderBy('id')
    .execute();
}

// ---- payouts

export async function insertPayout(db: Executor, row: PayoutRow) {
  await db.insertInto('payouts').values(row).execute();
}

export function findPayoutOfOrder(db: Executor, orderId: string) {
  return db.selectFrom('payouts').selectAll().where('order_id', '=', orderId).executeTakeFirst();
}

export function lockPayout(trx: Trx, id: string) {
  return trx.selectFrom('payouts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function markPayoutPaid(trx: Trx, id: string, nowIso: string) {
  await trx
    .updateTable('payouts')
    .set({ status: 'paid', paid_at: nowIso })
    .where('id', '=', id)
    .where('status', '=', 'owed')
    .execute();
}

/** Orders by status (the metrics gauge). */
export function countOrdersByStatus(db: Executor) {
  return db
    .selectFrom('orders')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('status')
    .execute();
}
