// Market rows for tests, inserted directly: users (no password, cannot log in), listings, orders
// and reservations. Games come from fixtures-games.ts. Every call makes new rows.
import { randomInt } from 'node:crypto';
import type { ListingStatus, OrderStatus } from '../src/platform/db/schema.ts';
import { DAY } from '../src/shared/clock.ts';
import { newId } from '../src/shared/ids.ts';
import type { TestApp } from './build-test-app.ts';
import { insertRows, userRow } from './factories.ts';

/**
 * A random instant far from today (centuries away), for tests that rank or sum "everything up
 * to now": on the MariaDB database shared by all test files, nobody else's rows fall into a window
 * around it. `future` puts other files' games in the past; `past` puts their orders in the future.
 */
export function farEpoch(direction: 'future' | 'past'): Date {
  const base = Date.UTC(direction === 'future' ? 2500 : 1300, 0, 1, 4, 0, 0);
  return new Date(base + randomInt(0, 400 * 365) * DAY + randomInt(0, 86_400) * 1000);
}

export async function insertUser(
  t: TestApp,
  options: {
    name?: string;
    favoriteTeamId?: string | null;
    ratingSum?: number;
    ratingCount?: number;
  } = {},
): Promise<string> {
  const row = userRow(t.deps.clock.now(), 'market', {
    name: options.name ?? 'Market Fan',
    favorite_team_id: options.favoriteTeamId ?? null,
    rating_sum: options.ratingSum ?? 0,
    rating_count: options.ratingCount ?? 0,
  });
  await insertRows(t, 'users', [row]);
  return row.id;
}

export interface InsertListingOptions {
  gameId: string;
  sellerId: string;
  areaId: string;
  price?: number;
  faceValue?: number;
  quantity?: number;
  status?: ListingStatus;
  createdAt?: Date;
  rowLabel?: string | null;
  seats?: string | null;
}

export async function insertListing(t: TestApp, o: InsertListingOptions): Promise<string> {
  const id = newId();
  const at = (o.createdAt ?? t.deps.clock.now()).toISOString();
  const price = o.price ?? 500;
  await t.deps.db
    .insertInto('listings')
    .values({
      id,
      game_id: o.gameId,
      seller_id: o.sellerId,
      area_id: o.areaId,
      section: '12',
      row_label: o.rowLabel ?? null,
      seats: o.seats ?? null,
      quantity: o.quantity ?? 2,
      price,
      face_value: o.faceValue ?? Math.max(price, 600),
      delivery_method: 'eticket_transfer',
      note: null,
      status: o.status ?? 'active',
      cover_thumb_key: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
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

export async function insertOrder(t: TestApp, o: InsertOrderOptions): Promise<string> {
  const quantity = o.quantity ?? 2;
  const unitPrice = o.unitPrice ?? 500;
  const listingId =
    o.listingId ??
    (await insertListing(t, {
      gameId: o.gameId,
      sellerId: o.sellerId,
      areaId: o.areaId,
      price: unitPrice,
      quantity,
      status: 'sold',
    }));
  const id = newId();
  const paidAt = o.paidAt === undefined ? t.deps.clock.now() : o.paidAt;
  const createdAt = (paidAt ?? t.deps.clock.now()).toISOString();
  const status = o.status ?? 'paid';
  await t.deps.db
    .insertInto('orders')
    .values({
      id,
      listing_id: listingId,
      buyer_id: o.buyerId,
      seller_id: o.sellerId,
      game_id: o.gameId,
      quantity,
      unit_price: unitPrice,
      amount: unitPrice * quantity,
      status,
      idempotency_key: null,
      expires_at: createdAt,
      paid_at: paidAt ? paidAt.toISOString() : null,
      deliver_by: null,
      delivered_at: null,
      delivery_note: null,
      completed_at: status === 'completed' ? createdAt : null,
      dispute_reason: null,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .execute();
  return id;
}

export interface ReservationSpec {
  userId: string;
  gameId: string;
  areaIds?: string[];
  maxPrice?: number | null;
  quantity?: number;
  status?: 'active' | 'ended';
  /** Default: the app clock's now. */
  createdAt?: Date;
}

/** Inserts reservations (and their areas) in batches; returns their ids in order. */
export async function insertReservations(t: TestApp, specs: ReservationSpec[]): Promise<string[]> {
  const now = t.deps.clock.now();
  const rows = specs.map((s) => {
    const id = newId();
    return {
      id,
      user_id: s.userId,
      game_id: s.gameId,
      max_price: s.maxPrice ?? null,
      quantity: s.quantity ?? 1,
      criteria_key: `test:${id}`,
      status: s.status ?? 'active',
      created_at: (s.createdAt ?? now).toISOString(),
    };
  });
  const areas = specs.flatMap((s, i) =>
    (s.areaIds ?? []).map((area_id) => ({ reservation_id: rows[i]!.id, area_id })),
  );
  await insertRows(t, 'reservations', rows);
  await insertRows(t, 'reservation_areas', areas);
  return rows.map((r) => r.id);
}

export async function insertReservation(t: TestApp, spec: ReservationSpec): Promise<string> {
  const [id] = await insertReservations(t, [spec]);
  return id!;
}
