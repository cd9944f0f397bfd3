import { infiniteQueryOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AppNotification, NotificationPage } from '../../api/types.ts';

/** Every notification view starts with this key: reading one invalidates them all. */
export const NOTIFICATIONS_KEY = ['notifications'] as const;

/** The bell's latest eight. */
export const bellQuery = queryOptions({
  queryKey: [...NOTIFICATIONS_KEY, 'bell'],
  queryFn: () => api<NotificationPage>('/api/notifications', { query: { limit: 8 } }),
});

/** The notifications page, twenty at a time. */
export const notificationsPageQuery = infiniteQueryOptions({
  queryKey: [...NOTIFICATIONS_KEY, 'page'],
  queryFn: ({ pageParam }) =>
    api<NotificationPage>('/api/notifications', {
      query: { cursor: pageParam ?? undefined, limit: 20 },
    }),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.nextCursor,
});

export function markRead(id: string) {
  return api<void>(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}

export function markAllRead() {
  return api<void>('/api/notifications/read-all', { method: 'POST' });
}

/** Adds a live notification to the bell's cached page (once, newest first). */
export function addToBell(qc: QueryClient, item: AppNotification) {
  qc.setQueryData(bellQuery.queryKey, (page) => {
    if (!page) return page;
    if (page.items.some((n) => n.id === item.id)) return page;
    return {
      ...page,
      items: [item, ...page.items].slice(0, 8),
      unreadCount: page.unreadCount + (item.readAt ? 0 : 1),
    };
  });
  void qc.invalidateQueries({ queryKey: notificationsPageQuery.queryKey });
}

/** Optimistically marks one (or all, with id null) read in the bell's cache. */
export function markReadInBell(qc: QueryClient, id: string | null) {
  const now = new Date().toISOString();
  qc.setQueryData(bellQuery.queryKey, (page) => {
    if (!page) return page;
    let changed = 0;
    const items = page.items.map((n) => {
      if (n.readAt || (id !== null && n.id !== id)) return n;
      changed += 1;
      return { ...n, readAt: now };
    });
    const unreadCount = id === null ? 0 : Math.max(0, page.unreadCount - changed);
    return { ...page, items, unreadCount };
  });
}
