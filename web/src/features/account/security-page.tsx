// 帳號與安全: password, e-mail address, signed-in devices, two-factor sign-in, your data and
// closing the account (issue 17). Every action is a form or button: keyboard-reachable.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { FormOutcome } from './form-outcome.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLocale, useTitle } from '../../lib/hooks.ts';
import { useMe } from '../auth/session.ts';
import { MeNav } from '../me/me-nav.tsx';
import { CurrentPasswordField, OneTimeCodeField, TextField } from './text-field.tsx';
import {
  accountCalls,
  ME_KEY,
  SESSIONS_KEY,
  TOTP_KEY,
  useAccountMutation,
  useSessions,
  useTotpStatus,
} from './account-api.ts';

const submit = (fn: () => void) => (e: FormEvent) => {
  e.preventDefault();
  fn();
};

function PasswordSection() {
  const { t } = useTranslation();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useAccountMutation(accountCalls.changePassword, [SESSIONS_KEY]);
  return (
    <section className="card form" aria-labelledby="sec-password">
      <h2 id="sec-password">{t('account.changePassword')}</h2>
      <form onSubmit={submit(() => change.mutate({ currentPassword, newPassword }))}>
        <CurrentPasswordField value={currentPassword} onChange={setCurrent} />
        <TextField
          label={t('account.newPassword')}
          type="password"
          autoComplete="new-password"
          value={newPassword}
          onChange={setNew}
        />
        <FormOutcome
          mutation={change}
          success={t('account.passwordChanged')}
          submit={t('account.changePassword')}
        />
      </form>
    </section>
  );
}

function EmailSection({ email }: { email: string }) {
  const { t } = useTranslation();
  const [newEmail, setEmail] = useState('');
  const [currentPassword, setPassword] = useState('');
  const change = useAccountMutation(accountCalls.changeEmail);
  return (
    <section className="card form" aria-labelledby="sec-email">
      <h2 id="sec-email">{t('account.changeEmail')}</h2>
      <p className="muted">{t('account.currentEmail', { email })}</p>
      <form onSubmit={submit(() => change.mutate({ newEmail: newEmail.trim(), currentPassword }))}>
        <TextField
          label={t('account.newEmail')}
          type="email"
          autoComplete="email"
          value={newEmail}
          onChange={setEmail}
        />
        <CurrentPasswordField value={currentPassword} onChange={setPassword} />
        <FormOutcome
          mutation={change}
          success={t('account.emailConfirmSent')}
          submit={t('account.changeEmail')}
        />
      </form>
    </section>
  );
}

function SessionsSection() {
  const { t } = useTranslation();
  const locale = useLocale();
  const sessions = useSessions();
  const revoke = useAccountMutation(accountCalls.revokeSession, [SESSIONS_KEY]);
  const others = useAccountMutation(accountCalls.revokeOthers, [SESSIONS_KEY]);
  const when = (iso: string) => formatDateTime(iso, locale);
  return (
    <section className="card" aria-labelledby="sec-sessions">
      <h2 id="sec-sessions">{t('account.sessions')}</h2>
      {sessions.isError && <ErrorNotice error={sessions.error} />}
      <ul className="session-list">
        {sessions.data?.items.map((s) => (
          <li key={s.id} className="session-row">
            <span>
              <strong>{s.userAgent ?? t('account.unknownDevice')}</strong>
              {s.current && <span className="badge"> {t('account.thisDevice')}</span>}
              <br />
              <small className="muted">
                {t('account.sessionSeen', {
                  ip: s.ip ?? '—',
                  created: when(s.createdAt),
                  seen: when(s.lastSeenAt),
                })}
              </small>
            </span>
            {!s.current && (
              <button
                type="button"
                className="button ghost small"
                onClick={() => revoke.mutate(s.id)}
              >
                {t('account.signOutDevice')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.isSuccess && (
        <p className="notice success" role="status">
          {t('account.othersSignedOut', { count: others.data.revoked })}
        </p>
      )}
      <button type="button" className="button" onClick={() => others.mutate()}>
        {t('account.signOutEverywhere')}
      </button>
    </section>
  );
}

function TotpSection() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const status = useTotpStatus();
  const setup = useAccountMutation(accountCalls.setupTotp);
  const confirm = useAccountMutation(accountCalls.confirmTotp, [TOTP_KEY]);
  const disable = useAccountMutation(accountCalls.disableTotp, [TOTP_KEY]);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const enabled = status.data?.enabled;
  return (
    <section className="card form" aria-labelledby="sec-totp">
      <h2 id="sec-totp">{t('account.totp')}</h2>
      <p className="muted">{t('account.totpWhy')}</p>
      {confirm.isSuccess && (
        <div role="status">
          <p className="notice success">{t('account.totpOn')}</p>
          <p>{t('account.recoveryCodesOnce')}</p>
          <ul className="recovery-codes" aria-label={t('account.recoveryCodes')}>
            {confirm.data.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {enabled && !confirm.isSuccess && (
        <p>{t('account.totpEnabled', { count: status.data?.recoveryCodesRemaining ?? 0 })}</p>
      )}
      {!enabled && !setup.data && (
        <button type="button" className="button" onClick={() => setup.mutate()}>
          {t('account.totpStart')}
        </button>
      )}
      {!enabled && setup.data && !confirm.isSuccess && (
        <form
          onSubmit={submit(() =>
            confirm.mutate(code.trim(), {
              onSuccess: () => void qc.invalidateQueries({ queryKey: ME_KEY }),
            }),
          )}
        >
          <p>{t('account.totpScan')}</p>
          <img
            className="totp-qr"
            width={200}
            height={200}
            alt={t('account.totpQrAlt')}
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.data.qrSvg)}`}
          />
          <p>
            {t('account.totpManual')} <code data-testid="totp-secret">{setup.data.secret}</code>
          </p>
          <OneTimeCodeField value={code} onChange={setCode} />
          {confirm.isError && <ErrorNotice error={confirm.error} />}
          <button type="submit" className="button accent">
            {t('account.verify')}
          </button>
        </form>
      )}
      {enabled && (
        <form
          onSubmit={submit(() => disable.mutate({ password, code: code.trim() }))}
          aria-label={t('account.totpDisable')}
        >
          <CurrentPasswordField value={password} onChange={setPassword} />
          <OneTimeCodeField value={code} onChange={setCode} />
          {disable.isError && <ErrorNotice error={disable.error} />}
          <button type="submit" className="button ghost">
            {t('account.totpDisable')}
          </button>
        </form>
      )}
    </section>
  );
}

function DataSection() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [password, setPassword] = useState('');
  const [sure, setSure] = useState(false);
  const close = useAccountMutation(accountCalls.closeAccount);
  return (
    <section className="card form" aria-labelledby="sec-data">
      <h2 id="sec-data">{t('account.yourData')}</h2>
      <p>
        <a className="button" href="/api/me/export" download>
          {t('account.export')}
        </a>
      </p>
      <h3>{t('account.close')}</h3>
      <p className="muted">{t('account.closeWarning')}</p>
      <form
        onSubmit={submit(() =>
          close.mutate(password, {
            onSuccess: () => {
              qc.setQueryData(ME_KEY, null);
              void navigate('/', { replace: true });
            },
          }),
        )}
      >
        <CurrentPasswordField value={password} onChange={setPassword} />
        <label className="check">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />{' '}
          {t('account.closeConfirm')}
        </label>
        {close.isError && <ErrorNotice error={close.error} />}
        <button type="submit" className="button accent" disabled={!sure || close.isPending}>
          {t('account.closeButton')}
        </button>
      </form>
    </section>
  );
}

export default function SecurityPage() {
  const { t } = useTranslation();
  useTitle(t('account.title'));
  const me = useMe();
  return (
    <div className="page me-page">
      <MeNav />
      <h1>{t('account.title')}</h1>
      {me.data && <EmailSection email={me.data.email} />}
      <PasswordSection />
      <SessionsSection />
      <TotpSection />
      <DataSection />
    </div>
  );
}
