// What other modules may import from schedule (the CPBL feed sync and game history).
export {
  createScheduleSync,
  gameChangedJob,
  FeedRejected,
  type ScheduleSync,
  type ScheduleSyncConfig,
} from './schedule.sync.ts';
export { createScheduleService, type ScheduleService } from './schedule.service.ts';
export { scheduleRoutes } from './schedule.routes.ts';
