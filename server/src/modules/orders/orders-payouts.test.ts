// Payouts a bank can run: a batch per week (or now), its bulk-transfer CSV (golden file), the
// bank's result file imported idempotently, a failed payout back in the next batch once the
// seller fixed the account, the payout account validated at entry, and sellers' own view.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/build-test-app.ts';
import { manualClock } from '../../shared/clock.ts';
import {
  createGame,
  insertOrder,
  insertPayout,
  makeAdmin,
  signedInUser,
  type TestGame,
  type TestUser,
} from '../../../test/factories/index.ts';
import { notificationJob } from '../notifications/index.ts';

const clock = manualClock(new Date('2026-11-30T02:00:00Z'));
let t: TestApp;
let admin: { auth: Record<string, string> };
let game: TestGame;
beforeAll(async () => {
  t = await buildTestApp({ clock });
  admin = await makeAdmin(t);
  game = await createGame(t);
});
afterAll(async () => t.close());

const golden = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/payouts/${name}`, import.meta.url), 'utf8');

function as(
  user: { auth: Record<string, string> },
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: unknown,
) {
  return t.app.inject({ method, url, headers: user.auth, ...(payload ? { payload } : {}) });
}

/** A seller with a payout account and `amounts.length` completed orders, each with a payout. */
async function sellerWithPayouts(
  id: string,
  account: { bank: string; branch: string | null; number: string; name: string } | null,
  amounts: number[],
) {
  const seller = await signedInUser(t, {
    id,
    name: `Seller ${id.slice(-4)}`,
    payout_bank_code: account?.bank ?? null,
    payout_branch_code: account?.branch ?? null,
    payout_account: account?.number ?? null,
    payout_account_name: account?.name ?? null,
  });
  const buyer = await signedInUser(t);
  const payoutIds: string[] = [];
  for (const amount of amounts) {
    const orderId = await insertOrder(t, {
      gameId: game.id,
      areaId: game.areas[0]!.id,
      buyerId: buyer.id,
      sellerId: seller.id,
      quantity: 1,
      unitPrice: amount,
      status: 'completed',
    });
    payoutIds.push(await insertPayout(t, { orderId, sellerId: seller.id, amount }));
  }
  return { ...seller, payoutIds };
}

async function payoutRows(ids: string[]) {
  return t.deps.db.selectFrom('payouts').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

async function notificationsOf(userId: string) {
  const rows = await t.deps.db
    .selectFrom('jobs')
    .select(['payload'])
    .where('type', '=', notificationJob.type)
    .where('payload', 'like', `%${userId}%`)
    .execute();
  return rows.map(
    (r) => JSON.parse(r.payload) as { type: string; params: Record<string, unknown> },
  );
}

const maskBatch = (csv: string) => csv.replace(/PAS[0-9A-Z]{8}-/g, 'PASXXXXXXXX-');

let a: TestUser & { payoutIds: string[] };
let b: TestUser & { payoutIds: string[] };
let c: TestUser & { payoutIds: string[] };
let batchId: string;

describe('a payout batch', () => {
  it('when an admin pays out now, then owed payouts with a complete account go into one batch, one transfer line per seller, and the CSV is the bank’s format', async () => {
    a = await sellerWithPayouts(
      '01kseller0000000000000000a',
      { bank: '822', branch: '0901', number: '123456789012', name: '王小明' },
      [475, 950],
    );
    b = await sellerWithPayouts(
      '01kseller0000000000000000b',
      { bank: '812', branch: '0012', number: '00112233445566', name: 'Lin, Mei-Hua "May"' },
      [300],
    );
    // No branch code yet: not paid out, stays owed.
    c = await sellerWithPayouts(
      '01kseller0000000000000000c',
      { bank: '004', branch: null, number: '99988877766', name: '陳大文' },
      [800],
    );
    const res = await as(admin, 'POST', '/api/admin/payout-batches');
    expect(res.statusCode, res.body).toBe(201);
    const batch = res.json();
    batchId = batch.id;
    expect(batch).toMatchObject({
      trigger: 'admin',
      sellerCount: 2,
      payoutCount: 3,
      totalAmount: 1725,
      reconciledAt: null,
    });
    const rows = await payoutRows([...a.payoutIds, ...b.payoutIds, ...c.payoutIds]);
    expect(rows.filter((p) => p.status === 'in_batch')).toHaveLength(3);
    expect(rows.find((p) => p.id === c.payoutIds[0])).toMatchObject({
      status: 'owed',
      batch_id: null,
    });

    const csv = await as(admin, 'GET', `/api/admin/payout-batches/${batchId}/transfer.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    expect(maskBatch(csv.body)).toBe(golden('transfer.golden.csv'));
    expect(csv.body).toContain(`PAS${batchId.slice(-8).toUpperCase()}-0001`);
  });

  it('when the batch is exported again, then the file is the same', async () => {
    const first = await as(admin, 'GET', `/api/admin/payout-batches/${batchId}/transfer.csv`);
    const again = await as(admin, 'GET', `/api/admin/payout-batches/${batchId}/transfer.csv`);
    expect(again.body).toBe(first.body);
  });

  it('when the bank’s result file is imported, then lines become paid or failed with the reason, sellers are told, and a second import changes nothing', async () => {
    const ref = (line: number) =>
      `PAS${batchId.slice(-8).toUpperCase()}-${String(line).padStart(4, '0')}`;
    const file = [
      'reference,result,reason',
      `${ref(1)},success,`,
      `${ref(2)},failed,帳號不符 account name mismatch`,
      'PASNOTOURS-0001,success,',
    ].join('\r\n');
    const res = await as(admin, 'POST', `/api/admin/payout-batches/${batchId}/results`, { file });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      paid: 1,
      failed: 1,
      unchanged: 0,
      rejected: [{ reference: 'PASNOTOURS-0001', reason: 'not a line of this batch' }],
    });
    const rows = await payoutRows([...a.payoutIds, ...b.payoutIds]);
    for (const id of a.payoutIds)
      expect(rows.find((p) => p.id === id)).toMatchObject({
        status: 'paid',
        paid_at: clock.now().toISOString(),
      });
    expect(rows.find((p) => p.id === b.payoutIds[0])).toMatchObject({
      status: 'failed',
      failure_reason: '帳號不符 account name mismatch',
      paid_at: null,
    });
    expect((await notificationsOf(a.id)).filter((n) => n.type === 'payout_paid')).toEqual([
      expect.objectContaining({ params: expect.objectContaining({ amount: 1425 }) }),
    ]);
    expect((await notificationsOf(b.id)).filter((n) => n.type === 'payout_failed')).toEqual([
      expect.objectContaining({
        params: expect.objectContaining({ amount: 300, comment: '帳號不符 account name mismatch' }),
      }),
    ]);

    // The same file again: nothing changes, nobody is told twice.
    const again = await as(admin, 'POST', `/api/admin/payout-batches/${batchId}/results`, { file });
    expect(again.json()).toMatchObject({ paid: 0, failed: 0, unchanged: 2 });
    expect(await payoutRows([...a.payoutIds, ...b.payoutIds])).toEqual(rows);
    expect((await notificationsOf(b.id)).filter((n) => n.type === 'payout_failed')).toHaveLength(1);
    // A paid line is not turned into a failure by a later file.
    const contradict = await as(admin, 'POST', `/api/admin/payout-batches/${batchId}/results`, {
      file: `reference,result,reason\r\n${ref(1)},failed,late`,
    });
    expect(contradict.json().rejected).toEqual([{ reference: ref(1), reason: 'already paid' }]);
  });

  it('when a seller looks at their payouts, then they see each one’s status and the bank’s reason', async () => {
    const mine = await as(b, 'GET', '/api/me/payouts');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toEqual([
      expect.objectContaining({
        id: b.payoutIds[0],
        amount: 300,
        status: 'failed',
        failureReason: '帳號不符 account name mismatch',
      }),
    ]);
    const aMine = await as(a, 'GET', '/api/me/payouts');
    expect(aMine.json().items.map((p: { status: string }) => p.status)).toEqual(['paid', 'paid']);
    expect(aMine.body).not.toContain(b.payoutIds[0]);
  });

  it('when the failed payout’s seller has not fixed the account, then the next batch leaves it out; once fixed, it is in the next batch with the new account', async () => {
    const none = await as(admin, 'POST', '/api/admin/payout-batches');
    expect(none.statusCode).toBe(409);
    const fix = await as(b, 'PATCH', '/api/me', {
      payoutAccount: {
        bankCode: '812',
        branchCode: '0012',
        accountNumber: '00112233445566',
        accountName: '林美華',
      },
    });
    expect(fix.statusCode, fix.body).toBe(200);
    const next = await as(admin, 'POST', '/api/admin/payout-batches');
    expect(next.statusCode, next.body).toBe(201);
    expect(next.json()).toMatchObject({ sellerCount: 1, payoutCount: 1, totalAmount: 300 });
    const [row] = await payoutRows(b.payoutIds);
    expect(row).toMatchObject({
      status: 'in_batch',
      batch_id: next.json().id,
      failure_reason: null,
    });
    const csv = await as(admin, 'GET', `/api/admin/payout-batches/${next.json().id}/transfer.csv`);
    expect(csv.body).toContain('林美華');
  });

  it('when the weekly schedule runs, then it makes one batch a week', async () => {
    await sellerWithPayouts(
      '01kseller0000000000000000d',
      { bank: '700', branch: '0021', number: '12345678901234', name: '郵局戶' },
      [120],
    );
    const first = await t.deps.orders.payouts.runWeekly();
    expect(first).toMatchObject({ trigger: 'schedule', payoutCount: 1 });
    await sellerWithPayouts(
      '01kseller0000000000000000e',
      { bank: '700', branch: '0021', number: '12345678901299', name: '郵局戶二' },
      [130],
    );
    clock.advance(6 * 24 * 3600_000);
    expect(await t.deps.orders.payouts.runWeekly()).toBeNull();
    clock.advance(24 * 3600_000);
    expect(await t.deps.orders.payouts.runWeekly()).toMatchObject({
      payoutCount: 1,
      totalAmount: 130,
    });
  });

  it('when someone who is not an admin asks for batches, then 401/403', async () => {
    expect((await as(a, 'POST', '/api/admin/payout-batches')).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/admin/payout-batches' })).statusCode,
    ).toBe(401);
    expect(
      (await as(a, 'GET', `/api/admin/payout-batches/${batchId}/transfer.csv`)).statusCode,
    ).toBe(403);
  });
});

describe('the payout account form', () => {
  it('when a bank code, branch code, account number or name is not valid, then 400 and nothing changes', async () => {
    const seller = await signedInUser(t);
    for (const payoutAccount of [
      { bankCode: '999', branchCode: '0012', accountNumber: '123456789012', accountName: 'x' },
      { bankCode: '822', branchCode: '12', accountNumber: '123456789012', accountName: 'x' },
      { bankCode: '822', branchCode: '0012', accountNumber: '12-3456', accountName: 'x' },
      { bankCode: '822', branchCode: '0012', accountNumber: '123456789012', accountName: ' ' },
    ]) {
      const res = await as(seller, 'PATCH', '/api/me', { payoutAccount });
      expect(res.statusCode, JSON.stringify(payoutAccount)).toBe(400);
    }
    const ok = await as(seller, 'PATCH', '/api/me', {
      payoutAccount: {
        bankCode: '822',
        branchCode: '0901',
        accountNumber: '123456789012',
        accountName: '王小明',
      },
    });
    expect(ok.statusCode).toBe(200);
    const row = await t.deps.db
      .selectFrom('users')
      .select(['payout_bank_code', 'payout_branch_code', 'payout_account', 'payout_account_name'])
      .where('id', '=', seller.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      payout_bank_code: '822',
      payout_branch_code: '0901',
      payout_account: '123456789012',
      payout_account_name: '王小明',
    });
  });
});
