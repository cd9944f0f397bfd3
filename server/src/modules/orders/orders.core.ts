// What every orders flow shares: dependencies, the transaction runner (with its after-commit
// effects), access checks and the loaders of the API shapes.
import type { Order, OrderSummary } from '../../../../shared/contracts/orders.ts';
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { DialectName } from '../../platform/db/database.ts';
import { isDeadlock, type Db, type Trx } from '../../platform/db/dialect.ts';
import type { ListingsTable as ListingRow } from '../../platform/db/schema.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { forgetUserActivity } from '../accounts/index.ts';
import { invalidateListingCaches, loadListingDtos } from '../listings/index.ts';
import {
  findPaymentsOfOrder,
  findRefundsOfOrder,
  type PaymentsService,
} from '../payments/index.ts';
import {
  createOrderTransitions,
  noEffects,
  type Effects,
  type TxContext,
} from './order-transitions.ts';
import { toOrder, toOrderSummary } from './orders.mapper.ts';
import * as repo from './orders.repository.ts';

export interface OrdersLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * How checkout reads and claims the listing. The real one locks the row and claims it with a
 * conditional update; the race test's control swaps in one without either.
 */
export interface ListingClaimer {
  read(trx: Trx, dialect: DialectName, listingId: string): Promise<ListingRow | undefined>;
  /** `active → held`; false when another checkout was first. */
  claim(trx: Trx, listingId: string, nowIso: string): Promise<boolean>;
}

export const lockingClaimer: ListingClaimer = {
  read: repo.lockListing,
  claim: repo.claimListing,
};

export interface OrdersDeps {
  db: Db;
  dialect: DialectName;
  clock: Clock;
  storage: Pick<Storage, 'url'>;
  cached: CachedReader;
  payments: PaymentsService;
  metrics?: Metrics;
  log?: OrdersLogger;
  config: {
    checkoutHoldSeconds: number;
    autoCompleteHours: number;
    platformFeePercent: number;
    /** Test-only fault injection (FAULT_INJECT); null in every real deployment. */
    faultInject?: 'crash-after-charge' | null;
  };
  /** Tests only (the race control): how checkout claims the listing. */
  claimer?: ListingClaimer;
}

export interface Viewer {
  id: string;
  role: 'user' | 'admin';
}

const silent: OrdersLogger = { info() {}, warn() {}, error() {} };

export function createOrdersCore(deps: OrdersDeps) {
  const { db, clock, storage, cached, payments } = deps;
  const log = deps.log ?? silent;
  const transitions = createOrderTransitions({
    payments,
    platformFeePercent: deps.config.platformFeePercent,
  });

  /**
   * After commit: forget cached listing pages and what was derived from the buyers' purchases, then
   * carry out refunds (the jobs are the backstop).
   */
  async function afterCommit(effects: Effects) {
    const seen = new Set<string>();
    for (const l of effects.listings) {
      const key = `${l.gameId}/${l.listingId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await invalidateListingCaches(cached, l).catch((err: unknown) =>
        log.warn({ err }, 'could not invalidate listing caches'),
      );
    }
    for (const gameId of new Set(effects.games)) {
      await invalidateListingCaches(cached, { gameId }).catch((err: unknown) =>
        log.warn({ err }, 'could not invalidate game caches'),
      );
    }
    if (effects.buyers.length)
      await forgetUserActivity(cached, ...effects.buyers).catch((err: unknown) =>
        log.warn({ err }, 'could not invalidate buyer caches'),
      );
    for (const refundId of effects.refundIds) {
      try {
        await payments.processRefund(refundId);
      } catch (err) {
        log.warn({ err, refundId }, 'refund left to its job');
      }
    }
  }

  /**
   * One business transaction. Deadlock victims (MySQL) run again; after commit the collected
   * effects run. An `AppError` returned as `deferred` is thrown after commit: the transaction's
   * writes (an order that just expired) stay, and the caller still gets the error.
   */
  async function tx<T>(requestId: string | null, fn: (ctx: FlowContext) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const effects = noEffects();
      const deferred: { err: AppError | null } = { err: null };
      try {
        const value = await db.transaction().execute(async (trx) => {
          const ctx: FlowContext = {
            trx,
            now: clock.now(),
            requestId,
            effects,
            defer: (err) => {
              deferred.err = err;
            },
          };
          return fn(ctx);
        });
        await afterCommit(effects);
        if (deferred.err) throw deferred.err;
        return value;
      } catch (err) {
        if (attempt < 4 && isDeadlock(err)) continue;
        throw err;
      }
    }
  }

  function assertParty(viewer: Viewer, order: { buyer_id: string; seller_id: string }) {
    if (viewer.role === 'admin') return;
    if (viewer.id !== order.buyer_id && viewer.id !== order.seller_id) throw notFound('Order');
  }

  /** The order as `viewer` may see it (404 for anyone but its buyer, its seller and admins). */
  async function loadOrder(orderId: string, viewer: Viewer): Promise<Order> {
    const row = await repo.findOrderWithParties(db, orderId);
    if (!row) throw notFound('Order');
    assertParty(viewer, row);
    const now = clock.now();
    const [listings, history, paymentRows, refunds, payout] = await Promise.all([
      loadListingDtos(db, storage, [row.listing_id], now),
      repo.findHistory(db, row.id),
      findPaymentsOfOrder(db, row.id),
      findRefundsOfOrder(db, row.id),
      repo.findPayoutOfOrder(db, row.id),
    ]);
    const listing = listings[0];
    if (!listing) throw new AppError('INTERNAL', 'Order without its listing');
    return toOrder(
      row,
      listing,
      { viewer, now },
      {
        history,
        payments: paymentRows,
        refunds,
        payout,
        showPayout: viewer.role === 'admin' || viewer.id === row.seller_id,
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

  return { deps, log, transitions, tx, afterCommit, assertParty, loadOrder, summarize };
}

export type OrdersCore = ReturnType<typeof createOrdersCore>;

/** The transaction context with `defer` (see `tx`). */
export type FlowContext = TxContext & { defer(err: AppError): void };
