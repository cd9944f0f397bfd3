// Who may see and act on an order: its buyer and its seller; admins only where a flow says so.
import { notFound } from '../../shared/errors.ts';

export interface Viewer {
  id: string;
  role: 'user' | 'admin';
}

/**
 * 404 unless `viewer` is the order's buyer or seller (a stranger cannot tell it exists). With
 * `admin: true` an admin passes too (reading any order); the buyer's and the seller's own actions
 * pass `admin: false`, so an admin who is neither is a stranger there.
 */
export function assertParty(
  viewer: Viewer,
  order: { buyer_id: string; seller_id: string },
  options: { admin: boolean },
) {
  if (options.admin && viewer.role === 'admin') return;
  if (viewer.id !== order.buyer_id && viewer.id !== order.seller_id) throw notFound('Order');
}
