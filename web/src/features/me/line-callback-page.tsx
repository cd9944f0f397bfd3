// /me/line/callback: LINE Login sends the reader back here with `code` and `state`; the server
// checks both (state once, for this user; the ID token's nonce) and links the account.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { LineStatus } from '../../../../shared/contracts/notification-channels.ts';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { useTitle } from '../../lib/hooks.ts';
import { LINE_KEY, PREFERENCES_KEY } from './notification-preferences.tsx';

export default function LineCallbackPage() {
  const { t } = useTranslation();
  useTitle(t('prefs.lineLink'));
  const [params] = useSearchParams();
  const qc = useQueryClient();
  const code = params.get('code') ?? '';
  const state = params.get('state') ?? '';
  const link = useMutation({
    mutationFn: () =>
      api<LineStatus>('/api/line/callback', { method: 'POST', body: { code, state } }),
    onSuccess: (status) => {
      qc.setQueryData(LINE_KEY, status);
      void qc.invalidateQueries({ queryKey: PREFERENCES_KEY });
    },
  });
  const { mutate } = link;
  useEffect(() => {
    if (code && state) mutate();
  }, [code, state, mutate]);
  return (
    <div className="page narrow">
      <h1>{t('prefs.lineLink')}</h1>
      {!code || !state ? (
        <p className="notice error" role="alert">
          {t('prefs.lineCancelled')}
        </p>
      ) : link.isError ? (
        <ErrorNotice error={link.error} />
      ) : link.isSuccess ? (
        <p className="notice success" role="status">
          {t('prefs.lineLinked', { name: link.data.displayName ?? 'LINE' })}
        </p>
      ) : (
        <p aria-busy="true">{t('prefs.lineLinking')}</p>
      )}
      <p>
        <Link to="/me/notifications" className="button ghost">
          {t('prefs.title')}
        </Link>
      </p>
    </div>
  );
}
