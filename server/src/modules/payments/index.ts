// What other modules may import from payments: the facade, its jobs and routes, and the TapPay
// client and simulator that deps.ts wires. The rows (payments, refunds) stay inside.
export { createPaymentsService, type PaymentsService } from './payments.service.ts';
export type { Payee } from './payments.attempts.ts';
export { newPaymentRow, type NewPaymentFields } from './payments.repository.ts';
export { createTapPayClient, TAPPAY_HOSTS } from './tappay/tappay-client.ts';
export { createLoopbackFetch, networkFetch } from './tappay/loopback-fetch.ts';
export { createTapPaySimulator } from './tappay/simulator.ts';
export { SIMULATOR_PREFIX, simulatorRoutes } from './tappay/simulator.routes.ts';
export { paymentsRoutes } from './payments.routes.ts';
export { exportPaymentsOfOrders } from './payments.privacy.ts';
