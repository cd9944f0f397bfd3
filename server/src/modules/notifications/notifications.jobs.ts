// The jobs this module handles, declared once: producers (orders, reviews, catalog, this module)
// enqueue them typed, in their own transactions; createNotificationsService binds the handlers.
import { z } from 'zod';
import { NotificationType } from '../../../../shared/contracts/notifications.ts';
import { GAME_CHANGE_KINDS, PAYMENT_METHODS } from '../../../../shared/contracts/vocabulary.ts';
import { defineJob } from '../../platform/jobs/jobs.ts';

/**
 * Facts about the event. Ids are enough: the handler looks up the game, order, listing, payout or
 * review they name; explicit values win over looked-up ones.
 */
export const NotificationParams = z.looseObject({
  orderId: z.string().max(64).optional(),
  listingId: z.string().max(64).optional(),
  gameId: z.string().max(64).optional(),
  payoutId: z.string().max(64).optional(),
  reviewId: z.string().max(64).optional(),
  role: z.enum(['buyer', 'seller']).optional(),
  amount: z.number().int().optional(),
  price: z.number().int().optional(),
  quantity: z.number().int().optional(),
  rating: z.number().int().min(1).max(5).optional(),
  /** Review comment and reviewer name: user text, shortened for the bell. */
  comment: z.string().nullish(),
  buyerName: z.string().nullish(),
  deliverBy: z.string().nullish(),
  /** game_postponed: the new first pitch (absent while the new date is not known). */
  startsAt: z.string().nullish(),
  previousStartsAt: z.string().nullish(),
  /** game_changed: what changed (GAME_CHANGE_KINDS); suspended: the inning it stopped in. */
  change: z.enum(GAME_CHANGE_KINDS).optional(),
  inning: z.number().int().nullish(),
  /** schedule_sync_failing: failed runs in a row, and the last error. */
  failures: z.number().int().optional(),
  error: z.string().max(500).optional(),
  /** order_delivered: the seller's proof (issue 18 item 4) and the mail's tracking number. */
  proof: z.enum(['photo', 'tracking']).optional(),
  trackingNumber: z.string().max(64).nullish(),
  /** payment_receipt: how the buyer paid (card or a wallet). */
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
  /** dispute_resolved: how the admin settled it, and the admin's note to both parties. */
  outcome: z.enum(['refund', 'release']).optional(),
  note: z.string().max(1000).optional(),
});
export type NotificationParams = z.output<typeof NotificationParams>;

/** Payload of the `notification.send` job (enqueue it in the business transaction). */
export const NotificationSendPayload = z.object({
  userId: z.string().min(1).max(64),
  type: NotificationType,
  params: NotificationParams.default({}),
  /** Once per (user, key). Defaults to the job id, so retries of one job never notify twice. */
  dedupeKey: z.string().min(1).max(128).nullish(),
  /** E-mail only when the user has no open live stream on any instance (order messages). */
  emailIfOffline: z.boolean().optional(),
});
export type NotificationSend = z.output<typeof NotificationSendPayload>;

export const GameMovedPayload = z.object({
  gameId: z.string().min(1).max(64),
  previousStartsAt: z.string().max(40).nullish(),
  startsAt: z.string().max(40).nullish(),
  /** What to tell (default: the game moved or was postponed). */
  type: z.enum(['game_postponed', 'game_cancelled', 'game_changed']).default('game_postponed'),
  change: z.enum(GAME_CHANGE_KINDS).optional(),
  inning: z.number().int().nullish(),
});
export type GameMoved = z.output<typeof GameMovedPayload>;

/**
 * Once per user and game change: whoever else tells a holder of the same change (orders, when it
 * refunds a cancelled game) uses the same key, so nobody hears it twice.
 */
export function gameNoticeKey(p: z.input<typeof GameMovedPayload>): string {
  return `${p.type ?? 'game_postponed'}:${p.gameId}:${p.change ?? ''}:${p.startsAt ?? 'tbd'}`;
}

export const MailSendPayload = z.object({ notificationId: z.string().min(1).max(64) });
export type MailSend = z.output<typeof MailSendPayload>;

/** One notification for one user (the bell, live, and an e-mail when they want it). */
export const notificationJob = defineJob('notification.send', NotificationSendPayload);
/**
 * Tells everyone with a stake in a game what changed: buyers of paid or delivered orders, sellers
 * of its listings (on sale, held or sold) and its reservers (docs/PRODUCT.md §2.10).
 */
export const gameMovedJob = defineJob('game.moved', GameMovedPayload);
/** E-mails one notification: bulk, so a fan-out's e-mails never queue ahead of the next match. */
export const mailJob = defineJob('mail.send', MailSendPayload, 'bulk');

const NotificationIds = z.array(z.string().min(1).max(64)).min(1).max(100);

/**
 * Web Push for a batch of notifications, to every subscription of their recipients; or, with
 * `subscriptionId`, a retry of one (notification, subscription) that the push service deferred.
 */
export const pushJob = defineJob(
  'push.send',
  z.object({ notificationIds: NotificationIds, subscriptionId: z.string().max(64).optional() }),
  'urgent',
);
/** LINE Messaging API pushes for a batch of notifications (one Flex message each). */
export const lineJob = defineJob(
  'line.send',
  z.object({ notificationIds: NotificationIds }),
  'urgent',
);
