// Reservations (「有票通知我」), inserted directly in batches.
import { newId } from '../../src/shared/ids.ts';
import { insertRows, type Fixture } from './fixture.ts';

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
export async function insertReservations(f: Fixture, specs: ReservationSpec[]): Promise<string[]> {
  const now = f.deps.clock.now();
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
  await insertRows(f, 'reservations', rows);
  await insertRows(f, 'reservation_areas', areas);
  return rows.map((r) => r.id);
}

export async function insertReservation(f: Fixture, spec: ReservationSpec): Promise<string> {
  const [id] = await insertReservations(f, [spec]);
  return id!;
}

/** The reservations a listing matched (its fan-out). */
export async function matchedReservationIds(f: Fixture, listingId: string) {
  const rows = await f.deps.db
    .selectFrom('reservation_matches')
    .select('reservation_id')
    .where('listing_id', '=', listingId)
    .execute();
  return new Set(rows.map((r) => r.reservation_id));
}
