// Users for reservation and notification tests, inserted directly in bulk (thousands in a few
// statements; reservations come from market-fixtures.ts), plus helpers to run and inspect jobs.
// Every call makes new rows.
import type { JobContext } from '../src/platform/jobs/jobs.ts';
import { newId } from '../src/shared/ids.ts';
import type { TestApp } from './build-test-app.ts';
import { insertRows, userRow } from './factories.ts';

/** A job context for calling a handler directly, as the worker would. */
export const jobCtx = (jobId = newId()): JobContext => ({ jobId, attempt: 1, requestId: null });

export interface BulkUser {
  locale?: 'zh-TW' | 'en';
  emailNotifications?: boolean;
}

/** Inserts users (no password: they cannot log in) in batches; returns their ids in order. */
export async function insertUsers(t: TestApp, specs: BulkUser[]): Promise<string[]> {
  const now = t.deps.clock.now();
  const rows = specs.map((s) =>
    userRow(now, 'fan', {
      name: 'Bulk Fan',
      locale: s.locale ?? 'zh-TW',
      email_notifications: s.emailNotifications === false ? 0 : 1,
    }),
  );
  await insertRows(t, 'users', rows);
  return rows.map((r) => r.id);
}

export async function notificationsOf(t: TestApp, userIds: string[]) {
  if (userIds.length === 0) return [];
  return t.deps.db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', 'in', userIds)
    .orderBy('id')
    .execute();
}

export async function matchedReservationIds(t: TestApp, listingId: string) {
  const rows = await t.deps.db
    .selectFrom('reservation_matches')
    .select('reservation_id')
    .where('listing_id', '=', listingId)
    .execute();
  return new Set(rows.map((r) => r.reservation_id));
}

/** The pending `mail.send` jobs of these notifications. */
export async function mailJobsFor(t: TestApp, notificationIds: string[]) {
  if (notificationIds.length === 0) return [];
  return t.deps.db
    .selectFrom('jobs')
    .selectAll()
    .where('type', '=', 'mail.send')
    .where(
      'payload',
      'in',
      notificationIds.map((id) => JSON.stringify({ notificationId: id })),
    )
    .execute();
}

/** Runs a job's handler as the worker would: the payload is checked against the job's schema. */
export function runJob(
  t: TestApp,
  job: { type: string },
  payload: unknown,
  ctx: JobContext = jobCtx(),
): Promise<void> {
  const handler = t.deps.jobs.get(job.type);
  if (!handler) throw new Error(`no handler registered for ${job.type}`);
  return handler(payload, ctx);
}
