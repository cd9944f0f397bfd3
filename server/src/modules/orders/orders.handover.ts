// After checkout, between the two parties: the seller sends the ticket, the buyer confirms or
// disputes, either cancels where the rules allow (docs/PRODUCT.md §2.4).
import {
  normalizeTrackingNumber,
  type DisputeBody,
  type Order,
} from '../../../../shared/contracts/orders.ts';
import type { Db } from '../../platform/db/dialect.ts';
import type { Storage, StoredObject } from '../../platform/storage/storage.ts';
import type { TxContext, UnitOfWork } from '../../platform/db/unit-of-work.ts';
import { AppError, invalidState, notFound, validationFailed } from '../../shared/errors.ts';
import { findListingDetails, processPhoto } from '../listings/index.ts';
import { assertAction, assertParty, type Viewer } from './orders.access.ts';
import type { OrderSweeps } from './orders.sweeps.ts';
import { BUYER, SELLER, SYSTEM, type OrderTransitions } from './orders.transitions.ts';
import type { OrderViews } from './orders.views.ts';
import { SELLER_CANCELLED } from './orders.strikes.ts';
import {
  deletePhotos,
  insertEvidenceRows,
  prepareEvidence,
  storePhotos,
} from './orders.disputes.ts';
import * as repo from './orders.repository.ts';
import {
  assertEvidenceFits,
  findCodeAttempts,
  findProof,
  insertProof,
  recordCodeFailure,
  type DeliverEvidence,
  type Proofs,
} from './orders.proofs.ts';

export interface HandoverDeps {
  db: Db;
  storage: Storage;
  uow: UnitOfWork;
  proofs: Proofs;
  transitions: OrderTransitions;
  views: Pick<OrderViews, 'load'>;
  sweeps: Pick<OrderSweeps, 'refundMissedDelivery'>;
}

export function createHandover(deps: HandoverDeps) {
  const { db, storage, uow, proofs, transitions, views, sweeps } = deps;

  /** The listing's delivery method (the order's evidence depends on it). */
  async function methodOf(ex: Db | TxContext['trx'], listingId: string) {
    const [listing] = await findListingDetails(ex, [listingId]);
    if (!listing) throw new AppError('INTERNAL', 'Order without its listing');
    return listing.delivery_method;
  }

  /**
   * An e-ticket's transfer screenshot, through the listing photo pipeline into the private store,
   * before the transaction (decoding is slow). Strangers and the buyer are refused first; any
   * other method needs no photo (none is kept).
   */
  async function keepPhoto(viewer: Viewer, orderId: string, photo: Buffer | undefined) {
    if (!photo) return null;
    const order = await repo.findOrderById(db, orderId);
    if (!order) throw notFound('Order');
    assertParty(viewer, order, { admin: false });
    if (order.seller_id !== viewer.id)
      throw new AppError('FORBIDDEN', 'Only the seller may do this');
    if (order.status !== 'paid') return null;
    if ((await methodOf(db, order.listing_id)) !== 'eticket_transfer') return null;
    const processed = await processPhoto(photo);
    return proofs.storePhoto(orderId, processed.body);
  }

  /** In person: the buyer's code completes the order; wrong codes count (kept on failure). */
  async function handOverInPerson(
    ctx: TxContext,
    order: repo.OrderRow,
    code: string,
    note: string | null,
  ) {
    const nowIso = ctx.now.toISOString();
    const attempts = await findCodeAttempts(ctx.trx, order.id);
    if (attempts?.locked_until && attempts.locked_until > nowIso) {
      throw new AppError('HANDOVER_CODE_LOCKED', 'Too many wrong codes; try again later', {
        retryAt: attempts.locked_until,
      });
    }
    if (!proofs.codeMatches(order.id, code)) {
      const { attemptsLeft, retryAt } = await recordCodeFailure(ctx.trx, order.id, ctx.now);
      // The count is committed; the seller is told after.
      ctx.failAfterCommit(
        retryAt
          ? new AppError('HANDOVER_CODE_LOCKED', 'Too many wrong codes; try again later', {
              retryAt,
            })
          : new AppError('HANDOVER_CODE_INVALID', "That is not the buyer's code", {
              attemptsLeft,
            }),
      );
      return;
    }
    await insertProof(ctx.trx, {
      order_id: order.id,
      kind: 'code',
      photo_key: null,
      tracking_number: null,
      created_at: nowIso,
    });
    const delivered = await transitions.move(
      ctx,
      order,
      'delivered',
      SELLER,
      'handed over in person',
      { delivered_at: nowIso, delivery_note: note },
      note,
    );
    await transitions.complete(ctx, delivered, SELLER, "the buyer's handover code was entered");
  }

  /** The order locked for one party's action: 404 for strangers, 403 for the other party. */
  async function lockAs(ctx: TxContext, viewer: Viewer, orderId: string, as: 'buyer' | 'seller') {
    const order = await repo.lockOrder(ctx.trx, orderId);
    if (!order) throw notFound('Order');
    assertParty(viewer, order, { admin: false });
    if ((as === 'buyer' ? order.buyer_id : order.seller_id) !== viewer.id)
      throw new AppError('FORBIDDEN', `Only the ${as} may do this`);
    return order;
  }

  async function deliverLocked(
    ctx: TxContext,
    viewer: Viewer,
    orderId: string,
    evidence: DeliverEvidence,
    photoKey: string | null,
  ) {
    const order = await lockAs(ctx, viewer, orderId, 'seller');
    // A code entered again (a second tap, a second device): the order is already complete.
    if (evidence.code !== undefined && order.status === 'completed') {
      const proof = await findProof(ctx.trx, order.id);
      if (proof?.kind === 'code') {
        throw new AppError(
          'HANDOVER_CODE_USED',
          'This handover code was already used: the order is complete',
        );
      }
    }
    if (order.status === 'paid' && order.deliver_by && order.deliver_by < ctx.now.toISOString()) {
      await sweeps.refundMissedDelivery(ctx, order);
      ctx.failAfterCommit(
        invalidState('The hand-over deadline has passed; the buyer was refunded'),
      );
      return;
    }
    await assertAction(ctx, viewer, order, 'deliver');
    const method = await methodOf(ctx.trx, order.listing_id);
    const note = evidence.note?.trim() || null;
    assertEvidenceFits(method, { ...evidence, photo: photoKey ? evidence.photo : undefined });
    if (method === 'in_person') {
      await handOverInPerson(ctx, order, evidence.code!, note);
      return;
    }
    const trackingNumber =
      method === 'paper_mail' ? normalizeTrackingNumber(evidence.trackingNumber!) : null;
    await insertProof(ctx.trx, {
      order_id: order.id,
      kind: trackingNumber ? 'tracking' : 'photo',
      photo_key: trackingNumber ? null : photoKey,
      tracking_number: trackingNumber,
      created_at: ctx.now.toISOString(),
    });
    await transitions.deliver(
      ctx,
      order,
      note,
      trackingNumber ? { proof: 'tracking', trackingNumber } : { proof: 'photo' },
    );
  }

  return {
    /**
     * Buyer: an unpaid order is cancelled (the listing is on sale again); a paid (not delivered)
     * order of a postponed game is refunded in full. Seller: a paid order is refunded (the listing
     * stays sold); a delivered order of a postponed game is refunded when the seller confirms the
     * ticket came back (docs/PRODUCT.md §3.1).
     */
    async cancel(
      viewer: Viewer,
      orderId: string,
      requestId: string | null = null,
      reason?: string,
    ): Promise<Order> {
      const note = reason?.trim() || null;
      await uow.run(requestId, async (ctx) => {
        const order = await repo.lockOrder(ctx.trx, orderId);
        if (!order) throw notFound('Order');
        assertParty(viewer, order, { admin: false });
        const isBuyer = order.buyer_id === viewer.id;
        if (
          isBuyer &&
          order.status === 'pending_payment' &&
          order.expires_at <= ctx.now.toISOString()
        ) {
          // A hold that ran out expires whoever touches it (the guard in every path).
          await transitions.releaseHold(ctx, order, 'expired', SYSTEM, 'checkout hold ran out');
          return;
        }
        const paid = order.status === 'paid' || order.status === 'delivered';
        const move = await assertAction(
          ctx,
          viewer,
          order,
          'cancel',
          isBuyer && paid
            ? order.status === 'delivered'
              ? 'A delivered ticket stays valid for the make-up date; a refund needs the seller to confirm the ticket came back, or an admin (open a dispute)'
              : 'A paid order can only be cancelled by the seller, or by you if the game is postponed'
            : undefined,
        );
        if (move.to === 'cancelled') {
          await transitions.releaseHold(ctx, order, 'cancelled', BUYER, 'buyer cancelled', note);
        } else if (move.by === 'buyer') {
          // Not handed over (the rule allows `paid` only): the seller's listing is on sale again.
          await transitions.refundBeforeHandover(
            ctx,
            order,
            BUYER,
            'game postponed: buyer refund',
            note,
          );
        } else if (order.status === 'delivered') {
          await transitions.refund(
            ctx,
            order,
            SELLER,
            'game postponed: seller got the ticket back',
            note,
          );
        } else {
          // Cancelling a paid sale is a strike (orders.strikes.ts): the buyer is told why.
          if (!note)
            throw validationFailed('Say why you cancel a paid sale (the buyer is told)', [
              { path: 'body.reason', message: 'required when the seller cancels a paid sale' },
            ]);
          await transitions.refund(ctx, order, SELLER, SELLER_CANCELLED, note);
        }
      });
      return views.load(orderId, viewer);
    },

    /**
     * The seller has sent the ticket (by the deadline; past it the buyer is refunded instead),
     * with the evidence its delivery method needs; in person, the buyer's code completes it.
     */
    async deliver(
      viewer: Viewer,
      orderId: string,
      evidence: DeliverEvidence,
      requestId: string | null = null,
    ): Promise<Order> {
      const photoKey = await keepPhoto(viewer, orderId, evidence.photo);
      try {
        await uow.run(requestId, async (ctx) => {
          await deliverLocked(ctx, viewer, orderId, evidence, photoKey);
        });
      } catch (err) {
        if (photoKey) await proofs.deletePhoto(photoKey);
        throw err;
      }
      return views.load(orderId, viewer);
    },

    /** The proof photo of an order, to its buyer, its seller and admins; 404 for anyone else. */
    async proofPhoto(viewer: Viewer | null, orderId: string): Promise<StoredObject> {
      const order = viewer ? await repo.findOrderById(db, orderId) : undefined;
      if (!viewer || !order) throw notFound('Proof photo');
      assertParty(viewer, order, { admin: true });
      const proof = await findProof(db, orderId);
      const photo = proof?.photo_key ? await proofs.readPhoto(proof.photo_key) : null;
      if (!photo) throw notFound('Proof photo');
      return photo;
    },

    /** The buyer has the ticket: escrow ends, a payout is owed to the seller. */
    async confirm(
      viewer: Viewer,
      orderId: string,
      requestId: string | null = null,
    ): Promise<Order> {
      await uow.run(requestId, async (ctx) => {
        const order = await lockAs(ctx, viewer, orderId, 'buyer');
        // A disputed order is settled by an admin, not by its buyer (docs/PRODUCT.md §3.1).
        await assertAction(
          ctx,
          viewer,
          order,
          'confirm',
          `The order is ${order.status}; only a delivered order is confirmed`,
        );
        await transitions.complete(ctx, order, BUYER, 'buyer confirmed receipt');
      });
      return views.load(orderId, viewer);
    },

    /**
     * The buyer disputes (paid or delivered, until completion) with a reason from the list and
     * optional evidence photos: the payout waits for an admin. Photos are processed before the
     * transaction (CPU) and deleted again when it fails.
     */
    async dispute(
      viewer: Viewer,
      orderId: string,
      body: DisputeBody,
      uploads: Buffer[] = [],
      requestId: string | null = null,
    ): Promise<Order> {
      // Fail fast (nothing processed or stored) for strangers and orders that cannot be disputed.
      const current = await repo.findOrderById(db, orderId);
      if (!current) throw notFound('Order');
      assertParty(viewer, current, { admin: false });
      if (current.buyer_id !== viewer.id)
        throw new AppError('FORBIDDEN', 'Only the buyer may do this');
      if (current.status !== 'paid' && current.status !== 'delivered')
        throw invalidState(`The order is ${current.status}; it cannot be disputed`);
      const photos = await prepareEvidence(orderId, uploads);
      const written = await storePhotos(storage, photos);
      try {
        await uow.run(requestId, async (ctx) => {
          const order = await lockAs(ctx, viewer, orderId, 'buyer');
          await assertAction(ctx, viewer, order, 'dispute');
          await transitions.dispute(ctx, order, body.reasonCode, body.reason?.trim() || null);
          await insertEvidenceRows(ctx.trx, orderId, photos, ctx.now.toISOString());
        });
      } catch (err) {
        await deletePhotos(storage, written);
        throw err;
      }
      return views.load(orderId, viewer);
    },
  };
}

export type Handover = ReturnType<typeof createHandover>;
