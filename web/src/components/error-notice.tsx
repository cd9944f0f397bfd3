import { useTranslation } from 'react-i18next';
import { errorMessage, invalidFields } from '../lib/errors.ts';

/**
 * A plain-language error, from the API error code (and its details, where they say which rule).
 * Invalid fields are named by their label (`fields.<name>`), never by the API's field name.
 */
export function ErrorNotice({ error, className }: { error: unknown; className?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const { key, values } = errorMessage(error);
  const fields = invalidFields(error)
    .map((f) => t(`fields.${f}`, { defaultValue: '' }))
    .filter(Boolean);
  return (
    <p className={`notice error ${className ?? ''}`} role="alert">
      {values ? t(key, values) : t(key)}
      {fields.length > 0 && `（${fields.join('、')}）`}
    </p>
  );
}
