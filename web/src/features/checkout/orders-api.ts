// Orders: one order, my orders as buyer or seller, the payment settings; and paying, cancelling.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  HandoverRecipient,
  Order,
  OrderPage,
  PayBody,
  PayResult,
  PaymentsConfig,
} from '../../api/types.ts';

/** Every list of my orders starts with this key: a change to an order invalidates them. */
export const MY_ORDERS_KEY = ['my-orders'] as const;

export const orderQuery = (id: string) =>
  queryOptions({
    queryKey: ['order', id],
    queryFn: () => api<Order>(`/api/orders/${encodeURIComponent(id)}`),
  });

export const myOrdersQuery = (role: 'buyer' | 'seller') =>
  queryOptions({
    queryKey: [...MY_ORDERS_KEY, role],
    queryFn: () => api<OrderPage>('/api/me/orders', { query: { role, limit: 50 } }),
  });

/** My unpaid checkout holds (the listing page recognises the viewer's own hold by them). */
export const myHoldsQuery = queryOptions({
  queryKey: [...MY_ORDERS_KEY, 'buyer', 'pending_payment'],
  queryFn: () =>
    api<OrderPage>('/api/me/orders', {
      query: { role: 'buyer', status: 'pending_payment', limit: 50 },
    }),
});

export const paymentsConfigQuery = queryOptions({
  queryKey: ['payments-config'],
  queryFn: () => api<PaymentsConfig>('/api/config/payments'),
  staleTime: Infinity,
});

export interface Cardholder {
  name: string;
  email: string;
  phoneNumber: string;
}

export const payOrder = (
  id: string,
  prime: string,
  cardholder: Cardholder,
  method: PayBody['method'] = 'card',
  recipient?: HandoverRecipient,
) =>
  api<PayResult>(`/api/orders/${encodeURIComponent(id)}/pay`, {
    method: 'POST',
    body: { prime, cardholder, method, ...(recipient ? { recipient } : {}) },
  });

/** The buyer gives or corrects where the ticket goes (until it is sent). */
export const putRecipient = (id: string, recipient: HandoverRecipient) =>
  api<Order>(`/api/orders/${encodeURIComponent(id)}/recipient`, {
    method: 'PUT',
    body: { recipient },
  });

export const cancelOrder = (id: string) =>
  api<Order>(`/api/orders/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

/** Set before leaving for 3-D Secure or a wallet's page, so the page waits for the result. */
export const threeDsFlag = (orderId: string) => `pas_3ds_${orderId}`;

/** Where checkout keeps what the buyer typed for this order (lib/session-draft.ts). */
export const checkoutDraftKey = (orderId: string, part?: 'holder' | 'recipient') =>
  `pas_draft_${orderId}_${part ?? ''}`;
