// What the buyer gives the seller for the handover (issue 18 item 2): a recipient phone or e-mail
// for an e-ticket, a postal address for mail, nothing in person. Sealed with AES-256-GCM (bound to
// the order), opened only for the order's seller once it is paid, erased 30 days after the order
// ended (a schedule), exported to the buyer and erased when the buyer's account closes.
import type { HandoverRecipient } from '../../../../shared/contracts/orders.ts';
import type { Sealer } from '../../platform/crypto/sealer.ts';
import type { Executor } from '../../platform/db/dialect.ts';
import type { DeliveryMethod, OrderStatus } from '../../platform/db/schema.ts';
import { validationFailed } from '../../shared/errors.ts';

/** Recipient details are erased this long after the order ended. */
export const RECIPIENT_RETENTION_DAYS = 30;

/** Orders whose seller may read the recipient: paid, and until the order ends (and a while after). */
const SELLER_SEES: readonly OrderStatus[] = ['paid', 'delivered', 'disputed', 'completed'];

/** Ended orders: their recipient details are erased RECIPIENT_RETENTION_DAYS after `updated_at`. */
const ENDED: readonly OrderStatus[] = ['completed', 'refunded', 'expired', 'cancelled'];

const KINDS: Record<DeliveryMethod, readonly HandoverRecipient['kind'][]> = {
  eticket_transfer: ['phone', 'email'],
  paper_mail: ['address'],
  in_person: [],
};

/** 400 VALIDATION_FAILED when the details do not fit how the listing's ticket travels. */
export function assertRecipientFits(method: DeliveryMethod, recipient: HandoverRecipient) {
  if (!KINDS[method].includes(recipient.kind))
    throw validationFailed(
      method === 'in_person'
        ? 'A handover in person needs no recipient details'
        : `This ticket travels by ${method}: give ${KINDS[method].join(' or ')}`,
      [{ path: 'body.recipient.kind', message: `expected ${KINDS[method].join(' | ') || 'none'}` }],
    );
}

const associatedData = (orderId: string) => `order_recipients:${orderId}`;

export function openRecipient(sealer: Sealer, orderId: string, sealed: string) {
  return JSON.parse(sealer.open(sealed, associatedData(orderId))) as HandoverRecipient;
}

export function createRecipients(sealer: Sealer) {
  return {
    /** Stores (or replaces) the order's recipient details, sealed. */
    async save(ex: Executor, orderId: string, recipient: HandoverRecipient, nowIso: string) {
      const sealed = sealer.seal(JSON.stringify(recipient), associatedData(orderId));
      await ex.deleteFrom('order_recipients').where('order_id', '=', orderId).execute();
      await ex
        .insertInto('order_recipients')
        .values({ order_id: orderId, kind: recipient.kind, sealed, created_at: nowIso })
        .execute();
    },

    async has(ex: Executor, orderId: string): Promise<boolean> {
      const row = await ex
        .selectFrom('order_recipients')
        .select('order_id')
        .where('order_id', '=', orderId)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The details for the order's seller once paid; null for anyone else, or when there are none. */
    async forViewer(
      ex: Executor,
      order: { id: string; seller_id: string; status: OrderStatus },
      viewerId: string,
    ): Promise<HandoverRecipient | null> {
      if (viewerId !== order.seller_id || !SELLER_SEES.includes(order.status)) return null;
      return open(ex, order.id);
    },
  };

  async function open(ex: Executor, orderId: string): Promise<HandoverRecipient | null> {
    const row = await ex
      .selectFrom('order_recipients')
      .select('sealed')
      .where('order_id', '=', orderId)
      .executeTakeFirst();
    if (!row) return null;
    try {
      return openRecipient(sealer, orderId, row.sealed);
    } catch {
      // Sealed under another key (DATA_DIR lost without DATA_ENCRYPTION_KEY): unreadable, so the
      // seller sees none and asks the buyer again.
      return null;
    }
  }
}

export type Recipients = ReturnType<typeof createRecipients>;

/** Erases the details of orders that ended more than RECIPIENT_RETENTION_DAYS ago; returns how many. */
export async function eraseEndedRecipients(ex: Executor, now: Date): Promise<number> {
  const before = new Date(now.getTime() - RECIPIENT_RETENTION_DAYS * 24 * 3600_000).toISOString();
  const ended = await ex
    .selectFrom('order_recipients as r')
    .innerJoin('orders as o', 'o.id', 'r.order_id')
    .select('r.order_id')
    .where('o.status', 'in', [...ENDED])
    .where('o.updated_at', '<', before)
    .limit(500)
    .execute();
  if (ended.length === 0) return 0;
  await ex
    .deleteFrom('order_recipients')
    .where(
      'order_id',
      'in',
      ended.map((r) => r.order_id),
    )
    .execute();
  return ended.length;
}
