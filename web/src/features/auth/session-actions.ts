// Log in and log out (kept apart from session.ts so pages that only read the session stay small).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';
import type { AuthResult } from '../../api/types.ts';
import { ME_KEY } from './session.ts';

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api<AuthResult>('/api/auth/login', { method: 'POST', body }),
    onSuccess: (result) => {
      qc.setQueryData(ME_KEY, result.user);
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api<void>('/api/auth/logout', { method: 'POST' });
      } catch (err) {
        if (!isApiError(err, 'UNAUTHENTICATED')) throw err;
      }
    },
    onSuccess: () => {
      qc.setQueryData(ME_KEY, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    },
  });
}
