// The orders module's services, built once from its dependencies: checkout, paying, reading,
// the hand-over between the parties, the sweeps, and operators' actions. Each is a named service;
// they share the state moves (orders.transitions.ts) and the unit of work.
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ListingLifecycle } from '../listings/index.ts';
import type { PaymentsService } from '../payments/index.ts';
import { createOrderAdmin } from './orders.admin.ts';
import { createCheckout, type ListingClaimer } from './orders.checkout.ts';
import { createHandover } from './orders.handover.ts';
import { createOrderPayments } from './orders.payments.ts';
import { createOrderSweeps } from './orders.sweeps.ts';
import { createOrderTransitions } from './orders.transitions.ts';
import { createOrderViews } from './orders.views.ts';
import * as repo from './orders.repository.ts';

export interface OrdersLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OrdersDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  storage: Pick<Storage, 'url'>;
  cached: CachedReader;
  /** The listings module's moves: orders claim, release, sell and take down listings. */
  listings: ListingLifecycle;
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

const silent: OrdersLogger = { info() {}, warn() {}, error() {} };

export function createOrders(deps: OrdersDeps) {
  const { db, uow, clock, storage, cached, listings, payments, config } = deps;
  const log = deps.log ?? silent;
  const transitions = createOrderTransitions({
    payments,
    listings,
    cached,
    platformFeePercent: config.platformFeePercent,
  });
  const views = createOrderViews({
    db,
    clock,
    storage,
    expireHold: (orderId) => sweeps.expireHold(orderId),
  });
  const orderPayments = createOrderPayments({
    db,
    uow,
    clock,
    payments,
    metrics: deps.metrics,
    log,
    transitions,
    views,
    faultInject: config.faultInject,
  });
  const sweeps = createOrderSweeps({
    db,
    uow,
    clock,
    transitions,
    settleOpenPayments: orderPayments.settleOpenAttempts,
    config,
  });

  deps.metrics?.gauge('orders_by_status', 'Orders by status', ['status'], async (gauge) => {
    const rows = await repo.countOrdersByStatus(db);
    gauge.reset();
    for (const r of rows) gauge.set({ status: r.status }, Number(r.n));
  });

  return {
    checkout: createCheckout({
      db,
      uow,
      listings,
      transitions,
      views,
      config,
      claimer: deps.claimer,
    }),
    payments: orderPayments,
    views,
    handover: createHandover({ uow, transitions, views, sweeps }),
    sweeps,
    admin: createOrderAdmin({ db, uow, listings, transitions, views }),
  };
}

export type Orders = ReturnType<typeof createOrders>;
