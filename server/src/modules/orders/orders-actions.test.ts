// `Order.actions` is the server's own answer: for orders in every state the web meets, and for
// its buyer, its seller and an admin, each action succeeds when it is listed and is refused when
// it is not. Lists (my orders, the admin's disputes) carry the same actions as the order itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, OrderSummary } from '../../../../shared/contracts/orders.ts';
import { ORDER_ACTIONS } from '../../../../shared/contracts/vocabulary.ts';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  cardholder,
  deliverWithProof,
  getOrder,
  holdOrder,
  orderAction,
  paidOrder,
  setupSale,
  signedInUser,
  type TestUser,
} from '../../../test/factories/index.ts';
import type { OrderStatus } from '../../platform/db/schema.ts';
import { DAY, HOUR, manualClock } from '../../shared/clock.ts';

type Action = (typeof ORDER_ACTIONS)[number];
type Party = 'buyer' | 'seller' | 'admin';

// A month back, so games moved into the past never reach other test files' real now.
const clock = manualClock(new Date(Date.now() - 30 * DAY));
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await buildTestApp({ clock, env: { CHECKOUT_HOLD_SECONDS: '600' } });
  admin = await signedInUser(t, { role: 'admin' });
});
afterAll(async () => t.close());

interface Scenario {
  orderId: string;
  gameId: string;
  buyer: TestUser;
  seller: TestUser;
}

const ok = (res: { statusCode: number; body: string }) => {
  expect(res.statusCode, res.body).toBeLessThan(300);
};

async function pending(): Promise<Scenario> {
  const sale = await setupSale(t);
  const order = await holdOrder(t, sale.buyer, sale.listingId);
  return { orderId: order.id, gameId: sale.game.id, buyer: sale.buyer, seller: sale.seller };
}

async function paid(): Promise<Scenario> {
  const sale = await paidOrder(t);
  return { orderId: sale.orderId, gameId: sale.game.id, buyer: sale.buyer, seller: sale.seller };
}

async function delivered() {
  const s = await paid();
  ok(await orderAction(t, s.seller, s.orderId, 'deliver', { note: 'sent by LINE' }));
  return s;
}

async function disputed() {
  const s = await paid();
  ok(
    await orderAction(t, s.buyer, s.orderId, 'dispute', {
      reasonCode: 'not_received',
      reason: 'nothing came',
    }),
  );
  return s;
}

async function completed() {
  const s = await delivered();
  ok(await orderAction(t, s.buyer, s.orderId, 'confirm'));
  return s;
}

/** The game is postponed; with `makeUpStarted`, its make-up game has already begun. */
async function postpone(s: Scenario, makeUpStarted = false) {
  const past = new Date(clock.now().getTime() - HOUR).toISOString();
  await t.deps.db
    .updateTable('games')
    .set({
      // A make-up game is scheduled at its new start (docs/PRODUCT.md §2.2).
      ...(makeUpStarted
        ? { status: 'scheduled' as const, makeup_starts_at: past, starts_at: past }
        : { status: 'postponed' as const }),
    })
    .where('id', '=', s.gameId)
    .execute();
  return s;
}

const SCENARIOS: [string, () => Promise<Scenario>][] = [
  ['unpaid', pending],
  ['unpaid, game postponed', async () => postpone(await pending())],
  ['paid', paid],
  [
    'paid, hand-over deadline passed',
    async () => {
      const s = await paid();
      const past = new Date(clock.now().getTime() - HOUR).toISOString();
      await t.deps.db
        .updateTable('orders')
        .set({ deliver_by: past })
        .where('id', '=', s.orderId)
        .execute();
      return s;
    },
  ],
  ['paid, game postponed', async () => postpone(await paid())],
  ['paid, game postponed and make-up game started', async () => postpone(await paid(), true)],
  ['delivered', delivered],
  ['delivered, game postponed', async () => postpone(await delivered())],
  ['disputed', disputed],
  ['completed', completed],
  [
    'completed and reviewed',
    async () => {
      const s = await completed();
      ok(await review(s.buyer, s.orderId));
      return s;
    },
  ],
  [
    'cancelled',
    async () => {
      const s = await pending();
      ok(await orderAction(t, s.buyer, s.orderId, 'cancel'));
      return s;
    },
  ],
  [
    'refunded',
    async () => {
      const s = await paid();
      ok(await orderAction(t, s.seller, s.orderId, 'cancel', { reason: 'lost the ticket' }));
      return s;
    },
  ],
];

function review(user: TestUser, orderId: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/orders/${orderId}/review`,
    headers: user.auth,
    payload: { rating: 5 },
  });
}

/** Where each action takes an order (review leaves it where it is). */
const TARGETS: Record<Action, OrderStatus[]> = {
  pay: ['paid'],
  cancel: ['cancelled', 'refunded'],
  deliver: ['delivered'],
  confirm: ['completed'],
  dispute: ['disputed'],
  review: [],
  refund: ['refunded'],
  release: ['completed'],
};

const statusOf = async (orderId: string) =>
  (
    await t.deps.db
      .selectFrom('orders')
      .select('status')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow()
  ).status;

function press(action: Action, user: TestUser, orderId: string) {
  const post = (url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: user.auth, ...(payload ? { payload } : {}) });
  switch (action) {
    case 'pay':
      return post(`/api/orders/${orderId}/pay`, { prime: 'sim_approve', cardholder });
    case 'dispute':
      return post(`/api/orders/${orderId}/dispute`, { reasonCode: 'wrong_seats' });
    case 'review':
      return review(user, orderId);
    case 'deliver':
      // With the evidence its delivery method needs (issue 18 item 4).
      return deliverWithProof(t, user, orderId);
    case 'cancel':
      // A seller's cancellation of a paid sale needs a reason (issue 18 item 7).
      return post(`/api/orders/${orderId}/cancel`, { reason: 'cannot go' });
    case 'refund':
    case 'release':
      return post(`/api/admin/orders/${orderId}/resolve`, { outcome: action, reason: 'settled' });
    default:
      return post(`/api/orders/${orderId}/${action}`);
  }
}

/** Whether pressing the button did what it says (a 2xx that left the order unmoved did not). */
async function accepted(action: Action, user: TestUser, orderId: string) {
  const before = await statusOf(orderId);
  const res = await press(action, user, orderId);
  const after = await statusOf(orderId);
  if (res.statusCode >= 300) return { done: false, moved: after !== before };
  const done = action === 'review' || (after !== before && TARGETS[action].includes(after));
  return { done, moved: after !== before };
}

const userOf = (s: Scenario, party: Party) => (party === 'admin' ? admin : s[party]);

describe('order actions', () => {
  it.each(SCENARIOS)(
    'when an order is %s, then its buyer, seller and an admin may do exactly what its actions list',
    async (_name, build) => {
      let scenario = await build();
      for (const party of ['buyer', 'seller', 'admin'] as const) {
        const shown: Action[] = (await getOrder(t, userOf(scenario, party), scenario.orderId))
          .actions;
        for (const action of ORDER_ACTIONS) {
          if (shown.includes(action)) {
            const fresh = await build();
            const result = await accepted(action, userOf(fresh, party), fresh.orderId);
            expect(result.done, `${party} may ${action}`).toBe(true);
          } else {
            const result = await accepted(action, userOf(scenario, party), scenario.orderId);
            expect(result.done, `${party} may not ${action}`).toBe(false);
            if (result.moved) scenario = await build();
          }
        }
      }
    },
  );

  it('when orders are listed, then each row carries the actions of the order itself', async () => {
    const s = await delivered();
    const other = await disputed();
    const list = async (user: TestUser, url: string) => {
      const res = await t.app.inject({ method: 'GET', url, headers: user.auth });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: OrderSummary[] }).items;
    };
    const row = (items: OrderSummary[], id: string) => items.find((o) => o.id === id)?.actions;
    const own = (user: TestUser, id: string) => getOrder(t, user, id).then((o: Order) => o.actions);

    expect(row(await list(s.buyer, '/api/me/orders?role=buyer'), s.orderId)).toEqual(
      await own(s.buyer, s.orderId),
    );
    expect(row(await list(s.seller, '/api/me/orders?role=seller'), s.orderId)).toEqual(
      await own(s.seller, s.orderId),
    );
    const disputes = await list(admin, '/api/admin/orders?status=disputed&limit=50');
    expect(row(disputes, other.orderId)).toEqual(['refund', 'release']);
    expect(await own(s.buyer, s.orderId)).toEqual(['confirm', 'dispute']);
  });

  // The flows decide with the table that lists the actions, so the product rules are pinned here.
  it('when an order is disputed, then only an admin settles it: its buyer cannot confirm it (409)', async () => {
    const s = await disputed();
    expect((await getOrder(t, s.buyer, s.orderId)).actions).toEqual([]);
    expect((await getOrder(t, s.seller, s.orderId)).actions).toEqual([]);
    const res = await orderAction(t, s.buyer, s.orderId, 'confirm');
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('INVALID_STATE');
    expect(await statusOf(s.orderId)).toBe('disputed');
  });

  it('when a seller has an unpaid order, then they cannot cancel it; once paid, they can (a refund)', async () => {
    const s = await pending();
    expect((await getOrder(t, s.seller, s.orderId)).actions).toEqual([]);
    expect((await orderAction(t, s.seller, s.orderId, 'cancel')).statusCode).toBe(409);
    const p = await paid();
    expect((await getOrder(t, p.seller, p.orderId)).actions).toEqual(['cancel', 'deliver']);
    ok(await orderAction(t, p.seller, p.orderId, 'cancel', { reason: 'lost the ticket' }));
    expect(await statusOf(p.orderId)).toBe('refunded');
  });
  // Issue 16 item 10: the buyer of a delivered ticket cannot keep it and take the money back.
  it("when a delivered order's game is postponed, then its buyer cannot cancel it (409, it stays valid for the make-up date); its seller confirms the ticket came back (refunded)", async () => {
    const s = await postpone(await delivered());
    expect((await getOrder(t, s.buyer, s.orderId)).actions).toEqual(['confirm', 'dispute']);
    const res = await orderAction(t, s.buyer, s.orderId, 'cancel');
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('INVALID_STATE');
    expect(await statusOf(s.orderId)).toBe('delivered');
    expect((await getOrder(t, s.seller, s.orderId)).actions).toEqual(['cancel']);
    ok(await orderAction(t, s.seller, s.orderId, 'cancel'));
    expect(await statusOf(s.orderId)).toBe('refunded');
    // Or an admin decides: the buyer disputes, the admin refunds.
    const d = await postpone(await delivered());
    ok(
      await orderAction(t, d.buyer, d.orderId, 'dispute', {
        reasonCode: 'other',
        reason: 'the game moved; I cannot go',
      }),
    );
    expect((await getOrder(t, admin, d.orderId)).actions).toEqual(['refund', 'release']);
  });
});
