// Listings, inserted directly (the API path with photos is tested in modules/listings).
import { newListingRow } from '../../src/modules/listings/index.ts';
import type { DeliveryMethod, ListingStatus, SplitRule } from '../../src/platform/db/schema.ts';
import { insertRows, type Fixture } from './fixture.ts';
import type { TestGame } from './games.ts';

/** The game by its ids, or a created game (whose first seat area is the default). */
type Where = { gameId: string; areaId: string } | { game: TestGame; areaId?: string };

export type ListingSpec = Where & {
  sellerId: string;
  /** Default 500 (per ticket). */
  price?: number;
  /** Default the price, and at least 600. */
  faceValue?: number;
  /** Default 2. */
  quantity?: number;
  status?: ListingStatus;
  /** Default `any`. */
  splitRule?: SplitRule;
  /** Default: the app clock's now. */
  createdAt?: Date;
  rowLabel?: string | null;
  seats?: string | null;
  /** Default eticket_transfer. */
  deliveryMethod?: DeliveryMethod;
};

/** Inserts a listing; returns its id. */
export async function insertListing(f: Fixture, spec: ListingSpec): Promise<string> {
  const at = (spec.createdAt ?? f.deps.clock.now()).toISOString();
  const price = spec.price ?? 500;
  const [gameId, areaId] =
    'game' in spec
      ? [spec.game.id, spec.areaId ?? spec.game.areas[0]!.id]
      : [spec.gameId, spec.areaId];
  const quantity = spec.quantity ?? 2;
  const status = spec.status ?? 'active';
  const row = newListingRow(
    {
      game_id: gameId,
      seller_id: spec.sellerId,
      area_id: areaId,
      section: '12',
      row_label: spec.rowLabel ?? null,
      seats: spec.seats ?? null,
      quantity,
      // A held or sold listing has none left for sale; a held one's are in a hold.
      remaining: status === 'held' || status === 'sold' ? 0 : quantity,
      held: status === 'held' ? quantity : 0,
      split_rule: spec.splitRule ?? 'any',
      price,
      face_value: spec.faceValue ?? Math.max(price, 600),
      status,
      ...(spec.deliveryMethod ? { delivery_method: spec.deliveryMethod } : {}),
    },
    at,
  );
  await insertRows(f, 'listings', [row]);
  return row.id;
}
