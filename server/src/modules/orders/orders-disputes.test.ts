// Disputes with evidence (issue 18 item 6): a reason from the list, private photos, the admin's
// view of both parties, and a settlement note both parties receive in the bell and by e-mail.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/build-test-app.ts';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import { multipartBody } from '../../../test/multipart.ts';
import {
  errorCode,
  getOrder,
  notificationsOf,
  orderAction,
  paidOrder,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { manualClock } from '../../shared/clock.ts';

const clock = manualClock(new Date(Date.now() + 60_000));
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await buildPrivateTestApp({ clock });
  admin = await signedInUser(t, { role: 'admin' });
});
afterAll(async () => t.close());

/** A JPEG with EXIF (camera, GPS-like comment) as a phone would send it. */
const photo = () =>
  sharp({ create: { width: 640, height: 480, channels: 3, background: '#c0392b' } })
    .jpeg()
    .withMetadata({ exif: { IFD0: { Make: 'PhoneCo', Copyright: 'secret place' } } })
    .toBuffer();

async function disputeWithPhotos(buyer: TestUser, orderId: string, fields: Record<string, string>) {
  const { payload, headers } = multipartBody(fields, [
    { filename: 'a.jpg', contentType: 'image/jpeg', data: await photo() },
    { filename: 'b.jpg', contentType: 'image/jpeg', data: await photo() },
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/dispute`,
    headers: { ...buyer.auth, ...headers },
    payload,
  });
}

const fetchPhoto = (url: string, user?: TestUser) =>
  t.app.inject({ method: 'GET', url, ...(user ? { headers: user.auth } : {}) });

describe('disputes with evidence', () => {
  it('when the buyer disputes without a reason from the list, or "other" without words, then 400 VALIDATION_FAILED; with one, then disputed with its code', async () => {
    const sale = await paidOrder(t);
    for (const payload of [
      {},
      { reason: 'it never came' },
      { reasonCode: 'too_expensive' },
      { reasonCode: 'other' },
      { reasonCode: 'other', reason: '   ' },
    ]) {
      const res = await orderAction(t, sale.buyer, sale.orderId, 'dispute', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    expect((await getOrder(t, sale.buyer, sale.orderId)).status).toBe('paid');
    const ok = await orderAction(t, sale.buyer, sale.orderId, 'dispute', {
      reasonCode: 'not_received',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'disputed',
      disputeCode: 'not_received',
      disputeReason: null,
      disputePhotos: [],
    });
  });

  it('when the buyer attaches photos, then only the buyer, the seller and admins can fetch them (another user and anonymous 404, never at /media), stripped of metadata', async () => {
    const sale = await paidOrder(t);
    const res = await disputeWithPhotos(sale.buyer, sale.orderId, {
      reasonCode: 'wrong_seats',
      reason: '座位是 12 排不是 5 排',
    });
    expect(res.statusCode, res.body).toBe(200);
    const photos = res.json().disputePhotos as { id: string; url: string; thumbUrl: string }[];
    expect(photos).toHaveLength(2);
    const stranger = await signedInUser(t);
    for (const p of photos) {
      for (const who of [sale.buyer, sale.seller, admin]) {
        const got = await fetchPhoto(p.url, who);
        expect(got.statusCode, got.body).toBe(200);
        expect(got.headers['content-type']).toBe('image/webp');
        expect(got.headers['cache-control']).toBe('private, no-store');
        const meta = await sharp(got.rawPayload).metadata();
        expect(meta.format).toBe('webp');
        expect(meta.exif).toBeUndefined();
      }
      expect((await fetchPhoto(p.thumbUrl, sale.seller)).statusCode).toBe(200);
      expect((await fetchPhoto(p.url, stranger)).statusCode).toBe(404);
      expect((await fetchPhoto(p.url)).statusCode).toBe(404);
    }
    // Another order's path does not open this order's photo.
    const other = await paidOrder(t);
    const crossed = await fetchPhoto(
      `/api/orders/${other.orderId}/dispute-photos/${photos[0]!.id}`,
      other.buyer,
    );
    expect(crossed.statusCode).toBe(404);
    // The stored objects are private: the public media route refuses them.
    const rows = await t.deps.db
      .selectFrom('order_dispute_photos')
      .select(['storage_key', 'thumb_key'])
      .where('order_id', '=', sale.orderId)
      .execute();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.storage_key.startsWith('private/')).toBe(true);
      expect(await t.deps.storage.get(r.storage_key)).not.toBeNull();
      expect((await fetchPhoto(`/media/${r.storage_key}`)).statusCode).toBe(404);
      expect((await fetchPhoto(`/media/${r.thumb_key}`)).statusCode).toBe(404);
    }
  });

  it('when a file is not an image, then 415 and the order stays paid with nothing stored', async () => {
    const sale = await paidOrder(t);
    const { payload, headers } = multipartBody({ reasonCode: 'not_valid' }, [
      { filename: 'x.jpg', contentType: 'image/jpeg', data: Buffer.from('not an image at all') },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/orders/${sale.orderId}/dispute`,
      headers: { ...sale.buyer.auth, ...headers },
      payload,
    });
    expect(res.statusCode).toBe(415);
    expect((await getOrder(t, sale.buyer, sale.orderId)).status).toBe('paid');
  });

  it('when an admin opens a dispute, then it shows the timeline, the evidence and both parties’ records; members get 403', async () => {
    const sale = await paidOrder(t);
    await disputeWithPhotos(sale.buyer, sale.orderId, { reasonCode: 'other', reason: '票是假的' });
    const url = `/api/admin/disputes/${sale.orderId}`;
    expect((await t.app.inject({ method: 'GET', url, headers: sale.buyer.auth })).statusCode).toBe(
      403,
    );
    const res = await t.app.inject({ method: 'GET', url, headers: admin.auth });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({
      reasonCode: 'other',
      reason: '票是假的',
      buyer: { id: sale.buyer.id, ordersBought: 1, disputesOpened: 1, ordersSold: 0 },
      seller: {
        id: sale.seller.id,
        ordersSold: 1,
        disputesAgainst: 1,
        disputesLost: 0,
        strikes: 0,
        sellingPausedUntil: null,
      },
    });
    expect(view.openedAt).toBe(clock.now().toISOString());
    expect(view.photos).toHaveLength(2);
    expect(view.order.timeline.map((e: { to: string }) => e.to)).toEqual([
      'pending_payment',
      'paid',
      'disputed',
    ]);
  });

  it('when an admin settles without a note, then 400; with one, then both parties get it in the bell and by e-mail', async () => {
    const sale = await paidOrder(t);
    await orderAction(t, sale.buyer, sale.orderId, 'dispute', { reasonCode: 'not_received' });
    const url = `/api/admin/orders/${sale.orderId}/resolve`;
    for (const payload of [{ outcome: 'refund' }, { outcome: 'refund', reason: '  ' }]) {
      const res = await t.app.inject({ method: 'POST', url, headers: admin.auth, payload });
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    const note = '賣家未提出交付證明，全額退款給買家';
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: admin.auth,
      payload: { outcome: 'refund', reason: note },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('refunded');
    await t.deps.worker.drain();
    const bell = await notificationsOf(t, [sale.buyer.id, sale.seller.id]);
    const settled = bell.filter((n) => n.type === 'dispute_resolved');
    expect(settled.map((n) => n.user_id).sort()).toEqual([sale.buyer.id, sale.seller.id].sort());
    for (const n of settled) expect(n.body).toContain(note);

    const emails = await t.deps.db
      .selectFrom('users')
      .select('email')
      .where('id', 'in', [sale.buyer.id, sale.seller.id])
      .execute();
    const mails = await readOutbox(t.config.mail.outboxDir);
    for (const { email } of emails) {
      const mine = mails.filter((m) => m.to && 'text' in m.to && m.to.text === email);
      const mail = mine.find((m) => m.subject?.startsWith('爭議已處理'));
      expect(mail, mine.map((m) => m.subject).join(' | ')).toBeDefined();
      expect(mail!.text).toContain(note);
    }
  });
});

async function readOutbox(dir: string) {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));
  return Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
}
