// The account lifecycle's calls (issue 17): verification, reset, password and e-mail changes,
// sessions, two-factor sign-in, export and closing the account.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  RecoveryCodes,
  Session,
  TotpSetup,
  TotpStatus,
} from '../../../../shared/contracts/accounts.ts';
import { api } from '../../api/client.ts';
import type { AuthResult, Me } from '../../api/types.ts';
import { ME_KEY } from '../auth/session.ts';

/** The token of a link from an account e-mail: it rides in the fragment (#token=…). */
export function tokenFromHash(hash = globalThis.location?.hash ?? ''): string | null {
  const match = /[#&]token=([\w-]+)/.exec(hash);
  return match ? match[1]! : null;
}

export const SESSIONS_KEY = ['me', 'sessions'] as const;
export const TOTP_KEY = ['me', 'totp'] as const;

export function useSessions() {
  return useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: () => api<{ items: Session[] }>('/api/me/sessions'),
  });
}

export function useTotpStatus() {
  return useQuery({ queryKey: TOTP_KEY, queryFn: () => api<TotpStatus>('/api/me/totp') });
}

export function useAccountMutation<T, B = void>(
  fn: (body: B) => Promise<T>,
  refresh: readonly (readonly string[])[] = [],
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      for (const key of refresh) void qc.invalidateQueries({ queryKey: key });
    },
  });
}

export const accountCalls = {
  verifyEmail: (token: string) =>
    api<Me>('/api/auth/verify-email', { method: 'POST', body: { token } }),
  resendVerification: () => api<void>('/api/auth/verify-email/resend', { method: 'POST' }),
  requestReset: (email: string) =>
    api<unknown>('/api/auth/password-reset', { method: 'POST', body: { email } }),
  confirmReset: (body: { token: string; password: string }) =>
    api<void>('/api/auth/password-reset/confirm', { method: 'POST', body }),
  confirmEmail: (token: string) =>
    api<Me>('/api/auth/change-email/confirm', { method: 'POST', body: { token } }),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    api<void>('/api/me/password', { method: 'POST', body }),
  changeEmail: (body: { newEmail: string; currentPassword: string }) =>
    api<unknown>('/api/me/email', { method: 'POST', body }),
  revokeSession: (id: string) => api<void>(`/api/me/sessions/${id}`, { method: 'DELETE' }),
  revokeOthers: () =>
    api<{ revoked: number }>('/api/me/sessions/revoke-others', { method: 'POST' }),
  setupTotp: () => api<TotpSetup>('/api/me/totp/setup', { method: 'POST' }),
  confirmTotp: (code: string) =>
    api<RecoveryCodes>('/api/me/totp/confirm', { method: 'POST', body: { code } }),
  disableTotp: (body: { password: string; code: string }) =>
    api<void>('/api/me/totp/disable', { method: 'POST', body }),
  loginTotp: (body: { challenge: string; code: string }) =>
    api<AuthResult>('/api/auth/login/totp', { method: 'POST', body }),
  closeAccount: (password: string) =>
    api<void>('/api/me', { method: 'DELETE', body: { password } }),
};

export { ME_KEY };
