// What other modules may import from notifications.
export {
  createNotificationsService,
  notificationTypes,
  type NotifyInput,
  type NotificationsService,
} from './notifications.service.ts';
export {
  gameMovedJob,
  gameNoticeKey,
  lineJob,
  notificationJob,
  pushJob,
  type NotificationParams,
} from './notifications.jobs.ts';
export { createChannels, type Channels } from './notifications.channels.ts';
export { createLineClient, type LineChannel } from './line/line-client.ts';
export { createLiveNotifications, type LiveEvent } from './notifications.live.ts';
export { notificationsRoutes } from './notifications.routes.ts';
export { channelsRoutes } from './notifications.channels.routes.ts';
export type { NotificationView, GameView, Bilingual } from './notifications.templates.ts';
export type { NotificationType } from '../../../../shared/contracts/notifications.ts';
export { deleteNotificationsOfUser, exportNotificationsOfUser } from './notifications.privacy.ts';
