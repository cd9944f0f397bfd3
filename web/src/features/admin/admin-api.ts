// The operators' reads: open disputes and owed payouts.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AdminOrder, AdminPayout, Page } from '../../api/types.ts';

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
