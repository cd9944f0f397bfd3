// The handover guide: how one club's tickets travel by one method (reference data, rarely changes).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { DeliveryMethod, HandoverMethod } from '../../api/types.ts';

export const handoverGuideQuery = (teamId: string, method: DeliveryMethod) =>
  queryOptions({
    queryKey: ['handover-guide', teamId, method],
    queryFn: () => api<HandoverMethod>('/api/handover-guide', { query: { teamId, method } }),
    staleTime: 60 * 60_000,
  });
