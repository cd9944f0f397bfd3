// LINE: linking with LINE Login (state, nonce, verified ID token), unlinking, and Flex pushes
// through the Messaging API, against a local stub of LINE's endpoints started here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { startLineStub } from '../../../test/line-stub.ts';
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
import { listingPublishedJob } from '../reservations/index.ts';
import { lineJob } from './index.ts';

const channel = { channelId: '1650000000', channelSecret: 'line-channel-secret-for-tests-0123' };
let t: TestApp;
let line: Awaited<ReturnType<typeof startLineStub>>;
beforeAll(async () => {
  line = await startLineStub(channel);
  t = await buildTestApp({
    env: {
      LINE_API_BASE: line.base,
      LINE_LOGIN_CHANNEL_ID: channel.channelId,
      LINE_LOGIN_CHANNEL_SECRET: channel.channelSecret,
      LINE_MESSAGING_ACCESS_TOKEN: 'messaging-token',
    },
  });
});
afterAll(async () => {
  await t.close();
  await line.close();
});

/** The browser's round trip: start, consent at LINE (the stub), back with code and state. */
async function consent(user: TestUser) {
  const start = await t.app.inject({ method: 'POST', url: '/api/line/login', headers: user.auth });
  expect(start.statusCode).toBe(200);
  const authorizeUrl = new URL((start.json() as { authorizeUrl: string }).authorizeUrl);
  expect(authorizeUrl.searchParams.get('scope')).toBe('openid profile');
  expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(
    `${t.config.http.publicUrl}/me/line/callback`,
  );
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const back = new URL(res.headers.get('location')!);
  return { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! };
}

async function link(user: TestUser) {
  const { code, state } = await consent(user);
  return t.app.inject({
    method: 'POST',
    url: '/api/line/callback',
    headers: user.auth,
    payload: { code, state },
  });
}

async function linkedUser(lineName = 'LINE Fan') {
  const user = await signedInUser(t);
  line.state.user = { sub: `U${crypto.randomUUID().replaceAll('-', '')}`, name: lineName };
  const res = await link(user);
  expect(res.statusCode).toBe(200);
  return { user, lineUserId: line.state.user.sub };
}

async function lineJobsAbout(notificationIds: string[]) {
  const rows = await t.deps.db
    .selectFrom('jobs')
    .select(['id', 'payload'])
    .where('type', '=', lineJob.type)
    .where('status', '=', 'pending')
    .execute();
  return rows.filter((r) => notificationIds.some((id) => r.payload.includes(id)));
}

async function matchFor(user: TestUser) {
  const game = await createGame(t);
  const seller = await signedInUser(t);
  await insertReservation(t, { userId: user.id, gameId: game.id });
  const listingId = await insertListing(t, { game, sellerId: seller.id, price: 450 });
  await runJob(t, listingPublishedJob, { listingId });
  const [note] = await notificationsOf(t, [user.id]);
  return { listingId, note: note! };
}

describe('LINE Login link', () => {
  it('when a user consents at LINE, then the account is linked with its display name; unlink removes it', async () => {
    const { user } = await linkedUser('Amy 林');
    const status = await t.app.inject({ method: 'GET', url: '/api/line', headers: user.auth });
    expect(status.json()).toEqual({ available: true, linked: true, displayName: 'Amy 林' });
    const del = await t.app.inject({ method: 'DELETE', url: '/api/line', headers: user.auth });
    expect(del.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/line', headers: user.auth });
    expect(after.json()).toMatchObject({ linked: false });
  });

  it('when the ID token carries another nonce, or the state is reused or someone else’s, then 422 LINE_LOGIN_FAILED and nothing is linked', async () => {
    const user = await signedInUser(t);
    line.state.nonceOverride = 'not-the-nonce-we-sent';
    try {
      const res = await link(user);
      expect(res.statusCode).toBe(422);
      expect(errorCode(res)).toBe('LINE_LOGIN_FAILED');
    } finally {
      line.state.nonceOverride = null;
    }
    // A state works once, for the user who started it.
    const { code, state } = await consent(user);
    const other = await signedInUser(t);
    const stolen = await t.app.inject({
      method: 'POST',
      url: '/api/line/callback',
      headers: other.auth,
      payload: { code, state },
    });
    expect(errorCode(stolen)).toBe('LINE_LOGIN_FAILED');
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/line/callback',
      headers: user.auth,
      payload: { code, state },
    });
    expect(errorCode(replay)).toBe('LINE_LOGIN_FAILED');
    const status = await t.app.inject({ method: 'GET', url: '/api/line', headers: user.auth });
    expect(status.json()).toMatchObject({ linked: false });
  });

  it('when LINE is not configured, then it reads as unavailable and login is 404', async () => {
    const plain = await buildTestApp();
    try {
      const user = await signedInUser(plain);
      const status = await plain.app.inject({
        method: 'GET',
        url: '/api/line',
        headers: user.auth,
      });
      expect(status.json()).toEqual({ available: false, linked: false, displayName: null });
      const start = await plain.app.inject({
        method: 'POST',
        url: '/api/line/login',
        headers: user.auth,
      });
      expect(start.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('LINE push', () => {
  it('when a linked fan’s reservation matches, then a Flex message with the game, seat, price and a Buy link is pushed to their LINE account', async () => {
    const { user, lineUserId } = await linkedUser();
    const { listingId, note } = await matchFor(user);
    const jobs = await lineJobsAbout([note.id]);
    expect(jobs).toHaveLength(1);
    const before = line.pushes.length;
    await runJob(t, lineJob, JSON.parse(jobs[0]!.payload), jobCtx(jobs[0]!.id));
    const sent = line.pushes.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.authorization).toBe('Bearer messaging-token');
    expect(sent[0]!.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[0]!.body.to).toBe(lineUserId);
    const text = JSON.stringify(sent[0]!.body.messages);
    expect(text).toContain(note.title);
    expect(text).toContain('NT$450');
    expect(text).toContain(`"uri":"${t.config.http.publicUrl}/listings/${listingId}"`);
    expect(text).toContain('立即購買');
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/notifications/${note.id}/deliveries`,
      headers: user.auth,
    });
    expect(log.json()).toMatchObject({
      items: [{ channel: 'line', target: lineUserId, status: 'sent' }],
    });
    // A retry of the job does not push twice.
    await runJob(t, lineJob, JSON.parse(jobs[0]!.payload), jobCtx(jobs[0]!.id));
    expect(line.pushes.length).toBe(before + 1);
  });

  it('when LINE answers 500, then the job throws to be retried with back-off and the delivery reads retrying', async () => {
    const { user } = await linkedUser();
    const { note } = await matchFor(user);
    const [job] = await lineJobsAbout([note.id]);
    line.state.pushStatus = 500;
    try {
      await expect(runJob(t, lineJob, JSON.parse(job!.payload), jobCtx(job!.id))).rejects.toThrow(
        /deferred/,
      );
    } finally {
      line.state.pushStatus = 200;
    }
    const [row] = await t.deps.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('notification_id', '=', note.id)
      .execute();
    expect(row).toMatchObject({ channel: 'line', status: 'retrying', http_status: 500 });
  });

  it('when the fan turned LINE off for matches, or unlinked, then no LINE job is enqueued', async () => {
    const { user } = await linkedUser();
    await t.app.inject({
      method: 'PUT',
      url: '/api/me/notification-preferences',
      headers: user.auth,
      payload: { types: [{ type: 'reservation_match', line: false }] },
    });
    const { note } = await matchFor(user);
    expect(await lineJobsAbout([note.id])).toHaveLength(0);

    const { user: other } = await linkedUser();
    await t.app.inject({ method: 'DELETE', url: '/api/line', headers: other.auth });
    const { note: otherNote } = await matchFor(other);
    expect(await lineJobsAbout([otherNote.id])).toHaveLength(0);
  });
});
