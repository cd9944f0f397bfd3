// Orders: inserted directly in any status, or made through the API the way a buyer does (hold,
// pay with a simulator prime, the 3-D Secure round trip, the hand-over actions).
import { expect } from 'vitest';
import sharp from 'sharp';
import {
  createOrders,
  handoverCodeOf,
  newOrderRow,
  type OrdersDeps,
} from '../../src/modules/orders/index.ts';
import { newPaymentRow, type NewPaymentFields } from '../../src/modules/payments/index.ts';
import type { DeliveryMethod, OrderStatus, SplitRule } from '../../src/platform/db/schema.ts';
import { newId } from '../../src/shared/ids.ts';
import type { TestApp } from '../build-test-app.ts';
import { multipartBody } from '../multipart.ts';
import { insertRows, type Fixture } from './fixture.ts';
import { createGame, type CreateGameOptions } from './games.ts';
import { insertListing } from './listings.ts';
import { signedInUser, type TestUser } from './users.ts';

/**
 * The orders service on the test app's database and services with some of checkout's parts
 * replaced: the race tests' controls (a lock removed) and their view of many instances (no line
 * per listing in the process).
 */
export function ordersWith(
  t: TestApp,
  parts: Pick<OrdersDeps, 'claimer' | 'userLock' | 'addressLock' | 'holdQueue'>,
) {
  return createOrders({
    db: t.deps.db,
    uow: t.deps.uow,
    listings: t.deps.listings.lifecycle,
    clock: t.deps.clock,
    storage: t.deps.storage,
    cached: t.deps.cached,
    payments: t.deps.payments,
    sealer: t.deps.sealer,
    privateStorage: t.deps.privateStorage,
    handoverCodeKey: t.deps.handoverCodeKey,
    config: { checkoutHoldSeconds: 600, autoCompleteHours: 24, platformFeePercent: 0 },
    ...parts,
  });
}

export interface InsertOrderOptions {
  gameId: string;
  buyerId: string;
  sellerId: string;
  areaId: string;
  /** Default: a new sold listing of the game. */
  listingId?: string;
  quantity?: number;
  unitPrice?: number;
  status?: OrderStatus;
  /** Default: the app clock's now (null for orders never paid). */
  paidAt?: Date | null;
}

/** Inserts an order (paid by default) and, unless given, its sold listing; returns its id. */
export async function insertOrder(f: Fixture, o: InsertOrderOptions): Promise<string> {
  const quantity = o.quantity ?? 2;
  const unitPrice = o.unitPrice ?? 500;
  const listingId =
    o.listingId ??
    (await insertListing(f, {
      gameId: o.gameId,
      sellerId: o.sellerId,
      areaId: o.areaId,
      price: unitPrice,
      quantity,
      status: 'sold',
    }));
  const paidAt = o.paidAt === undefined ? f.deps.clock.now() : o.paidAt;
  const createdAt = (paidAt ?? f.deps.clock.now()).toISOString();
  const status = o.status ?? 'paid';
  const row = newOrderRow(
    {
      listing_id: listingId,
      buyer_id: o.buyerId,
      seller_id: o.sellerId,
      game_id: o.gameId,
      quantity,
      unit_price: unitPrice,
      status,
      expires_at: createdAt,
      paid_at: paidAt ? paidAt.toISOString() : null,
      completed_at: status === 'completed' ? createdAt : null,
    },
    createdAt,
  );
  await insertRows(f, 'orders', [row]);
  return row.id;
}

export interface SaleOptions {
  quantity?: number;
  /** Per ticket; default (and at most) the area's highest face value. */
  price?: number;
  game?: CreateGameOptions;
  splitRule?: SplitRule;
  deliveryMethod?: DeliveryMethod;
}

/** A game, a seller with one active listing on it (at face value), and a buyer. */
export async function setupSale(t: TestApp, options: SaleOptions = {}) {
  const game = await createGame(t, options.game);
  const seller = await signedInUser(t, { name: 'Seller Sue' });
  const buyer = await signedInUser(t, { name: 'Buyer Bo' });
  const faceValue = game.areas[0]!.face_value_max;
  const price = Math.min(options.price ?? faceValue, faceValue);
  const quantity = options.quantity ?? 2;
  const listingId = await insertListing(t, {
    game,
    sellerId: seller.id,
    rowLabel: '5',
    seats: '7-8',
    quantity,
    price,
    faceValue,
    ...(options.splitRule ? { splitRule: options.splitRule } : {}),
    ...(options.deliveryMethod ? { deliveryMethod: options.deliveryMethod } : {}),
  });
  return { game, seller, buyer, listingId, amount: price * quantity };
}

export function placeOrder(
  t: TestApp,
  buyer: TestUser,
  listingId: string,
  headers: Record<string, string> = {},
  /** How many of its tickets; omitted: all that remain. */
  quantity?: number,
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: { ...buyer.auth, ...headers },
    payload: quantity === undefined ? { listingId } : { listingId, quantity },
  });
}

export async function holdOrder(t: TestApp, buyer: TestUser, listingId: string) {
  const res = await placeOrder(t, buyer, listingId);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; amount: number; status: string; expiresAt: string };
}

export const cardholder = {
  name: '王小明',
  email: 'buyer@example.test',
  phoneNumber: '0912345678',
};

export function payOrder(t: TestApp, buyer: TestUser, orderId: string, prime: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/pay`,
    headers: buyer.auth,
    payload: { prime, cardholder },
  });
}

export function orderAction(
  t: TestApp,
  user: TestUser,
  orderId: string,
  action: 'cancel' | 'deliver' | 'confirm' | 'dispute',
  payload?: Record<string, unknown>,
) {
  if (action === 'deliver') return deliverWithProof(t, user, orderId, payload);
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/${action}`,
    headers: user.auth,
    ...(payload ? { payload } : {}),
  });
}

/** A small real photo (what a phone's screenshot of the transfer stands for). */
export async function proofPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6f97' } })
    .jpeg()
    .toBuffer();
}

/**
 * "Mark sent" as a seller who has the evidence the order's delivery method needs (issue 18 item
 * 4): the transfer screenshot (multipart) for an e-ticket, a tracking number for mail, the
 * buyer's code in person. `payload` fields go with it (a note) or replace it (a given code).
 */
export async function deliverWithProof(
  t: TestApp,
  user: TestUser,
  orderId: string,
  payload: Record<string, unknown> = {},
) {
  const row = await t.deps.db
    .selectFrom('orders')
    .innerJoin('listings', 'listings.id', 'orders.listing_id')
    .select('listings.delivery_method')
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
  const url = `/api/orders/${orderId}/deliver`;
  if (row?.delivery_method === 'eticket_transfer') {
    const fields = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)]));
    const form = multipartBody(fields, [
      {
        field: 'proof',
        filename: 'transfer.jpg',
        contentType: 'image/jpeg',
        data: await proofPhoto(),
      },
    ]);
    return t.app.inject({
      method: 'POST',
      url,
      headers: { ...user.auth, ...form.headers },
      payload: form.payload,
    });
  }
  const evidence =
    row?.delivery_method === 'paper_mail'
      ? { trackingNumber: 'RR123456789TW' }
      : row?.delivery_method === 'in_person'
        ? { code: handoverCodeOf(t.deps.handoverCodeKey, orderId) }
        : {};
  return t.app.inject({
    method: 'POST',
    url,
    headers: user.auth,
    payload: { ...evidence, ...payload },
  });
}

export async function getOrder(t: TestApp, user: TestUser, orderId: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/orders/${orderId}`,
    headers: user.auth,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** A buyer's paid order: hold, then pay with sim_approve. */
export async function paidOrder(t: TestApp, options: SaleOptions = {}) {
  const sale = await setupSale(t, options);
  const order = await holdOrder(t, sale.buyer, sale.listingId);
  const paid = await payOrder(t, sale.buyer, order.id, 'sim_approve');
  expect(paid.statusCode, paid.body).toBe(200);
  expect(paid.json().order.status).toBe('paid');
  return { ...sale, orderId: order.id };
}

/**
 * The browser's 3-D Secure round trip on the simulator: open the page, submit the form (which
 * sends the backend notify), follow the redirect to our return URL. Returns the final redirect.
 */
export async function complete3ds(
  t: TestApp,
  paymentUrl: string,
  outcome: 'approve' | 'fail' = 'approve',
) {
  const path = new URL(paymentUrl).pathname;
  const page = await t.app.inject({ method: 'GET', url: path });
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toContain('text/html');
  const submit = await t.app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `outcome=${outcome}`,
  });
  expect(submit.statusCode).toBe(303);
  const back = new URL(String(submit.headers.location));
  const ret = await t.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
  expect(ret.statusCode).toBe(303);
  return String(ret.headers.location);
}

/** Inserts a payment attempt of an order (what a lost answer or a crash leaves behind). */
export async function insertPaymentAttempt(f: Fixture, fields: NewPaymentFields) {
  const row = newPaymentRow(fields, f.deps.clock.now().toISOString());
  await insertRows(f, 'payments', [row]);
  return row.id;
}

/** TapPay's backend notify, as TapPay (or anyone) posts it. */
export function postNotify(t: TestApp, body: unknown) {
  return t.app.inject({
    method: 'POST',
    url: '/api/payments/tappay/notify',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

/** A payout owed to the seller for a completed order (as escrow's end makes it). */
export async function insertPayout(
  f: Fixture,
  p: { orderId: string; sellerId: string; amount: number; fee?: number; id?: string },
) {
  const fee = p.fee ?? 0;
  const id = p.id ?? newId();
  await insertRows(f, 'payouts', [
    {
      id,
      order_id: p.orderId,
      seller_id: p.sellerId,
      gross_amount: p.amount + fee,
      fee,
      amount: p.amount,
      status: 'owed',
      paid_at: null,
      created_at: f.deps.clock.now().toISOString(),
      batch_id: null,
      batch_line: null,
      batch_account: null,
      failure_reason: null,
    },
  ]);
  return id;
}
