// Outside notification channels: Web Push subscriptions, LINE, per-type channel preferences and
// the delivery log (docs/PRODUCT.md §2.7 and §5 Reservations and notifications).
import { z } from 'zod';
import { Id, IsoTimestamp } from './common.ts';
import { NOTIFICATION_TYPES } from './vocabulary.ts';

const NotificationType = z.enum(NOTIFICATION_TYPES);

export const PushPublicKey = z.object({
  publicKey: z.string().describe('VAPID public key (base64url): the applicationServerKey'),
});

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+=*$/, 'expected base64url');

/** The browser's PushSubscription.toJSON(). */
export const PushSubscriptionBody = z.object({
  endpoint: z.string().min(1).max(2048).describe('the push service URL (https, allow-listed)'),
  expirationTime: z.number().nullish(),
  keys: z.object({
    p256dh: base64url(80, 100).describe('the browser’s P-256 public key'),
    auth: base64url(16, 32).describe('16-byte authentication secret'),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

export const PushSubscriptionCreated = z.object({ id: Id });

export const PushSubscriptionItem = z.object({
  id: Id,
  /** The push service's origin only (the full endpoint is a capability). */
  service: z.string(),
  createdAt: IsoTimestamp,
});
export const PushSubscriptionList = z.object({ items: z.array(PushSubscriptionItem) });
export type PushSubscriptionList = z.infer<typeof PushSubscriptionList>;

export const OUTSIDE_CHANNELS = ['email', 'push', 'line'] as const;
export type OutsideChannel = (typeof OUTSIDE_CHANNELS)[number];

export const TypePreference = z.object({
  type: NotificationType,
  inSite: z.literal(true).describe('the bell and live stream: always on'),
  email: z.boolean(),
  push: z.boolean(),
  line: z.boolean(),
});
export type TypePreference = z.infer<typeof TypePreference>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (00:00–23:59)');

/**
 * Quiet hours, in Asia/Taipei time: push and LINE wait until they end (the bell and e-mail do not).
 * start after end spans midnight (22:00–07:00). Reservation matches still come through unless
 * `includeMatches` (a ticket may be gone by the morning).
 */
export const QuietHours = z
  .object({
    start: ClockTime.describe('Asia/Taipei, e.g. 22:00'),
    end: ClockTime.describe('Asia/Taipei, e.g. 07:00 (the next morning when before start)'),
    includeMatches: z
      .boolean()
      .describe('hold reservation matches too (default: they come through at any hour)'),
  })
  .refine((q) => q.start !== q.end, {
    message: 'start and end must differ',
    path: ['end'],
  });
export type QuietHours = z.infer<typeof QuietHours>;

export const NotificationPreferences = z.object({
  types: z.array(TypePreference),
  quietHours: QuietHours.nullable().describe('null: no quiet hours'),
  channels: z.object({
    email: z.boolean().describe('e-mail notifications on for the account (profile switch)'),
    push: z.boolean().describe('at least one browser subscribed to push'),
    lineAvailable: z.boolean().describe('LINE is configured on this server'),
    lineLinked: z.boolean(),
  }),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const UpdateNotificationPreferencesBody = z.object({
  types: z
    .array(
      z.object({
        type: NotificationType,
        email: z.boolean().optional(),
        push: z.boolean().optional(),
        line: z.boolean().optional(),
      }),
    )
    .max(NOTIFICATION_TYPES.length * 2)
    .default([]),
  quietHours: QuietHours.nullable().optional().describe('null turns them off; absent: unchanged'),
});
export type UpdateNotificationPreferencesBody = z.infer<typeof UpdateNotificationPreferencesBody>;

export const DELIVERY_STATUSES = ['sent', 'retrying', 'failed', 'gone'] as const;

export const NotificationDelivery = z.object({
  channel: z.enum(OUTSIDE_CHANNELS),
  /** The push subscription id, the LINE account, or '' for e-mail. */
  target: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: IsoTimestamp,
  updatedAt: IsoTimestamp,
});
export const NotificationDeliveries = z.object({ items: z.array(NotificationDelivery) });
export type NotificationDeliveries = z.infer<typeof NotificationDeliveries>;

export const LineStatus = z.object({
  available: z.boolean(),
  linked: z.boolean(),
  displayName: z.string().nullable(),
});
export type LineStatus = z.infer<typeof LineStatus>;

export const LineLoginStart = z.object({ authorizeUrl: z.string() });
export const LineCallbackBody = z.object({
  code: z.string().min(1).max(512),
  state: z.string().min(1).max(64),
});
