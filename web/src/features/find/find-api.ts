// The search box's and the team pages' reads (issue 21 item 11).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { SearchResult } from '../../api/types.ts';

/** GET /api/search: what the words name and the upcoming games that fit. */
export const searchQuery = (q: string) =>
  queryOptions({
    queryKey: ['search', q],
    queryFn: () => api<SearchResult>('/api/search', { query: { q } }),
    staleTime: 30_000,
  });
