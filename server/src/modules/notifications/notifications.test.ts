import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_TYPES } from '../../../../shared/contracts/notifications.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { DAY } from '../../shared/clock.ts';
import { newId } from '../../shared/ids.ts';
import type { NotifyInput } from './index.ts';
import { gameMovedJob, notificationJob, notificationTypes } from './index.ts';
import {
  renderNotification,
  type NotificationLocale,
  type NotificationView,
} from './notifications.templates.ts';
import {
  createGame,
  insertOrder,
  insertUsers,
  jobCtx,
  mailJobsFor,
  notificationsOf,
  registerUser,
  runJob,
} from '../../../test/factories/index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

const errorCode = (res: { json(): unknown }) =>
  (res.json() as { error: { code: string } }).error.code;

async function notify(inputs: NotifyInput[]) {
  const events = await t.deps.db
    .transaction()
    .execute((trx) => t.deps.notifications.notifyMany(trx, inputs));
  await t.deps.notifications.publish(events);
  return events;
}

const simple = (userId: string, n: number): NotifyInput => ({
  userId,
  type: 'order_completed',
  dedupeKey: `test:${newId()}:${n}`,
  view: {},
});

describe('templates', () => {
  const game = {
    id: 'g1',
    startsAt: '2026-05-05T10:35:00.000Z',
    home: { zh: '兄弟', en: 'CTBC Brothers' },
    away: { zh: '統一獅', en: 'Uni-President 7-ELEVEn Lions' },
  };
  const full: NotificationView = {
    userId: 'u1',
    role: 'seller',
    gameId: 'g1',
    orderId: 'o1',
    listingId: 'l1',
    game,
    area: { zh: '內野一壘', en: 'Infield 1B' },
    price: 500,
    quantity: 2,
    amount: 1000,
    deliverBy: '2026-05-04T10:00:00.000Z',
    startsAt: '2026-05-06T10:35:00.000Z',
    rating: 4,
    comment: 'Smooth handover',
    buyerName: 'Amy',
  };

  it('when every type renders in both languages, with all facts or none, then no placeholder leaks and the link is a path', () => {
    expect(notificationTypes).toEqual(NOTIFICATION_TYPES);
    expect(notificationTypes).toHaveLength(18);
    for (const type of notificationTypes)
      for (const locale of ['zh-TW', 'en'] as NotificationLocale[])
        for (const view of [full, { userId: 'u1' }, { ...full, role: 'buyer' as const }]) {
          const r = renderNotification(type, locale, view);
          const text = `${r.title} ${r.body} ${r.link}`;
          expect(r.title.length, `${type} ${locale}`).toBeGreaterThan(0);
          expect(r.body.length, `${type} ${locale}`).toBeGreaterThan(0);
          expect(text).not.toMatch(/undefined|NaN|null|\[object/);
          expect(r.link.startsWith('/')).toBe(true);
          if (locale === 'en') expect(text).not.toMatch(/[\u4e00-\u9fff]/);
        }
  });

  it('when a notification is about a listing, an order, a game or a review, then it links to that page', () => {
    const link = (
      type: (typeof NOTIFICATION_TYPES)[number],
      view: Partial<NotificationView> = {},
    ) => renderNotification(type, 'zh-TW', { ...full, ...view }).link;
    expect(link('reservation_match')).toBe('/listings/l1');
    expect(link('order_paid')).toBe('/me/orders?role=seller');
    expect(link('order_placed')).toBe('/me/orders?role=seller');
    expect(link('order_delivered', { role: 'buyer' })).toBe('/checkout/o1');
    expect(link('order_refunded', { role: 'buyer' })).toBe('/checkout/o1');
    expect(link('order_completed', { role: 'buyer' })).toBe('/checkout/o1');
    expect(link('game_postponed')).toBe('/games/g1');
    expect(link('game_postponed', { stake: 'seller' })).toBe('/games/g1');
    expect(link('game_postponed', { stake: 'buyer' })).toBe('/me/orders/o1');
    expect(link('game_cancelled', { stake: 'buyer' })).toBe('/me/orders/o1');
    expect(link('game_cancelled')).toBe('/games/g1');
    expect(link('review_received')).toBe('/users/u1');
    expect(link('order_message', { role: 'seller' })).toBe(
      '/me/orders/o1?role=seller#conversation',
    );
    expect(link('payout_paid')).toBe('/me/orders?role=seller');
  });

  it('when a reservation matches, then the text names the game, time, area, quantity and price in the language', () => {
    const zh = renderNotification('reservation_match', 'zh-TW', full);
    expect(zh.title).toBe('有票了：統一獅 vs 兄弟');
    expect(zh.body).toContain('18:35');
    expect(zh.body).toContain('內野一壘 2 張，每張 NT$500');
    const en = renderNotification('reservation_match', 'en', full);
    expect(en.title).toBe('Tickets available: Uni-President 7-ELEVEn Lions vs CTBC Brothers');
    expect(en.body).toContain('Infield 1B, 2 tickets at NT$500 each.');
  });
});

describe('notification.send job', () => {
  it("when an order is paid, then the seller is told to ship by the deadline, in the seller's language", async () => {
    const game = await createGame(t);
    const [seller, buyer, englishSeller] = await insertUsers(t, [{}, {}, { locale: 'en' }]);
    const orderId = await insertOrder(t, {
      gameId: game.id,
      buyerId: buyer!,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
      unitPrice: 500,
      quantity: 2,
    });
    await runJob(
      t,
      notificationJob,
      {
        userId: seller,
        type: 'order_paid',
        params: { orderId },
        dedupeKey: `order_paid:${orderId}`,
      },
      jobCtx(),
    );
    const [row] = await notificationsOf(t, [seller!]);
    expect(row).toMatchObject({ type: 'order_paid', link: '/me/orders?role=seller' });
    expect(row!.title).toBe('買家已付款，請出貨：統一獅 vs 兄弟');
    expect(row!.body).toContain('NT$1,000');

    const otherOrder = await insertOrder(t, {
      gameId: game.id,
      buyerId: buyer!,
      sellerId: englishSeller!,
      areaId: game.areas[0]!.id,
    });
    await runJob(
      t,
      notificationJob,
      { userId: englishSeller, type: 'order_paid', params: { orderId: otherOrder } },
      jobCtx(),
    );
    const [en] = await notificationsOf(t, [englishSeller!]);
    expect(en!.title).toBe(
      'Paid — please send the ticket: Uni-President 7-ELEVEn Lions vs CTBC Brothers',
    );
  });

  it('when a review arrives with a long comment, then the seller sees the reviewer, the stars and a shortened comment', async () => {
    const game = await createGame(t);
    const [seller, buyer] = await insertUsers(t, [{}, {}]);
    const orderId = await insertOrder(t, {
      gameId: game.id,
      buyerId: buyer!,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
      status: 'completed',
    });
    await runJob(
      t,
      notificationJob,
      {
        userId: seller,
        type: 'review_received',
        params: {
          orderId,
          reviewId: newId(),
          rating: 4,
          buyerName: '阿明',
          comment: '讚'.repeat(1500),
        },
        dedupeKey: `review:${orderId}`,
      },
      jobCtx(),
    );
    const [row] = await notificationsOf(t, [seller!]);
    expect(row!.link).toBe(`/users/${seller}`);
    expect(row!.body.startsWith('阿明：★★★★☆（4 顆星） 「讚讚')).toBe(true);
    expect(row!.body.length).toBeLessThan(400);
  });

  it('when the ticket is sent, then the buyer is linked to the order page', async () => {
    const game = await createGame(t);
    const [seller, buyer] = await insertUsers(t, [{}, {}]);
    const orderId = await insertOrder(t, {
      gameId: game.id,
      buyerId: buyer!,
      sellerId: seller!,
      areaId: game.areas[0]!.id,
      status: 'delivered',
    });
    await runJob(
      t,
      notificationJob,
      { userId: buyer, type: 'order_delivered', params: { orderId } },
      jobCtx(),
    );
    const [row] = await notificationsOf(t, [buyer!]);
    expect(row).toMatchObject({ type: 'order_delivered', link: `/checkout/${orderId}` });
  });

  it('when every type is sent, then each becomes one notification of that type', async () => {
    const [fan] = await insertUsers(t, [{}]);
    for (const type of notificationTypes)
      await runJob(t, notificationJob, { userId: fan, type, params: {} }, jobCtx());
    const rows = await notificationsOf(t, [fan!]);
    expect(rows.map((r) => r.type).sort()).toEqual([...notificationTypes].sort());
  });

  it('when the same job runs twice, or two jobs share a dedupe key, then the user is notified once', async () => {
    const [fan] = await insertUsers(t, [{}]);
    const ctx = jobCtx();
    const payload = { userId: fan, type: 'order_completed', params: {} };
    await runJob(t, notificationJob, payload, ctx);
    await runJob(t, notificationJob, payload, ctx);
    expect(await notificationsOf(t, [fan!])).toHaveLength(1);
    const keyed = { ...payload, dedupeKey: `order_completed:${newId()}` };
    await runJob(t, notificationJob, keyed, jobCtx());
    await runJob(t, notificationJob, keyed, jobCtx());
    const rows = await notificationsOf(t, [fan!]);
    expect(rows).toHaveLength(2);
    expect(
      await mailJobsFor(
        t,
        rows.map((r) => r.id),
      ),
    ).toHaveLength(2);
  });

  it('when the payload is malformed, then the job fails (and goes dead after its retries)', async () => {
    await expect(
      runJob(t, notificationJob, { userId: 'x', type: 'no_such_type' }, jobCtx()),
    ).rejects.toThrow(/malformed/);
    await expect(runJob(t, notificationJob, null, jobCtx())).rejects.toThrow(/malformed/);
  });

  it('when the recipient does not exist, then nothing is written and the job succeeds', async () => {
    const ghost = newId();
    await runJob(t, notificationJob, { userId: ghost, type: 'order_paid' }, jobCtx());
    expect(await notificationsOf(t, [ghost])).toHaveLength(0);
  });
});

describe('game.moved job', () => {
  it('when a game is moved, then buyers holding paid or delivered tickets and the seller of its listings are told the new time, once', async () => {
    const game = await createGame(t);
    const [seller, paid, delivered, pending, refunded] = await insertUsers(t, [{}, {}, {}, {}, {}]);
    const order = (
      buyerId: string,
      status: 'paid' | 'delivered' | 'pending_payment' | 'refunded',
    ) =>
      insertOrder(t, {
        gameId: game.id,
        buyerId,
        sellerId: seller!,
        areaId: game.areas[0]!.id,
        status,
      });
    const paidOrders = [await order(paid!, 'paid'), await order(paid!, 'paid')];

    const deliveredOrder = await order(delivered!, 'delivered');
    await order(pending!, 'pending_payment');
    await order(refunded!, 'refunded');
    const startsAt = new Date(Date.parse(game.startsAt) + DAY).toISOString();
    const payload = { gameId: game.id, previousStartsAt: game.startsAt, startsAt };
    await runJob(t, gameMovedJob, payload, jobCtx());
    await runJob(t, gameMovedJob, payload, jobCtx());

    const rows = await notificationsOf(t, [seller!, paid!, delivered!, pending!, refunded!]);
    // The seller of the sold listings is told too (docs/PRODUCT.md §2.10); not the buyers whose
    // orders are unpaid or refunded.
    expect(rows.map((r) => r.user_id).sort()).toEqual([seller!, paid!, delivered!].sort());
    // Buyers' notices open their order (where they choose: keep or refund); the seller's, the game.
    const links = Object.fromEntries(rows.map((r) => [r.user_id, r.link]));
    expect(links).toEqual({
      [seller!]: `/games/${game.id}`,
      [paid!]: links[paid!],
      [delivered!]: `/me/orders/${deliveredOrder}`,
    });
    // A buyer with two paid orders is sent to one of them.
    expect(paidOrders.map((id) => `/me/orders/${id}`)).toContain(links[paid!]);
    for (const r of rows) {
      expect(r.type).toBe('game_postponed');
      expect(r.body).toContain('新的開賽時間');
    }

    // Moved again: a new time is news.
    const later = new Date(Date.parse(startsAt) + DAY).toISOString();
    await runJob(t, gameMovedJob, { ...payload, startsAt: later }, jobCtx());
    expect(await notificationsOf(t, [paid!])).toHaveLength(2);
  });
});

describe('notifications API', () => {
  it('when a fan pages through notifications, then they come newest first with an unread count and cursors', async () => {
    const fan = await registerUser(t);
    await notify(Array.from({ length: 25 }, (_, i) => simple(fan.user.id, i)));
    const first = await t.app.inject({
      method: 'GET',
      url: '/api/notifications',
      headers: fan.auth,
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(20);
    expect(page1.unreadCount).toBe(25);
    expect(page1.items[0]).toEqual({
      id: expect.any(String),
      type: 'order_completed',
      title: expect.any(String),
      body: expect.any(String),
      link: '/me/orders',
      readAt: null,
      createdAt: expect.any(String),
    });
    const page2 = (
      await t.app.inject({
        method: 'GET',
        url: `/api/notifications?cursor=${page1.nextCursor}`,
        headers: fan.auth,
      })
    ).json();
    expect(page2.items).toHaveLength(5);
    expect(page2.nextCursor).toBeNull();
    const ids = [...page1.items, ...page2.items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(25);
    expect(ids).toEqual([...ids].sort().reverse());

    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/notifications?cursor=%%%',
      headers: fan.auth,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('when a fan reads one and then all, then the unread filter and count follow', async () => {
    const fan = await registerUser(t);
    await notify(Array.from({ length: 3 }, (_, i) => simple(fan.user.id, i)));
    const list = async (q = '') =>
      (
        await t.app.inject({ method: 'GET', url: `/api/notifications${q}`, headers: fan.auth })
      ).json();
    const [newest] = (await list()).items;
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/notifications/${newest.id}/read`,
      headers: fan.auth,
    });
    expect(read.statusCode).toBe(204);
    // Reading twice is fine.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/notifications/${newest.id}/read`,
          headers: fan.auth,
        })
      ).statusCode,
    ).toBe(204);
    const unread = await list('?unread=true');
    expect(unread.unreadCount).toBe(2);
    expect(unread.items.map((i: { id: string }) => i.id)).not.toContain(newest.id);
    expect((await list()).items.find((i: { id: string }) => i.id === newest.id).readAt).toEqual(
      expect.any(String),
    );

    const all = await t.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: fan.auth,
    });
    expect(all.statusCode).toBe(204);
    const after = await list('?unread=1');
    expect(after).toMatchObject({ items: [], unreadCount: 0, nextCursor: null });
  });

  it("when a fan marks someone else's notification read, then 404 and it stays unread", async () => {
    const owner = await registerUser(t);
    const other = await registerUser(t);
    const [event] = await notify([simple(owner.user.id, 0)]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/notifications/${event!.item.id}/read`,
      headers: other.auth,
    });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('NOT_FOUND');
    const missing = await t.app.inject({
      method: 'POST',
      url: `/api/notifications/${newId()}/read`,
      headers: other.auth,
    });
    expect(missing.statusCode).toBe(404);
    await t.app.inject({ method: 'POST', url: '/api/notifications/read-all', headers: other.auth });
    const mine = (
      await t.app.inject({ method: 'GET', url: '/api/notifications', headers: owner.auth })
    ).json();
    expect(mine.unreadCount).toBe(1);
    const theirs = (
      await t.app.inject({ method: 'GET', url: '/api/notifications', headers: other.auth })
    ).json();
    expect(theirs.items).toEqual([]);
  });

  it('when nobody is signed in, then 401', async () => {
    for (const [method, url] of [
      ['GET', '/api/notifications'],
      ['POST', '/api/notifications/read-all'],
      ['POST', `/api/notifications/${newId()}/read`],
      ['GET', '/api/notifications/stream'],
    ] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, url).toBe(401);
    }
  });
});

describe("notifications in the site's language (issue 21 item 6)", () => {
  const asEn = renderNotification('order_completed', 'en', { userId: 'x' });
  const asZh = renderNotification('order_completed', 'zh-TW', { userId: 'x' });

  it('when a zh-TW account switches the site to English, then the bell reads English and the e-mail stays Chinese', async () => {
    expect(asEn.title).not.toBe(asZh.title);
    const fan = await registerUser(t); // locale zh-TW
    await notify([simple(fan.user.id, 1)]);
    const list = (extra: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'GET',
        url: `/api/notifications${extra}`,
        headers: { ...fan.auth, ...headers },
      });
    const en = (await list('?lang=en')).json().items[0];
    expect(en).toMatchObject({ title: asEn.title, body: asEn.body });
    const byHeader = (await list('', { 'accept-language': 'en-US,en;q=0.9,zh-TW;q=0.5' })).json()
      .items[0];
    expect(byHeader.title).toBe(asEn.title);
    const zh = (await list('?lang=zh-TW', { 'accept-language': 'en' })).json().items[0];
    expect(zh.title).toBe(asZh.title);
    // No preference: the account's language.
    expect((await list('')).json().items[0].title).toBe(asZh.title);
    expect((await list('?lang=fr')).statusCode).toBe(400);
    // The e-mail is written from the stored title, in the account's language.
    const [row] = await notificationsOf(t, [fan.user.id]);
    expect(row!.title).toBe(asZh.title);
    expect(await mailJobsFor(t, [row!.id])).toHaveLength(1);
  });

  it('when an English account reads in zh-TW, then the bell reads Chinese', async () => {
    const [id] = await insertUsers(t, [{ locale: 'en' }]);
    await notify([simple(id!, 1)]);
    const page = await t.deps.notifications.list(id!, { limit: 5 }, 'zh-TW');
    expect(page.items[0]!.title).toBe(asZh.title);
    const own = await t.deps.notifications.list(id!, { limit: 5 });
    expect(own.items[0]!.title).toBe(asEn.title);
  });

  it('when Accept-Language is read, then the first language the site speaks by q wins', async () => {
    const { requestLocale } = await import('./notifications.routes.ts');
    expect(requestLocale(undefined, 'fr-FR,en;q=0.8,zh-TW;q=0.9')).toBe('zh-TW');
    expect(requestLocale(undefined, 'en-GB')).toBe('en');
    expect(requestLocale(undefined, 'zh-Hant-TW,zh;q=0.9')).toBe('zh-TW');
    expect(requestLocale(undefined, 'fr, de;q=0.5')).toBeNull();
    expect(requestLocale(undefined, 'en;q=0, zh;q=0.1')).toBe('zh-TW');
    expect(requestLocale('en', 'zh-TW')).toBe('en');
    expect(requestLocale(undefined, undefined)).toBeNull();
  });
});
