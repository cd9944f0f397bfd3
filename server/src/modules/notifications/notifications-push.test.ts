// Web Push end to end: subscriptions through the API, the reservation fan-out through the jobs
// table, and a local push service that decrypts every payload with the subscription's private key.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { startPushEndpoint, type PushEndpoint } from '../../../test/push-endpoint.ts';
import {
  createGame,
  errorCode,
  insertListing,
  insertReservation,
  jobCtx,
  makeAdmin,
  notificationsOf,
  runJob,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { isPushEndpointAllowed } from '../../platform/push/endpoint-guard.ts';
import { listingPublishedJob } from '../reservations/index.ts';
import { pushJob } from './index.ts';

let t: TestApp;
let push: PushEndpoint;
beforeAll(async () => {
  push = await startPushEndpoint();
  t = await buildTestApp({ env: { PUSH_ENDPOINT_ALLOWLIST: push.base } });
});
afterAll(async () => {
  await t.close();
  await push.close();
});

async function subscribe(user: TestUser, status = 201) {
  const sub = push.subscribe(status);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/push/subscriptions',
    headers: user.auth,
    payload: sub.json,
  });
  expect(res.statusCode).toBe(201);
  return { ...sub, subscriptionId: (res.json() as { id: string }).id };
}

/** The pending push jobs about these notifications. */
async function pushJobsAbout(notificationIds: string[]) {
  const rows = await t.deps.db
    .selectFrom('jobs')
    .select(['id', 'payload', 'run_at', 'max_attempts'])
    .where('type', '=', pushJob.type)
    .where('status', '=', 'pending')
    .execute();
  return rows.filter((r) => notificationIds.some((id) => r.payload.includes(id)));
}

async function runPushJobs(notificationIds: string[]) {
  const jobs = await pushJobsAbout(notificationIds);
  for (const j of jobs) {
    await runJob(t, pushJob, JSON.parse(j.payload), jobCtx(j.id));
    await t.deps.db.updateTable('jobs').set({ status: 'done' }).where('id', '=', j.id).execute();
  }
  return jobs.length;
}

/** A reservation of `user`, a matching listing, and the listing.published job run. */
async function matchFor(users: TestUser[]) {
  const game = await createGame(t);
  const seller = await signedInUser(t);
  for (const u of users) await insertReservation(t, { userId: u.id, gameId: game.id });
  const listingId = await insertListing(t, { game, sellerId: seller.id });
  await runJob(t, listingPublishedJob, { listingId });
  const notes = await notificationsOf(
    t,
    users.map((u) => u.id),
  );
  return { listingId, notes };
}

async function deliveriesOf(notificationId: string, auth: { authorization: string }) {
  return t.app.inject({
    method: 'GET',
    url: `/api/notifications/${notificationId}/deliveries`,
    headers: auth,
  });
}

describe('VAPID keys and subscriptions', () => {
  it('when no VAPID keys are configured, then a key pair is generated once into DATA_DIR (0600) and served', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/push/public-key' });
    expect(res.statusCode).toBe(200);
    const { publicKey } = res.json() as { publicKey: string };
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    const file = path.join(t.dataDir, 'vapid-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Another app on the same DATA_DIR signs with the same key.
    const again = await buildTestApp({ env: { DATA_DIR: t.dataDir } });
    try {
      const second = await again.app.inject({ method: 'GET', url: '/api/push/public-key' });
      expect((second.json() as { publicKey: string }).publicKey).toBe(publicKey);
    } finally {
      await again.app.close();
      await again.deps.close();
    }
  });

  it('when the same browser subscribes twice, then the second answer is 200 with the same id; it is listed and can be deleted', async () => {
    const user = await signedInUser(t);
    const sub = await subscribe(user);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: user.auth,
      payload: sub.json,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: sub.subscriptionId });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/push/subscriptions',
      headers: user.auth,
    });
    expect(list.json()).toMatchObject({
      items: [{ id: sub.subscriptionId, service: push.base }],
    });
    const other = await signedInUser(t);
    const foreign = await t.app.inject({
      method: 'DELETE',
      url: `/api/push/subscriptions/${sub.subscriptionId}`,
      headers: other.auth,
    });
    expect(foreign.statusCode).toBe(404);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/push/subscriptions/${sub.subscriptionId}`,
      headers: user.auth,
    });
    expect(del.statusCode).toBe(204);
  });

  it('when an endpoint is outside the allow-list (SSRF), then it is refused with 400 VALIDATION_FAILED', async () => {
    const user = await signedInUser(t);
    const { keys } = push.subscribe().json;
    const port = new URL(push.base).port;
    for (const endpoint of [
      'http://169.254.169.254/latest/meta-data/',
      `http://127.0.0.1.evil.example:${port}/push/x`,
      'http://localhost/push/x',
      'https://fcm.googleapis.com.evil.example/fcm/send/x',
      'http://fcm.googleapis.com/fcm/send/x',
      'https://fcm.googleapis.com:8443/fcm/send/x',
      'https://user:pw@fcm.googleapis.com/fcm/send/x',
      'file:///etc/passwd',
      'not a url',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/push/subscriptions',
        headers: user.auth,
        payload: { endpoint, keys },
      });
      expect(res.statusCode, endpoint).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    // The real push services pass without any allow-list.
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/abc',
      'https://web.push.apple.com/abc',
      'https://wns2-by3p.notify.windows.com/w/?token=abc',
    ])
      expect(isPushEndpointAllowed(endpoint, []), endpoint).toBe(true);
    expect(isPushEndpointAllowed(`${push.base}/push/x`, [])).toBe(false);
  });

  it('when the subscription keys are not a P-256 point and a 16-byte secret, then 400', async () => {
    const user = await signedInUser(t);
    const sub = push.subscribe().json;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/push/subscriptions',
      headers: user.auth,
      payload: { ...sub, keys: { ...sub.keys, p256dh: 'A'.repeat(87) } },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('push delivery', () => {
  it('when a listing matches a reservation, then the push service receives an aes128gcm payload in the user’s language that decrypts with the subscription key, with TTL, high urgency and a per-listing topic', async () => {
    const user = await signedInUser(t, { locale: 'en' });
    const sub = await subscribe(user);
    const { listingId, notes } = await matchFor([user]);
    expect(notes).toHaveLength(1);
    const note = notes[0]!;
    // The fan-out went through the jobs table: nothing was pushed before the job ran.
    expect(push.of(sub.id)).toHaveLength(0);
    expect(await runPushJobs([note.id])).toBe(1);
    const [got] = push.of(sub.id);
    expect(got?.payload).toEqual({
      type: 'reservation_match',
      title: note.title,
      body: note.body,
      url: `${t.config.http.publicUrl}/listings/${listingId}`,
      notificationId: note.id,
    });
    expect(String(got!.payload.title)).toMatch(/^Tickets available: /);
    expect(got!.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(got!.headers.ttl)).toBeGreaterThan(0);
    expect(got!.headers.urgency).toBe('high');
    expect(got!.headers.topic).toMatch(/^[\w-]{1,32}$/);
    const { publicKey } = (
      await t.app.inject({ method: 'GET', url: '/api/push/public-key' })
    ).json() as { publicKey: string };
    expect(got!.headers.authorization).toMatch(new RegExp(`^vapid t=.+, k=${publicKey}$`));

    const log = await deliveriesOf(note.id, user.auth);
    expect(log.json()).toMatchObject({
      items: [{ channel: 'push', target: sub.subscriptionId, status: 'sent', httpStatus: 201 }],
    });
    // Admins see it too; another user does not.
    const admin = await makeAdmin(t);
    expect((await deliveriesOf(note.id, admin.auth)).statusCode).toBe(200);
    const stranger = await signedInUser(t);
    expect((await deliveriesOf(note.id, stranger.auth)).statusCode).toBe(404);
  });

  it('when the push service answers 410, then the subscription is deleted and the delivery logged as gone', async () => {
    const user = await signedInUser(t);
    const sub = await subscribe(user, 410);
    const { notes } = await matchFor([user]);
    await runPushJobs([notes[0]!.id]);
    const left = await t.deps.db
      .selectFrom('push_subscriptions')
      .select('id')
      .where('id', '=', sub.subscriptionId)
      .execute();
    expect(left).toHaveLength(0);
    const log = await deliveriesOf(notes[0]!.id, user.auth);
    expect(log.json()).toMatchObject({ items: [{ status: 'gone', httpStatus: 410 }] });
  });

  it('when the push service answers 429, then the push is retried later through the jobs table and delivered once it recovers', async () => {
    const user = await signedInUser(t);
    const sub = await subscribe(user, 429);
    const { notes } = await matchFor([user]);
    const noteId = notes[0]!.id;
    await runPushJobs([noteId]);
    expect((await deliveriesOf(noteId, user.auth)).json()).toMatchObject({
      items: [{ status: 'retrying', httpStatus: 429, attempts: 1 }],
    });
    const [retry] = await pushJobsAbout([noteId]);
    expect(JSON.parse(retry!.payload)).toEqual({
      notificationIds: [noteId],
      subscriptionId: sub.subscriptionId,
    });
    expect(new Date(retry!.run_at).getTime()).toBeGreaterThan(Date.now());
    // Still failing (5xx): the retry job throws, so the worker backs off and tries again.
    push.setStatus(sub.id, 503);
    await expect(
      runJob(t, pushJob, JSON.parse(retry!.payload), { ...jobCtx(retry!.id), attempt: 2 }),
    ).rejects.toThrow(/deferred/);
    push.setStatus(sub.id, 201);
    await runJob(t, pushJob, JSON.parse(retry!.payload), { ...jobCtx(retry!.id), attempt: 3 });
    expect(push.of(sub.id)).toHaveLength(1);
    expect((await deliveriesOf(noteId, user.auth)).json()).toMatchObject({
      items: [{ status: 'sent', httpStatus: 201, attempts: 3 }],
    });
  });

  it('when an allow-list entry is removed after subscribing, then nothing is sent to that endpoint', async () => {
    const user = await signedInUser(t);
    const sub = await subscribe(user);
    const strict = await buildTestApp({ env: { DATA_DIR: t.dataDir } });
    try {
      const { notes } = await matchFor([user]);
      await strict.deps.notifications.channels.handlePush(
        { notificationIds: [notes[0]!.id] },
        jobCtx(),
      );
      expect(push.of(sub.id)).toHaveLength(0);
    } finally {
      await strict.app.close();
      await strict.deps.close();
    }
  });
});

describe('preferences per type and channel', () => {
  it('when nothing is set, then matches and money events are on every channel and reviews only in-site and e-mail', async () => {
    const user = await signedInUser(t);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/me/notification-preferences',
      headers: user.auth,
    });
    const body = res.json() as {
      types: { type: string; email: boolean; push: boolean; line: boolean; inSite: boolean }[];
      channels: Record<string, boolean>;
    };
    expect(body.types.find((x) => x.type === 'reservation_match')).toEqual({
      type: 'reservation_match',
      inSite: true,
      email: true,
      push: true,
      line: true,
    });
    expect(body.types.find((x) => x.type === 'review_received')).toMatchObject({
      email: true,
      push: false,
    });
    expect(body.channels).toEqual({
      email: true,
      push: false,
      lineAvailable: false,
      lineLinked: false,
    });
  });

  it('when a user turns push and e-mail off for matches, then a match is in-site only: no push, no e-mail; other users still get both', async () => {
    const quiet = await signedInUser(t);
    const loud = await signedInUser(t);
    const quietSub = await subscribe(quiet);
    const loudSub = await subscribe(loud);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/me/notification-preferences',
      headers: quiet.auth,
      payload: { types: [{ type: 'reservation_match', push: false, email: false }] },
    });
    expect(put.statusCode).toBe(200);
    expect(
      (put.json() as { types: { type: string; push: boolean; line: boolean }[] }).types.find(
        (x) => x.type === 'reservation_match',
      ),
    ).toMatchObject({ push: false, email: false, line: true });
    const { notes } = await matchFor([quiet, loud]);
    expect(notes).toHaveLength(2); // in-site always
    await runPushJobs(notes.map((n) => n.id));
    expect(push.of(quietSub.id)).toHaveLength(0);
    expect(push.of(loudSub.id)).toHaveLength(1);
    const mailJobs = await t.deps.db
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'mail.send')
      .execute();
    const mailed = new Set(mailJobs.map((j) => JSON.parse(j.payload).notificationId as string));
    const byUser = new Map(notes.map((n) => [n.user_id, n.id]));
    expect(mailed.has(byUser.get(quiet.id)!)).toBe(false);
    expect(mailed.has(byUser.get(loud.id)!)).toBe(true);
  });
});
