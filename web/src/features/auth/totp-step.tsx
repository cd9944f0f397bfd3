// Sign-in, second step: the 6-digit code from the authenticator app (or a recovery code).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { AuthResult } from '../../api/types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { ME_KEY } from './session.ts';

export function TotpStep({ challenge, onDone }: { challenge: string; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const submit = useMutation({
    mutationFn: () =>
      api<AuthResult>('/api/auth/login/totp', {
        method: 'POST',
        body: { challenge, code: code.trim() },
      }),
    onSuccess: (result) => {
      qc.setQueryData(ME_KEY, result.user);
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      onDone();
    },
  });
  return (
    <form
      className="form card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit.mutate();
      }}
    >
      <p>{t('account.totpPrompt')}</p>
      <label className="field">
        <span>{t('account.totpCode')}</span>
        <input
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      {submit.isError && <ErrorNotice error={submit.error} />}
      <button type="submit" className="button accent big" disabled={submit.isPending}>
        {submit.isPending ? t('common.loading') : t('account.verify')}
      </button>
    </form>
  );
}
