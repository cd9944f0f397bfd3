// The orders module's services, built once from its dependencies: checkout (the hold and paying),
// reading, the hand-over between the parties, the sweeps, and operators' actions. Each is a named
// service; they share the state moves (orders.transitions.ts) and the unit of work.
import type { CachedReader } from '../../platform/cache/cached.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { UnitOfWork } from '../../platform/db/unit-of-work.ts';
import type { Sealer } from '../../platform/crypto/sealer.ts';
import type { Metrics } from '../../platform/http/metrics.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { PrivateStorage } from '../../platform/storage/private-storage.ts';
import { defineSchedule } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import type { UserLock } from '../accounts/index.ts';
import type { ListingLifecycle } from '../listings/index.ts';
import type { PaymentsService } from '../payments/index.ts';
import { createOrderAdmin } from './orders.admin.ts';
import { createDisputes } from './orders.disputes.ts';
import { computeHandoverHealth, createScorecards } from './orders.scorecard.ts';
import { createPayouts } from './orders.payouts.ts';
import { createCheckout, type ListingClaimer } from './orders.checkout.ts';
import { createHandover } from './orders.handover.ts';
import { createProofs } from './orders.proofs.ts';
import { createOrderSweeps, holdExpiryJob } from './orders.sweeps.ts';
import { createOrderTransitions } from './orders.transitions.ts';
import { createOrderViews } from './orders.views.ts';
import { createRecipients, eraseEndedRecipients } from './orders.recipients.ts';
import { deliveryReminderJob, remindSeller } from './orders.reminders.ts';
import * as repo from './orders.repository.ts';
import type { AddressLock } from './orders.repository.ts';
import type { KeyedQueue } from '../../shared/keyed-queue.ts';

export interface OrdersDeps {
  db: Db;
  uow: UnitOfWork;
  clock: Clock;
  /** Listing photo URLs, and the buyers' private dispute evidence. */
  storage: Storage;
  cached: CachedReader;
  /** The listings module's moves: orders claim, release, sell and take down listings. */
  listings: ListingLifecycle;
  payments: PaymentsService;
  /** Seals the buyer's recipient details (AES-256-GCM, the data encryption key). */
  sealer: Sealer;
  /** Handover proof photos (never public). */
  privateStorage: PrivateStorage;
  /** The key of in-person handover codes (HMAC of the order id). */
  handoverCodeKey: Buffer;
  metrics?: Metrics;
  config: {
    checkoutHoldSeconds: number;
    autoCompleteHours: number;
    platformFeePercent: number;
  };
  /** Tests only (the race control): how checkout claims the listing. */
  claimer?: ListingClaimer;
  /** Tests only (the race control): how checkout serialises one buyer's checkouts. */
  userLock?: UserLock;
  /** Tests only (the race control): how checkout serialises one address's holds. */
  addressLock?: AddressLock;
  /** Tests only (the race tests): how this process lines up attempts on one listing. */
  holdQueue?: KeyedQueue;
}

export function createOrders(deps: OrdersDeps) {
  const { db, uow, clock, storage, cached, listings, payments, config } = deps;
  const transitions = createOrderTransitions({
    payments,
    listings,
    cached,
    platformFeePercent: config.platformFeePercent,
  });
  const sweeps = createOrderSweeps({
    db,
    uow,
    clock,
    transitions,
    settleOpenPayments: payments.settleOpenAttempts,
    config,
  });
  const recipients = createRecipients(deps.sealer);
  const proofs = createProofs(deps);
  const views = createOrderViews({
    db,
    clock,
    storage,
    payments,
    recipients,
    proofs,
    expireHold: (orderId) => sweeps.expireHold(orderId),
  });
  const checkout = createCheckout({
    db,
    clock,
    uow,
    payments,
    listings,
    transitions,
    views,
    recipients,
    config,
    cached,
    claimer: deps.claimer,
    userLock: deps.userLock,
    addressLock: deps.addressLock,
    holdQueue: deps.holdQueue,
  });

  deps.metrics?.gauge('orders_by_status', 'Orders by status', ['status'], async (gauge) => {
    const rows = await repo.countOrdersByStatus(db);
    gauge.reset();
    for (const r of rows) gauge.set({ status: r.status }, Number(r.n));
  });

  const payouts = createPayouts({ db, uow, clock });

  return {
    checkout,
    /** Payout batches, the bank's transfer and result files, sellers' payouts. */
    payouts,
    /** What a confirmed charge does to its order (payments calls it; see deps.ts). */
    payee: checkout.payee,
    views,
    handover: createHandover({ db, storage, uow, proofs, transitions, views, sweeps }),
    /** Evidence photos and the admins' dispute view (issue 18 item 6). */
    disputes: createDisputes({ db, clock, storage, views }),
    /** Sellers' public scorecards (issue 18 item 7), cached a few minutes. */
    scorecards: createScorecards({ db, cached, now: () => clock.now() }),
    /** Admin: hand-over health over orders paid in the last `days` days (issue 18 item 8). */
    handoverHealth: (days: number) => computeHandoverHealth(db, clock.now(), days),
    sweeps,
    /** The sweeps, run periodically by the job worker (deps.ts registers them). */
    jobs: [
      holdExpiryJob.handle((p, ctx) => sweeps.expireHoldWhenDue(p.orderId, ctx.requestId)),
      deliveryReminderJob.handle((p, ctx) => remindSeller(db, clock, p, ctx.requestId)),
      // The safety net: holds whose own job ran early (clock skew) or was lost.
      defineSchedule('orders.expire-holds', 30_000, () => sweeps.expireHolds()),
      defineSchedule('orders.escrow', 5 * 60_000, () => sweeps.runEscrow()),
      // Hourly check; a batch when the last scheduled one is a week old.
      defineSchedule('orders.payout-batch', 60 * 60_000, () => payouts.runWeekly()),
      // Recipient details go 30 days after the order ended (issue 18 item 2).
      defineSchedule('orders.erase-recipients', 60 * 60_000, () =>
        eraseEndedRecipients(db, clock.now()),
      ),
    ],
    admin: createOrderAdmin({ db, uow, listings, transitions, views }),
  };
}

export type Orders = ReturnType<typeof createOrders>;
