// The order conversation (issue 18 item 5): the buyer and the seller of a PAID order write to each
// other (text and an optional private photo); admins read it for disputes but never post. Posting
// closes CONVERSATION_CLOSE_DAYS after the order completed or was refunded; reading never closes.
// A message reaches the other party as a notification (bell, live stream on any instance through
// pub/sub, and e-mail only when they have no stream open), by the notification.send job.
import {
  CONVERSATION_CLOSE_DAYS,
  isPaymentRequest,
  maskContactDetails,
  MAX_MESSAGES_PER_ORDER,
  type Conversation,
  type MarkReadResult,
  type OrderMessage,
} from '../../../../shared/contracts/conversations.ts';
import type { Db } from '../../platform/db/dialect.ts';
import { PRIVATE_PREFIX } from '../../platform/storage/media-routes.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { DAY, type Clock } from '../../shared/clock.ts';
import { invalidState, notFound, validationFailed } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { deletePhotos, processPhoto, storePhotos } from '../listings/index.ts';
import { notificationJob } from '../notifications/index.ts';
import * as repo from './conversations.repository.ts';

export interface ConversationsDeps {
  db: Db;
  clock: Clock;
  storage: Storage;
}

export interface ConversationViewer {
  id: string;
  role: 'user' | 'admin';
  /** An admin session that passed two-factor sign-in (admins read conversations only then). */
  mfa: boolean;
}

type Access = { party: 'buyer' | 'seller' } | { party: null };

/** Longest preview of a message in the bell, push, LINE and e-mail. */
const PREVIEW_LENGTH = 140;

/** 404 unless a party, or (reading only) an admin with two-factor sign-in. */
function access(viewer: ConversationViewer, order: repo.ConversationOrder, read: boolean): Access {
  if (viewer.id === order.buyer_id) return { party: 'buyer' };
  if (viewer.id === order.seller_id) return { party: 'seller' };
  if (read && viewer.role === 'admin' && viewer.mfa) return { party: null };
  throw notFound('Order');
}

/** When posting ends: CONVERSATION_CLOSE_DAYS after the order completed or was refunded. */
export function closesAt(order: Pick<repo.ConversationOrder, 'ended_at'>): string | null {
  if (!order.ended_at) return null;
  return new Date(Date.parse(order.ended_at) + CONVERSATION_CLOSE_DAYS * DAY).toISOString();
}

function closedReason(
  order: repo.ConversationOrder,
  party: 'buyer' | 'seller' | null,
  now: Date,
): Conversation['closedReason'] {
  if (!order.paid_at) return 'not_paid';
  const closes = closesAt(order);
  if (closes && now.getTime() >= Date.parse(closes)) return 'closed';
  if (!party) return 'read_only';
  return null;
}

export const photoUrl = (orderId: string, messageId: string) =>
  `/api/orders/${orderId}/messages/${messageId}/photo`;

function toMessage(
  row: repo.MessageRow,
  order: repo.ConversationOrder,
  viewerId: string,
): OrderMessage {
  return {
    id: row.id,
    from: row.sender_id === order.seller_id ? 'seller' : 'buyer',
    mine: row.sender_id === viewerId,
    // Contact details never show on an unpaid order. Posting needs payment, so no message exists
    // before it today; this keeps it so should that change (docs/PRODUCT.md §2.15).
    body: order.paid_at ? row.body : maskContactDetails(row.body),
    photoUrl: row.photo_key ? photoUrl(row.order_id, row.id) : null,
    flagged: row.flagged === 1,
    readAt: row.read_at,
    createdAt: row.created_at,
  };
}

/** Private keys for a processed photo (never under a public /media path). */
function privateKeys<T extends { key: string; thumbKey: string }>(photo: T): T {
  const rekey = (k: string) => `${PRIVATE_PREFIX}messages/${k.slice(k.lastIndexOf('/') + 1)}`;
  return { ...photo, key: rekey(photo.key), thumbKey: rekey(photo.thumbKey) };
}

export function createConversations(deps: ConversationsDeps) {
  const { db, clock, storage } = deps;

  async function loadOrder(orderId: string) {
    const order = await repo.findOrder(db, orderId);
    if (!order) throw notFound('Order');
    return order;
  }

  return {
    async list(viewer: ConversationViewer, orderId: string): Promise<Conversation> {
      const order = await loadOrder(orderId);
      const { party } = access(viewer, order, true);
      const rows = order.paid_at ? await repo.findMessages(db, orderId) : [];
      const reason = closedReason(order, party, clock.now());
      return {
        orderId,
        messages: rows.map((r) => toMessage(r, order, viewer.id)),
        open: reason === null,
        closedReason: reason,
        closesAt: closesAt(order),
        unread: party ? rows.filter((r) => r.sender_id !== viewer.id && !r.read_at).length : 0,
      };
    },

    async post(
      viewer: ConversationViewer,
      orderId: string,
      input: { body: string; photo?: Buffer | null },
      requestId: string | null = null,
    ): Promise<OrderMessage> {
      const body = input.body.trim();
      // Who may post is checked before the photo is decoded (work only for a party).
      const before = await loadOrder(orderId);
      const { party } = access(viewer, before, false);
      if (!party) throw notFound('Order');
      if (!body && !input.photo)
        throw validationFailed('Write a message or add a photo', [
          { path: 'body', message: 'empty' },
        ]);
      assertOpen(before, party, clock.now());

      const photo = input.photo ? privateKeys(await processPhoto(input.photo)) : null;
      const written = photo ? await storePhotos(storage, [photo]) : [];
      const now = clock.now();
      const row: repo.MessageRow = {
        id: newId(now.getTime()),
        order_id: orderId,
        sender_id: viewer.id,
        body,
        photo_key: photo?.key ?? null,
        flagged: isPaymentRequest(body) ? 1 : 0,
        read_at: null,
        created_at: now.toISOString(),
      };
      let order = before;
      try {
        await db.transaction().execute(async (trx) => {
          const locked = await repo.findOrder(trx, orderId, true);
          if (!locked) throw notFound('Order');
          order = locked;
          assertOpen(locked, party, now);
          if ((await repo.countMessages(trx, orderId)) >= MAX_MESSAGES_PER_ORDER)
            throw invalidState(`A conversation holds at most ${MAX_MESSAGES_PER_ORDER} messages`, {
              reason: 'full',
            });
          await repo.insertMessage(trx, row);
          const other = party === 'buyer' ? locked.seller_id : locked.buyer_id;
          const senderName = await repo.findUserName(trx, viewer.id);
          const preview = maskContactDetails(body).slice(0, PREVIEW_LENGTH);
          await notificationJob.enqueue(
            trx,
            {
              userId: other,
              type: 'order_message',
              params: { orderId, comment: preview, buyerName: senderName },
              dedupeKey: `message:${row.id}`,
              emailIfOffline: true,
            },
            { requestId },
          );
        });
      } catch (err) {
        await deletePhotos(storage, written);
        throw err;
      }
      return toMessage(row, order, viewer.id);
    },

    /** The viewer read everything the other party wrote (allowed after closing too). */
    async markRead(viewer: ConversationViewer, orderId: string): Promise<MarkReadResult> {
      const order = await loadOrder(orderId);
      const { party } = access(viewer, order, false);
      if (!party) throw notFound('Order');
      const now = clock.now().toISOString();
      const marked = await repo.markRead(db, orderId, viewer.id, now);
      return { marked, readAt: now };
    },

    /** A message's photo, for the parties and admins only. */
    async photo(viewer: ConversationViewer, orderId: string, messageId: string) {
      const order = await loadOrder(orderId);
      access(viewer, order, true);
      const message = await repo.findMessage(db, orderId, messageId);
      if (!message?.photo_key) throw notFound('Photo');
      const object = await storage.get(message.photo_key);
      if (!object) throw notFound('Photo');
      return object;
    },
  };
}

function assertOpen(order: repo.ConversationOrder, party: 'buyer' | 'seller', now: Date) {
  const reason = closedReason(order, party, now);
  if (reason === 'not_paid')
    throw invalidState('Messages open once the order is paid', { reason, status: order.status });
  if (reason === 'closed')
    throw invalidState(
      `The conversation closed ${CONVERSATION_CLOSE_DAYS} days after the order ended`,
      { reason, closesAt: closesAt(order) },
    );
}

export type Conversations = ReturnType<typeof createConversations>;
