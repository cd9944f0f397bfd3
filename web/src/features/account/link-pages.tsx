// The pages account e-mails link to (the token rides in #token=…, never sent to a server log),
// and "forgot password". Each is one default export of its own file below re-exporting these.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { FormOutcome } from './form-outcome.tsx';
import { useTitle } from '../../lib/hooks.ts';
import { accountCalls, ME_KEY, tokenFromHash } from './account-api.ts';

/** Opens a one-click link (verify e-mail, confirm a new e-mail) once, on arrival. */
function OneClickLink({
  title,
  done,
  call,
}: {
  title: string;
  done: string;
  call: (token: string) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  useTitle(title);
  const qc = useQueryClient();
  const token = tokenFromHash();
  const run = useMutation({
    mutationFn: () => call(token ?? ''),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ME_KEY }),
  });
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !token) return;
    started.current = true;
    run.mutate();
  }, [run, token]);
  return (
    <div className="page narrow auth-page">
      <h1>{title}</h1>
      <div className="card" role="status" aria-live="polite">
        {!token && <p>{t('errors.INVALID_TOKEN')}</p>}
        {run.isPending && <p>{t('common.loading')}</p>}
        {run.isSuccess && <p className="notice success">{done}</p>}
        {run.isError && <ErrorNotice error={run.error} />}
        <p>
          <Link to="/">{t('account.toHome')}</Link>
        </p>
      </div>
    </div>
  );
}

export function VerifyEmailPage() {
  const { t } = useTranslation();
  return (
    <OneClickLink
      title={t('account.verifyTitle')}
      done={t('account.verified')}
      call={accountCalls.verifyEmail}
    />
  );
}

export function ConfirmEmailPage() {
  const { t } = useTranslation();
  return (
    <OneClickLink
      title={t('account.confirmEmailTitle')}
      done={t('account.emailChanged')}
      call={accountCalls.confirmEmail}
    />
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useTitle(t('account.forgot'));
  const [email, setEmail] = useState('');
  const send = useMutation({ mutationFn: () => accountCalls.requestReset(email.trim()) });
  return (
    <div className="page narrow auth-page">
      <h1>{t('account.forgot')}</h1>
      <form
        className="form card"
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        <p>{t('account.forgotHint')}</p>
        <label className="field">
          <span>{t('auth.email')}</span>
          <input
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <FormOutcome
          mutation={send}
          success={t('account.resetSent')}
          submit={t('account.sendResetLink')}
          buttonClass="button accent big"
        />
      </form>
    </div>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  useTitle(t('account.resetTitle'));
  const token = tokenFromHash();
  const [password, setPassword] = useState('');
  const reset = useMutation({
    mutationFn: () => accountCalls.confirmReset({ token: token ?? '', password }),
  });
  return (
    <div className="page narrow auth-page">
      <h1>{t('account.resetTitle')}</h1>
      {reset.isSuccess ? (
        <div className="card" role="status">
          <p className="notice success">{t('account.resetDone')}</p>
          <Link to="/login" className="button accent">
            {t('auth.login')}
          </Link>
        </div>
      ) : (
        <form
          className="form card"
          onSubmit={(e) => {
            e.preventDefault();
            reset.mutate();
          }}
        >
          <label className="field">
            <span>{t('account.newPassword')}</span>
            <input
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <small className="muted">{t('auth.passwordHint')}</small>
          </label>
          {reset.isError && <ErrorNotice error={reset.error} />}
          <button type="submit" className="button accent big" disabled={reset.isPending}>
            {t('account.setPassword')}
          </button>
        </form>
      )}
    </div>
  );
}
