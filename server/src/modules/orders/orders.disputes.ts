// Disputes with evidence (issue 18 item 6): the buyer's photos go through the listing photo
// pipeline (sniffed, re-encoded, metadata stripped) and are stored under private keys, which the
// public /media route refuses; they are read through GET /api/orders/:id/dispute-photos/:photoId
// by the buyer, the seller and admins only (404 for anyone else, signed in or not). The admin
// dispute view adds both parties' records to the order and its timeline.
import type { AdminDispute, PartyRecord } from '../../../../shared/contracts/admin.ts';
import type { DisputePhoto, DisputeReason } from '../../../../shared/contracts/orders.ts';
import type { Db, Executor } from '../../platform/db/dialect.ts';
import type { Storage, StoredObject } from '../../platform/storage/storage.ts';
import type { Clock } from '../../shared/clock.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { deletePhotos, processPhoto, storePhotos, type ProcessedPhoto } from '../listings/index.ts';
import { assertParty, type Viewer } from './orders.access.ts';
import { DISPUTE_REFUNDED } from './orders.scorecard.ts';
import { SELLER_CANCELLED, sellingPausedUntil } from './orders.strikes.ts';
import type { OrderViews } from './orders.views.ts';
import * as repo from './orders.repository.ts';

/** Keys under this prefix are never served by /media (platform/storage/media-routes.ts). */
export const PRIVATE_PREFIX = 'private/';

export const disputePhotoUrl = (orderId: string, photoId: string, thumb = false) =>
  `/api/orders/${orderId}/dispute-photos/${photoId}${thumb ? '?size=thumb' : ''}`;

/** Evidence photos checked and re-encoded, under fresh private keys (not content-derived). */
export async function prepareEvidence(orderId: string, uploads: Buffer[]) {
  const photos: (ProcessedPhoto & { id: string })[] = [];
  for (const [index, upload] of uploads.entries()) {
    const processed = await processPhoto(upload, index);
    const id = newId();
    photos.push({
      ...processed,
      id,
      key: `${PRIVATE_PREFIX}disputes/${orderId}/${id}.webp`,
      thumbKey: `${PRIVATE_PREFIX}disputes/${orderId}/${id}-thumb.webp`,
    });
  }
  return photos;
}

export async function insertEvidenceRows(
  ex: Executor,
  orderId: string,
  photos: (ProcessedPhoto & { id: string })[],
  nowIso: string,
) {
  if (photos.length === 0) return;
  await ex
    .insertInto('order_dispute_photos')
    .values(
      photos.map((p, position) => ({
        id: p.id,
        order_id: orderId,
        storage_key: p.key,
        thumb_key: p.thumbKey,
        width: p.width,
        height: p.height,
        position,
        created_at: nowIso,
      })),
    )
    .execute();
}

export { deletePhotos, storePhotos };

export async function findEvidence(db: Executor, orderId: string): Promise<DisputePhoto[]> {
  const rows = await db
    .selectFrom('order_dispute_photos')
    .select('id')
    .where('order_id', '=', orderId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: disputePhotoUrl(orderId, r.id),
    thumbUrl: disputePhotoUrl(orderId, r.id, true),
  }));
}

export interface DisputesDeps {
  db: Db;
  clock: Clock;
  storage: Storage;
  views: Pick<OrderViews, 'load'>;
}

export function createDisputes(deps: DisputesDeps) {
  const { db, clock, storage, views } = deps;

  async function partyRecord(userId: string): Promise<PartyRecord> {
    const paid = ['paid', 'delivered', 'disputed', 'completed', 'refunded'] as const;
    const [user, bought, sold, opened, against, lost, strikes, pausedUntil] = await Promise.all([
      db
        .selectFrom('users')
        .select(['id', 'name', 'created_at'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow(),
      countOrders(db, 'buyer_id', userId, paid),
      countOrders(db, 'seller_id', userId, paid),
      countSteps(db, 'buyer_id', userId, (q) => q.where('h.to_status', '=', 'disputed')),
      countSteps(db, 'seller_id', userId, (q) => q.where('h.to_status', '=', 'disputed')),
      countSteps(db, 'seller_id', userId, (q) =>
        q.where('h.to_status', '=', 'refunded').where('h.reason', '=', DISPUTE_REFUNDED),
      ),
      countSteps(db, 'seller_id', userId, (q) =>
        q
          .where('h.from_status', '=', 'paid')
          .where('h.to_status', '=', 'refunded')
          .where('h.reason', '=', SELLER_CANCELLED),
      ),
      sellingPausedUntil(db, userId, clock.now()),
    ]);
    return {
      id: user.id,
      name: user.name,
      memberSince: user.created_at,
      ordersBought: bought,
      disputesOpened: opened,
      ordersSold: sold,
      disputesAgainst: against,
      disputesLost: lost,
      strikes,
      sellingPausedUntil: pausedUntil,
    };
  }

  return {
    /** An evidence photo for the buyer, the seller or an admin; 404 for anyone else. */
    async photo(
      viewer: Viewer | null,
      orderId: string,
      photoId: string,
      thumb: boolean,
    ): Promise<StoredObject> {
      const order = await repo.findOrderById(db, orderId);
      if (!order || !viewer) throw notFound('Photo');
      try {
        assertParty(viewer, order, { admin: true });
      } catch {
        throw notFound('Photo');
      }
      const row = await db
        .selectFrom('order_dispute_photos')
        .select(['storage_key', 'thumb_key'])
        .where('id', '=', photoId)
        .where('order_id', '=', orderId)
        .executeTakeFirst();
      const object = row && (await storage.get(thumb ? row.thumb_key : row.storage_key));
      if (!object) throw notFound('Photo');
      return object;
    },

    /** Admin: the disputed (or settled) order, its evidence and both parties' records. */
    async adminView(admin: Viewer, orderId: string): Promise<AdminDispute> {
      const order = await views.load(orderId, admin);
      const row = await repo.findOrderById(db, orderId);
      if (!row) throw notFound('Order');
      const opened = [...order.timeline].reverse().find((e) => e.to === 'disputed');
      const [photos, buyer, seller] = await Promise.all([
        findEvidence(db, orderId),
        partyRecord(row.buyer_id),
        partyRecord(row.seller_id),
      ]);
      return {
        order,
        reasonCode: (row.dispute_code as DisputeReason | null) ?? null,
        reason: row.dispute_reason,
        openedAt: opened?.at ?? null,
        photos,
        buyer,
        seller,
      };
    },
  };
}

export type Disputes = ReturnType<typeof createDisputes>;

function countOrders(
  db: Executor,
  side: 'buyer_id' | 'seller_id',
  userId: string,
  statuses: readonly string[],
) {
  return db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(side, '=', userId)
    .where('status', 'in', statuses as never)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

type StepQuery = ReturnType<typeof stepsOf>;
function stepsOf(db: Executor, side: 'buyer_id' | 'seller_id', userId: string) {
  return db
    .selectFrom('order_status_history as h')
    .innerJoin('orders as o', 'o.id', 'h.order_id')
    .where(`o.${side}`, '=', userId);
}

function countSteps(
  db: Executor,
  side: 'buyer_id' | 'seller_id',
  userId: string,
  filter: (q: StepQuery) => StepQuery,
) {
  return filter(stepsOf(db, side, userId))
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}
