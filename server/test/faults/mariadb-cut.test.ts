// MariaDB going away and coming back, simulated (the run's MariaDB is shared, so it is never
// restarted): the app talks to MariaDB through a small TCP proxy this test owns, which can cut
// every connection (and refuse new ones) and then let them through again. Also cut in the middle
// of the checkout transaction, right when the order's status history is about to be written.
// Expected: /readyz 503 while cut, 200 after; an order attempted while cut fails with the error
// shape (5xx) and leaves nothing half-written; after the restore orders succeed.
// Only with TEST_DB=mysql.
import { randomUUID } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { seedCatalog } from '../../src/modules/catalog/index.ts';
import { createDatabase, type Database } from '../../src/platform/db/database.ts';
import { buildTestApp, usingMysql, type TestApp } from '../build-test-app.ts';
import { freePort, waitFor } from './processes.ts';
import { placeOrder, setupSale } from '../factories/index.ts';

/** A TCP proxy in front of MariaDB that can cut all traffic, now or when a statement is seen. */
function createCutProxy(target: { host: string; port: number }) {
  const pairs = new Set<[Socket, Socket]>();
  let cut = false;
  let cutOn: string | null = null;
  const cutAll = () => {
    cut = true;
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
  };
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('data', (chunk: Buffer) => {
      if (cutOn && chunk.includes(cutOn)) {
        cutOn = null;
        cutAll(); // the statement never reaches MariaDB
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  return {
    listen: (port: number) =>
      new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve())),
    cut: cutAll,
    /** Cuts everything when the app sends a packet containing `text`. */
    cutWhen(text: string) {
      cutOn = text;
    },
    restore() {
      cut = false;
      cutOn = null;
    },
    isCut: () => cut,
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}

const enabled = usingMysql();
let t: TestApp;
let direct: Database;
let admin: Database;
let dbName = '';
let proxy: ReturnType<typeof createCutProxy>;

beforeAll(async () => {
  if (!enabled) return;
  const runUrl = new URL(inject('mysqlUrl')!);
  const serverUrl = new URL(runUrl);
  serverUrl.pathname = '';
  admin = createDatabase({ driver: 'mysql', url: serverUrl.toString().replace(/\/$/, '') });
  dbName = `${runUrl.pathname.slice(1)}_cut${randomUUID().slice(0, 8)}`.slice(0, 64);
  await sql
    .raw(`create database \`${dbName}\` character set utf8mb4 collate utf8mb4_bin`)
    .execute(admin.db);
  const directUrl = new URL(serverUrl);
  directUrl.pathname = `/${dbName}`;
  direct = createDatabase({ driver: 'mysql', url: directUrl.toString() });
  await direct.migrate();
  await seedCatalog(direct.db);

  proxy = createCutProxy({ host: runUrl.hostname, port: Number(runUrl.port || 3306) });
  const proxyPort = await freePort();
  await proxy.listen(proxyPort);
  const viaProxy = new URL(directUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxyPort);
  t = await buildTestApp({ env: { DATABASE_URL: viaProxy.toString() } });
});

afterAll(async () => {
  if (!enabled) return;
  await t?.close();
  await proxy?.close();
  await direct?.destroy();
  if (dbName) await sql.raw(`drop database if exists \`${dbName}\``).execute(admin.db);
  await admin?.destroy();
});

const readyz = async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode;

async function stateOf(listingId: string) {
  const listing = await direct.db
    .selectFrom('listings')
    .select('status')
    .where('id', '=', listingId)
    .executeTakeFirstOrThrow();
  const orders = await direct.db
    .selectFrom('orders')
    .select(['id', 'status'])
    .where('listing_id', '=', listingId)
    .execute();
  const history = orders.length
    ? await direct.db
        .selectFrom('order_status_history')
        .select(['order_id', 'to_status'])
        .where(
          'order_id',
          'in',
          orders.map((o) => o.id),
        )
        .execute()
    : [];
  return { listing: listing.status, orders, history };
}

function expectServerError(res: { statusCode: number; json(): unknown }) {
  expect(res.statusCode).toBeGreaterThanOrEqual(500);
  expect([500, 503]).toContain(res.statusCode);
  const body = res.json() as { error: { code: string; message: string }; requestId: string };
  expect(['INTERNAL', 'SERVICE_UNAVAILABLE']).toContain(body.error.code);
  expect(typeof body.error.message).toBe('string');
  expect(typeof body.requestId).toBe('string');
}

describe.runIf(enabled)('MariaDB cut and restored', () => {
  it('when the database connection is cut, then /readyz is 503, an order fails cleanly, and after the restore it succeeds', async () => {
    const sale = await setupSale(t);
    expect(await readyz()).toBe(200);

    proxy.cut();
    expect(await readyz()).toBe(503);
    expectServerError(await placeOrder(t, sale.buyer, sale.listingId));
    expect(await stateOf(sale.listingId)).toEqual({ listing: 'active', orders: [], history: [] });

    proxy.restore();
    await waitFor(async () => (await readyz()) === 200, '/readyz 200 again', 15_000);
    const res = await placeOrder(t, sale.buyer, sale.listingId);
    expect(res.statusCode, res.body).toBe(201);
    const after = await stateOf(sale.listingId);
    expect(after.listing).toBe('held');
    expect(after.orders).toHaveLength(1);
    expect(after.history).toEqual([
      { order_id: after.orders[0]!.id, to_status: 'pending_payment' },
    ]);
  });

  it('when the connection is cut inside the checkout transaction, then no order is left without its hold and history', async () => {
    const sale = await setupSale(t);
    proxy.cutWhen('order_status_history');
    expectServerError(await placeOrder(t, sale.buyer, sale.listingId));
    expect(proxy.isCut()).toBe(true);
    expect(await readyz()).toBe(503);
    // MariaDB rolled the transaction back when its connection dropped.
    expect(await stateOf(sale.listingId)).toEqual({ listing: 'active', orders: [], history: [] });

    proxy.restore();
    await waitFor(async () => (await readyz()) === 200, '/readyz 200 again', 15_000);
    const res = await placeOrder(t, sale.buyer, sale.listingId);
    expect(res.statusCode, res.body).toBe(201);
    const after = await stateOf(sale.listingId);
    expect(after.listing).toBe('held');
    expect(after.history.map((h) => h.to_status)).toEqual(['pending_payment']);
  });
});
