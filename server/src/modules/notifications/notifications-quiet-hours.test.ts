// Quiet hours (issue 19): during a user's window (Asia/Taipei) push and LINE wait until it ends,
// through a push job due then; the bell is immediate; reservation matches come through unless the
// user holds them too; hand-over reminders always come through. The clock is injected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { startPushEndpoint, type PushEndpoint } from '../../../test/push-endpoint.ts';
import {
  createGame,
  errorCode,
  insertListing,
  insertReservation,
  jobCtx,
  notificationsOf,
  runJob,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { DAY, fromTaipei, manualClock, MINUTE, taipeiDate } from '../../shared/clock.ts';
import { listingPublishedJob } from '../reservations/index.ts';
import { notificationJob, pushJob } from './index.ts';
import { heldInQuietHours, quietUntil } from './notifications.quiet-hours.ts';

/** The next 23:30 in Taipei from now: late enough for quiet hours, games still ahead. */
function nextTaipei(time: string, from = new Date()) {
  const today = fromTaipei(taipeiDate(from), time);
  return today > from ? today : new Date(today.getTime() + DAY);
}
const night = nextTaipei('23:30');
const clock = manualClock(night);

let t: TestApp;
let push: PushEndpoint;
beforeAll(async () => {
  push = await startPushEndpoint();
  t = await buildTestApp({ clock, env: { PUSH_ENDPOINT_ALLOWLIST: push.base } });
});
afterAll(async () => {
  await t?.close();
  await push?.close();
});

async function subscribe(user: TestUser) {
  const sub = push.subscribe(201);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/push/subscriptions',
    headers: user.auth,
    payload: sub.json,
  });
  expect(res.statusCode).toBe(201);
  return { ...sub, subscriptionId: (res.json() as { id: string }).id };
}

function setQuiet(user: TestUser, quietHours: unknown) {
  return t.app.inject({
    method: 'PUT',
    url: '/api/me/notification-preferences',
    headers: user.auth,
    payload: { quietHours },
  });
}

/** The pending push jobs about one notification, with when they are due. */
async function pushJobsAbout(notificationId: string) {
  const rows = await t.deps.db
    .selectFrom('jobs')
    .select(['id', 'payload', 'run_at'])
    .where('type', '=', pushJob.type)
    .where('status', '=', 'pending')
    .execute();
  return rows
    .filter((r) => r.payload.includes(notificationId))
    .map((r) => ({ ...r, runAt: new Date(r.run_at) }));
}

async function runPushJob(job: { id: string; payload: string }) {
  await runJob(t, pushJob, JSON.parse(job.payload), jobCtx(job.id));
  await t.deps.db.updateTable('jobs').set({ status: 'done' }).where('id', '=', job.id).execute();
}

async function noteOf(user: TestUser, type: string) {
  const notes = await notificationsOf(t, [user.id]);
  const n = notes.filter((x) => x.type === type).at(-1);
  expect(n, `a ${type} notification of ${user.id}`).toBeTruthy();
  return n!;
}

describe('quiet hours', () => {
  it('when the window is read, then it answers whether now is quiet and until when (Taipei, spanning midnight)', () => {
    const overnight = { start_minute: 22 * 60, end_minute: 7 * 60, include_matches: 0 };
    const day = taipeiDate(night);
    const seven = fromTaipei(day, '07:00');
    expect(quietUntil(overnight, fromTaipei(day, '23:30'))).toEqual(
      new Date(seven.getTime() + DAY),
    );
    expect(quietUntil(overnight, fromTaipei(day, '06:59'))).toEqual(seven);
    expect(quietUntil(overnight, fromTaipei(day, '07:00'))).toBeNull();
    expect(quietUntil(overnight, fromTaipei(day, '12:00'))).toBeNull();
    expect(quietUntil(overnight, fromTaipei(day, '22:00'))).toEqual(
      new Date(seven.getTime() + DAY),
    );
    const afternoon = { start_minute: 13 * 60, end_minute: 14 * 60 + 30, include_matches: 1 };
    expect(quietUntil(afternoon, fromTaipei(day, '13:10'))).toEqual(fromTaipei(day, '14:30'));
    expect(quietUntil(afternoon, fromTaipei(day, '14:30'))).toBeNull();
    expect(heldInQuietHours('order_paid', overnight)).toBe(true);
    expect(heldInQuietHours('reservation_match', overnight)).toBe(false);
    expect(heldInQuietHours('reservation_match', afternoon)).toBe(true);
    expect(heldInQuietHours('delivery_reminder', afternoon)).toBe(false);
  });

  it('when quiet hours are set, then GET answers them; null turns them off; a malformed or empty window is 400', async () => {
    const user = await signedInUser(t);
    const put = await setQuiet(user, { start: '22:00', end: '07:00', includeMatches: false });
    expect(put.statusCode).toBe(200);
    const get = await t.app.inject({
      method: 'GET',
      url: '/api/me/notification-preferences',
      headers: user.auth,
    });
    expect((get.json() as { quietHours: unknown }).quietHours).toEqual({
      start: '22:00',
      end: '07:00',
      includeMatches: false,
    });
    // Changing a type leaves the quiet hours alone.
    const types = await t.app.inject({
      method: 'PUT',
      url: '/api/me/notification-preferences',
      headers: user.auth,
      payload: { types: [{ type: 'order_paid', line: false }] },
    });
    expect((types.json() as { quietHours: unknown }).quietHours).toMatchObject({ start: '22:00' });
    for (const bad of [
      { start: '24:00', end: '07:00', includeMatches: false },
      { start: '7:00', end: '08:00', includeMatches: false },
      { start: '22:00', end: '22:00', includeMatches: false },
    ]) {
      const res = await setQuiet(user, bad);
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    const off = await setQuiet(user, null);
    expect((off.json() as { quietHours: unknown }).quietHours).toBeNull();
  });

  it('when a listing matches at 23:30, then the push of a fan who holds matches waits until 07:00 and is sent then; other fans get it at once; the bell at once for all', async () => {
    clock.set(night);
    const holder = await signedInUser(t);
    const through = await signedInUser(t); // quiet hours, but matches come through
    const plain = await signedInUser(t);
    const subs = new Map<string, Awaited<ReturnType<typeof subscribe>>>();
    for (const u of [holder, through, plain]) subs.set(u.id, await subscribe(u));
    expect(
      (await setQuiet(holder, { start: '22:00', end: '07:00', includeMatches: true })).statusCode,
    ).toBe(200);
    expect(
      (await setQuiet(through, { start: '22:00', end: '07:00', includeMatches: false })).statusCode,
    ).toBe(200);

    const game = await createGame(t);
    const seller = await signedInUser(t);
    for (const u of [holder, through, plain])
      await insertReservation(t, { userId: u.id, gameId: game.id });
    const listingId = await insertListing(t, { game, sellerId: seller.id });
    await runJob(t, listingPublishedJob, { listingId });

    const morning = new Date(fromTaipei(taipeiDate(night), '07:00').getTime() + DAY);
    const now = clock.now().getTime();
    const due = new Map<string, { id: string; payload: string }>();
    for (const u of [holder, through, plain]) {
      const note = await noteOf(u, 'reservation_match'); // the bell: immediate for everyone
      const jobs = await pushJobsAbout(note.id);
      expect(jobs).toHaveLength(1);
      if (u === holder) expect(jobs[0]!.runAt).toEqual(morning);
      else {
        expect(jobs[0]!.runAt.getTime()).toBeLessThanOrEqual(now);
        due.set(jobs[0]!.id, jobs[0]!);
      }
    }
    for (const job of due.values()) await runPushJob(job);
    expect(push.of(subs.get(through.id)!.id)).toHaveLength(1);
    expect(push.of(subs.get(plain.id)!.id)).toHaveLength(1);
    expect(push.of(subs.get(holder.id)!.id)).toHaveLength(0);

    // 07:00: the worker would claim it now; it is sent.
    clock.set(morning);
    const [held] = await pushJobsAbout((await noteOf(holder, 'reservation_match')).id);
    expect(held!.runAt.getTime()).toBeLessThanOrEqual(clock.now().getTime());
    await runPushJob(held!);
    const [received] = push.of(subs.get(holder.id)!.id);
    expect(received!.payload.type).toBe('reservation_match');
  });

  it('when an order is paid during quiet hours, then its push waits even for a fan whose matches come through; a hand-over reminder never waits; outside the window nothing waits', async () => {
    clock.set(night);
    const user = await signedInUser(t);
    await subscribe(user);
    await setQuiet(user, { start: '22:00', end: '07:00', includeMatches: false });
    const morning = new Date(fromTaipei(taipeiDate(night), '07:00').getTime() + DAY);

    await runJob(t, notificationJob, { userId: user.id, type: 'order_paid', params: {} });
    const paid = await noteOf(user, 'order_paid');
    expect((await pushJobsAbout(paid.id)).map((j) => j.runAt)).toEqual([morning]);

    await runJob(t, notificationJob, {
      userId: user.id,
      type: 'delivery_reminder',
      params: {},
    });
    const reminder = await noteOf(user, 'delivery_reminder');
    const [due] = await pushJobsAbout(reminder.id);
    expect(due!.runAt.getTime()).toBeLessThanOrEqual(clock.now().getTime());

    // Noon: no quiet hours, nothing waits.
    clock.set(new Date(morning.getTime() + 5 * 60 * MINUTE));
    await runJob(t, notificationJob, {
      userId: user.id,
      type: 'order_delivered',
      params: {},
    });
    const delivered = await noteOf(user, 'order_delivered');
    const [now] = await pushJobsAbout(delivered.id);
    expect(now!.runAt.getTime()).toBeLessThanOrEqual(clock.now().getTime());
  });
});
