// SIGKILL of the real server during checkout (issue 5): the server runs as a child process
// (`node server/src/main.ts`, SQLite in a temp DATA_DIR, JOBS=inline) and is killed with -9
//   (a) between the hold and the payment: after a restart the hold expires, the listing is
//       active again and another buyer can buy it;
//   (b) between TapPay's approval and our commit (FAULT_INJECT=crash-after-charge, test only):
//       after a restart the Record API (by order number) finds the charge; the order ends paid,
//       charged exactly once. The simulator journals its trades in DATA_DIR, as TapPay keeps them.
// Always on SQLite (a child server of its own), whatever TEST_DB says.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalog } from '../../src/modules/catalog/index.ts';
import { createDatabase } from '../../src/platform/db/database.ts';
import { buildTestApp, usingMysql } from '../build-test-app.ts';
import { startServer, sleep, type ServerProcess } from './processes.ts';
import { cardholder, setupSale, signedInUser, type TestUser } from '../factories/index.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'pas-sigkill-'));
let jwtSecret = '';
let saleA: Awaited<ReturnType<typeof setupSale>>;
let saleB: Awaited<ReturnType<typeof setupSale>>;
let otherBuyer: TestUser;
const running: ServerProcess[] = [];
/** The fields these tests read from order, pay and listing responses. */
interface Json {
  id: string;
  status: string;
  expiresAt: string;
  order: { status: string };
}

function serverEnv(extra: Record<string, string> = {}) {
  return {
    DATA_DIR: dataDir,
    JWT_SECRET: jwtSecret,
    JOBS: 'inline',
    DEMO_DATA: 'false',
    RATE_LIMIT: 'off',
    ...extra,
  };
}

async function start(extra: Record<string, string> = {}) {
  const s = await startServer(serverEnv(extra));
  running.push(s);
  return s;
}

const call = async (
  s: ServerProcess,
  method: string,
  url: string,
  user: TestUser | null,
  body?: unknown,
) => {
  const res = await fetch(`${s.base}${url}`, {
    method,
    headers: {
      ...(user ? user.auth : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text, json: () => JSON.parse(text) as Json };
};

beforeAll(async () => {
  // Seed through the test app on the same SQLite file, then close it before any server starts.
  const t = await buildTestApp({ env: { DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '' } });
  if (usingMysql()) {
    await t.deps.database.migrate();
    await seedCatalog(t.deps.db);
  }
  jwtSecret = t.config.jwtSecret!;
  saleA = await setupSale(t);
  saleB = await setupSale(t);
  otherBuyer = await signedInUser(t, { name: 'Second Buyer' });
  await t.close();
});

afterAll(async () => {
  for (const s of running) await s.kill9();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('SIGKILL during checkout', () => {
  it('when the server is killed between the hold and the payment, then after a restart the hold expires and the listing sells again', async () => {
    let s = await start({ CHECKOUT_HOLD_SECONDS: '2' });
    const held = await call(s, 'POST', '/api/orders', saleA.buyer, {
      listingId: saleA.listingId,
    });
    expect(held.status, held.body).toBe(201);
    const order = held.json();
    expect((await call(s, 'GET', `/api/listings/${saleA.listingId}`, null)).json().status).toBe(
      'held',
    );

    await s.kill9();
    expect(s.proc.signalCode).toBe('SIGKILL');
    // The hold runs out while no server is up.
    await sleep(Math.max(0, new Date(order.expiresAt).getTime() - Date.now()) + 300);

    s = await start({ CHECKOUT_HOLD_SECONDS: '120' });
    const after = await call(s, 'GET', `/api/orders/${order.id}`, saleA.buyer);
    expect(after.status, after.body).toBe(200);
    expect(after.json().status).toBe('expired');
    expect((await call(s, 'GET', `/api/listings/${saleA.listingId}`, null)).json().status).toBe(
      'active',
    );
    // The first buyer can no longer pay; another buyer buys and pays.
    const late = await call(s, 'POST', `/api/orders/${order.id}/pay`, saleA.buyer, {
      prime: 'sim_approve',
      cardholder,
    });
    expect(late.status, late.body).toBe(409);
    const second = await call(s, 'POST', '/api/orders', otherBuyer, {
      listingId: saleA.listingId,
    });
    expect(second.status, second.body).toBe(201);
    const paid = await call(s, 'POST', `/api/orders/${second.json().id}/pay`, otherBuyer, {
      prime: 'sim_approve',
      cardholder,
    });
    expect(paid.status, paid.body).toBe(200);
    expect(paid.json().order.status).toBe('paid');
    await s.stop();

    const { db, destroy } = createDatabase({
      driver: 'sqlite',
      file: path.join(dataDir, 'pitch-a-seat.sqlite'),
    });
    try {
      const history = await db
        .selectFrom('order_status_history')
        .select(['to_status'])
        .where('order_id', '=', order.id)
        .orderBy('created_at')
        .execute();
      expect(history.map((h) => h.to_status)).toEqual(['pending_payment', 'expired']);
      const payments = await db
        .selectFrom('payments')
        .select('id')
        .where('order_id', '=', order.id)
        .execute();
      expect(payments).toEqual([]);
    } finally {
      await destroy();
    }
  }, 180_000);

  it('when the server is killed between the approval and our commit, then after a restart the charge is found and the order is paid exactly once', async () => {
    let s = await start({ CHECKOUT_HOLD_SECONDS: '300', FAULT_INJECT: 'crash-after-charge' });
    const held = await call(s, 'POST', '/api/orders', saleB.buyer, {
      listingId: saleB.listingId,
    });
    expect(held.status, held.body).toBe(201);
    const orderId = held.json().id;
    // The pay call never answers: the process dies after TapPay (the simulator) approved.
    await expect(
      call(s, 'POST', `/api/orders/${orderId}/pay`, saleB.buyer, {
        prime: 'sim_approve',
        cardholder,
      }),
    ).rejects.toThrow();
    await s.exited;
    expect(s.proc.signalCode).toBe('SIGKILL');

    s = await start({ CHECKOUT_HOLD_SECONDS: '300' });
    const before = await call(s, 'GET', `/api/orders/${orderId}`, saleB.buyer);
    expect(before.json().status).toBe('pending_payment');
    // The buyer tries again: the open attempt is settled through the Record API first, which
    // finds the charge; no second charge is made.
    const retry = await call(s, 'POST', `/api/orders/${orderId}/pay`, saleB.buyer, {
      prime: 'sim_approve',
      cardholder,
    });
    expect(retry.status, retry.body).toBe(200);
    expect(retry.json().order.status).toBe('paid');
    expect((await call(s, 'GET', `/api/listings/${saleB.listingId}`, null)).json().status).toBe(
      'sold',
    );
    // Paid stays paid across another kill -9.
    await s.kill9();
    s = await start({ CHECKOUT_HOLD_SECONDS: '300' });
    expect((await call(s, 'GET', `/api/orders/${orderId}`, saleB.buyer)).json().status).toBe(
      'paid',
    );
    await s.stop();

    const trades = readFileSync(path.join(dataDir, 'tappay-simulator.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { recTradeId: string; orderNumber: string })
      .filter((t) => t.orderNumber === orderId);
    expect(new Set(trades.map((t) => t.recTradeId)).size).toBe(1);

    const { db, destroy } = createDatabase({
      driver: 'sqlite',
      file: path.join(dataDir, 'pitch-a-seat.sqlite'),
    });
    try {
      const payments = await db
        .selectFrom('payments')
        .select(['status', 'rec_trade_id', 'amount'])
        .where('order_id', '=', orderId)
        .execute();
      expect(payments).toEqual([
        { status: 'succeeded', rec_trade_id: trades[0]!.recTradeId, amount: saleB.amount },
      ]);
      const refunds = await db
        .selectFrom('refunds')
        .select('id')
        .where('order_id', '=', orderId)
        .execute();
      expect(refunds).toEqual([]);
    } finally {
      await destroy();
    }
  }, 180_000);
});
