// What other modules may import from notifications.
export {
  createNotificationsService,
  notificationTypes,
  type NotifyInput,
  type NotificationsService,
} from './notifications.service.ts';
export { gameMovedJob, notificationJob, type NotificationParams } from './notifications.jobs.ts';
export { createLiveNotifications, type LiveEvent } from './notifications.live.ts';
export { notificationsRoutes } from './notifications.routes.ts';
export type { NotificationView, GameView, Bilingual } from './notifications.templates.ts';
export type { NotificationType } from '../../../../shared/contracts/notifications.ts';
export { deleteNotificationsOfUser, exportNotificationsOfUser } from './notifications.privacy.ts';
