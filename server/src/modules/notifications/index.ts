// What other modules may import from notifications.
export {
  createNotificationsService,
  registerNotificationJobs,
  notificationTypes,
  NotificationSendPayload,
  GameMovedPayload,
  MailSendPayload,
  JOB_NOTIFICATION_SEND,
  JOB_GAME_MOVED,
  JOB_MAIL_SEND,
  type NotificationParams,
  type NotifyInput,
  type NotificationsService,
  type JobContext,
} from './notifications.service.ts';
export { createLiveNotifications, type LiveEvent } from './notifications.live.ts';
export { notificationsRoutes } from './notifications.routes.ts';
export type { NotificationView, GameView, Bilingual } from './notifications.templates.ts';
export type { NotificationType } from '../../../../shared/contracts/notifications.ts';
