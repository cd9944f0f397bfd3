// What other modules may import from orders.
export { ordersRoutes } from './orders.routes.ts';
export { createOrders, type Orders, type OrdersDeps } from './orders.service.ts';
export type { ListingClaimer } from './orders.checkout.ts';
export type { Viewer } from './orders.access.ts';
export { RECONCILE_JOB, RECONCILE_STALE_JOB } from './orders.payments.ts';
export { notify, NOTIFICATION_JOB, TRENDING_REFRESH_JOB } from './orders.transitions.ts';
export { ORDER_TRANSITIONS, assertTransition, canTransition } from './order-state.ts';
export { deliverDeadline, payoutOf } from './orders.rules.ts';
export {
  ORDER_JOBS,
  registerOrderJobs,
  startOrderSchedules,
  SWEEP_INTERVALS_MS,
} from './orders.jobs.ts';
