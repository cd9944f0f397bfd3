import { useTranslation } from 'react-i18next';
import { errorKey, invalidFields } from '../lib/errors.ts';

/** A plain-language error, from the API error code. */
export function ErrorNotice({ error, className }: { error: unknown; className?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fields = invalidFields(error);
  return (
    <p className={`notice error ${className ?? ''}`} role="alert">
      {t(errorKey(error))}
      {fields.length > 0 && ` (${fields.join(', ')})`}
    </p>
  );
}
