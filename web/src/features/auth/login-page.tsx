import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { LoginBody } from '../../../../shared/contracts/accounts.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { useTitle } from '../../lib/hooks.ts';
import { isApiError } from '../../api/client.ts';
import { TotpStep } from './totp-step.tsx';
import { useLogin } from './session-actions.ts';
import { useMe } from './session.ts';

import { safeNext } from './safe-next.ts';

/** Only same-site paths are followed after signing in. */
export { safeNext };

export default function LoginPage() {
  const { t } = useTranslation();
  useTitle(t('auth.login'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const me = useMe();
  const login = useLogin();
  const form = useForm<LoginBody>({
    resolver: zodResolver(LoginBody),
    defaultValues: { email: '', password: '' },
  });
  const [challenge, setChallenge] = useState<string | null>(null);
  if (me.data && !login.isSuccess) return <Navigate to={next} replace />;
  const errors = form.formState.errors;
  if (challenge)
    return (
      <div className="page narrow auth-page">
        <h1>{t('auth.login')}</h1>
        <TotpStep challenge={challenge} onDone={() => void navigate(next, { replace: true })} />
      </div>
    );
  return (
    <div className="page narrow auth-page">
      <h1>{t('auth.login')}</h1>
      <form
        className="form card"
        noValidate
        onSubmit={form.handleSubmit((values) =>
          login.mutate(values, {
            onSuccess: () => void navigate(next, { replace: true }),
            // Two-factor accounts answer with a challenge: ask for the code next.
            onError: (err) => {
              const details = isApiError(err, 'TOTP_REQUIRED')
                ? (err.details as { challenge?: string } | undefined)
                : undefined;
              if (details?.challenge) setChallenge(details.challenge);
            },
          }),
        )}
      >
        <label className="field">
          <span>{t('auth.email')}</span>
          <input
            type="email"
            autoComplete="email"
            aria-invalid={Boolean(errors.email)}
            {...form.register('email', { required: true })}
          />
        </label>
        <label className="field">
          <span>{t('auth.password')}</span>
          <input
            type="password"
            autoComplete="current-password"
            aria-invalid={Boolean(errors.password)}
            {...form.register('password', { required: true })}
          />
        </label>
        {login.isError && !isApiError(login.error, 'TOTP_REQUIRED') && (
          <ErrorNotice error={login.error} />
        )}
        <button type="submit" className="button accent big" disabled={login.isPending}>
          {login.isPending ? t('common.loading') : t('auth.login')}
        </button>
        <p className="muted">
          <Link to="/forgot-password">{t('account.forgot')}</Link>
        </p>
        <p className="muted">
          {t('auth.noAccount')}{' '}
          <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>
            {t('auth.register')}
          </Link>
        </p>
      </form>
    </div>
  );
}
