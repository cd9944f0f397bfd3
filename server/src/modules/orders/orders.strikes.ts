// Sellers who keep their word (issue 18 item 7): cancelling a paid sale (the seller's refund of a
// paid order, `seller cancelled` on its timeline) is a strike; 2 strikes within 30 days pause new
// listings for 14 days from the second (403 SELLING_PAUSED with the date); an admin's lift makes
// earlier strikes count no more.
import type { Executor } from '../../platform/db/dialect.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';

const DAY_MS = 24 * 3600_000;
export const STRIKE_WINDOW_DAYS = 30;
export const STRIKES_TO_PAUSE = 2;
export const PAUSE_DAYS = 14;
/** The timeline reason of a seller's refund of a paid order (orders.handover.ts). */
export const SELLER_CANCELLED = 'seller cancelled';

/** The seller's strikes (instants, oldest first) since `since`. */
export async function findStrikes(ex: Executor, sellerId: string, sinceIso: string) {
  const rows = await ex
    .selectFrom('order_status_history as h')
    .innerJoin('orders as o', 'o.id', 'h.order_id')
    .select('h.created_at')
    .where('o.seller_id', '=', sellerId)
    .where('h.from_status', '=', 'paid')
    .where('h.to_status', '=', 'refunded')
    .where('h.reason', '=', SELLER_CANCELLED)
    .where('h.created_at', '>', sinceIso)
    .orderBy('h.created_at')
    .execute();
  return rows.map((r) => r.created_at);
}

/** Until when the seller may not list (ISO), or null. */
export async function sellingPausedUntil(ex: Executor, sellerId: string, now: Date) {
  const lookBack = new Date(now.getTime() - (STRIKE_WINDOW_DAYS + PAUSE_DAYS) * DAY_MS);
  const lift = await ex
    .selectFrom('selling_pause_lifts')
    .select('created_at')
    .where('user_id', '=', sellerId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const since =
    lift && lift.created_at > lookBack.toISOString() ? lift.created_at : lookBack.toISOString();
  const strikes = await findStrikes(ex, sellerId, since);
  let until: number | null = null;
  for (let i = STRIKES_TO_PAUSE - 1; i < strikes.length; i++) {
    const first = Date.parse(strikes[i - (STRIKES_TO_PAUSE - 1)]!);
    const last = Date.parse(strikes[i]!);
    if (last - first <= STRIKE_WINDOW_DAYS * DAY_MS) until = last + PAUSE_DAYS * DAY_MS;
  }
  return until !== null && until > now.getTime() ? new Date(until).toISOString() : null;
}

/** 403 SELLING_PAUSED with the date when the seller may list again. */
export async function assertMayList(ex: Executor, sellerId: string, now: Date) {
  const until = await sellingPausedUntil(ex, sellerId, now);
  if (until)
    throw new AppError(
      'SELLING_PAUSED',
      `New listings are paused until ${until}: two paid sales were cancelled within ${STRIKE_WINDOW_DAYS} days`,
      { until },
    );
}

/** An admin lifts the pause: strikes before now no longer count. */
export async function liftSellingPause(
  ex: Executor,
  userId: string,
  adminId: string,
  nowIso: string,
) {
  await ex
    .insertInto('selling_pause_lifts')
    .values({ id: newId(), user_id: userId, admin_id: adminId, created_at: nowIso })
    .execute();
}
