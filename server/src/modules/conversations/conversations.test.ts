// The order conversation (issue 18 item 5): who may read and write, when it opens and closes,
// read receipts, the private photo, the notification (live on any instance; e-mail only when the
// other party has no stream open), and the masking and payment-request rules.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isPaymentRequest,
  maskContactDetails,
  MAX_MESSAGE_LENGTH,
} from '../../../../shared/contracts/conversations.ts';
import { buildTestApp, usingMysql, type TestApp } from '../../../test/build-test-app.ts';
import {
  errorCode,
  holdOrder,
  jobCtx,
  mailJobsFor,
  makeAdmin,
  notificationsOf,
  orderAction,
  paidOrder,
  runJob,
  setupSale,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { multipartBody } from '../../../test/multipart.ts';
import { listen, openStream } from '../../../test/sse-stream.ts';
import { DAY, manualClock } from '../../shared/clock.ts';
import { notificationJob } from '../notifications/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => {
  t.app.server.closeAllConnections();
  await t.close();
});

const url = (orderId: string, rest = '') => `/api/orders/${orderId}/messages${rest}`;

function post(app: TestApp, user: { auth: Record<string, string> }, orderId: string, body: string) {
  return app.app.inject({
    method: 'POST',
    url: url(orderId),
    headers: user.auth,
    payload: { body },
  });
}

function list(app: TestApp, user: { auth: Record<string, string> }, orderId: string) {
  return app.app.inject({ method: 'GET', url: url(orderId), headers: user.auth });
}

/** The notification.send jobs the conversation enqueued for one message. */
async function messageJobs(app: TestApp, messageId: string) {
  const rows = await app.deps.db
    .selectFrom('jobs')
    .select(['payload'])
    .where('type', '=', notificationJob.type)
    .where('payload', 'like', `%message:${messageId}%`)
    .execute();
  return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('who may read and write', () => {
  it('when someone other than the buyer and seller asks, then every message route answers 404; an admin reads but cannot post', async () => {
    const p = await paidOrder(t);
    expect((await post(t, p.buyer, p.orderId, 'hello')).statusCode).toBe(201);
    const stranger = await signedInUser(t);
    const message = (await list(t, p.seller, p.orderId)).json().messages[0];
    for (const res of [
      await list(t, stranger, p.orderId),
      await post(t, stranger, p.orderId, 'hi'),
      await t.app.inject({ method: 'POST', url: url(p.orderId, '/read'), headers: stranger.auth }),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(errorCode(res)).toBe('NOT_FOUND');
    }
    expect(
      (await t.app.inject({ method: 'GET', url: url(p.orderId) })).statusCode,
      'anonymous',
    ).toBe(401);

    const admin = await makeAdmin(t);
    const read = await list(t, admin, p.orderId);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ open: false, closedReason: 'read_only' });
    expect(read.json().messages).toEqual([{ ...message, mine: false }]);
    expect((await post(t, admin, p.orderId, 'admin here')).statusCode).toBe(404);
  });

  it('when the order is not paid yet, then posting answers INVALID_STATE (not_paid) and the list is empty', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await post(t, sale.buyer, order.id, 'is it still there?');
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'INVALID_STATE',
      details: { reason: 'not_paid' },
    });
    expect((await post(t, sale.seller, order.id, 'yes')).statusCode).toBe(409);
    expect((await list(t, sale.buyer, order.id)).json()).toMatchObject({
      messages: [],
      open: false,
      closedReason: 'not_paid',
    });
  });
});

describe('posting', () => {
  it('when a message is longer than 1,000 characters or empty, then it is refused; 1,000 is fine', async () => {
    const p = await paidOrder(t);
    const long = await post(t, p.buyer, p.orderId, 'あ'.repeat(MAX_MESSAGE_LENGTH + 1));
    expect(long.statusCode, long.body).toBe(400);
    expect(errorCode(long)).toBe('VALIDATION_FAILED');
    expect((await post(t, p.buyer, p.orderId, '   ')).statusCode).toBe(400);
    const max = await post(t, p.buyer, p.orderId, 'あ'.repeat(MAX_MESSAGE_LENGTH));
    expect(max.statusCode, max.body).toBe(201);
    expect(max.json()).toMatchObject({ from: 'buyer', mine: true, flagged: false, readAt: null });
  });

  it('when the buyer writes, then the seller is notified by the notification job with a masked preview', async () => {
    const p = await paidOrder(t);
    const res = await post(t, p.buyer, p.orderId, '我的 LINE ID: fan_2026，電話 0912-345-678');
    expect(res.statusCode, res.body).toBe(201);
    // The parties see the text as written (the order is paid).
    expect(res.json().body).toBe('我的 LINE ID: fan_2026，電話 0912-345-678');
    const [job] = await messageJobs(t, res.json().id);
    expect(job).toMatchObject({
      userId: p.seller.id,
      type: 'order_message',
      emailIfOffline: true,
    });
    // The preview travels to e-mail, push and LINE: contact details are hidden there.
    const comment = (job!.params as { comment: string }).comment;
    expect(comment).not.toContain('0912');
    expect(comment).not.toContain('fan_2026');
  });

  it('when a message asks to be paid by bank transfer, then it is flagged for both sides', async () => {
    const p = await paidOrder(t);
    const res = await post(t, p.seller, p.orderId, '直接轉帳給我比較快，帳號 822-123456789012');
    expect(res.json()).toMatchObject({ from: 'seller', flagged: true });
    const seen = (await list(t, p.buyer, p.orderId)).json().messages[0];
    expect(seen).toMatchObject({ flagged: true, mine: false, from: 'seller' });
    const plain = await post(t, p.seller, p.orderId, '票已轉贈，請查收');
    expect(plain.json().flagged).toBe(false);
  });
});

describe('read receipts', () => {
  it('when the seller marks the conversation read, then the buyer sees their message read', async () => {
    const p = await paidOrder(t);
    const sent = (await post(t, p.buyer, p.orderId, 'sent you my phone number')).json();
    expect((await list(t, p.seller, p.orderId)).json().unread).toBe(1);
    expect((await list(t, p.buyer, p.orderId)).json().unread).toBe(0);

    // The writer's own "read" marks nothing of theirs.
    const own = await t.app.inject({
      method: 'POST',
      url: url(p.orderId, '/read'),
      headers: p.buyer.auth,
    });
    expect(own.json().marked).toBe(0);
    expect((await list(t, p.buyer, p.orderId)).json().messages[0].readAt).toBeNull();

    const read = await t.app.inject({
      method: 'POST',
      url: url(p.orderId, '/read'),
      headers: p.seller.auth,
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ marked: 1, readAt: clock.now().toISOString() });
    const after = (await list(t, p.buyer, p.orderId)).json().messages[0];
    expect(after).toMatchObject({ id: sent.id, readAt: clock.now().toISOString() });
    expect((await list(t, p.seller, p.orderId)).json().unread).toBe(0);
  });
});

describe('closing', () => {
  it('when 7 days have passed since the order completed, then posting answers INVALID_STATE (closed) and reading still works', async () => {
    const p = await paidOrder(t);
    expect(
      (await orderAction(t, p.seller, p.orderId, 'deliver', { note: 'sent' })).statusCode,
    ).toBe(200);
    expect((await orderAction(t, p.buyer, p.orderId, 'confirm')).statusCode).toBe(200);
    const completedAt = clock.now().getTime();
    const closesAt = new Date(completedAt + 7 * DAY).toISOString();
    expect((await list(t, p.buyer, p.orderId)).json()).toMatchObject({
      open: true,
      closesAt,
    });
    try {
      clock.advance(7 * DAY - 1);
      expect((await post(t, p.buyer, p.orderId, 'thanks, got it')).statusCode).toBe(201);
      clock.advance(1);
      const late = await post(t, p.seller, p.orderId, 'enjoy the game');
      expect(late.statusCode, late.body).toBe(409);
      expect(late.json().error).toMatchObject({
        code: 'INVALID_STATE',
        details: { reason: 'closed', closesAt },
      });
      const read = (await list(t, p.seller, p.orderId)).json();
      expect(read).toMatchObject({ open: false, closedReason: 'closed' });
      expect(read.messages.map((m: { body: string }) => m.body)).toEqual(['thanks, got it']);
      // Reading receipts still work after closing.
      const marked = await t.app.inject({
        method: 'POST',
        url: url(p.orderId, '/read'),
        headers: p.seller.auth,
      });
      expect(marked.json().marked).toBe(1);
    } finally {
      clock.set(new Date());
    }
  });
});

describe('closing after a refund', () => {
  it('when the seller cancelled a paid sale (refunded), then posting closes 7 days after the refund', async () => {
    const p = await paidOrder(t);
    const cancelled = await orderAction(t, p.seller, p.orderId, 'cancel', { reason: 'lost it' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('refunded');
    const closesAt = new Date(clock.now().getTime() + 7 * DAY).toISOString();
    expect((await list(t, p.buyer, p.orderId)).json()).toMatchObject({ open: true, closesAt });
    try {
      clock.advance(7 * DAY);
      const late = await post(t, p.buyer, p.orderId, 'why?');
      expect(late.statusCode, late.body).toBe(409);
      expect(late.json().error.details).toMatchObject({ reason: 'closed', closesAt });
    } finally {
      clock.set(new Date());
    }
  });
});

describe('the photo', () => {
  it('when a photo comes with a message, then it is re-encoded and only the parties and admins can fetch it, never through /media', async () => {
    const p = await paidOrder(t);
    const png = await sharp({
      create: { width: 32, height: 24, channels: 3, background: '#3366cc' },
    })
      .png()
      .withMetadata({ exif: { IFD0: { Copyright: 'secret-gps' } } })
      .toBuffer();
    const form = multipartBody({ body: '轉贈畫面' }, [
      { field: 'photo', filename: 'proof.png', contentType: 'image/png', data: png },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: url(p.orderId),
      headers: { ...p.seller.auth, ...form.headers },
      payload: form.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    const photoUrl: string = res.json().photoUrl;
    expect(photoUrl).toBe(`/api/orders/${p.orderId}/messages/${res.json().id}/photo`);

    for (const who of [p.buyer, p.seller, await makeAdmin(t)]) {
      const got = await t.app.inject({ method: 'GET', url: photoUrl, headers: who.auth });
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('image/webp');
      expect(got.headers['cache-control']).toMatch(/^private/);
      expect(got.rawPayload.includes(Buffer.from('secret-gps'))).toBe(false);
    }
    const stranger = await signedInUser(t);
    expect(
      (await t.app.inject({ method: 'GET', url: photoUrl, headers: stranger.auth })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: photoUrl })).statusCode).toBe(401);

    // Stored under a private key, which the public media route refuses.
    const row = await t.deps.db
      .selectFrom('order_messages')
      .select('photo_key')
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row.photo_key).toMatch(/^private\/messages\/[0-9a-f]{64}\.webp$/);
    expect(await t.deps.storage.get(row.photo_key!)).not.toBeNull();
    expect((await t.app.inject({ method: 'GET', url: `/media/${row.photo_key}` })).statusCode).toBe(
      404,
    );
  });

  it('when the upload is not an image, then it is refused with 415 and nothing is posted', async () => {
    const p = await paidOrder(t);
    const form = multipartBody({ body: 'see attached' }, [
      {
        field: 'photo',
        filename: 'x.png',
        contentType: 'image/png',
        data: Buffer.from('not an image at all'),
      },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: url(p.orderId),
      headers: { ...p.buyer.auth, ...form.headers },
      payload: form.payload,
    });
    expect(res.statusCode, res.body).toBe(415);
    expect((await list(t, p.buyer, p.orderId)).json().messages).toEqual([]);
  });
});

describe('e-mail only when the other party is away', () => {
  async function deliver(app: TestApp, to: TestUser, messageId: string) {
    const [payload] = await messageJobs(app, messageId);
    await runJob(app, notificationJob, payload, jobCtx());
    // By its key: two made in the same (manual clock) millisecond have no order by id.
    const last = (await notificationsOf(app, [to.id])).find(
      (n) => n.dedupe_key === `message:${messageId}`,
    )!;
    return { notification: last, mail: await mailJobsFor(app, [last.id]) };
  }

  it('when the seller has no stream open, then the message notification is e-mailed; with a stream open, it is not', async () => {
    const p = await paidOrder(t);
    const first = (await post(t, p.buyer, p.orderId, 'are you there?')).json();
    const away = await deliver(t, p.seller, first.id);
    expect(away.notification).toMatchObject({ type: 'order_message' });
    expect(away.notification.link).toBe(`/me/orders/${p.orderId}?role=seller#conversation`);
    expect(away.mail).toHaveLength(1);

    const base = await listen(t);
    const stream = await openStream(base, p.seller.auth);
    try {
      await waitFor(() => stream.comments.includes('connected'), 'the stream to open');
      const second = (await post(t, p.buyer, p.orderId, 'ok, I see you online')).json();
      const here = await deliver(t, p.seller, second.id);
      expect(here.mail).toHaveLength(0);
      // ... and it arrived on the open stream.
      await waitFor(() => stream.events.length === 1, 'the live event');
      expect(JSON.parse(stream.events[0]!.data!)).toMatchObject({
        id: here.notification.id,
        type: 'order_message',
      });
    } finally {
      stream.close();
    }
  });
});

describe.runIf(usingMysql())('live on another instance (MariaDB + Redis)', () => {
  it('when the buyer posts on instance A, then the seller streaming from instance B gets it live and no e-mail', async () => {
    const a = await buildTestApp({ clock });
    const b = await buildTestApp({ clock });
    try {
      const baseB = await listen(b);
      const p = await paidOrder(a);
      const stream = await openStream(baseB, p.seller.auth);
      try {
        await waitFor(() => stream.comments.includes('connected'), 'the stream on B');
        const sent = (await post(a, p.buyer, p.orderId, 'posted on A')).json();
        // The worker on instance A runs the job: it must see B's stream (shared presence).
        const [payload] = await messageJobs(a, sent.id);
        await runJob(a, notificationJob, payload, jobCtx());
        await waitFor(() => stream.events.length === 1, 'the event from instance A');
        const item = JSON.parse(stream.events[0]!.data!);
        expect(item).toMatchObject({ type: 'order_message' });
        expect(item.body).toContain('posted on A');
        expect(await mailJobsFor(a, [item.id])).toHaveLength(0);
        // And B serves the message itself.
        expect((await list(b, p.seller, p.orderId)).json().messages[0].body).toBe('posted on A');
      } finally {
        stream.close();
      }
    } finally {
      a.app.server.closeAllConnections();
      b.app.server.closeAllConnections();
      await a.close();
      await b.close();
    }
  });
});

describe('masking and flagging (pure rules)', () => {
  it.each([
    ['call 0912-345-678', 'call •••'],
    ['0912 345 678 please', '••• please'],
    ['0912345678', '•••'],
    ['+886 912 345 678', '•••'],
    ['886-912-345-678!', '•••!'],
    ['mail me: fan.2026+x@gmail.com', 'mail me: •••'],
    ['line id: fan_2026', 'line id •••'],
    ['LINE ID：tix.seller', 'LINE ID •••'],
    ['加賴 abc123', '加賴 •••'],
    ['add @seatfan99 on LINE', 'add ••• on LINE'],
  ])('masks %j', (input, masked) => {
    expect(maskContactDetails(input)).toBe(masked);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['Section 12, row 5, seats 7-8', '我 18:35 在一號門等你', '2 張票 NT$1200'])
      expect(maskContactDetails(text)).toBe(text);
  });

  it.each([
    '可以直接轉帳嗎',
    '匯款到我的帳戶',
    'please do a bank transfer instead',
    '(822) 1234-5678-9012',
    '012-12345678901',
    'account number 12345678901',
  ])('flags %j as a payment request', (text) => {
    expect(isPaymentRequest(text)).toBe(true);
  });

  it.each([
    '票已轉贈，請查收',
    'my number is 0912-345-678',
    'see you at gate 1 at 18:30',
    'seats 7-8, row 12',
  ])('does not flag %j', (text) => {
    expect(isPaymentRequest(text)).toBe(false);
  });
});
