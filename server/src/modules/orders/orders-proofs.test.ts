// Proof of the handover (issue 18 item 4): "mark sent" needs the evidence of the listing's
// delivery method; the transfer screenshot goes through the photo pipeline into the private store
// and only the order's parties and admins can fetch it; the in-person code completes the order
// once, and wrong codes are limited.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { multipartBody } from '../../../test/multipart.ts';
import { MINUTE, manualClock } from '../../shared/clock.ts';
import {
  errorCode,
  getOrder,
  notificationsOf,
  runJob,
  paidOrder,
  proofPhoto,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { notificationJob } from '../notifications/index.ts';
import { CODE_LOCK_MINUTES, MAX_CODE_FAILURES } from './orders.proofs.ts';

const clock = manualClock(new Date());
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  admin = await signedInUser(t, { role: 'admin' });
});
afterAll(async () => t.close());

const deliver = (user: TestUser, orderId: string, payload: object = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/deliver`,
    headers: user.auth,
    payload,
  });

const deliverPhoto = (user: TestUser, orderId: string, photo: Buffer, note?: string) => {
  const form = multipartBody({ note }, [
    { field: 'proof', filename: 'transfer.jpg', contentType: 'image/jpeg', data: photo },
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/deliver`,
    headers: { ...user.auth, ...form.headers },
    payload: form.payload,
  });
};

const fetchPhoto = (orderId: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: `/api/orders/${orderId}/proof/photo`, headers });

/** The buyer's code, as the buyer's order page shows it. */
const codeOf = async (buyer: TestUser, orderId: string) =>
  (await getOrder(t, buyer, orderId)).handoverCode as string;

const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
      )
    : [];

describe('mark sent needs proof fitting the delivery method', () => {
  it('when an e-ticket is marked sent without a photo, then 422 PROOF_REQUIRED and it stays paid', async () => {
    const o = await paidOrder(t, { deliveryMethod: 'eticket_transfer' });
    const res = await deliver(o.seller, o.orderId, { note: 'sent', trackingNumber: '12345678' });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'PROOF_REQUIRED',
      details: { method: 'eticket_transfer', needs: 'photo' },
    });
    expect((await getOrder(t, o.buyer, o.orderId)).status).toBe('paid');
  });

  it('when mail is marked sent without a tracking number, or with a malformed one, then it is refused; with one, the buyer sees it', async () => {
    const o = await paidOrder(t, { deliveryMethod: 'paper_mail' });
    const none = await deliver(o.seller, o.orderId, { note: 'posted' });
    expect(errorCode(none)).toBe('PROOF_REQUIRED');
    for (const bad of ['1234', 'RR-ABC-DEF-GHI', '<script>1234567</script>']) {
      const res = await deliver(o.seller, o.orderId, { trackingNumber: bad });
      expect(res.statusCode, bad).toBe(400);
    }
    const ok = await deliver(o.seller, o.orderId, { trackingNumber: 'rr 1234-5678 9tw' });
    expect(ok.statusCode, ok.body).toBe(200);
    const seen = await getOrder(t, o.buyer, o.orderId);
    expect(seen.status).toBe('delivered');
    expect(seen.proof).toMatchObject({ kind: 'tracking', trackingNumber: 'RR123456789TW' });
    // The buyer's notice (bell and e-mail) carries the tracking number.
    const job = await t.deps.db
      .selectFrom('jobs')
      .selectAll()
      .where('type', '=', notificationJob.type)
      .where('payload', 'like', `%order_delivered:${o.orderId}%`)
      .executeTakeFirstOrThrow();
    await runJob(t, notificationJob, JSON.parse(job.payload));
    const notices = await notificationsOf(t, [o.buyer.id]);
    const delivered = notices.find((n) => n.type === 'order_delivered');
    expect(delivered?.body).toContain('RR123456789TW');
  });

  it('when an in-person order is marked sent without the code, then 422 PROOF_REQUIRED', async () => {
    const o = await paidOrder(t, { deliveryMethod: 'in_person' });
    const res = await deliver(o.seller, o.orderId, {});
    expect(res.json().error).toMatchObject({ code: 'PROOF_REQUIRED', details: { needs: 'code' } });
  });
});

describe('the transfer screenshot is private', () => {
  it('when the seller uploads it, then it is re-encoded without metadata, stored outside /media, and only the buyer, the seller and admins can fetch it', async () => {
    const o = await paidOrder(t, { deliveryMethod: 'eticket_transfer' });
    const uploadsBefore = files(t.config.storage.driver === 'disk' ? t.config.storage.dir : '');
    const photo = await sharp({
      create: { width: 120, height: 80, channels: 3, background: '#884422' },
    })
      .jpeg()
      .withExif({ IFD0: { Make: 'SECRET-EXIF-MARK', Model: 'Pocket 9' } })
      .toBuffer();
    expect(photo.includes('SECRET-EXIF-MARK')).toBe(true);

    const res = await deliverPhoto(o.seller, o.orderId, photo, '已轉贈');
    expect(res.statusCode, res.body).toBe(200);
    const order = res.json();
    expect(order.status).toBe('delivered');
    expect(order.proof).toMatchObject({
      kind: 'photo',
      photoUrl: `/api/orders/${o.orderId}/proof/photo`,
    });
    expect(JSON.stringify(order)).not.toContain('/media/');
    // Nothing new among the public uploads.
    expect(files(t.config.storage.driver === 'disk' ? t.config.storage.dir : '')).toEqual(
      uploadsBefore,
    );

    const stranger = await signedInUser(t, { name: 'Nosy Neighbour' });
    for (const [who, headers] of [
      ['buyer', o.buyer.auth],
      ['seller', o.seller.auth],
      ['admin', admin.auth],
    ] as const) {
      const got = await fetchPhoto(o.orderId, headers);
      expect(got.statusCode, who).toBe(200);
      expect(got.headers['content-type'], who).toBe('image/webp');
      expect(got.headers['cache-control'], who).toBe('private, no-store');
      expect(got.rawPayload.includes('SECRET-EXIF-MARK'), who).toBe(false);
      expect((await sharp(got.rawPayload).metadata()).exif, who).toBeUndefined();
    }
    for (const [who, headers] of [
      ['stranger', stranger.auth],
      ['anonymous', {}],
      ['garbage token', { authorization: 'Bearer not.a.token' }],
    ] as const) {
      const got = await fetchPhoto(o.orderId, headers);
      expect(got.statusCode, who).toBe(404);
      expect(errorCode(got), who).toBe('NOT_FOUND');
    }
    // The stored key is not reachable through the public media route either.
    const proof = await t.deps.db
      .selectFrom('order_proofs')
      .selectAll()
      .where('order_id', '=', o.orderId)
      .executeTakeFirstOrThrow();
    expect(proof.photo_key).toMatch(/^order-proofs\//);
    const media = await t.app.inject({ method: 'GET', url: `/media/${proof.photo_key}` });
    expect(media.statusCode).toBe(404);
    expect(media.rawPayload.includes(Buffer.from('RIFF'))).toBe(false);
  });

  it('when the upload is not an image, then 415 and the order stays paid; the buyer cannot mark it sent', async () => {
    const o = await paidOrder(t, { deliveryMethod: 'eticket_transfer' });
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const res = await deliverPhoto(o.seller, o.orderId, html);
    expect(res.statusCode).toBe(415);
    const buyer = await deliverPhoto(o.buyer, o.orderId, await proofPhoto());
    expect(buyer.statusCode).toBe(403);
    expect((await getOrder(t, o.buyer, o.orderId)).status).toBe('paid');
    expect((await fetchPhoto(o.orderId, o.buyer.auth)).statusCode).toBe(404);
  });
});

describe('the in-person handover code', () => {
  it('when the seller enters the code the buyer sees, then the order completes at once; the code works once', async () => {
    const o = await paidOrder(t, { deliveryMethod: 'in_person' });
    const code = await codeOf(o.buyer, o.orderId);
    expect(code).toMatch(/^\d{6}$/);
    // Only the buyer sees it.
    expect((await getOrder(t, o.seller, o.orderId)).handoverCode).toBeNull();
    expect((await getOrder(t, admin, o.orderId)).handoverCode).toBeNull();

    const res = await deliver(o.seller, o.orderId, { code });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'completed', proof: { kind: 'code' } });
    const payout = await t.deps.db
      .selectFrom('payouts')
      .select('status')
      .where('order_id', '=', o.orderId)
      .execute();
    expect(payout).toEqual([{ status: 'owed' }]);
    expect((await getOrder(t, o.buyer, o.orderId)).handoverCode).toBeNull();

    const again = await deliver(o.seller, o.orderId, { code });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('HANDOVER_CODE_USED');
  });

  it('when two completions with one code race, then exactly one succeeds and one payout is owed', async () => {
    const o = await paidOrder(t, { deliveryMethod: 'in_person' });
    const code = await codeOf(o.buyer, o.orderId);
    const results = await Promise.all([
      deliver(o.seller, o.orderId, { code }),
      deliver(o.seller, o.orderId, { code }),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses, results.map((r) => r.body).join('\n')).toEqual([200, 409]);
    expect(results.filter((r) => r.statusCode !== 200).map(errorCode)).toEqual([
      'HANDOVER_CODE_USED',
    ]);
    const payouts = await t.deps.db
      .selectFrom('payouts')
      .select('id')
      .where('order_id', '=', o.orderId)
      .execute();
    expect(payouts).toHaveLength(1);
  });

  it(`when ${MAX_CODE_FAILURES} wrong codes are entered, then entry pauses (even for the right code) until the pause ends`, async () => {
    const o = await paidOrder(t, { deliveryMethod: 'in_person' });
    const code = await codeOf(o.buyer, o.orderId);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i < MAX_CODE_FAILURES; i++) {
      const res = await deliver(o.seller, o.orderId, { code: wrong });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({
        code: 'HANDOVER_CODE_INVALID',
        details: { attemptsLeft: MAX_CODE_FAILURES - i },
      });
    }
    const last = await deliver(o.seller, o.orderId, { code: wrong });
    expect(last.statusCode).toBe(429);
    expect(last.json().error).toMatchObject({
      code: 'HANDOVER_CODE_LOCKED',
      details: { retryAt: expect.any(String) },
    });
    const locked = await deliver(o.seller, o.orderId, { code });
    expect(errorCode(locked)).toBe('HANDOVER_CODE_LOCKED');
    expect((await getOrder(t, o.buyer, o.orderId)).status).toBe('paid');

    clock.advance(CODE_LOCK_MINUTES * MINUTE + 1);
    const after = await deliver(o.seller, o.orderId, { code });
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json().status).toBe('completed');
  });
});
