// What the seller needs for the handover (issue 18 item 2): given at checkout, checked against the
// delivery method, sealed at rest, shown to the seller only and only once paid, erased 30 days
// after the order ended, in the buyer's export, gone with the buyer's account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { DAY, manualClock } from '../../shared/clock.ts';
import {
  cardholder,
  createGame,
  errorCode,
  getOrder,
  holdOrder,
  insertListing,
  orderAction,
  registerUser,
  runJob,
  setupSale,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';

const clock = manualClock(new Date());
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  admin = await signedInUser(t, { role: 'admin' });
});
afterAll(async () => t.close());

const phone = { kind: 'phone', phone: '0912345678' } as const;
const address = {
  kind: 'address',
  name: '王小明',
  postalCode: '10617',
  address: '臺北市大安區羅斯福路四段1號',
} as const;

const pay = (buyer: TestUser, orderId: string, recipient?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/pay`,
    headers: buyer.auth,
    payload: { prime: 'sim_approve', cardholder, ...(recipient ? { recipient } : {}) },
  });

const putRecipient = (user: TestUser, orderId: string, recipient: object) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/orders/${orderId}/recipient`,
    headers: user.auth,
    payload: { recipient },
  });

const storedRows = (orderId: string) =>
  t.deps.db.selectFrom('order_recipients').selectAll().where('order_id', '=', orderId).execute();

describe('recipient details at checkout', () => {
  it('when the buyer pays an e-ticket with a mobile number, then only the seller sees it, and it is stored sealed', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const res = await pay(sale.buyer, order.id, phone);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().order.status).toBe('paid');

    const asSeller = await getOrder(t, sale.seller, order.id);
    expect(asSeller.recipient).toEqual(phone);
    expect(asSeller.recipientGiven).toBe(true);
    const asBuyer = await getOrder(t, sale.buyer, order.id);
    expect(asBuyer.recipient).toBeNull();
    expect(asBuyer.recipientGiven).toBe(true);
    expect((await getOrder(t, admin, order.id)).recipient).toBeNull();
    const stranger = await signedInUser(t);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/orders/${order.id}`,
          headers: stranger.auth,
        })
      ).statusCode,
    ).toBe(404);

    const [row] = await storedRows(order.id);
    expect(row?.kind).toBe('phone');
    expect(row?.sealed).not.toContain('0912345678');
    expect(row?.sealed.startsWith('v1.')).toBe(true);
  });

  it('when the details are given before payment, then the seller does not see them until the order is paid', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const put = await putRecipient(sale.buyer, order.id, {
      kind: 'email',
      email: 'fan@example.test',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await getOrder(t, sale.seller, order.id)).recipient).toBeNull();
    expect((await pay(sale.buyer, order.id)).json().order.status).toBe('paid');
    expect((await getOrder(t, sale.seller, order.id)).recipient).toEqual({
      kind: 'email',
      email: 'fan@example.test',
    });
  });

  it('when the details do not fit the delivery method or are malformed, then 400 and nothing is charged or kept', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    const wrongKind = await pay(sale.buyer, order.id, address);
    expect(wrongKind.statusCode).toBe(400);
    expect(errorCode(wrongKind)).toBe('VALIDATION_FAILED');
    for (const bad of [
      { kind: 'phone', phone: '0812345678' },
      { kind: 'phone', phone: '+886912345678' },
      { kind: 'email', email: 'not-an-address' },
    ]) {
      const res = await pay(sale.buyer, order.id, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await getOrder(t, sale.buyer, order.id)).status).toBe('pending_payment');
    expect(await storedRows(order.id)).toHaveLength(0);
    const attempts = await t.deps.db
      .selectFrom('payments')
      .select('id')
      .where('order_id', '=', order.id)
      .execute();
    expect(attempts).toHaveLength(0);

    const game = await createGame(t);
    const seller = await signedInUser(t);
    const inPerson = await insertListing(t, {
      game,
      sellerId: seller.id,
      deliveryMethod: 'in_person',
    });
    const o2 = await holdOrder(t, sale.buyer, inPerson);
    expect((await pay(sale.buyer, o2.id, phone)).statusCode).toBe(400);
    const mail = await insertListing(t, {
      game,
      sellerId: seller.id,
      deliveryMethod: 'paper_mail',
    });
    const mailBuyer = await signedInUser(t);
    const o3 = await holdOrder(t, mailBuyer, mail);
    expect((await pay(mailBuyer, o3.id, address)).statusCode).toBe(200);
    expect((await getOrder(t, seller, o3.id)).recipient).toEqual(address);
  });

  it('when the ticket was sent, or someone else tries, then the recipient cannot change', async () => {
    const sale = await setupSale(t);
    const order = await holdOrder(t, sale.buyer, sale.listingId);
    await pay(sale.buyer, order.id, phone);
    expect((await putRecipient(sale.seller, order.id, phone)).statusCode).toBe(403);
    const fix = await putRecipient(sale.buyer, order.id, { kind: 'phone', phone: '0987654321' });
    expect(fix.statusCode, fix.body).toBe(200);
    expect((await getOrder(t, sale.seller, order.id)).recipient.phone).toBe('0987654321');
    expect((await orderAction(t, sale.seller, order.id, 'deliver')).statusCode).toBe(200);
    const late = await putRecipient(sale.buyer, order.id, phone);
    expect(late.statusCode).toBe(409);
    expect(errorCode(late)).toBe('INVALID_STATE');
  });
});

describe('erasure', () => {
  it('when an order ended more than 30 days ago, then its recipient details are erased; a recent one keeps them', async () => {
    const old = await setupSale(t);
    const oldOrder = await holdOrder(t, old.buyer, old.listingId);
    await pay(old.buyer, oldOrder.id, phone);
    await orderAction(t, old.seller, oldOrder.id, 'deliver');
    expect((await orderAction(t, old.buyer, oldOrder.id, 'confirm')).statusCode).toBe(200);

    clock.advance(20 * DAY);
    const recent = await setupSale(t);
    const recentOrder = await holdOrder(t, recent.buyer, recent.listingId);
    await pay(recent.buyer, recentOrder.id, phone);
    await orderAction(t, recent.seller, recentOrder.id, 'deliver');
    await orderAction(t, recent.buyer, recentOrder.id, 'confirm');

    clock.advance(10 * DAY + 60_000);
    await runJob(t, { type: 'orders.erase-recipients' }, {});
    expect(await storedRows(oldOrder.id)).toHaveLength(0);
    expect(await storedRows(recentOrder.id)).toHaveLength(1);
    // The sessions of a month ago have run out: read as the sellers directly.
    const asSeller = (id: string) => ({ id, role: 'user' as const });
    const seen = await t.deps.orders.views.load(oldOrder.id, asSeller(old.seller.id));
    expect(seen.recipient).toBeNull();
    expect(seen.recipientGiven).toBe(false);
    const kept = await t.deps.orders.views.load(recentOrder.id, asSeller(recent.seller.id));
    expect(kept.recipient).toEqual(phone);
  });

  it('when the buyer exports their data, then their recipient details are in it; when they close the account, then they are gone', async () => {
    const sale = await setupSale(t);
    const registered = await registerUser(t);
    const buyer: TestUser = { id: registered.user.id, auth: registered.auth };
    const order = await holdOrder(t, buyer, sale.listingId);
    await pay(buyer, order.id, phone);
    await orderAction(t, sale.seller, order.id, 'deliver');
    await orderAction(t, buyer, order.id, 'confirm');
    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/me/export',
      headers: buyer.auth,
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.json().recipients).toEqual([
      expect.objectContaining({ order_id: order.id, recipient: phone }),
    ]);
    const sellerExport = await t.app.inject({
      method: 'GET',
      url: '/api/me/export',
      headers: sale.seller.auth,
    });
    expect(sellerExport.json().recipients).toEqual([]);

    const closed = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: buyer.auth,
      payload: { password: 'correct horse battery' },
    });
    expect(closed.statusCode, closed.body).toBe(204);
    expect(await storedRows(order.id)).toHaveLength(0);
  });
});
