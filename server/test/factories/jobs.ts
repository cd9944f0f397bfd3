// Jobs and what they leave behind: run a handler as the worker would, read notifications and
// the e-mail jobs they enqueued.
import { mailJob, notificationJob } from '../../src/modules/notifications/notifications.jobs.ts';
import type { JobContext } from '../../src/platform/jobs/jobs.ts';
import { newId } from '../../src/shared/ids.ts';
import type { Fixture } from './fixture.ts';

/** A job context for calling a handler directly, as the worker would. */
export const jobCtx = (jobId = newId()): JobContext => ({ jobId, attempt: 1, requestId: null });

/** Runs a job's handler as the worker would: the payload is checked against the job's schema. */
export function runJob(
  f: Fixture,
  job: { type: string },
  payload: unknown,
  ctx: JobContext = jobCtx(),
): Promise<void> {
  const handler = f.deps.jobs.get(job.type);
  if (!handler) throw new Error(`no handler registered for ${job.type}`);
  return handler(payload, ctx);
}

export async function notificationsOf(f: Fixture, userIds: string[]) {
  if (userIds.length === 0) return [];
  return f.deps.db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', 'in', userIds)
    .orderBy('id')
    .execute();
}

/** The pending `mail.send` jobs of these notifications. */
export async function mailJobsFor(f: Fixture, notificationIds: string[]) {
  if (notificationIds.length === 0) return [];
  return f.deps.db
    .selectFrom('jobs')
    .selectAll()
    .where('type', '=', mailJob.type)
    .where(
      'payload',
      'in',
      notificationIds.map((id) => JSON.stringify({ notificationId: id })),
    )
    .execute();
}

/** The `notification.send` jobs enqueued about one order. */
export async function notificationsAbout(f: Fixture, orderId: string) {
  const rows = await f.deps.db
    .selectFrom('jobs')
    .select(['payload'])
    .where('type', '=', notificationJob.type)
    .where('payload', 'like', `%${orderId}%`)
    .execute();
  return rows.map(
    (r) =>
      JSON.parse(r.payload) as { userId: string; type: string; params: Record<string, unknown> },
  );
}
