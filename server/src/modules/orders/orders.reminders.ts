// Reminders to the seller before the handover deadline (issue 18 item 3): in-site and e-mail
// (the notification's channels), 24 hours and 2 hours before `deliverBy`. Scheduled as jobs when
// the deadline is set; a job whose order was sent meanwhile, or whose deadline moved, does nothing.
import { z } from 'zod';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';
import type { Clock } from '../../shared/clock.ts';
import { notificationJob } from '../notifications/index.ts';
import * as repo from './orders.repository.ts';

export const REMINDER_HOURS = [24, 2] as const;

const ReminderPayload = z.object({
  orderId: z.string(),
  deliverBy: z.string(),
  hoursBefore: z.union([z.literal(24), z.literal(2)]),
});

export const deliveryReminderJob = defineJob('orders.delivery-reminder', ReminderPayload);

/** Schedules the reminders of a deadline just set (those whose time has not passed yet). */
export async function scheduleDeliveryReminders(
  ex: Executor,
  order: { id: string },
  deliverBy: string,
  now: Date,
  requestId: string | null,
) {
  for (const hoursBefore of REMINDER_HOURS) {
    const runAt = new Date(Date.parse(deliverBy) - hoursBefore * 3600_000);
    if (runAt <= now) continue;
    await deliveryReminderJob.enqueue(
      ex,
      { orderId: order.id, deliverBy, hoursBefore },
      { runAt, requestId },
    );
  }
}

/** The job: tells the seller, unless the ticket was sent, the order ended or the deadline moved. */
export async function remindSeller(
  db: Db,
  clock: Clock,
  p: z.infer<typeof ReminderPayload>,
  requestId: string | null,
) {
  const order = await repo.findOrderById(db, p.orderId);
  if (!order || order.status !== 'paid' || order.deliver_by !== p.deliverBy) return;
  if (clock.now().toISOString() >= p.deliverBy) return;
  await notificationJob.enqueue(
    db,
    {
      userId: order.seller_id,
      type: 'delivery_reminder',
      params: { orderId: order.id, role: 'seller' },
      dedupeKey: `delivery_reminder:${order.id}:${p.hoursBefore}:${p.deliverBy}`.slice(0, 128),
    },
    { requestId },
  );
}
