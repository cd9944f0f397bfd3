// Who is signed in. The session is the httpOnly cookie; the readable CSRF cookie is set with it,
// so without that cookie there is no session and no request is needed.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, CSRF_COOKIE, isApiError, readCookie } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';

export const ME_KEY = ['me'] as const;

export async function fetchMe(): Promise<Me | null> {
  if (!readCookie(CSRF_COOKIE)) return null;
  try {
    return await api<Me>('/api/me');
  } catch (err) {
    if (isApiError(err) && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}

export const meQuery = queryOptions({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 });

export function useMe() {
  return useQuery(meQuery);
}
