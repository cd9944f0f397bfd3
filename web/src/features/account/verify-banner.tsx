// Shown to a signed-in member whose e-mail is not verified: why, and a button to send it again.
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session.ts';
import { accountCalls, useAccountMutation } from './account-api.ts';

export default function VerifyBanner() {
  const { t } = useTranslation();
  const me = useMe();
  const resend = useAccountMutation(accountCalls.resendVerification);
  if (!me.data || me.data.emailVerified) return null;
  return (
    <div className="verify-banner" role="note">
      <span>{t('verifyBanner.unverified', { email: me.data.email })}</span>{' '}
      {resend.isSuccess ? (
        <span role="status">{t('verifyBanner.resent')}</span>
      ) : (
        <button
          type="button"
          className="button small"
          disabled={resend.isPending}
          onClick={() => resend.mutate()}
        >
          {t('verifyBanner.resend')}
        </button>
      )}
    </div>
  );
}
