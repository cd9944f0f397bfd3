// Evidence of a handover (issue 18 item 4). Marking an order sent needs what fits the listing's
// delivery method: an e-ticket transfer a screenshot (the listing photo pipeline: sniffed,
// re-encoded, metadata stripped; kept in the private store and served only to the buyer, the
// seller and admins), mail a tracking number, in person the buyer's one-time code, which
// completes the order on the spot. Codes are an HMAC of the order id (nothing to store or leak
// from the database), compared in constant time; MAX_CODE_FAILURES wrong ones pause entry for
// CODE_LOCK_MINUTES.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  normalizeTrackingNumber,
  type DeliverBody,
  type OrderProof,
} from '../../../../shared/contracts/orders.ts';
import type { Executor } from '../../platform/db/dialect.ts';
import type { DeliveryMethod, OrderProofsTable, OrderStatus } from '../../platform/db/schema.ts';
import type { PrivateStorage } from '../../platform/storage/private-storage.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';

export const MAX_CODE_FAILURES = 5;
export const CODE_LOCK_MINUTES = 15;

/** What the seller sends with "mark sent" (the photo already read from the multipart form). */
export interface DeliverEvidence extends NonNullable<DeliverBody> {
  photo?: Buffer;
}

export type ProofRow = OrderProofsTable;

/** The route that serves an order's proof photo (signed in as a party or an admin). */
export const proofPhotoPath = (orderId: string) => `/api/orders/${orderId}/proof/photo`;

const NEEDS: Record<DeliveryMethod, { field: keyof DeliverEvidence; what: string }> = {
  eticket_transfer: { field: 'photo', what: 'a screenshot or photo of the transfer' },
  paper_mail: { field: 'trackingNumber', what: 'the tracking number of the mailing' },
  in_person: { field: 'code', what: "the buyer's handover code" },
};

/** 422 PROOF_REQUIRED unless the evidence the delivery method needs is there. */
export function assertEvidenceFits(method: DeliveryMethod, evidence: DeliverEvidence) {
  const need = NEEDS[method];
  if (evidence[need.field] === undefined) {
    throw new AppError('PROOF_REQUIRED', `Marking this order sent needs ${need.what}`, {
      method,
      needs: need.field,
    });
  }
}

/** An order's code: six digits from an HMAC of its id (the key never leaves the server). */
export function handoverCodeOf(key: Buffer, orderId: string): string {
  const mac = createHmac('sha256', key).update(`handover-code:${orderId}`).digest();
  return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

export function createProofs(deps: { privateStorage: PrivateStorage; handoverCodeKey: Buffer }) {
  const { privateStorage, handoverCodeKey } = deps;

  const codeOf = (orderId: string) => handoverCodeOf(handoverCodeKey, orderId);

  /** Constant time (hashes of equal length compared with timingSafeEqual). */
  function codeMatches(orderId: string, given: string): boolean {
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(codeOf(orderId)), digest(given));
  }

  return {
    codeOf,
    codeMatches,

    /** Stores a re-encoded proof photo privately; returns its key. */
    async storePhoto(orderId: string, body: Buffer): Promise<string> {
      // A fresh name per upload: a failed attempt deletes only its own file.
      const key = `order-proofs/${orderId.toLowerCase()}-${newId()}.webp`;
      await privateStorage.put(key, body, 'image/webp');
      return key;
    },

    deletePhoto: (key: string) => privateStorage.delete(key).catch(() => undefined),

    readPhoto: (key: string) => privateStorage.get(key),

    /** The proof as the order's parties see it. */
    toDto(orderId: string, row: ProofRow | undefined): OrderProof | null {
      if (!row) return null;
      if (row.kind === 'photo') {
        return { kind: 'photo', photoUrl: proofPhotoPath(orderId), at: row.created_at };
      }
      if (row.kind === 'tracking') {
        return { kind: 'tracking', trackingNumber: row.tracking_number ?? '', at: row.created_at };
      }
      return { kind: 'code', at: row.created_at };
    },

    /** The code, to the buyer of a paid in-person order only. */
    codeForViewer(
      order: { id: string; buyer_id: string; status: OrderStatus },
      method: DeliveryMethod,
      viewerId: string,
    ): string | null {
      return method === 'in_person' && order.status === 'paid' && viewerId === order.buyer_id
        ? codeOf(order.id)
        : null;
    },
  };
}

export type Proofs = ReturnType<typeof createProofs>;

export { normalizeTrackingNumber };

// ---- the tables (owned by orders) ----

export async function findProof(ex: Executor, orderId: string): Promise<ProofRow | undefined> {
  return ex
    .selectFrom('order_proofs')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

export async function insertProof(ex: Executor, row: ProofRow) {
  await ex.insertInto('order_proofs').values(row).execute();
}

export async function findCodeAttempts(ex: Executor, orderId: string) {
  return ex
    .selectFrom('handover_code_attempts')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

/** Records one wrong code; returns how many tries remain and when entry resumes, if paused. */
export async function recordCodeFailure(
  ex: Executor,
  orderId: string,
  now: Date,
): Promise<{ attemptsLeft: number; retryAt: string | null }> {
  const nowIso = now.toISOString();
  const row = await findCodeAttempts(ex, orderId);
  // A pause that ended starts a fresh count.
  const before = row && (!row.locked_until || row.locked_until > nowIso) ? row.failures : 0;
  const failures = before + 1;
  const retryAt =
    failures >= MAX_CODE_FAILURES
      ? new Date(now.getTime() + CODE_LOCK_MINUTES * 60_000).toISOString()
      : null;
  if (row) {
    await ex
      .updateTable('handover_code_attempts')
      .set({ failures, locked_until: retryAt, updated_at: nowIso })
      .where('order_id', '=', orderId)
      .execute();
  } else {
    await ex
      .insertInto('handover_code_attempts')
      .values({ order_id: orderId, failures, locked_until: retryAt, updated_at: nowIso })
      .execute();
  }
  return { attemptsLeft: Math.max(0, MAX_CODE_FAILURES - failures), retryAt };
}
