// The operators' reads: open disputes and owed payouts.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AdminOrder, AdminPayout, GameChange, Page, SyncStatus } from '../../api/types.ts';

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
