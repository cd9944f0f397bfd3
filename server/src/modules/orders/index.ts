// What other modules may import from orders.
export { ordersRoutes } from './orders.routes.ts';
export { createOrdersService, ORDER_JOBS, type OrdersService } from './orders.service.ts';
export {
  lockingClaimer,
  type ListingClaimer,
  type OrdersDeps,
  type Viewer,
} from './orders.core.ts';
export { RECONCILE_JOB, RECONCILE_STALE_JOB } from './order-payments.ts';
export { notify, NOTIFICATION_JOB, TRENDING_REFRESH_JOB } from './order-transitions.ts';
export { ORDER_TRANSITIONS, assertTransition, canTransition } from './order-state.ts';
export { deliverDeadline, payoutOf } from './order-rules.ts';
export { registerOrderJobs, startOrderSchedules, SWEEP_INTERVALS_MS } from './orders.jobs.ts';
