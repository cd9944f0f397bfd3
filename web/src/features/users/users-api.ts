// A seller's public profile with its reviews, page by page.
import { infiniteQueryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { PublicUser } from '../../api/types.ts';

export const userProfileQuery = (id: string) =>
  infiniteQueryOptions({
    queryKey: ['user', id],
    queryFn: ({ pageParam }) =>
      api<PublicUser>(`/api/users/${encodeURIComponent(id)}`, {
        query: { cursor: pageParam ?? undefined },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.reviewsNextCursor,
  });
