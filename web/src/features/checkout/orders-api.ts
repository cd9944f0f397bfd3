import { api } from '../../api/client.ts';
import type { Order, PayResult, PaymentsConfig } from '../../api/types.ts';

export const fetchOrder = (id: string) => api<Order>(`/api/orders/${encodeURIComponent(id)}`);

export const fetchPaymentsConfig = () => api<PaymentsConfig>('/api/config/payments');

export interface Cardholder {
  name: string;
  email: string;
  phoneNumber: string;
}

export const payOrder = (id: string, prime: string, cardholder: Cardholder) =>
  api<PayResult>(`/api/orders/${encodeURIComponent(id)}/pay`, {
    method: 'POST',
    body: { prime, cardholder },
  });

export const cancelOrder = (id: string) =>
  api<Order>(`/api/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

/** Set before leaving for 3-D Secure so the page knows to wait for the result on return. */
export const threeDsFlag = (orderId: string) => `pas_3ds_${orderId}`;
