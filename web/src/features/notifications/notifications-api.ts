import { infiniteQueryOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AppNotification, NotificationPage } from '../../api/types.ts';
import type { UiLocale } from '../../lib/format.ts';

/** Every notification view starts with this key: reading one invalidates them all. */
export const NOTIFICATIONS_KEY = ['notifications'] as const;

const BELL_KEY = [...NOTIFICATIONS_KEY, 'bell'] as const;

/**
 * The bell's latest eight, in the site's current language (issue 21 item 6: the server writes
 * each notification in both; e-mail keeps the account's language). Switching language refetches.
 */
export const bellQuery = (lang: UiLocale) =>
  queryOptions({
    queryKey: [...BELL_KEY, lang],
    queryFn: () => api<NotificationPage>('/api/notifications', { query: { limit: 8, lang } }),
  });

/** The notifications page, twenty at a time, in the site's current language. */
export const notificationsPageQuery = (lang: UiLocale) =>
  infiniteQueryOptions({
    queryKey: [...NOTIFICATIONS_KEY, 'page', lang],
    queryFn: ({ pageParam }) =>
      api<NotificationPage>('/api/notifications', {
        query: { cursor: pageParam ?? undefined, limit: 20, lang },
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

/** Adds a live notification (in `lang`) to the bell's cached page (once, newest first). */
export function addToBell(qc: QueryClient, item: AppNotification, lang: UiLocale) {
  // A bell cached in the other language would show this one in the wrong words: drop it.
  qc.removeQueries({ queryKey: bellQuery(lang === 'en' ? 'zh-TW' : 'en').queryKey });
  qc.setQueryData(bellQuery(lang).queryKey, (page) => {
    if (!page) return page;
    if (page.items.some((n) => n.id === item.id)) return page;
    return {
      ...page,
      items: [item, ...page.items].slice(0, 8),
      unreadCount: page.unreadCount + (item.readAt ? 0 : 1),
    };
  });
  void qc.invalidateQueries({ queryKey: [...NOTIFICATIONS_KEY, 'page'] });
}

/** Optimistically marks one (or all, with id null) read in the bell's cache. */
export function markReadInBell(qc: QueryClient, id: string | null) {
  const now = new Date().toISOString();
  qc.setQueriesData<NotificationPage>({ queryKey: BELL_KEY }, (page) => {
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
