// In-site notifications (the bell), their live stream and e-mail (docs/PRODUCT.md §2.7, §5 Reservations and notifications).
import { z } from 'zod';
import { IsoTimestamp } from './common.ts';
import { LOCALES, NOTIFICATION_TYPES } from './vocabulary.ts';

export { NOTIFICATION_TYPES };

export const NotificationType = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationType>;

export const NotificationItem = z.object({
  id: z.string().describe('time-sortable; the SSE event id (Last-Event-ID resumes after it)'),
  type: NotificationType,
  title: z.string(),
  body: z.string(),
  link: z.string().describe('path of the web page it is about, e.g. /listings/:id'),
  readAt: IsoTimestamp.nullable(),
  createdAt: IsoTimestamp,
});
export type NotificationItem = z.infer<typeof NotificationItem>;

const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const NotificationsQuery = z.object({
  unread: booleanQuery.optional().describe('true: unread only'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  lang: z
    .enum(LOCALES)
    .optional()
    .describe(
      "language of title and body (the site's current one); default: Accept-Language, else the account's",
    ),
});
export type NotificationsQuery = z.infer<typeof NotificationsQuery>;

export const NotificationPage = z.object({
  items: z.array(NotificationItem),
  unreadCount: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

/** Server-sent events on GET /api/notifications/stream. */
export const NOTIFICATION_STREAM = {
  path: '/api/notifications/stream',
  /** `event:` name of a new notification; `data:` is a NotificationItem, `id:` its id. */
  event: 'notification',
  /** At most this many open streams per user (per server instance); more answer 429. */
  maxConnectionsPerUser: 5,
} as const;
