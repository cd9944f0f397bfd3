// Job handlers of the money path, and the periodic sweeps (each run enqueues the next; several
// instances converge on one pending run per type).
import type { Db } from '../../platform/db/dialect.ts';
import { enqueue, type JobRegistry } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import {
  RECONCILE_JOB,
  RECONCILE_STALE_JOB,
  REFUND_JOB,
  type PaymentsService,
} from '../payments/index.ts';
import type { Orders } from './orders.service.ts';
import * as repo from './orders.repository.ts';

export const ORDER_JOBS = {
  expireHolds: 'orders.expire-holds',
  escrow: 'orders.escrow',
} as const;

export const SWEEP_INTERVALS_MS: Record<string, number> = {
  [ORDER_JOBS.expireHolds]: 30_000,
  [ORDER_JOBS.escrow]: 5 * 60_000,
  [RECONCILE_STALE_JOB]: 2 * 60_000,
};

const idPayload = (payload: unknown, key: string): string | null => {
  const v =
    payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[key] : null;
  return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : null;
};

/** Enqueue the next run of a periodic job unless one is already waiting. */
async function schedule(db: Db, clock: Clock, type: string, delayMs: number) {
  await db.transaction().execute(async (trx) => {
    if (await repo.hasPendingJob(trx, type)) return;
    await enqueue(trx, type, null, { runAt: new Date(clock.now().getTime() + delayMs) });
  });
}

export function registerOrderJobs(
  jobs: JobRegistry,
  orders: Orders,
  payments: PaymentsService,
  { db, clock }: { db: Db; clock: Clock },
) {
  const periodic = (type: string, run: () => Promise<unknown>) =>
    jobs.register(type, async () => {
      try {
        await run();
      } finally {
        await schedule(db, clock, type, SWEEP_INTERVALS_MS[type] ?? 60_000);
      }
    });
  periodic(ORDER_JOBS.expireHolds, () => orders.sweeps.expireHolds());
  periodic(ORDER_JOBS.escrow, () => orders.sweeps.runEscrow());
  periodic(RECONCILE_STALE_JOB, () => payments.reconcileStale());

  jobs.register(RECONCILE_JOB, async (payload) => {
    const paymentId = idPayload(payload, 'paymentId');
    // Still open afterwards (3-D Secure not finished, TapPay silent): the stale sweep retries.
    if (paymentId) await payments.reconcilePayment(paymentId);
  });

  jobs.register(REFUND_JOB, async (payload) => {
    const refundId = idPayload(payload, 'refundId');
    if (!refundId) return;
    const status = await payments.processRefund(refundId);
    if (status === 'pending') throw new Error('TapPay did not confirm the refund yet; retrying');
  });
}

/** On server start: make sure each sweep has a run waiting. */
export async function startOrderSchedules({ db, clock }: { db: Db; clock: Clock }) {
  for (const type of Object.keys(SWEEP_INTERVALS_MS)) await schedule(db, clock, type, 0);
}
