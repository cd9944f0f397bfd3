import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AppNotification, NotificationPage } from '../../api/types.ts';

export const BELL_KEY = ['notifications', 'bell'] as const;

export function fetchBell() {
  return api<NotificationPage>('/api/notifications', { query: { limit: 8 } });
}

export function markRead(id: string) {
  return api<void>(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}

export function markAllRead() {
  return api<void>('/api/notifications/read-all', { method: 'POST' });
}

/** Adds a live notification to the bell's cached page (once, newest first). */
export function addToBell(qc: QueryClient, item: AppNotification) {
  qc.setQueryData<NotificationPage>(BELL_KEY, (page) => {
    if (!page) return page;
    if (page.items.some((n) => n.id === item.id)) return page;
    return {
      ...page,
      items: [item, ...page.items].slice(0, 8),
      unreadCount: page.unreadCount + (item.readAt ? 0 : 1),
    };
  });
  void qc.invalidateQueries({ queryKey: ['notifications', 'page'] });
}

/** Optimistically marks one (or all, with id null) read in the bell's cache. */
export function markReadInBell(qc: QueryClient, id: string | null) {
  const now = new Date().toISOString();
  qc.setQueryData<NotificationPage>(BELL_KEY, (page) => {
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
