// What other modules may import from payments.
export { createPaymentsService, REFUND_JOB, type PaymentsService } from './payments.service.ts';
export {
  findPaymentById,
  findPaymentByRecTradeId,
  findPaymentForUpdate,
  findPaymentsOfOrder,
  findRefundsOfOrder,
  findStalePayments,
  insertPayment,
  updatePayment,
  type PaymentRow,
  type RefundRow,
} from './payments.repository.ts';
export {
  assertPaymentTransition,
  canPaymentTransition,
  OPEN_PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
} from './payment-state.ts';
export {
  createTapPayClient,
  isChargedRecord,
  isFailedRecord,
  RECORD_STATUS,
  TAPPAY_HOSTS,
  type FetchLike,
  type PayOutcome,
  type TapPayClient,
  type TradeRecord,
} from './tappay/tappay-client.ts';
export { createLoopbackFetch, networkFetch, type LoopbackFetch } from './tappay/loopback-fetch.ts';
export { createTapPaySimulator, SIM_PRIMES, type TapPaySimulator } from './tappay/simulator.ts';
export { SIMULATOR_PREFIX, simulatorRoutes } from './tappay/simulator.routes.ts';
export { paymentsRoutes } from './payments.routes.ts';
