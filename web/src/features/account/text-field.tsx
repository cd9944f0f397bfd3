// A labelled text input of the account forms: the label wraps the input (its accessible name),
// and the value is handed over as a string.
import type { InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
};

export function TextField({ label, value, onChange, ...input }: Props) {
  return (
    <label className="field">
      <span>{label}</span>
      <input {...input} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

type ValueProps = { value: string; onChange: (value: string) => void };

/** The account's current password, asked again before a sensitive change. */
export function CurrentPasswordField(props: ValueProps) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t('account.currentPassword')}
      type="password"
      autoComplete="current-password"
      {...props}
    />
  );
}

/** A six-digit code from the authenticator app. */
export function OneTimeCodeField(props: ValueProps) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t('account.totpCode')}
      inputMode="numeric"
      autoComplete="one-time-code"
      {...props}
    />
  );
}
