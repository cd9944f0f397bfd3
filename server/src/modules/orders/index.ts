// What other modules may import from orders.
export { ordersRoutes } from './orders.routes.ts';
export { orderDeliveryRoutes } from './orders.delivery.routes.ts';
export { handoverCodeOf } from './orders.proofs.ts';
export { payoutsRoutes } from './orders.payouts.routes.ts';
export { createOrders, type Orders, type OrdersDeps } from './orders.service.ts';
export type { ListingClaimer } from './orders.checkout.ts';
export type { Viewer } from './orders.access.ts';
export { newOrderRow, type AddressLock, type NewOrderFields } from './orders.repository.ts';
export {
  countOpenDealings,
  deleteRecipientsOfBuyer,
  exportOrdersOfUser,
  exportPayoutsOfSeller,
  exportRecipientsOfBuyer,
} from './orders.privacy.ts';
export { assertMayList, sellingPausedUntil } from './orders.strikes.ts';
export { sellerStrikesRoutes } from './orders.strikes.routes.ts';
export { disputesRoutes } from './orders.disputes.routes.ts';
