// The operators' reads: open disputes and owed payouts.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  AdminOrder,
  AdminPayout,
  Game,
  GameChange,
  GameStatus,
  Page,
  SyncStatus,
} from '../../api/types.ts';

export const disputesQuery = queryOptions({
  queryKey: ['admin', 'disputes'],
  queryFn: () => api<Page<AdminOrder>>('/api/admin/orders', { query: { status: 'disputed' } }),
});

export const payoutsQuery = infiniteQueryOptions({
  queryKey: ['admin', 'payouts'],
  queryFn: ({ pageParam }) =>
    api<Page<AdminPayout>>('/api/admin/payouts', {
      query: { status: 'owed', cursor: pageParam ?? undefined },
    }),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.nextCursor,
});

/** The schedule sync's status and the newest game changes (feed and admins). */
export const SCHEDULE_KEY = ['admin', 'schedule'] as const;

export const syncStatusQuery = queryOptions({
  queryKey: [...SCHEDULE_KEY, 'sync'],
  queryFn: () => api<SyncStatus>('/api/admin/schedule/sync'),
});

export const gameChangesQuery = queryOptions({
  queryKey: [...SCHEDULE_KEY, 'changes'],
  queryFn: () =>
    api<{ items: GameChange[] }>('/api/admin/schedule/changes', { query: { limit: 50 } }),
});

/** The operators' games list: by words, status and first date, a page at a time (issue 21). */
export const ADMIN_GAMES_KEY = ['admin', 'games'] as const;

export const adminGamesQuery = (f: { q: string; status: GameStatus | ''; from: string }) =>
  infiniteQueryOptions({
    queryKey: [...ADMIN_GAMES_KEY, f],
    queryFn: ({ pageParam }) =>
      api<Page<Game>>('/api/admin/games', {
        query: {
          q: f.q || undefined,
          status: f.status || undefined,
          from: f.from || undefined,
          cursor: pageParam ?? undefined,
        },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** Users or listings by what the admin typed; nothing is asked until something is typed. */
export const ADMIN_SEARCH_KEY = ['admin', 'search'] as const;

export const adminSearchQuery = <T>(kind: 'users' | 'listings', q: string) =>
  infiniteQueryOptions({
    queryKey: [...ADMIN_SEARCH_KEY, kind, q],
    queryFn: ({ pageParam }) =>
      api<Page<T>>(`/api/admin/${kind}`, { query: { q, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: q.length > 0,
  });
