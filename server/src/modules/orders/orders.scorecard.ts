// Sellers who keep their word (issue 18 item 7) and the admins' view of hand-over health (item 8).
// A seller's scorecard is two indexed queries (the seller's orders paid in the window through
// orders_seller_idx, and their timeline steps that count against them through
// order_history_order_idx) and is cached for a few minutes: the listing page is hot.
import type { HandoverHealth } from '../../../../shared/contracts/admin.ts';
import type { SellerScorecard } from '../../../../shared/contracts/orders.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Executor } from '../../platform/db/dialect.ts';
import { median } from '../../shared/money.ts';
import { SELLER_CANCELLED } from './orders.strikes.ts';

const DAY_MS = 24 * 3600_000;
export const SCORECARD_WINDOW_DAYS = 90;
/** A scorecard may be this old (the listing page reads it on every view). */
export const SCORECARD_TTL_SECONDS = 300;
/** The timeline reason of an admin's refund of a disputed order (orders.admin.ts). */
export const DISPUTE_REFUNDED = 'dispute settled: refund to buyer';
export const DISPUTE_RELEASED = 'dispute settled: released to seller';

interface PaidOrderTimes {
  status: string;
  paid_at: string | null;
  deliver_by: string | null;
  delivered_at: string | null;
  updated_at: string;
}

/**
 * Hand-overs that were due: sent (on time when by the deadline), or not sent when the deadline
 * passed. An order refunded before its deadline (a cancelled sale, a postponed game) was never
 * due: a seller's cancellation counts on its own line.
 */
export function handoverTimes(rows: PaidOrderTimes[], nowIso: string) {
  let due = 0;
  let onTime = 0;
  const minutesToSend: number[] = [];
  for (const r of rows) {
    if (r.delivered_at) {
      due++;
      if (!r.deliver_by || r.delivered_at <= r.deliver_by) onTime++;
      if (r.paid_at)
        minutesToSend.push(
          Math.max(0, Math.round((Date.parse(r.delivered_at) - Date.parse(r.paid_at)) / 60_000)),
        );
    } else if (r.deliver_by && r.deliver_by < nowIso) {
      const endedEarly =
        (r.status === 'refunded' || r.status === 'completed') && r.updated_at < r.deliver_by;
      if (!endedEarly) due++;
    }
  }
  return { due, onTime, medianMinutes: median(minutesToSend) };
}

/** The seller's scorecard now (uncached). */
export async function computeScorecard(
  db: Executor,
  sellerId: string,
  now: Date,
): Promise<SellerScorecard> {
  const since = new Date(now.getTime() - SCORECARD_WINDOW_DAYS * DAY_MS).toISOString();
  const [orders, against] = await Promise.all([
    db
      .selectFrom('orders')
      .select(['status', 'paid_at', 'deliver_by', 'delivered_at', 'updated_at'])
      .where('seller_id', '=', sellerId)
      .where('status', 'in', ['paid', 'delivered', 'disputed', 'completed', 'refunded'])
      .where('paid_at', '>=', since)
      .execute(),
    db
      .selectFrom('order_status_history as h')
      .innerJoin('orders as o', 'o.id', 'h.order_id')
      .select(['h.reason', 'h.from_status'])
      .where('o.seller_id', '=', sellerId)
      .where('o.status', '=', 'refunded')
      .where('h.to_status', '=', 'refunded')
      .where('h.reason', 'in', [SELLER_CANCELLED, DISPUTE_REFUNDED])
      .where('h.created_at', '>=', since)
      .execute(),
  ]);
  const times = handoverTimes(orders, now.toISOString());
  return {
    windowDays: SCORECARD_WINDOW_DAYS,
    handoversDue: times.due,
    handoversOnTime: times.onTime,
    cancelledAfterPayment: against.filter(
      (h) => h.reason === SELLER_CANCELLED && h.from_status === 'paid',
    ).length,
    disputesLost: against.filter((h) => h.reason === DISPUTE_REFUNDED).length,
    medianMinutesToSend: times.medianMinutes,
  };
}

export function createScorecards(deps: { db: Executor; cached: CachedReader; now: () => Date }) {
  const { db, cached, now } = deps;
  return {
    /** The public scorecard of a seller, at most SCORECARD_TTL_SECONDS old. */
    get(sellerId: string): Promise<SellerScorecard> {
      return cached.read(`scorecard:${sellerId}`, 'v1', SCORECARD_TTL_SECONDS, () =>
        computeScorecard(db, sellerId, now()),
      );
    },
  };
}

export type Scorecards = ReturnType<typeof createScorecards>;

/** Open disputes by how long they have been open. */
export const DISPUTE_AGE_BUCKETS = [
  { bucket: 'under_1d', maxDays: 1 },
  { bucket: '1_to_3d', maxDays: 3 },
  { bucket: '3_to_7d', maxDays: 7 },
  { bucket: 'over_7d', maxDays: Infinity },
] as const;

/**
 * Hand-over health over the last `days` days (orders paid since then, orders_paid_at_idx): the
 * share of due hand-overs sent by the deadline, the median minutes from payment to "sent", and
 * the disputes open now by age (since the buyer opened them).
 */
export async function computeHandoverHealth(
  db: Executor,
  now: Date,
  days: number,
): Promise<HandoverHealth> {
  const since = new Date(now.getTime() - days * DAY_MS).toISOString();
  const [orders, open] = await Promise.all([
    db
      .selectFrom('orders')
      .select(['status', 'paid_at', 'deliver_by', 'delivered_at', 'updated_at'])
      // Only paid orders have paid_at: the range alone reads orders_paid_at_idx.
      .where('paid_at', '>=', since)
      .execute(),
    db
      .selectFrom('orders as o')
      .innerJoin('order_status_history as h', 'h.order_id', 'o.id')
      .select(['o.id', (eb) => eb.fn.max('h.created_at').as('opened_at')])
      .where('o.status', '=', 'disputed')
      .where('h.to_status', '=', 'disputed')
      .groupBy('o.id')
      .execute(),
  ]);
  const times = handoverTimes(orders, now.toISOString());
  const counts = DISPUTE_AGE_BUCKETS.map(() => 0);
  for (const d of open) {
    const ageDays = (now.getTime() - Date.parse(String(d.opened_at))) / DAY_MS;
    const i = DISPUTE_AGE_BUCKETS.findIndex((b) => ageDays < b.maxDays);
    counts[i === -1 ? counts.length - 1 : i]!++;
  }
  return {
    windowDays: days,
    handoversDue: times.due,
    handoversOnTime: times.onTime,
    onTimeShare: times.due === 0 ? null : times.onTime / times.due,
    medianMinutesToSend: times.medianMinutes,
    openDisputes: DISPUTE_AGE_BUCKETS.map((b, i) => ({ bucket: b.bucket, count: counts[i]! })),
  };
}
