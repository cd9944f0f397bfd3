// Your data, and leaving (issue 17 §6): the export holds everything about the user and no card
// data; closing the account is refused while dealings are open, else erases and anonymises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import {
  createGame,
  errorCode,
  insertListing,
  insertOrder,
  registerUser,
  signedInUser,
} from '../../../test/factories/index.ts';
import { createMemoryMailer, type MemoryMailer } from '../../platform/mail/memory-mailer.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { createPrivacyService } from './privacy.service.ts';

let t: TestApp;
let mailer: MemoryMailer;
beforeAll(async () => {
  mailer = createMemoryMailer();
  t = await buildTestApp({ mailer });
});
afterAll(async () => t?.close());

const closeAccount = (auth: Record<string, string>, password: string) =>
  t.app.inject({ method: 'DELETE', url: '/api/me', headers: auth, payload: { password } });

describe('your data', () => {
  it('when a user exports their data, then it holds profile, sessions, listings, orders, payments (no card data), reviews, reservations, notifications', async () => {
    const u = await registerUser(t, { name: '匯出 小王' });
    const game = await createGame(t);
    const seller = await signedInUser(t);
    await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: u.auth,
      payload: { payoutAccount: { bankCode: '822', accountNumber: '123456789012' } },
    });
    const listingId = await insertListing(t, { game, sellerId: u.user.id });
    const orderId = await insertOrder(t, {
      gameId: game.id,
      buyerId: u.user.id,
      sellerId: seller.id,
      areaId: game.areas[0]!.id,
      status: 'completed',
    });
    const now = t.deps.clock.now().toISOString();
    await t.deps.db
      .insertInto('payments')
      .values({
        id: newId(),
        order_id: orderId,
        provider: 'tappay',
        method: 'card',
        amount: 1000,
        status: 'succeeded',
        rec_trade_id: 'D2026SECRETTRADE',
        bank_transaction_id: null,
        provider_status: 0,
        provider_message: 'Success',
        payment_url: null,
        raw_response: '{"card_info":{"bin_code":"424242","last_four":"4242"}}',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/me/export', headers: u.auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    const data = res.json();
    expect(data.profile).toMatchObject({
      email: u.user.email,
      name: '匯出 小王',
      payoutAccount: { bankCode: '822', accountNumber: '123456789012' },
    });
    expect(data.sessions).toHaveLength(1);
    expect(data.listings.map((l: { id: string }) => l.id)).toEqual([listingId]);
    expect(data.orders.map((o: { id: string }) => o.id)).toEqual([orderId]);
    expect(data.payments).toHaveLength(1);
    expect(data.payments[0]).toMatchObject({ order_id: orderId, amount: 1000 });
    expect(res.body).not.toContain('424242');
    expect(res.body).not.toContain('D2026SECRETTRADE');
    for (const key of ['reviews', 'reservations', 'notifications', 'payouts'])
      expect(data).toHaveProperty(key);
    expect(data.reviews).toEqual({ given: [], received: [] });
  });
});

describe('closing an account', () => {
  it('when the password is wrong, then 401 INVALID_CREDENTIALS', async () => {
    const u = await registerUser(t);
    const res = await closeAccount(u.auth, 'not my password');
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('INVALID_CREDENTIALS');
  });

  it.each(['paid', 'pending_payment', 'delivered', 'disputed'] as const)(
    'when the user has an open order (%s) as seller or buyer, then 409 ACCOUNT_BUSY and nothing changes',
    async (status) => {
      const game = await createGame(t);
      const other = await signedInUser(t);
      for (const side of ['seller', 'buyer'] as const) {
        const u = await registerUser(t);
        await insertOrder(t, {
          gameId: game.id,
          buyerId: side === 'buyer' ? u.user.id : other.id,
          sellerId: side === 'seller' ? u.user.id : other.id,
          areaId: game.areas[0]!.id,
          status,
          paidAt: status === 'pending_payment' ? null : undefined,
        });
        const res = await closeAccount(u.auth, u.password);
        expect(res.statusCode, `${status} as ${side}`).toBe(409);
        expect(errorCode(res)).toBe('ACCOUNT_BUSY');
        expect(
          (await t.app.inject({ method: 'GET', url: '/api/me', headers: u.auth })).statusCode,
        ).toBe(200);
      }
    },
  );

  it('when a payout is still owed to the seller, then 409 ACCOUNT_BUSY', async () => {
    const u = await registerUser(t);
    const game = await createGame(t);
    const buyer = await signedInUser(t);
    const orderId = await insertOrder(t, {
      gameId: game.id,
      buyerId: buyer.id,
      sellerId: u.user.id,
      areaId: game.areas[0]!.id,
      status: 'completed',
    });
    await t.deps.db
      .insertInto('payouts')
      .values({
        id: newId(),
        order_id: orderId,
        seller_id: u.user.id,
        gross_amount: 1000,
        fee: 50,
        amount: 950,
        status: 'owed',
        paid_at: null,
        created_at: t.deps.clock.now().toISOString(),
      })
      .execute();
    const res = await closeAccount(u.auth, u.password);
    expect(errorCode(res)).toBe('ACCOUNT_BUSY');
  });

  it('when nothing is open, then the account is erased: listings down, sessions end, name anonymised, reviews kept, the address free again', async () => {
    const u = await registerUser(t, { name: '要離開的 阿華' });
    const game = await createGame(t);
    const buyer = await signedInUser(t);
    await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: u.auth,
      payload: { payoutAccount: { bankCode: '822', accountNumber: '123456789012' } },
    });
    const listingId = await insertListing(t, { game, sellerId: u.user.id });
    const orderId = await insertOrder(t, {
      gameId: game.id,
      buyerId: buyer.id,
      sellerId: u.user.id,
      areaId: game.areas[0]!.id,
      status: 'completed',
    });
    await t.deps.db
      .insertInto('reviews')
      .values({
        id: newId(),
        order_id: orderId,
        seller_id: u.user.id,
        buyer_id: buyer.id,
        rating: 5,
        comment: '很順利',
        created_at: t.deps.clock.now().toISOString(),
      })
      .execute();
    const res = await closeAccount(u.auth, u.password);
    expect(res.statusCode, res.body).toBe(204);
    expect(mailer.sent.at(-1)).toMatchObject({ to: u.user.email, subject: '你的帳號已刪除' });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/me', headers: u.auth })).statusCode,
    ).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.user.email, password: u.password },
    });
    expect(login.statusCode).toBe(401);
    const listing = await t.deps.db
      .selectFrom('listings')
      .select('status')
      .where('id', '=', listingId)
      .executeTakeFirstOrThrow();
    expect(listing.status).toBe('cancelled');
    const row = await t.deps.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', u.user.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: '已刪除的使用者',
      payout_account: null,
      payout_bank_code: null,
      status: 'deleted',
    });
    expect(row.email).not.toContain(u.user.email.split('@')[0]!);
    const profile = await t.app.inject({ method: 'GET', url: `/api/users/${u.user.id}` });
    expect(profile.json().name).toBe('已刪除的使用者');
    const sellerOfReview = await t.app.inject({ method: 'GET', url: `/api/users/${u.user.id}` });
    expect(sellerOfReview.json().reviews[0]).toMatchObject({ rating: 5, comment: '很順利' });
    const again = await registerUser(t, { email: u.user.email });
    expect(again.user.email).toBe(u.user.email);
  });

  it('when a listing is published while the account closes (after its listings came down), then 409 ACCOUNT_BUSY and the account stays, so no order can land on a closed seller', async () => {
    const u = await registerUser(t);
    const game = await createGame(t);
    await insertListing(t, { game, sellerId: u.user.id });
    let published: string | undefined;
    // The listings come down, and meanwhile (another tab) the seller publishes one more.
    const privacy = createPrivacyService({
      db: t.deps.db,
      uow: t.deps.uow,
      clock: t.deps.clock,
      accounts: t.deps.accounts,
      sealer: t.deps.sealer,
      listings: {
        cancel: async (userId, listingId) => {
          const done = await t.deps.listings.cancel(userId, listingId);
          published ??= await insertListing(t, { game, sellerId: userId });
          return done;
        },
      },
    });
    const me = await t.deps.db
      .selectFrom('users')
      .select(['id', 'role', 'locale'])
      .where('id', '=', u.user.id)
      .executeTakeFirstOrThrow();
    const closing = privacy.closeAccount(
      {
        id: me.id,
        role: me.role,
        locale: me.locale,
        tokenId: newId(),
        tokenExpiresAt: new Date(Date.now() + 60_000),
        mfa: false,
        emailVerified: true,
      },
      u.password,
    );
    await expect(closing).rejects.toBeInstanceOf(AppError);
    await expect(closing).rejects.toMatchObject({ code: 'ACCOUNT_BUSY' });
    expect(published).toBeTruthy();
    const row = await t.deps.db
      .selectFrom('users')
      .select(['status', 'email'])
      .where('id', '=', u.user.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'active', email: u.user.email });
    // Once the seller stops, closing goes through and takes the new listing down too.
    expect((await closeAccount(u.auth, u.password)).statusCode).toBe(204);
  });
});
