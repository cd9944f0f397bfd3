// The order conversation's API (issue 18 item 5): list, post (JSON, or multipart with a photo),
// mark read.
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Conversation, MarkReadResult, OrderMessage } from '../../api/types.ts';

export const CONVERSATIONS_KEY = ['order-messages'] as const;

/** Read receipts of the other side show up within this long (and at once on a new message). */
export const CONVERSATION_REFRESH_MS = 15_000;

const path = (orderId: string) => `/api/orders/${encodeURIComponent(orderId)}/messages`;

export const conversationQuery = (orderId: string) =>
  queryOptions({
    queryKey: [...CONVERSATIONS_KEY, orderId],
    queryFn: () => api<Conversation>(path(orderId)),
  });

export function postMessage(orderId: string, body: string, photo: File | null) {
  if (!photo) return api<OrderMessage>(path(orderId), { method: 'POST', body: { body } });
  const form = new FormData();
  form.append('body', body);
  form.append('photo', photo);
  return api<OrderMessage>(path(orderId), { method: 'POST', body: form });
}

export const markConversationRead = (orderId: string) =>
  api<MarkReadResult>(`${path(orderId)}/read`, { method: 'POST' });
