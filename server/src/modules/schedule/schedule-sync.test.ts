// The schedule sync replays recorded feed answers (server/test/fixtures/cpbl/sync/) served over
// HTTP by a local stub, with the injected clock, on a database of its own; after each step it
// checks the game, its listings, orders, notifications, refunds and payouts.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/build-test-app.ts';
import {
  holdOrder,
  insertListing,
  insertReservation,
  makeAdmin,
  orderAction,
  payOrder,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import { buildPrivateTestApp } from '../../../test/fixtures/private-app.ts';
import { freePort } from '../../../test/free-port.ts';
import { startPushEndpoint, type PushEndpoint } from '../../../test/push-endpoint.ts';
import { DAY, HOUR, manualClock } from '../../shared/clock.ts';

const FIXTURES = new URL('../../../test/fixtures/cpbl/sync/', import.meta.url);
const EMPTY = JSON.stringify({ Success: true, Data: { Games: [] } });

/** The feed: what it answers for May 2031 (a fixture file, or an HTTP error). */
const feed = { file: null as string | null, status: 200, requests: 0 };
let server: Server;
let feedUrl: string;
const clock = manualClock(new Date('2031-05-01T00:00:00.000Z'));
let t: TestApp;
/** A browser's push service: game notices reach a phone, not only the bell and the mailbox. */
let push: PushEndpoint;

beforeAll(async () => {
  push = await startPushEndpoint();
  const port = await freePort();
  server = createServer((req, res) => {
    feed.requests++;
    const url = new URL(req.url ?? '/', 'http://stub');
    if (url.pathname !== '/api/proxy/v1/games/schedule') return res.writeHead(404).end();
    if (feed.status !== 200) return res.writeHead(feed.status).end('upstream down');
    const body =
      url.searchParams.get('month') === '5' && feed.file
        ? readFileSync(new URL(feed.file, FIXTURES), 'utf8')
        : EMPTY;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await push.close();
});

beforeEach(async () => {
  clock.set(new Date('2031-05-01T00:00:00.000Z'));
  feed.file = null;
  feed.status = 200;
  t = await buildPrivateTestApp({
    clock,
    env: { SCHEDULE_SYNC_URL: feedUrl, PUSH_ENDPOINT_ALLOWLIST: push.base },
  });
  return async () => {
    await t.close();
  };
});

async function step(file: string) {
  feed.file = file;
  const run = await t.deps.schedule.syncNow();
  expect(run.ok, run.error ?? '').toBe(true);
  // What the change set off (refunds, notices): the worker runs it within seconds.
  await t.deps.worker.drain();
  return run;
}

const gameNo = (n: number) =>
  t.deps.db
    .selectFrom('games')
    .selectAll()
    .where('year', '=', 2031)
    .where('kind', '=', 'A')
    .where('game_no', '=', n)
    .executeTakeFirstOrThrow();

const history = (gameId: string) =>
  t.deps.db
    .selectFrom('game_changes')
    .select(['kind', 'source'])
    .where('game_id', '=', gameId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

const orderRow = (id: string) =>
  t.deps.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const listingStatus = async (id: string) =>
  (
    await t.deps.db
      .selectFrom('listings')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

async function noticesOf(userIds: string[], type: string) {
  return t.deps.db
    .selectFrom('notifications')
    .select(['user_id', 'body', 'id', 'link'])
    .where('user_id', 'in', userIds)
    .where('type', '=', type)
    .execute();
}

async function mailJobsOf(notificationIds: string[]) {
  const jobs = await t.deps.db
    .selectFrom('jobs')
    .select('payload')
    .where('type', '=', 'mail.send')
    .execute();
  const ids = new Set(notificationIds);
  return jobs.filter((j) =>
    ids.has((JSON.parse(j.payload) as { notificationId: string }).notificationId),
  );
}

async function gameApi(gameId: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/games/${gameId}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { status: string; onSale: boolean; canList: boolean; canReserve: boolean };
}

async function listingOnSale(listingId: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/listings/${listingId}` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { game: { onSale: boolean } }).game.onSale;
}

/** A seller with three listings on the game: one bought and paid, one delivered, one on sale. */
async function market(gameId: string) {
  const areaId = (
    await t.deps.db
      .selectFrom('seat_areas')
      .innerJoin('games', 'games.stadium_id', 'seat_areas.stadium_id')
      .select(['seat_areas.id', 'seat_areas.face_value_max'])
      .where('games.id', '=', gameId)
      .executeTakeFirstOrThrow()
  ).id;
  const seller = await signedInUser(t, { name: 'Seller Sue' });
  const paidBuyer = await signedInUser(t, { name: 'Paid Pat' });
  const deliveredBuyer = await signedInUser(t, { name: 'Delivered Dee' });
  const reserver = await signedInUser(t, { name: 'Reserver Ray' });
  const listing = () =>
    insertListing(t, { gameId, areaId, sellerId: seller.id, price: 300, faceValue: 300 });
  const [soldListing, deliveredListing, openListing] = [
    await listing(),
    await listing(),
    await listing(),
  ];
  const buy = async (buyer: TestUser, listingId: string) => {
    const order = await holdOrder(t, buyer, listingId);
    const paid = await payOrder(t, buyer, order.id, 'sim_approve');
    expect(paid.statusCode, paid.body).toBe(200);
    return order.id;
  };
  const paidOrder = await buy(paidBuyer, soldListing);
  const deliveredOrder = await buy(deliveredBuyer, deliveredListing);
  expect((await orderAction(t, seller, deliveredOrder, 'deliver')).statusCode).toBe(200);
  await insertReservation(t, { userId: reserver.id, gameId });
  // The paid buyer's phone: a Web Push subscription.
  const phone = push.subscribe();
  const subscribed = await t.app.inject({
    method: 'POST',
    url: '/api/push/subscriptions',
    headers: paidBuyer.auth,
    payload: phone.json,
  });
  expect(subscribed.statusCode, subscribed.body).toBe(201);
  await t.deps.worker.drain();
  return {
    phone: phone.id,
    seller,
    paidBuyer,
    deliveredBuyer,
    reserver,
    soldListing,
    openListing,
    paidOrder,
    deliveredOrder,
    everyone: [seller.id, paidBuyer.id, deliveredBuyer.id, reserver.id],
  };
}

describe('schedule sync: scheduled → postponed → make-up date → final', () => {
  it('when the feed postpones a game and later gives its make-up date, then listings and orders follow the make-up game, everyone is told each time, and a buyer not yet handed the ticket may take a refund', async () => {
    // 1. Scheduled: the game is imported and on sale.
    const first = await step('rainout-1-scheduled.json');
    expect(first).toMatchObject({ inserted: 1, changes: 0 });
    const game = await gameNo(1);
    expect(game).toMatchObject({ status: 'scheduled', starts_at: '2031-05-10T10:35:00.000Z' });
    const m = await market(game.id);

    // 2. Rained out, no date yet: paused everywhere, hand-over clock stopped, everyone told.
    clock.set(new Date('2031-05-10T09:00:00.000Z'));
    const second = await step('rainout-2-postponed.json');
    expect(second).toMatchObject({ updated: 1, changes: 1 });
    expect(await gameNo(1)).toMatchObject({ status: 'postponed', makeup_starts_at: null });
    expect(await history(game.id)).toEqual([{ kind: 'postponed', source: 'feed' }]);
    expect(await gameApi(game.id)).toMatchObject({
      status: 'postponed',
      onSale: false,
      canList: false,
      canReserve: false,
    });
    expect(await listingOnSale(m.openListing)).toBe(false);
    expect(await listingStatus(m.openListing)).toBe('active');
    expect((await orderRow(m.paidOrder)).deliver_by).toBeNull();
    const postponed = await noticesOf(m.everyone, 'game_postponed');
    expect(postponed.map((n) => n.user_id).sort()).toEqual([...m.everyone].sort());
    expect(postponed[0]!.body).toContain('新的比賽時間確定後會再通知你');
    expect(await mailJobsOf(postponed.map((n) => n.id))).toHaveLength(4);
    // Each is told what it means for what they hold; the buyer's notice opens the order, where
    // the choice is, and reaches the buyer's phone.
    const said = (userId: string) => postponed.find((n) => n.user_id === userId)!;
    expect(said(m.paidBuyer.id)).toMatchObject({ link: `/me/orders/${m.paidOrder}` });
    expect(said(m.paidBuyer.id).body).toContain('保留票券不需要任何動作');
    expect(said(m.paidBuyer.id).body).toContain('一鍵取消並全額退款');
    expect(said(m.deliveredBuyer.id)).toMatchObject({ link: `/me/orders/${m.deliveredOrder}` });
    expect(said(m.deliveredBuyer.id).body).toContain('由賣家確認後退款');
    expect(said(m.seller.id)).toMatchObject({ link: `/games/${game.id}` });
    expect(said(m.seller.id).body).toContain('刊登暫停販售');
    expect(said(m.reserver.id).body).toContain('你的預約會跟著補賽');
    // (The first push the phone got was the payment receipt, queued before the subscription.)
    const pushed = push.of(m.phone).filter((p) => p.payload.type === 'game_postponed');
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.payload).toMatchObject({
      type: 'game_postponed',
      notificationId: said(m.paidBuyer.id).id,
    });
    expect(String(pushed[0]!.payload.url)).toMatch(new RegExp(`/me/orders/${m.paidOrder}$`));
    // The buyer's choice: a refund of the order not yet handed over; the delivered one stays valid.
    const paidView = await t.app.inject({
      method: 'GET',
      url: `/api/orders/${m.paidOrder}`,
      headers: m.paidBuyer.auth,
    });
    expect(paidView.json().actions).toContain('cancel');
    const deliveredView = await t.app.inject({
      method: 'GET',
      url: `/api/orders/${m.deliveredOrder}`,
      headers: m.deliveredBuyer.auth,
    });
    expect(deliveredView.json().actions).not.toContain('cancel');

    // 3. The make-up date: the same listings are on sale again for it, everyone is told the date.
    clock.set(new Date('2031-05-12T00:00:00.000Z'));
    const third = await step('rainout-3-makeup.json');
    expect(third).toMatchObject({ updated: 1, changes: 1 });
    expect(await gameNo(1)).toMatchObject({
      status: 'scheduled',
      starts_at: '2031-05-20T10:35:00.000Z',
      makeup_starts_at: '2031-05-20T10:35:00.000Z',
      local_date: '2031-05-20',
    });
    expect((await history(game.id)).map((h) => h.kind)).toEqual(['postponed', 'makeup']);
    expect(await gameApi(game.id)).toMatchObject({ onSale: true, canList: true });
    expect(await listingOnSale(m.openListing)).toBe(true);
    // Hand-over: 24 h after the date became known (well before the make-up game).
    expect((await orderRow(m.paidOrder)).deliver_by).toBe('2031-05-13T00:00:00.000Z');
    const told = await noticesOf(m.everyone, 'game_postponed');
    expect(told).toHaveLength(8);
    const dated = told.filter((n) => n.body.includes('新的開賽時間'));
    expect(dated).toHaveLength(4);
    // With a date, the seller's listings are on sale again: no "paused" in their notice.
    const sellerNotice = dated.find((n) => n.user_id === m.seller.id)!;
    expect(sellerNotice.body).toContain('你的刊登會跟著補賽');
    expect(sellerNotice.body).not.toContain('暫停販售');

    // The buyer not yet handed the ticket takes the refund: the seller's listing is on sale again.
    const refund = await orderAction(t, m.paidBuyer, m.paidOrder, 'cancel');
    expect(refund.statusCode, refund.body).toBe(200);
    expect(refund.json()).toMatchObject({ status: 'refunded', refund: { amount: 600 } });
    expect(await listingStatus(m.soldListing)).toBe('active');
    await t.deps.worker.drain();
    const refunds = await t.deps.db
      .selectFrom('refunds')
      .innerJoin('payments', 'payments.id', 'refunds.payment_id')
      .select(['payments.order_id', 'refunds.amount'])
      .where('payments.order_id', 'in', [m.paidOrder, m.deliveredOrder])
      .execute();
    expect(refunds).toEqual([{ order_id: m.paidOrder, amount: 600 }]);

    // 4. Final: the delivered order completes after the make-up game, and its payout is owed.
    clock.set(new Date('2031-05-21T12:00:00.000Z'));
    await step('rainout-4-final.json');
    expect(await gameNo(1)).toMatchObject({ status: 'final' });
    expect((await history(game.id)).map((h) => h.kind)).toEqual(['postponed', 'makeup', 'final']);
    await t.deps.orders.sweeps.runEscrow({ gameId: game.id });
    expect((await orderRow(m.deliveredOrder)).status).toBe('completed');
    const payouts = await t.deps.db
      .selectFrom('payouts')
      .select(['order_id', 'amount', 'status'])
      .where('seller_id', '=', m.seller.id)
      .execute();
    expect(payouts).toEqual([{ order_id: m.deliveredOrder, amount: 600, status: 'owed' }]);
  });
});

describe('schedule sync: scheduled → suspended in the 3rd → refunded', () => {
  it('when the feed suspends a game before the 5th inning, then every order is refunded, nobody is paid out, and everyone is told once', async () => {
    await step('suspended-1-scheduled.json');
    const game = await gameNo(2);
    const m = await market(game.id);

    clock.set(new Date('2031-05-11T10:30:00.000Z'));
    const run = await step('suspended-2-in-the-3rd.json');
    expect(run).toMatchObject({ updated: 1, changes: 1 });
    expect(await gameNo(2)).toMatchObject({ status: 'suspended' });
    expect(await history(game.id)).toEqual([{ kind: 'suspended', source: 'feed' }]);
    for (const id of [m.paidOrder, m.deliveredOrder])
      expect((await orderRow(id)).status).toBe('refunded');
    expect(await listingStatus(m.openListing)).toBe('cancelled');
    const refunds = await t.deps.db
      .selectFrom('refunds')
      .innerJoin('payments', 'payments.id', 'refunds.payment_id')
      .select(['payments.order_id', 'refunds.amount'])
      .where('payments.order_id', 'in', [m.paidOrder, m.deliveredOrder])
      .execute();
    expect(refunds.map((r) => r.amount)).toEqual([600, 600]);
    const suspended = await noticesOf(m.everyone, 'game_changed');
    expect(suspended.map((n) => n.user_id).sort()).toEqual([...m.everyone].sort());
    expect(suspended[0]!.body).toContain('第 3 局');
    expect(await noticesOf([m.paidBuyer.id, m.deliveredBuyer.id], 'order_refunded')).toHaveLength(
      2,
    );

    clock.advance(3 * DAY);
    await t.deps.orders.sweeps.runEscrow({ gameId: game.id });
    const payouts = await t.deps.db
      .selectFrom('payouts')
      .select('id')
      .where('seller_id', '=', m.seller.id)
      .execute();
    expect(payouts).toEqual([]);
  });

  it("when the club's policy refunds only before the 3rd, then a game suspended in the 3rd refunds nobody and its payouts wait", async () => {
    const admin = await makeAdmin(t);
    const policy = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/refund-policies/ADD011',
      headers: admin.auth,
      payload: { refundSuspendedBeforeInning: 3 },
    });
    expect(policy.statusCode, policy.body).toBe(200);
    await step('suspended-1-scheduled.json');
    const game = await gameNo(2);
    const m = await market(game.id);
    clock.set(new Date('2031-05-11T10:30:00.000Z'));
    await step('suspended-2-in-the-3rd.json');
    expect((await orderRow(m.paidOrder)).status).toBe('paid');
    expect((await orderRow(m.deliveredOrder)).status).toBe('delivered');
    clock.advance(3 * DAY);
    await t.deps.orders.sweeps.runEscrow({ gameId: game.id });
    expect((await orderRow(m.deliveredOrder)).status).toBe('delivered');
  });
});

describe('schedule sync: a failing or nonsense feed', () => {
  it('when the feed fails, then nothing changes, each run is recorded and counted, and admins are told once after the third failure in a row', async () => {
    const admin = await makeAdmin(t);
    await step('rainout-1-scheduled.json');
    const before = await gameNo(1);
    feed.status = 503;
    feed.file = 'rainout-2-postponed.json';
    for (let i = 0; i < 4; i++) {
      clock.advance(10 * 60_000);
      const run = await t.deps.schedule.syncNow();
      expect(run).toMatchObject({ ok: false, changes: 0 });
      expect(run.error).toMatch(/HTTP 503/);
    }
    await t.deps.worker.drain();
    expect(await gameNo(1)).toEqual(before);
    const alerts = await noticesOf([admin.user.id], 'schedule_sync_failing');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.body).toContain('3');
    const status = await t.app.inject({
      method: 'GET',
      url: '/api/admin/schedule/sync',
      headers: admin.auth,
    });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({ consecutiveFailures: 4, lastRun: { ok: false } });
    const metrics = await t.deps.metrics.registry.getSingleMetricAsString(
      'schedule_sync_runs_total',
    );
    expect(metrics).toContain('outcome="failed"} 4');

    // The feed recovers: the streak ends and the postponement is applied.
    feed.status = 200;
    await step('rainout-2-postponed.json');
    expect(await gameNo(1)).toMatchObject({ status: 'postponed' });
  });

  it('when the feed reopens a final game, then the run is refused and nothing changes', async () => {
    await step('rainout-1-scheduled.json');
    await step('rainout-4-final.json');
    const final = await gameNo(1);
    expect(final.status).toBe('final');
    feed.file = 'nonsense-final-reopened.json';
    const run = await t.deps.schedule.syncNow();
    expect(run).toMatchObject({ ok: false, updated: 0 });
    expect(run.error).toMatch(/final game cannot become scheduled/);
    expect(await gameNo(1)).toEqual(final);
  });
});

describe('schedule sync: admins', () => {
  it('when an admin overrides a game with a reason, then the next sync leaves it alone, and the history shows both sources', async () => {
    const admin = await makeAdmin(t);
    await step('rainout-1-scheduled.json');
    const game = await gameNo(1);
    const override = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/games/${game.id}/override`,
      headers: admin.auth,
      payload: { status: 'postponed', reason: 'typhoon warning: the club called it off early' },
    });
    expect(override.statusCode, override.body).toBe(200);
    expect(override.json()).toMatchObject({ override: { status: 'postponed' } });

    clock.advance(HOUR);
    await step('rainout-1-scheduled.json');
    expect(await gameNo(1)).toMatchObject({ status: 'postponed' });

    const changes = await t.app.inject({
      method: 'GET',
      url: `/api/admin/schedule/changes?gameId=${game.id}`,
      headers: admin.auth,
    });
    expect(changes.statusCode, changes.body).toBe(200);
    expect(changes.json().items).toEqual([
      expect.objectContaining({
        kind: 'override',
        source: 'admin',
        reason: 'typhoon warning: the club called it off early',
        actorId: admin.user.id,
      }),
    ]);

    // Lifted: the feed's answer applies again.
    const lift = await t.app.inject({
      method: 'DELETE',
      url: `/api/admin/games/${game.id}/override`,
      headers: admin.auth,
    });
    expect(lift.statusCode).toBe(204);
    await step('rainout-1-scheduled.json');
    expect(await gameNo(1)).toMatchObject({ status: 'scheduled' });

    const fan = await signedInUser(t);
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/admin/schedule/sync',
      headers: fan.auth,
    });
    expect(refused.statusCode).toBe(403);
  });
});
