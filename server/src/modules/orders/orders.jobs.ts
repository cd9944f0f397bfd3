// Job handlers of the money path, and the periodic sweeps (each run enqueues the next; several
// instances converge on one pending run per type).
import type { JobRegistry } from '../../platform/jobs/jobs.ts';
import { REFUND_JOB, type PaymentsService } from '../payments/index.ts';
import { RECONCILE_JOB, RECONCILE_STALE_JOB } from './order-payments.ts';
import { ORDER_JOBS, type OrdersService } from './orders.service.ts';

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

export function registerOrderJobs(
  jobs: JobRegistry,
  orders: OrdersService,
  payments: PaymentsService,
) {
  const periodic = (type: string, run: () => Promise<unknown>) =>
    jobs.register(type, async () => {
      try {
        await run();
      } finally {
        await orders.schedule(type, SWEEP_INTERVALS_MS[type] ?? 60_000);
      }
    });
  periodic(ORDER_JOBS.expireHolds, () => orders.expireHolds());
  periodic(ORDER_JOBS.escrow, () => orders.runEscrow());
  periodic(RECONCILE_STALE_JOB, () => orders.reconcileStale());

  jobs.register(RECONCILE_JOB, async (payload) => {
    const paymentId = idPayload(payload, 'paymentId');
    // Still open afterwards (3-D Secure not finished, TapPay silent): the stale sweep retries.
    if (paymentId) await orders.reconcilePayment(paymentId);
  });

  jobs.register(REFUND_JOB, async (payload) => {
    const refundId = idPayload(payload, 'refundId');
    if (!refundId) return;
    const status = await payments.processRefund(refundId);
    if (status === 'pending') throw new Error('TapPay did not confirm the refund yet; retrying');
  });
}

/** On server start: make sure each sweep has a run waiting. */
export async function startOrderSchedules(orders: OrdersService) {
  for (const type of Object.keys(SWEEP_INTERVALS_MS)) await orders.schedule(type, 0);
}
